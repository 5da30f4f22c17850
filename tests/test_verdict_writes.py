"""Verdicts written as one N-Triples body per batch into the run's graph (load_ntriples): the
same triples as the N-Quads the run's Turtle export is made from, on every embedded store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.reconcile.verdicts import verdict_nquads, verdict_ntriples
from kg.store.embedded import OxigraphStore
from kg.store.remote import bulk_switch

GRAPH = "https://w3id.org/kg-compute/run/run-test"


def test_ntriples_are_the_nquads_without_their_graph(reconciled):
    groups = reconciled.all_groups()
    nquads = verdict_nquads(groups, "test", GRAPH).decode().splitlines()
    ntriples = verdict_ntriples(groups, "test").decode().splitlines()
    assert len(ntriples) == len(nquads) > 100
    assert [line.replace(f" <{GRAPH}> .", " .") for line in nquads] == ntriples


@pytest.mark.parametrize("where", ["memory", "disk"])
def test_load_ntriples_fills_the_named_graph_only(reconciled, tmp_path, where):
    store = OxigraphStore(tmp_path / "s" if where == "disk" else None)
    groups = reconciled.all_groups()
    store.load_ntriples(verdict_ntriples(groups, "test"), GRAPH)
    reference = OxigraphStore()  # the quads as the writer made them before (a store's own
    reference.load(ox.parse(verdict_nquads(groups, "test", GRAPH),  # canonical literals)
                            format=ox.RdfFormat.N_QUADS))
    every = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = store.select(every)
    assert {r["g"].value for r in rows} == {GRAPH}
    assert {tuple(r.values()) for r in rows} == {tuple(r.values()) for r in reference.select(every)}
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value == "0"


def test_a_bad_body_is_a_store_error_not_a_traceback():
    from kg.core.errors import StoreError

    with pytest.raises(StoreError, match="N-Triples"):
        OxigraphStore().load_ntriples(b"<a> <b> .\n", GRAPH)


@pytest.mark.parametrize("server,expected", [
    ("Oxigraph/0.5.13", {"no_transaction": ""}),
    ("Virtuoso/07.20.3240 (Linux) x86_64-pc-linux-gnu", {}),
    ("Apache Jena Fuseki (5.1.0)", {}),
    ("", {}),
])
def test_only_oxigraph_is_asked_for_its_bulk_load(server, expected):
    assert bulk_switch(server) == expected


# ---------------------------------------------------------------- answers taken apart by position


def _results_json(values: list[str]) -> bytes:
    import json

    rows = [{"o": {"type": "literal", "value": v}} for v in values]
    return json.dumps({"head": {"vars": ["o", "unbound"]}, "results": {"bindings": rows}}).encode()


def _remote_with_answer(monkeypatch, body: bytes):
    """A RemoteStore whose server answers `body`."""
    from kg.store.remote import RemoteStore

    store = RemoteStore("http://127.0.0.1:9/query")
    monkeypatch.setattr(store, "_query", lambda *a, **k: body)
    return store


def test_an_answer_as_rows_and_as_positional_tuples(monkeypatch):
    values = [f"value {i}" for i in range(5000)]
    store = _remote_with_answer(monkeypatch, _results_json(values))
    rows = store.select("SELECT ?o ?unbound WHERE { ?s ?p ?o }")
    assert rows.variables == ["o", "unbound"]
    assert [r["o"].value for r in rows] == values and all("unbound" not in r for r in rows)
    tuples = list(store.stream_positional("SELECT ?o ?unbound WHERE { ?s ?p ?o }", ["unbound", "o"]))
    assert tuples == [(None, ox.Literal(v)) for v in values]


def test_a_value_beyond_the_parsers_limit_midway_is_read_by_python_from_the_same_answer(monkeypatch):
    """pyoxigraph's parser takes values up to 16 MiB; past one, met while the rows are taken,
    the rows not yet given come from Python's json reading the same answer, in the same order,
    none twice."""
    values = ["first", "second", "x" * (17 << 20), "last"]
    store = _remote_with_answer(monkeypatch, _results_json(values))
    got = [row[0].value for row in store.stream_positional("SELECT ?o WHERE { ?s ?p ?o }", ["o"])]
    assert got == values
