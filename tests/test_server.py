"""A real Oxigraph SPARQL server behind the same commands: load through the Graph Store Protocol,
then validate, reconcile and the whole query library must answer exactly as the embedded store.

The server runs on 127.0.0.1 with a free port and its own temporary directory; the fixture stops
it and removes the directory even when a test fails.
"""

from __future__ import annotations

import pytest

from conftest import answers, close_json, query_cases, reconciliation_json, same_values
from kg import EvidenceGraph
from kg.store.server import OxigraphServer

CASES = query_cases()

# The named queries whose answers differ on Virtuoso 7.2.5 (Debian's virtuoso-opensource), and
# why; the README's Stores section lists the same. Each is an xfail, strict: a query that starts
# to agree fails the test until it is taken off this list.
VIRTUOSO_DIFFERS: dict[str, str] = {
    "cells-by-source-kind": "Virtuoso 7.2.5 cannot compile EXISTS inside IF (error SQ074)",
    "check-value-fits-property": "Virtuoso 7.2.5 finds no match for rdfs:subClassOf* whose start "
                                 "is bound from outside (NOT EXISTS, OPTIONAL, MINUS): every "
                                 "entity-valued claim is reported as having no entity",
    "claim-reviews": "GROUP_CONCAT over no values: Virtuoso answers \"\" (as SPARQL 1.1 says), "
                     "Oxigraph leaves the variable unbound",
    "source-list": "MIN over a publisher|creator alternative inside grouped OPTIONALs: Virtuoso "
                   "picks another of the two labels (MIN of the same two strings alone agrees)",
}
# Differences that depend on the data: the bug is Virtuoso's, but the shipped graph may not meet
# it (shacl-value-nodes kept half its rows on an earlier graph and agrees on today's); a
# difference is reported, agreement passes.
VIRTUOSO_MAY_DIFFER: dict[str, str] = {
    "shacl-value-nodes": "the same subClassOf* inside FILTER EXISTS: Virtuoso has kept half the rows",
}

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


def test_validate_on_server_matches_embedded(server, remote, embedded):
    def key(report):
        return sorted((f.severity, f.shape, f.focus, f.path, f.message, f.value) for f in report.findings)

    mine, theirs = remote.validate(), embedded.validate()
    found, expected = key(mine), key(theirs)
    if server.kind == "virtuoso":
        # Virtuoso 7.2.5 evaluates rdfs:subClassOf* as matching nothing when the path's start is
        # bound from outside (in NOT EXISTS, OPTIONAL or MINUS), so every claim of an entity-valued
        # property "has no entity" (queries/check-value-fits-property.rq): stated here, and in the
        # README. Every other finding is the same.
        false = [f for f in found if f[1].endswith("/ClaimValueFitsProperty")
                 and str(f[5]).endswith("(kg:EntityValue)") and f not in expected]
        assert false, "Virtuoso no longer shows its subClassOf* bug: update README and this test"
        found = [f for f in found if f not in false]
    else:
        assert mine.conforms == theirs.conforms
    assert found == expected
    assert mine.triples == theirs.triples


def test_reconcile_on_server_matches_embedded(server, reconciled_pair):
    mine, theirs = reconciled_pair
    assert '"groups"' in mine
    if server.kind == "virtuoso":
        # the same verdicts; the figures within a relative 1e-5, because Virtuoso 7.2.5 writes
        # doubles in its SPARQL results with about 6 (virtuoso-opensource issue 1006), and kg
        # computes derived figures from what it reads
        import json

        assert close_json(json.loads(mine), json.loads(theirs))
        return
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
def test_named_query_same_on_server(name, text, bindings, server, remote, embedded,
                                    reconciled_pair):
    theirs = embedded_answers(embedded, name, text, bindings)
    if server.kind == "virtuoso":
        if name.split("[")[0] in VIRTUOSO_DIFFERS:  # the difference is there, then reported
            import contextlib

            from kg.core.errors import StoreError

            with contextlib.suppress(StoreError):  # refused (cells-by-source-kind) or different
                assert not same_values(answers(remote.store, text, bindings), theirs), \
                    f"{name} now agrees on Virtuoso: take it off VIRTUOSO_DIFFERS and the README"
            pytest.xfail(VIRTUOSO_DIFFERS[name.split("[")[0]])
        # the same values, in Virtuoso's forms for booleans and numbers (conftest.value_form)
        same = same_values(answers(remote.store, text, bindings), theirs)
        if not same and name.split("[")[0] in VIRTUOSO_MAY_DIFFER:
            pytest.xfail(VIRTUOSO_MAY_DIFFER[name.split("[")[0]])
        assert same
        return
    assert answers(remote.store, text, bindings) == theirs


_EMBEDDED: dict[str, list[tuple]] = {}


def embedded_answers(embedded, name: str, text: str, bindings: dict) -> list[tuple]:
    """The embedded store's answer, computed once for both servers (it reconciles the same way)."""
    if name not in _EMBEDDED:
        _EMBEDDED[name] = answers(embedded.store, text, bindings)
    return _EMBEDDED[name]


def test_table_on_server_matches_embedded(server, remote, embedded, reconciled_pair):
    mine, theirs = remote.table().to_csv(), embedded.table().to_csv()
    if server.kind == "virtuoso":  # figures within a relative 1e-5: see the reconcile test
        assert close_csv(mine, theirs)
        return
    assert mine == theirs


def close_csv(mine: str, theirs: str) -> bool:
    import csv
    import io

    def cells(text):
        out = []
        for row in csv.reader(io.StringIO(text)):
            out.append([_number(c) for c in row])
        return out

    return close_json(cells(mine), cells(theirs))


def _number(cell: str):
    try:
        return float(cell) if any(ch in cell for ch in ".e") else cell
    except ValueError:
        return cell


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


def test_no_query_matches_a_graph_named_by_a_constant():
    """Virtuoso, given a default graph (VirtuosoServer names one, as kg needs), matches
    `GRAPH <iri> { ... }` only against graphs in the query's dataset, which is then none: kg's
    queries name the load, control and pending graphs through a variable bound to the IRI
    (`BIND (kgr:control AS ?controlGraph) GRAPH ?controlGraph { ... }`), which every server
    matches against all graphs. DELETE and INSERT templates may name graphs: they match nothing."""
    import re

    from kg.core.resources import QUERIES

    offenders = []
    for path in sorted(QUERIES.glob("*.r[qu]")):
        text = re.sub(r"(?m)#.*$", "", path.read_text(encoding="utf-8"))
        if path.suffix == ".ru":
            text = text[text.upper().find("WHERE"):] if "WHERE" in text.upper() else ""
        if re.search(r"\bGRAPH\s+(<|[A-Za-z][\w-]*:)", text):
            offenders.append(path.name)
    assert offenders == []


def test_chunks_read_ahead_come_back_in_order_as_one_at_a_time(remote):
    """RemoteStore.stream_all (two queries in flight) gives stream_bound's rows in the order
    one query at a time gives them, as dicts and as positional tuples."""
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound, with_rows
    from kg.store.queries import named_query

    store = remote.store
    text = named_query("claim-facts").text
    subjects = sorted({r["s"].value for r in store.select(
        "SELECT DISTINCT ?s WHERE { ?c <https://w3id.org/kg-compute/ontology#subject> ?s }")})
    values = [ox.NamedNode(s) for s in subjects[:12]]
    one_at_a_time = [row for start in range(0, len(values), 3)
                     for row in store.stream(with_rows(text, "subject", values[start:start + 3]))]
    assert len(one_at_a_time) > 12
    assert list(stream_bound(store, text, "subject", values, per_query=3)) == one_at_a_time
    names = ("claim", "predicate", "value", "unprojected")
    tuples = list(stream_bound(store, text, "subject", values, per_query=3, positional=names))
    assert tuples == [(r["claim"], r["predicate"], r["value"], None) for r in one_at_a_time]


def test_bulk_writes_use_the_servers_own_switch_only_where_it_has_one(server, remote,
                                                                       reconciled_pair):
    """Oxigraph's no_transaction for `kg load` and a run's verdicts; the standard Graph Store
    request on Virtuoso. Either way the run's graph holds every verdict (the JSON above matched)."""
    from kg.reconcile.runs import current

    expected = {"no_transaction": ""} if server.kind == "oxigraph" else {}
    assert remote.store.bulk_parameters() == expected
    run = current(remote.store)
    n = remote.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                            {"g": run.iri})[0]["n"].value
    assert int(n) > 1000
