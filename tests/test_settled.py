"""A batched run keeps its settled statements on disk (kg.reconcile.settled) and gives them back
in the order, and with the content, of a run held in memory."""

from __future__ import annotations

import os

import pytest

from kg import EvidenceGraph
from kg.reconcile.run import reconcile
from kg.reconcile.settled import SettledGroups
from kg.synth.generator import generate


@pytest.fixture(scope="module")
def synth_graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth-settled")
    generate(1200, out, seed=5)
    return EvidenceGraph(graph=[out])


def summary(groups) -> list[tuple]:
    return [(g.subject, g.property, sorted(g.qualifiers.items(), key=str), g.status, g.kind,
             g.confidence, [c.iri for c in g.claims],
             [(c.display, round(c.score, 6)) for c in g.candidates]) for g in groups]


def test_a_batched_run_keeps_its_statements_on_disk_in_one_pass_order(synth_graph):
    whole = reconcile(synth_graph.store)
    batched = reconcile(synth_graph.store, batch_claims=100)
    assert isinstance(whole.groups, list)
    assert isinstance(batched.groups, SettledGroups)
    assert len(batched.groups) == len(whole.groups) == batched.statements
    assert summary(batched.groups) == summary(whole.groups)
    assert summary(batched.groups) == summary(batched.groups)  # read again, same statements
    assert summary(batched.conflicts) == summary(whole.conflicts) and whole.conflicts


def test_the_files_go_with_the_run(synth_graph):
    batched = reconcile(synth_graph.store, batch_claims=100)
    folder = batched.groups.folder
    assert os.listdir(folder)
    batched.groups.close()
    assert not os.path.exists(folder)


def test_one_subject_and_counts_only_stay_in_memory(synth_graph):
    lean = reconcile(synth_graph.store, batch_claims=100, keep=False)
    assert lean.groups == []
    subject = next(iter(reconcile(synth_graph.store).groups)).subject
    one = reconcile(synth_graph.store, batch_claims=100, subject=subject)
    assert isinstance(one.groups, list) and {g.subject for g in one.groups} == {subject}


def test_an_empty_store_of_statements_is_false():
    settled = SettledGroups(lambda g: g.subject)
    assert not settled and len(settled) == 0 and list(settled) == []


@pytest.mark.parametrize("everything", [False, True])
@pytest.mark.parametrize("markdown", [False, True])
def test_the_report_for_people_is_the_same_from_disk(synth_graph, everything, markdown):
    from kg.report.reconciliation import to_text

    whole = reconcile(synth_graph.store)
    batched = reconcile(synth_graph.store, batch_claims=100)
    text = to_text(batched, everything=everything, markdown=markdown)
    assert text == to_text(whole, everything=everything, markdown=markdown)
    assert "Agreeing statements" in text and "worst first" in text


def test_conflicts_of_a_run_on_disk_are_read_back_not_held(synth_graph):
    """The conflicts of a batched run come as places in the files, each statement read when it
    is reached: the same statements, worst first, as the run held in memory gives."""
    from kg.reconcile.run import compared
    from kg.reconcile.settled import Reread

    whole = reconcile(synth_graph.store)
    batched = reconcile(synth_graph.store, batch_claims=100)
    conflicts = batched.conflicts
    assert isinstance(conflicts, Reread) and len(conflicts) == len(whole.conflicts) > 3
    assert summary(conflicts) == summary(whole.conflicts)
    assert summary([conflicts[0], conflicts[-1]]) == summary([whole.conflicts[0], whole.conflicts[-1]])
    assert summary(conflicts[1:3]) == summary(whole.conflicts[1:3])
    shown = batched.conflicts_where(compared)
    assert summary(shown) == summary(whole.conflicts_where(compared))


def test_chosen_sorts_as_a_stable_sort_of_the_files_then_the_held_ones():
    from types import SimpleNamespace

    settled = SettledGroups(lambda g: g.subject)
    made = [SimpleNamespace(subject=f"s{i % 7}", n=i) for i in range(40)]
    settled.extend(made[:25])
    settled.extend(made[25:35])
    held = made[35:]
    in_order = list(settled) + held
    key = lambda g: g.n % 3  # noqa: E731 - many ties: the order among them must be kept
    expected = sorted((g for g in in_order if g.n % 2), key=key)
    chosen = settled.chosen(lambda g: g.n % 2 == 1, key, also=held)
    assert [g.n for g in chosen] == [g.n for g in expected]
    assert any(g is h for g in chosen for h in held)  # the held ones are given as they are
