"""Arithmetic rules (declared in ontology/rules.ttl) on a fixture graph: contradictions flag,
consistent figures do not; and the rule evaluator itself."""

from __future__ import annotations

import pytest

from conftest import fixture_path
from conftest import group_of as _g


@pytest.fixture(scope="module")
def rec():
    from kg import EvidenceGraph

    return EvidenceGraph(graph=[fixture_path("reconcile", "arithmetic.ttl")]).reconcile(write=False)


@pytest.mark.parametrize(("subject", "prop", "expect"), [
    ("fx-iota", "trainingCost", "$5.576M"),
    ("fx-kappa", "activeShare", "5.514%"),
    ("fx-slow", "bandwidthReduction", "55.56%"),
])
def test_contradicted_figures_flag(rec, subject, prop, expect):
    g = _g(rec, subject, prop)
    assert (g.status, g.kind) == ("conflict", "arithmetic")
    assert expect in g.explanation and g.preferred.penalty < 1


@pytest.mark.parametrize(("subject", "prop"), [
    ("fx-lambda", "trainingCost"), ("fx-mu", "activeShare"), ("fx-half", "bandwidthReduction")])
def test_consistent_figures_do_not_flag(rec, subject, prop):
    g = _g(rec, subject, prop)
    assert g.status == "agree" and g.kind is None
    assert "consistent with" in g.preferred.factors["arithmetic"]


def test_rules_are_data_and_evaluate_on_bands(shipped):
    from kg.reconcile.rules import band, load_rules

    rules = {r.iri.rsplit("/", 1)[-1]: r for r in load_rules(shipped.store)}
    assert {"final-run-cost", "active-share", "bandwidth-reduction"} <= set(rules)
    low, high = band("hours * rate", {"hours": (2.7875e6, 2.7885e6), "rate": (2.0, 2.0)})
    assert low <= 5.576e6 <= high
    low, high = band("1 - bw / baseline", {"bw": (400, 400), "baseline": (900, 900)})
    assert not (low <= 0.44 <= high)
