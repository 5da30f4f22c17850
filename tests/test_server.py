"""A real Oxigraph SPARQL server behind the same commands: load through the Graph Store Protocol,
then validate, reconcile and the whole query library must answer exactly as the embedded store.

The server runs on 127.0.0.1 with a free port and its own temporary directory; the fixture stops
it and removes the directory even when a test fails.
"""

from __future__ import annotations

import pytest

from conftest import answers, query_cases, reconciliation_json
from kg import EvidenceGraph
from kg.store.server import OxigraphServer, oxigraph_binary

CASES = query_cases()

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(request):
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` server command is not installed (pip install oxigraph)")
    srv = OxigraphServer()
    request.addfinalizer(srv.stop)
    return srv


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
    assert len(remote.store) == len(embedded.store) > 0


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
    """RemoteStore.load sends named-graph quads to ?graph=<iri>, so the MOVE finds them."""
    from kg.reconcile.verdicts import RUN_GRAPH

    assert remote.store.ask(f"ASK {{ GRAPH <{RUN_GRAPH}> {{ ?s ?p ?o }} }}")
    assert not remote.store.ask(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} "
                                        f"FILTER(STRSTARTS(STR(?g), \"{RUN_GRAPH}-pending\")) }}")
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
    """Others read the server while kg writes: new verdicts go to a scratch graph first."""
    from kg.reconcile.verdicts import RUN_GRAPH

    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{RUN_GRAPH}> {{ ?s ?p ?o }} }}"
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
    assert not remote.store.ask(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} "
                                        f"FILTER(STRSTARTS(STR(?g), \"{RUN_GRAPH}-pending\")) }}")
