"""The same answers on every store: the whole query library and the reconciliation, embedded vs on disk.

Also: an on-disk store is loaded once and reused (the second open parses nothing), and the bulk
loader behind `kg load --store` gives the same graph as the embedded loader.
"""

from __future__ import annotations

import pytest

from conftest import answers, query_cases, reconciliation_json, required_parameters
from kg import EvidenceGraph
from kg.store.queries import list_queries

CASES = query_cases()


@pytest.fixture(scope="module")
def embedded() -> EvidenceGraph:
    """A private embedded graph (the shared `shipped` fixture must not be written to)."""
    eg = EvidenceGraph()
    eg.reconcile()
    return eg


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "oxigraph"
    first = EvidenceGraph(store=path, create=True)  # a missing store is refused unless asked
    assert first.load_report is not None and first.load_report.claims > 0
    triples = len(first.store)
    del first  # release the RocksDB lock before reopening
    import gc

    gc.collect()
    eg = EvidenceGraph(store=path)
    eg.reconcile()
    return {"graph": eg, "triples_at_first_open": triples, "path": path}


def test_second_open_reuses_the_store_without_parsing(on_disk):
    eg = on_disk["graph"]
    assert eg.load_report is None, "the on-disk store was re-parsed although it held the graph"
    assert len(eg.store) >= on_disk["triples_at_first_open"]


def test_query_library_is_not_empty():
    assert len(CASES) >= 5


def test_every_query_with_required_parameters_has_an_example_to_run():
    """Except three SHACL components that aggregate over ?path: a binding for a variable the
    SELECT does not project can only travel as VALUES rows, which is how kg's constraint engine
    runs them (proven against pySHACL by tests/test_constraints.py)."""
    from conftest import example_bindings

    values_only = {"shacl-has-value", "shacl-max-count", "shacl-min-count"}
    assert [q.name for q in list_queries() if required_parameters(q)
            and not example_bindings(q.text) and q.name not in values_only] == []


@pytest.mark.parametrize("name,text,bindings", CASES, ids=[c[0] for c in CASES])
def test_named_query_same_on_disk_and_embedded(name, text, bindings, embedded, on_disk):
    assert answers(on_disk["graph"].store, text, bindings) == answers(embedded.store, text, bindings)


def test_reconciliation_json_identical(embedded, on_disk):
    mine = reconciliation_json(on_disk["graph"])
    assert '"groups"' in mine
    assert mine == reconciliation_json(embedded)


def test_bulk_loader_gives_the_embedded_graph(tmp_path, embedded):
    """kg load's native path (syntax check, bulk load, normalise) = the embedded loader's graph."""
    from kg.load.bulk import load_files
    from kg.reconcile.runs import run_graphs
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(tmp_path / "bulk")
    report = load_files(store)
    assert report.triples == len(store) > 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert answers(store, count, {}) == answers(embedded.store, count, {})
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert answers(store, everything, {}) == answers(embedded.store, everything, {})
    assert run_graphs(store) == []  # loading reconciles nothing
    from kg.load.content import content_hash
    assert content_hash(store) == content_hash(embedded.store)  # same files, same hash


def test_bulk_loader_refuses_bad_turtle_and_keeps_the_store(tmp_path):
    from kg.core.errors import InputError
    from kg.load.bulk import load_files
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(tmp_path / "bulk")
    load_files(store)
    before = len(store)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kg-compute/ontology#> .\nkg:a kg:b .\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.ttl"):
        load_files(store, [bad])
    assert len(store) == before


@pytest.mark.parametrize("graph", [None, "https://w3id.org/kg-compute/run/run-test"])
def test_a_body_bulk_loaded_in_parts_on_disk_is_loaded_whole(tmp_path, monkeypatch, graph):
    """On disk a verdict body goes to Oxigraph's bulk loader in parts of whole lines (its memory
    grows with what it is given): every statement arrives, none split across two parts."""
    import pyoxigraph as ox

    from kg.store import embedded

    monkeypatch.setattr(embedded, "BULK_PART", 300)  # a few lines a part
    lines = [f'<https://example.org/s{i}> <https://example.org/p> "value {i} \\u00e9"'
             for i in range(60)]
    store = embedded.OxigraphStore(tmp_path / "store")
    if graph is None:
        store.load_nquads(("".join(line + " <https://example.org/g> .\n" for line in lines)
                           ).encode())
        target = ox.NamedNode("https://example.org/g")
    else:
        store.load_ntriples("".join(line + " .\n" for line in lines).encode().rstrip(b"\n"),
                            graph)
        target = ox.NamedNode(graph)
    values = {q.object.value for q in store._store.quads_for_pattern(None, None, None, target)}
    assert values == {f"value {i} é" for i in range(60)}
