"""Graph files checked before load natively next time (kg.load.cache): the same store, the same
answers, and the full load with its checks again as soon as any file's bytes change."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import claim_turtle, copy_mini_graph, reconciliation_json
from kg import EvidenceGraph
from kg.core.errors import InputError
from kg.load import cache, run
from kg.synth.generator import generate


@pytest.fixture()
def cached(tmp_path, monkeypatch) -> Path:
    """Records in a private folder, for graphs of any size."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    monkeypatch.setenv("KG_LOAD_CACHE_MIN", "0")
    return folder


def refuse_parsing(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("parsed into Python objects although a record exists")

    monkeypatch.setattr(run, "parse_file", refuse)


def answers(eg: EvidenceGraph) -> tuple:
    loaded = len(eg.store)  # before any reconciliation adds its run
    report = eg.validate()
    table = eg.capability_table()
    return (loaded, eg.load_report.triples, eg.load_report.claims, report.findings,
            report.triples, reconciliation_json(eg), [(r.model, sorted(r.cells)) for r in table.rows])


def test_a_second_load_of_the_same_files_reads_the_record_and_answers_the_same(
        tmp_path, cached, monkeypatch):
    graph = copy_mini_graph(tmp_path)
    first = EvidenceGraph(graph=[graph])
    assert len(list(cached.glob("*.json"))) == 1
    before = answers(first)
    refuse_parsing(monkeypatch)
    again = EvidenceGraph(graph=[graph])
    assert again.load_report.origin == first.load_report.origin
    assert answers(again) == before


def test_a_synthetic_graph_reconciles_the_same_from_the_record(tmp_path, cached, monkeypatch):
    generate(400, tmp_path / "synth", seed=6)
    before = reconciliation_json(EvidenceGraph(graph=[tmp_path / "synth"]))
    refuse_parsing(monkeypatch)
    assert reconciliation_json(EvidenceGraph(graph=[tmp_path / "synth"])) == before


def test_a_changed_file_is_parsed_and_checked_again(tmp_path, cached):
    graph = copy_mini_graph(tmp_path)
    EvidenceGraph(graph=[graph])
    extra = graph / "extra.ttl"
    extra.write_text(claim_turtle("cache-new", "9B"), encoding="utf-8")
    eg = EvidenceGraph(graph=[graph])
    assert "https://w3id.org/kg-compute/claim/cache-new" in eg.load_report.origin
    assert len(list(cached.glob("*.json"))) == 2
    extra.write_text(claim_turtle("cache-new", "9B").replace(
        "kg:stated", 'kg:amount "nine"^^<http://www.w3.org/2001/XMLSchema#decimal> ; kg:stated'),
        encoding="utf-8")
    with pytest.raises(InputError, match="not a valid"):
        EvidenceGraph(graph=[graph])


def test_turned_off_or_small_no_record_is_written(tmp_path, cached, monkeypatch):
    graph = copy_mini_graph(tmp_path)
    monkeypatch.setenv("KG_LOAD_CACHE", "0")
    EvidenceGraph(graph=[graph])
    monkeypatch.setenv("KG_LOAD_CACHE", "1")
    monkeypatch.setenv("KG_LOAD_CACHE_MIN", str(10**12))
    EvidenceGraph(graph=[graph])
    assert not list(cached.glob("*.json"))


def test_an_unreadable_record_means_a_full_load(tmp_path, cached):
    graph = copy_mini_graph(tmp_path)
    first = EvidenceGraph(graph=[graph])
    (record,) = cached.glob("*.json")
    record.write_text("{not json", encoding="utf-8")
    again = EvidenceGraph(graph=[graph])
    assert len(again.store) == len(first.store)
    assert record.read_text(encoding="utf-8").startswith("{\"format\"")  # written anew


def test_a_load_with_unreadable_figures_is_not_recorded(tmp_path, cached):
    graph = copy_mini_graph(tmp_path)
    (graph / "odd.ttl").write_text(claim_turtle("cache-odd", "about as big as a house"),
                                   encoding="utf-8")
    eg = EvidenceGraph(graph=[graph])
    assert eg.load_report.problems
    assert not list(cached.glob("*.json"))


def test_a_persistent_store_never_uses_the_record(tmp_path, cached):
    graph = copy_mini_graph(tmp_path)
    EvidenceGraph(graph=[graph], store=tmp_path / "store", create=True)
    assert not list(cached.glob("*.json"))
    assert cache.wanted([graph / f.name for f in graph.glob("*.ttl")])


def test_the_table_of_the_same_files_is_kept_and_needs_no_reconciliation(
        tmp_path, cached, monkeypatch):
    from kg.report.layout import write_table

    generate(500, tmp_path / "synth", seed=8)
    views = [{}, {"country": "Synthland 1", "columns": "params,flop"}, {"limit": 10}]

    def tables(eg: EvidenceGraph) -> list[str]:
        return [write_table(eg.capability_table(**v), fmt, width=120)
                for v in views for fmt in ("csv", "md")]

    monkeypatch.setenv("KG_LOAD_CACHE", "0")
    computed = tables(EvidenceGraph(graph=[tmp_path / "synth"]))
    monkeypatch.setenv("KG_LOAD_CACHE", "1")
    assert tables(EvidenceGraph(graph=[tmp_path / "synth"])) == computed  # computed, then kept
    assert len(list(cached.glob("*.table"))) == 1

    def refuse(*_args, **_kwargs):
        raise AssertionError("reconciled although the table of these files is kept")

    monkeypatch.setattr(EvidenceGraph, "ensure_reconciled", refuse)
    assert tables(EvidenceGraph(graph=[tmp_path / "synth"])) == computed


def test_a_reconciliation_with_a_callers_reliabilities_is_never_kept(tmp_path, cached):
    generate(200, tmp_path / "synth", seed=13)
    eg = EvidenceGraph(graph=[tmp_path / "synth"])
    eg.reconcile(trust={"https://example.org/nobody": 0.5})
    assert eg.capability_table().rows and not eg.keep_table()
    assert not list(cached.glob("*.table"))
