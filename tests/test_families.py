"""Reconciling in batches of entity families gives the verdicts of reconciling in one piece.

A large graph is settled batch by batch (`kg.reconcile.families`) so memory stays bounded; these tests cut
small graphs into many batches on purpose and check nothing a user sees changes: the report,
the verdict graph, the sources' reliabilities. They also check that a relative a verdict
depends on always lands in the same batch, and that a write interrupted between batches leaves
the previous run current and no half-written run behind.
"""

from __future__ import annotations

import pytest

from kg import EvidenceGraph
from kg.reconcile import families
from kg.reconcile.context import load_context
from kg.reconcile.run import reconcile
from kg.reconcile.runs import current, run_graphs
from kg.reconcile.verdicts import to_quads
from kg.report.reconciliation import to_json
from kg.synth.generator import generate

KGE = "https://w3id.org/kg-compute/entity/"


@pytest.fixture(scope="module")
def synth_graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth-batches")
    generate(1500, out, seed=11)
    return EvidenceGraph(graph=[out])


def verdicts(eg: EvidenceGraph) -> set[tuple[str, str, str]]:
    """The current run's verdicts, without what names the run itself (its id and times)."""
    run = current(eg.store)
    if run is None:
        return set()
    rows = eg.store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{run.iri}> {{ ?s ?p ?o }} }}")
    return {(r["s"].value, r["p"].value, r["o"].value) for r in rows
            if r["s"].value != run.iri and r["o"].value != run.iri}


def no_half_written_run(eg: EvidenceGraph) -> bool:
    return all(complete for _graph, complete in run_graphs(eg.store))


def test_many_batches_give_the_same_report_as_one(synth_graph):
    whole = reconcile(synth_graph.store)
    seen: list[int] = []
    batched = reconcile(synth_graph.store, batch_claims=100,
                        on_batch=lambda groups, scope, run: seen.append(len(groups)))
    assert len(seen) > 5  # really cut into batches
    assert sum(seen) == len(whole.groups) == batched.statements
    assert to_json(batched, everything=True) == to_json(whole, everything=True)
    assert batched.trust == pytest.approx(whole.trust)
    assert batched.run == whole.run
    assert sorted(map(str, to_quads(batched))) == sorted(map(str, to_quads(whole)))


def test_without_keeping_statements_the_counts_stay_and_the_verdicts_are_written(synth_graph):
    whole = reconcile(synth_graph.store)
    lean = reconcile(synth_graph.store, batch_claims=100, keep=False)
    assert lean.groups == [] and not lean.complete
    assert (lean.statements, lean.compared) == (whole.statements, len(
        [g for g in whole.all_groups() if len(g.claims) > 1 or g.kind]))
    kinds: dict[str, int] = {}
    for g in whole.conflicts:
        kinds[g.kind or "value"] = kinds.get(g.kind or "value", 0) + 1
    assert lean.conflict_kinds == whole.conflict_kinds == kinds and kinds
    synth_graph.reconcile()
    written = verdicts(synth_graph)
    synth_graph.reconcile(keep=False, batch_claims=100)
    assert verdicts(synth_graph) == written
    assert synth_graph.reconciliation.complete  # asking for it runs a full one


def test_relatives_share_a_batch_even_with_a_budget_of_one_claim(shipped):
    ctx = load_context(shipped.store)
    batches, total = families.plan(shipped.store, ctx, budget=1)
    where = {s: i for i, batch in enumerate(batches) for s in batch}
    claims = shipped.store.select("PREFIX kg: <https://w3id.org/kg-compute/ontology#> "
                                  "SELECT (COUNT(?c) AS ?n) WHERE { ?c a kg:Claim }")
    assert total == int(next(iter(claims))["n"].value)
    # the release is settled with its flagship variant, R1 with the base it was post-trained from
    assert where[KGE + "deepseek-v4"] == where[KGE + "deepseek-v4-pro"]
    assert where[KGE + "deepseek-r1"] == where[KGE + "deepseek-v3"]
    compared = shipped.store.select(
        "PREFIX kg: <https://w3id.org/kg-compute/ontology#> "
        "SELECT ?s ?b WHERE { ?c kg:subject ?s ; kg:comparedTo ?b }")
    pairs = [(r["s"].value, r["b"].value) for r in compared]
    assert pairs, "the shipped graph has relative figures (comparedTo)"
    for subject, baseline in pairs:
        if baseline in where:
            assert where[subject] == where[baseline]
    assert len(batches) > 1


def test_the_shipped_graph_gives_the_same_verdicts_in_batches(shipped, reconciled):
    batched = reconcile(shipped.store, batch_claims=20)
    assert to_json(batched, everything=True) == to_json(reconciled, everything=True)


def test_verdicts_written_batch_by_batch_match_one_write(synth_graph):
    synth_graph.reconcile()
    whole = verdicts(synth_graph)
    synth_graph.reconcile(batch_claims=100)
    assert verdicts(synth_graph) == whole
    assert no_half_written_run(synth_graph)


def test_a_write_that_fails_between_batches_leaves_the_old_verdicts(synth_graph, monkeypatch):
    synth_graph.reconcile()
    before = verdicts(synth_graph)
    pointer = current(synth_graph.store).id
    import kg.reconcile.verdicts as report

    calls = {"n": 0}
    real = report.verdict_ntriples

    def failing(groups, run_id):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full (simulated)")
        return real(groups, run_id)

    monkeypatch.setattr(report, "verdict_ntriples", failing)
    with pytest.raises(OSError, match="simulated"):
        synth_graph.reconcile(batch_claims=100)
    assert calls["n"] == 3
    assert current(synth_graph.store).id == pointer  # the pointer stayed on the previous run
    assert verdicts(synth_graph) == before
    assert no_half_written_run(synth_graph)


def test_an_interrupted_write_on_disk_is_not_taken_for_a_reconciliation(tmp_path, monkeypatch):
    eg = EvidenceGraph(store=tmp_path / "store", create=True)
    eg.load()
    import kg.reconcile.verdicts as report

    def failing(run_id, graph):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(report, "run_quads", failing)
    with pytest.raises(OSError):
        eg.reconcile()
    assert current(eg.store) is None and run_graphs(eg.store) == []
    monkeypatch.undo()
    eg.capability_table()  # no run: it reconciles first instead of reading half of one
    assert current(eg.store) is not None and verdicts(eg)


def test_a_failed_first_write_in_memory_leaves_no_verdicts(monkeypatch):
    """A failed first run takes its partial graph out again: the store is as it was, with no
    current run and nothing half-written."""
    from conftest import fixture_path

    eg = EvidenceGraph(graph=[fixture_path("queries", "mini.ttl")])
    import kg.reconcile.verdicts as report

    def failing(run_id, graph):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(report, "run_quads", failing)
    with pytest.raises(OSError, match="simulated"):
        eg.reconcile()
    assert verdicts(eg) == set()
    assert run_graphs(eg.store) == []
    monkeypatch.undo()
    eg.reconcile()
    assert verdicts(eg)
