"""A real Oxigraph SPARQL server behind the same commands: load through the Graph Store Protocol,
then validate, reconcile and the whole query library must answer exactly as the embedded store.

The server runs on 127.0.0.1 with a free port and its own temporary directory; the fixture stops
it and removes the directory even when a test fails.
"""

from __future__ import annotations

import pytest

from conftest import answers, query_cases, reconciliation_json
from kg import EvidenceGraph
from kg.store.server import OxigraphServer

CASES = query_cases()

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(sparql_server):
    """Oxigraph, then Virtuoso (conftest.SERVERS): every test here runs on both."""
    return sparql_server


@pytest.fixture(scope="module")
def remote(server):
    from click.testing import CliRunner

    from kg.cli.main import main

    result = CliRunner().invoke(main, ["load", "--endpoint", server.query_url,
                                         "--update-endpoint", server.update_url])
    assert result.exit_code == 0, result.output
    assert "triples in the store" in result.output
    return EvidenceGraph(endpoint=server.query_url, update_endpoint=server.update_url)


@pytest.fixture(scope="module")
def embedded() -> EvidenceGraph:
    return EvidenceGraph()


@pytest.fixture(scope="module")
def reconciled_pair(remote, embedded):
    """Reconcile both (writing the verdicts into the run graph), compare the JSON once."""
    return reconciliation_json(remote), reconciliation_json(embedded)


def test_server_holds_the_shipped_graph(remote, embedded):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # the default graph: the evidence
    assert remote.store.select(count)[0]["n"].value == embedded.store.select(count)[0]["n"].value
    assert int(remote.store.select(count)[0]["n"].value) > 0
    from kg.load.content import content_hash
    assert content_hash(remote.store) == content_hash(embedded.store) is not None


def test_validate_on_server_matches_embedded(remote, embedded):
    def key(report):
        return sorted((f.severity, f.shape, f.focus, f.path, f.message, f.value) for f in report.findings)

    mine, theirs = remote.validate(), embedded.validate()
    assert mine.conforms == theirs.conforms
    assert key(mine) == key(theirs)
    assert mine.triples == theirs.triples


def test_reconcile_on_server_matches_embedded(reconciled_pair):
    mine, theirs = reconciled_pair
    assert '"groups"' in mine
    assert mine == theirs


def test_reconciliation_lands_in_its_named_graph_on_the_server(remote, reconciled_pair):
    """RemoteStore.load sends named-graph quads to ?graph=<iri>: the run's verdicts land in the
    run's own graph and the pointer names it."""
    from kg.reconcile.runs import current, run_graphs

    run = current(remote.store)
    assert run is not None and run.claims and run.content_hash
    group = "<https://w3id.org/kg-compute/ontology#ClaimGroup>"
    # a variable bound to the graph, not GRAPH <iri>: see test_virtuoso_graph_constant_is_the_dataset's
    assert remote.store.ask(f"ASK {{ VALUES ?g {{ <{run.iri}> }} GRAPH ?g {{ ?s a {group} }} }}")
    assert all(complete for _graph, complete in run_graphs(remote.store))
    in_default = remote.store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value
    assert int(in_default) == len(remote.store)


@pytest.mark.parametrize("name,text,bindings", CASES, ids=[c[0] for c in CASES])
def test_named_query_same_on_server(name, text, bindings, remote, embedded, reconciled_pair):
    assert answers(remote.store, text, bindings) == answers(embedded.store, text, bindings)


def test_table_on_server_matches_embedded(remote, embedded, reconciled_pair):
    assert remote.table().to_csv() == embedded.table().to_csv()


def test_server_is_stopped_and_its_directory_removed():
    srv = OxigraphServer()
    location = srv.location
    assert location.is_dir()
    srv.stop()
    assert srv.process.poll() is not None
    assert not location.exists()


def test_a_failed_write_on_a_server_leaves_the_previous_verdicts(remote, reconciled_pair,
                                                                  monkeypatch):
    """Others read the server while kg writes: a new run goes to a graph of its own and the
    pointer moves only when it is complete, so a failed run leaves the previous one current."""
    from kg.reconcile.runs import current, run_graphs

    run = current(remote.store)
    query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?g {{ <{run.iri}> }} GRAPH ?g {{ ?s ?p ?o }} }}"
    before = {(r["s"].value, r["p"].value, r["o"].value) for r in remote.store.select(query)}
    assert before
    import kg.reconcile.verdicts as report

    def failing(run_id, graph):
        raise OSError("connection reset (simulated)")

    monkeypatch.setattr(report, "run_quads", failing)
    with pytest.raises(OSError, match="simulated"):
        remote.reconcile()
    after = {(r["s"].value, r["p"].value, r["o"].value) for r in remote.store.select(query)}
    assert after == before
    assert current(remote.store).id == run.id
    assert all(complete for _graph, complete in run_graphs(remote.store))
