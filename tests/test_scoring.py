"""Scoring factors: priors come from data, relays of one origin count once, hedges discount."""

from __future__ import annotations

import pytest

from kg.core.vocab import KG
from kg.reconcile import scoring
from kg.reconcile.statement import Claim


def _claim(kind, origin=None, origin_kind=None, attributed_kind=None):
    return Claim("c", "s", "p", None, "1", document="d", document_kind=KG + kind,
                 origin=origin, origin_kind=origin_kind and KG + origin_kind,
                 attributed_to="a" if attributed_kind else None,
                 attributed_kind=attributed_kind and KG + attributed_kind)


def test_priors_are_read_from_the_ontology(shipped):
    priors = scoring.load_priors(shipped.store)
    order = [priors.of_kind(KG + k) for k in ("PrimaryReport", "Newsletter", "AISynthesis")]
    assert order == sorted(order, reverse=True)
    assert priors.of_hedge(KG + "Projected") < priors.of_hedge(KG + "Stated")


def test_quality_blends_document_with_cited_origin_and_credited_agent(shipped):
    priors = scoring.load_priors(shipped.store)
    plain = scoring.quality(_claim("Newsletter"), priors)
    relay = scoring.quality(_claim("Newsletter", "w", "PrimaryReport"), priors)
    agency = scoring.quality(_claim("Newsletter", attributed_kind="Agency"), priors)
    assert plain < agency < relay


def test_support_counts_cited_works_once():
    cites = scoring.Citations()
    cites.add("paper2", "report")
    one, n1 = scoring.support({"report": 0.6, "paper2": 0.5}, cites)
    two, n2 = scoring.support({"report": 0.6, "other": 0.5}, cites)
    assert (n1, n2) == (1, 2)
    assert one == pytest.approx(0.6) and two == pytest.approx(1 - 0.4 * 0.5)


def test_before_compares_at_the_coarser_precision():
    assert scoring.before("2026-03", "2026-04-24")
    assert not scoring.before("2026-04", "2026-04-24")
    assert not scoring.before(None, "2026-04-24")
