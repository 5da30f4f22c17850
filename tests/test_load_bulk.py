"""kg.load.bulk: the native load's record of each file's subjects, spilled to disk between the
syntax check and the record so that a load's memory does not grow with the graph."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.core.resources import GRAPH
from kg.core.vocab import KG
from kg.load import state
from kg.load.bulk import SubjectSpill, load_files
from kg.store.embedded import OxigraphStore

DEFINES = f"SELECT ?path ?s WHERE {{ GRAPH ?g {{ ?f <{KG}path> ?path ; <{KG}defines> ?s }} }}"


def subjects_of(path: Path) -> set[str]:
    return {q.subject.value for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                                              base_iri=path.resolve().as_uri())
            if isinstance(q.subject, ox.NamedNode)}


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    """A temporary folder of this test's own, so another worker's load cannot show up in it."""
    where = tmp_path / "tmp"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    return where


def spills() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("kg-load-subjects-*")}


def test_spill_keeps_each_files_subjects_sorted_and_cleans_up():
    files = sorted(GRAPH.glob("*.ttl"))[:2]
    with SubjectSpill() as spill:
        for f in files:
            spill.check(f)
        for f in files:
            got = list(spill.get(str(f.resolve())))
            assert got == sorted(subjects_of(f))
        assert list(spill.get("/no/such/file", ["x"])) == ["x"]
        where = spill._dir
        assert where.is_dir()
    assert not where.exists()


def test_record_written_in_batches_is_the_whole_record(tmp_path):
    # a batch of 7 quads forces many writes; the record must still name every subject once
    files = sorted(GRAPH.glob("*.ttl"))[:2]
    store = OxigraphStore(tmp_path / "store")
    with SubjectSpill() as spill:
        for f in files:
            spill.check(f)
        records = [state.file_record(f) for f in files]
        state.record_files(store, records, spill, batch=7)
    rows = store.select(DEFINES)
    got: dict[str, set[str]] = {}
    for row in rows:
        got.setdefault(row["path"].value, set()).add(row["s"].value)
    assert got == {str(f.resolve()): subjects_of(f) for f in files}


def test_bulk_load_records_every_subject_and_leaves_no_spill(tmp_path, own_tmp):
    store = OxigraphStore(tmp_path / "store")
    report = load_files(store)
    assert spills() == set()
    got: dict[str, set[str]] = {}
    for row in store.select(DEFINES):
        got.setdefault(row["path"].value, set()).add(row["s"].value)
    assert set(got) <= {str(p.resolve()) for p in report.files}
    for path in report.files:
        assert got.get(str(path.resolve()), set()) == subjects_of(path)


def test_a_bad_file_leaves_no_spill(tmp_path, own_tmp):
    from kg.core.errors import InputError

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kg-compute/ontology#> .\nkg:a kg:b .\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.ttl"):
        load_files(OxigraphStore(tmp_path / "store"), [bad])
    assert spills() == set()
