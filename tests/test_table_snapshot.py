"""The table a run keeps (kg.report.snapshot): written by a reconciliation on a persistent store,
read by `kg table` instead of the two large queries, and the same table, byte for byte, as the
one computed from the verdicts; ignored once the store's content or kg's version differs."""

from __future__ import annotations

import pytest

import kg
from kg import EvidenceGraph
from kg.load.content import content_hash
from kg.report import snapshot
from kg.report import table as table_module
from kg.report.layout import write_table
from kg.synth.generator import generate

VIEWS = [
    {},
    {"country": "Synthland 0"},
    {"columns": ["params", "flop", "mmlu"], "min_figures": 4},
    {"since": "2024", "limit": 25},
    {"lab": "Synth Lab 1", "columns": "tokens,active"},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A 600-claim synthetic graph on disk, reconciled once (which keeps its table)."""
    base = tmp_path_factory.mktemp("snapshot")
    generate(600, base / "graph", seed=5)
    eg = EvidenceGraph(graph=[base / "graph"], store=base / "store", create=True)
    eg.reconcile()
    return eg


def outputs(eg: EvidenceGraph, view: dict) -> list[str]:
    built = eg.capability_table(**view)
    return [write_table(built, fmt, width=120) for fmt in ("csv", "json", "md", "table")]


def labs_of(eg: EvidenceGraph) -> set[str]:
    return {r.lab_label for r in eg.capability_table().rows}


def test_a_reconciliation_on_disk_keeps_its_table(store):
    run = store.runs()[0]
    data = snapshot.read(store.store, run.iri, content_hash=content_hash(store.store),
                         version=kg.__version__)
    assert data is not None and data.records and data.evidence
    assert {v["group"] for _m, _c, v in data.records} <= set(data.evidence) | {
        v["group"] for _m, _c, v in data.records}


@pytest.mark.parametrize("view", VIEWS, ids=[",".join(v) or "all" for v in VIEWS])
def test_the_kept_table_is_the_computed_table_byte_for_byte(store, view, monkeypatch):
    if "lab" in view and view["lab"] not in labs_of(store):
        view = {**view, "lab": sorted(x for x in labs_of(store) if x)[0]}
    kept = outputs(store, view)
    monkeypatch.setenv("KG_TABLE_SNAPSHOT", "0")
    assert outputs(store, view) == kept


def test_the_kept_table_runs_no_table_query(store, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the table's queries ran although the run keeps its table")

    monkeypatch.setattr(table_module, "_evidence", refuse)
    monkeypatch.setattr(table_module, "_cell_records", refuse)
    monkeypatch.setattr(table_module, "_closed_among", refuse)
    assert store.capability_table().rows


def test_the_kept_table_is_ignored_when_content_or_version_differs(store):
    run = store.runs()[0]
    digest = content_hash(store.store)
    assert snapshot.read(store.store, run.iri, content_hash=digest + "0",
                         version=kg.__version__) is None
    assert snapshot.read(store.store, run.iri, content_hash=digest, version="0.0.0") is None
    assert snapshot.read(store.store, run.iri, content_hash=None, version=kg.__version__) is None


def test_encoding_round_trips_and_rejects_other_text():
    data = table_module.TableData(
        [("m", "total_params", {"group": "g", "amount": 1e9, "modelLabel": "M", "n": 3,
                                "ok": True, "x": float("inf")})],
        {"g": ([("d", "Doc “one”", "corpus 001", "1B")], [("e", "E", "E", 2.5)])}, {"m"})
    text = snapshot.encode(data, content_hash="sha256:1", version="v")
    back = snapshot.decode(text, content_hash="sha256:1", version="v")
    assert back == data
    assert snapshot.decode("not base64 at all!", content_hash="sha256:1", version="v") is None


def test_turned_off_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_TABLE_SNAPSHOT", "0")
    generate(200, tmp_path / "graph", seed=2)
    eg = EvidenceGraph(graph=[tmp_path / "graph"], store=tmp_path / "store", create=True)
    eg.reconcile()
    monkeypatch.setenv("KG_TABLE_SNAPSHOT", "1")
    run = eg.runs()[0]
    assert snapshot.read(eg.store, run.iri, content_hash=content_hash(eg.store),
                         version=kg.__version__) is None
    assert eg.capability_table().rows  # computed from the verdicts, as before


def test_a_new_load_reconciles_and_keeps_a_new_table(tmp_path):
    generate(200, tmp_path / "graph", seed=4)
    generate(100, tmp_path / "more", seed=9)
    eg = EvidenceGraph(graph=[tmp_path / "graph"], store=tmp_path / "store", create=True)
    eg.reconcile()
    first = eg.runs()[0]
    eg.load([tmp_path / "more" / "claims-0000.ttl"])
    digest = content_hash(eg.store)
    assert snapshot.read(eg.store, first.iri, content_hash=digest, version=kg.__version__) is None
    eg.capability_table()  # the run no longer holds: reconciled again, kept again
    second = eg.runs()[0]
    assert second.id != first.id and second.current
    assert snapshot.read(eg.store, second.iri, content_hash=digest,
                         version=kg.__version__) is not None


def test_the_kept_table_is_written_in_short_parts_and_read_back_whole(store):
    """Virtuoso's Graph Store Protocol refuses a body whose first line is tens of thousands of
    characters long: the table is kept in numbered parts of 8,000 characters."""
    from kg.reconcile.runs import current
    from kg.store.queries import named_query

    run = current(store.store)
    rows = store.store.select(named_query("table-snapshot").text, {"run": run.iri})
    values = [r["snapshot"].value for r in rows]
    assert values and all(len(v) <= snapshot.PART + 7 for v in values)
    text = snapshot.joined(values)[0]
    assert snapshot.decode(text, content_hash=content_hash(store.store), version=kg.__version__)
    assert snapshot.parts(text, 5) and snapshot.joined(snapshot.parts(text, 5)) == [text]
