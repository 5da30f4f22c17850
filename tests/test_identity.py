"""Identity slips on a fixture graph: a release vs its flagship variant, a post-trained model vs
its base, and a losing value that is a sibling variant's."""

from __future__ import annotations

import pytest

from conftest import fixture_path
from conftest import group_of as _g
from kg.core.vocab import KGE


@pytest.fixture(scope="module")
def rec():
    from kg import EvidenceGraph

    return EvidenceGraph(graph=[fixture_path("reconcile", "identity.ttl")]).reconcile(write=False)


def test_release_figure_is_compared_with_its_flagship(rec):
    g = _g(rec, "fx-nine", "totalParameters")
    assert (g.status, g.kind) == ("conflict", "identity")
    assert g.preferred.borrowed_from == KGE + "fx-nine-pro"
    assert g.preferred.value.center == 1.6e12
    assert "flagship" in g.explanation and "Nine-Pro" in g.explanation


def test_post_trained_model_shares_its_base_parameter_count(rec):
    g = _g(rec, "fx-reasoner", "totalParameters")
    assert (g.status, g.kind) == ("conflict", "identity")
    assert g.preferred.value.center == 671e9 and g.preferred.borrowed_from == KGE + "fx-base"
    assert "post-trained from Base" in g.explanation


def test_loser_matching_a_sibling_variant_belongs_to_it(rec):
    g = _g(rec, "fx-nine-lite", "memoryShare")
    assert (g.status, g.kind) == ("conflict", "identity")
    assert g.preferred.value.center == pytest.approx(0.07)
    loser = g.candidates[1]
    assert loser.factors["penalty"] < 1 and "sibling variant Nine-Pro" in loser.note


def test_the_related_entities_own_figures_do_not_flag(rec):
    for subject, prop in (("fx-nine-pro", "totalParameters"), ("fx-base", "totalParameters"),
                          ("fx-nine-pro", "memoryShare")):
        assert _g(rec, subject, prop).status == "agree"
