"""The reconciler per conflict kind on small fixture graphs with known answers (value, rounding,
scope, temporal, independence, set-valued), then the results the issue requires on the shipped
graph. Identity and arithmetic have their own files; the CLI and JSON contract too."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from kg.core.vocab import KG, KGE, KGP

DATA = Path(__file__).resolve().parent / "data" / "reconcile"


@functools.cache
def fixture(name: str):
    """The reconciliation of one fixture graph, computed once (tests must not mutate it)."""
    from kg import EvidenceGraph

    return EvidenceGraph(graph=[DATA / f"{name}.ttl"]).reconcile(write=False)


def find(rec, subject: str, prop: str, *, finding: bool = False, **qualifiers):
    """The one group with exactly these qualifiers (names without their namespace)."""
    want = {k: (sorted(KG + s for s in v) if k == "scope" else KGE + v)
            for k, v in qualifiers.items()}
    pool = rec.scope_findings if finding else rec.groups
    hits = [g for g in pool if g.subject == KGE + subject and g.property == KGP + prop
            and g.qualifiers == want]
    assert len(hits) == 1, f"{len(hits)} groups for {subject} {prop} {qualifiers}"
    return hits[0]


def centers(group) -> list[float | None]:
    return [c.value.center if c.value is not None else None for c in group.candidates]


# ---------------------------------------------------------------- value


def test_value_conflict_prefers_report_over_newsletter_over_synthesis():
    g = find(fixture("value"), "fx-alpha", "totalParameters")
    assert (g.status, g.kind) == ("conflict", "value")
    assert centers(g) == [1.6e12, 2.2e12, 1e12]
    kinds = [c.claims[0].document.rsplit("/", 1)[-1] for c in g.candidates]
    assert kinds == ["fx-report", "fx-news", "fx-synth"]
    assert g.candidates[0].score > g.candidates[1].score > g.candidates[2].score
    assert 0.0 <= g.confidence <= 1.0 and g.confidence > 0.3
    assert "preferred" in g.explanation and "weaker source" in g.explanation


def test_newsletter_beats_ai_synthesis():
    g = find(fixture("value"), "fx-beta", "activeParameters")
    assert g.status == "conflict" and g.preferred.value.center == 49e9


def test_close_but_exact_counts_disagree():
    g = find(fixture("value"), "fx-gamma", "totalParameters")
    assert g.status == "conflict" and centers(g) == [671e9, 685e9]


def test_loser_is_deprecated_with_reason_and_nothing_is_deleted():
    from kg.core.vocab import WIKIBASE
    from kg.reconcile.verdicts import to_quads

    rec = fixture("value")
    quads = to_quads(rec)
    ranks = {str(q.subject.value).rsplit("/", 1)[-1]: q.object.value.rsplit("#", 1)[-1]
             for q in quads if q.predicate.value == WIKIBASE + "rank"}
    assert ranks["fx-alpha-params-report"] == "PreferredRank"
    assert ranks["fx-alpha-params-news"] == ranks["fx-alpha-params-synth"] == "DeprecatedRank"
    reasons = [q.object.value for q in quads if q.predicate.value == KG + "rankReason"
               and q.subject.value.endswith("fx-alpha-params-synth")]
    assert reasons and "outranked by 1.6T" in reasons[0]
    members = {q.object.value for q in quads if q.predicate.value == KG + "memberClaim"}
    assert len([m for m in members if "fx-alpha" in m]) == 3


# ---------------------------------------------------------------- rounding


def test_rounded_gpu_hours_agree_as_one_candidate():
    rec = fixture("rounding")
    g = find(rec, "fx-delta", "trainingGpuHours", chip="fx-chip", scope=["FinalRunCompute"])
    assert (g.status, g.kind) == ("agree", None)
    assert len(g.candidates) == 1 and len(g.claims) == 4  # 2.788M, ~2.78M, 2.79M, 2.8M
    assert g.preferred.value.center == pytest.approx(2.788e6)  # the most precise leads
    assert [x for x in rec.groups if x.subject == g.subject and x.property == KGP + "trainingGpuHours"] == [g]


def test_an_unscoped_figure_joins_the_scope_its_property_says_it_means():
    rec = fixture("rounding")
    run = find(rec, "fx-epsilon", "trainingGpuHours", chip="fx-chip", scope=["FinalRunCompute"])
    pre = find(rec, "fx-epsilon", "trainingGpuHours", chip="fx-chip", scope=["PreTraining"])
    assert {c.stated for c in run.claims} == {"2.788M", "2.79M"} and run.status == "agree"
    assert [c.stated for c in pre.claims] == ["2.664M"]


def test_upper_bound_agrees_with_point_inside_it():
    g = find(fixture("rounding"), "fx-delta", "trainingCost", scope=["FinalRunCompute"])
    assert g.status == "agree" and len(g.candidates) == 1 and len(g.claims) == 2
    assert g.preferred.value.center == pytest.approx(5.6e6)


# ---------------------------------------------------------------- scope


def test_annotated_scopes_are_explained_not_contradictions():
    rec = fixture("scope")
    f = find(rec, "fx-epsilon", "trainingCost", finding=True)
    assert (f.status, f.kind, f.resolution) == ("agree", "scope", "explained")
    assert f.preferred.value.center == pytest.approx(5.6e6)  # the final run leads
    assert len(f.candidates) == 3
    assert not [g for g in rec.conflicts if g.subject == KGE + "fx-epsilon"]


def test_missing_scope_beside_disagreeing_scoped_cost_is_ambiguous():
    f = find(fixture("scope"), "fx-zeta", "trainingCost", finding=True)
    assert (f.status, f.kind, f.resolution) == ("conflict", "scope", "ambiguous")
    assert "scope not stated" in f.explanation


def test_one_source_distinguishing_two_figures_by_condition_is_explained():
    g = find(fixture("scope"), "fx-labs", "efficiencyGain")
    assert (g.status, g.kind, g.resolution) == ("agree", "scope", "explained")
    assert "experiments a lab abandons" in g.explanation


def test_two_quoted_agents_disagree_and_the_agency_outranks_the_lab():
    g = find(fixture("scope"), "fx-labs", "monthsBehindFrontier", compared_to="fx-rival")
    assert (g.status, g.kind) == ("conflict", "value")
    assert g.preferred.claims[0].attributed_to == KGE + "fx-agency"
    assert g.preferred.factors["quality"] > g.candidates[1].factors["quality"]


# ---------------------------------------------------------------- temporal


def test_projection_before_release_loses_to_later_statement():
    g = find(fixture("temporal"), "fx-eta", "totalParameters")
    assert (g.status, g.kind) == ("conflict", "temporal")
    assert centers(g) == [600e9, 450e9]
    assert g.candidates[1].factors["timing"] < 1 and g.candidates[1].factors["hedge"] < 1
    assert "projection" in g.explanation


def test_changed_price_prefers_the_latest_as_of():
    # issue 13: differing asOf is a change over time, explained (it was a temporal conflict),
    # even though $0.50 is exactly a quarter of $2 (time is stated; a discount would be a guess)
    g = find(fixture("temporal"), "fx-theta", "apiPrice", scope=["InputPrice"])
    assert (g.status, g.kind, g.resolution) == ("agree", "temporal", "explained")
    assert g.preferred.claims[0].as_of == "2025-06"
    assert g.candidates[1].superseded_by == sorted(c.iri for c in g.preferred.claims)
    assert "as of 2025-01" in g.explanation
    assert 0.0 <= g.confidence <= 1.0


def test_projection_for_a_later_period_is_not_a_contradiction():
    g = find(fixture("temporal"), "fx-world", "computeRatio")
    assert (g.status, g.kind, g.resolution) == ("agree", "temporal", "explained")
    assert g.preferred.claims[0].hedge != KG + "Projected"


# ---------------------------------------------------------------- independence


def test_relays_of_one_origin_count_once():
    g = find(fixture("independence"), "fx-omega", "totalParameters")
    win = g.preferred
    assert win.value.center == 104e9 and win.factors["claims"] == 3
    # two newsletters citing the report and one citing a paper that cites it: one origin
    assert win.factors["independent_origins"] == 1
    assert win.score == pytest.approx(win.factors["best_claim_weight"], abs=1e-3)


def test_three_independent_analysts_outvote_one_model_card():
    g = find(fixture("independence"), "fx-psi", "totalParameters")
    assert g.preferred.value.center == 83e9
    assert g.preferred.factors["independent_origins"] == 3
    assert g.candidates[1].factors["quality"] > g.preferred.factors["quality"]


def test_two_independent_newsletters_do_not_outvote_one_model_card():
    g = find(fixture("independence"), "fx-chi", "totalParameters")
    assert g.preferred.value.center == 91e9
    assert g.candidates[1].factors["independent_origins"] == 2
    assert g.preferred.factors["independent_origins"] == 1


# ---------------------------------------------------------------- values that do not conflict


def test_set_valued_property_does_not_conflict():
    g = find(fixture("multivalued"), "fx-omicron", "trainedOn")
    assert (g.status, g.kind) == ("agree", None) and len(g.candidates) == 2


def test_two_currencies_do_not_conflict():
    g = find(fixture("multivalued"), "fx-fund", "assetsUnderManagement")
    assert g.status == "agree" and len({c.value.unit for c in g.candidates}) == 2


def test_descriptions_in_words_are_not_compared():
    g = find(fixture("multivalued"), "fx-omicron", "relativePerformance", compared_to="fx-pi")
    assert g.status == "agree" and g.candidates == [] and "words" in g.explanation


def test_single_valued_entity_property_conflicts():
    g = find(fixture("multivalued"), "fx-omicron", "licence")
    assert (g.status, g.kind) == ("conflict", "value")
    assert g.preferred.claims[0].entity == KGE + "fx-mit"


# ---------------------------------------------------------------- the shipped graph


def _shipped(reconciled, subject, prop, **quals):
    return find(reconciled, subject, prop, **quals)


def test_v4_parameters_prefer_flagship_with_reasons(reconciled):
    # issue 13: the 1T / 32B report predates the April launch: a temporal difference about the
    # same release, the earlier figure superseded (it was called an identity slip)
    for prop, win, lose in (("totalParameters", 1.6e12, 1e12), ("activeParameters", 49e9, 32e9)):
        g = _shipped(reconciled, "deepseek-v4", prop)
        assert g.status == "conflict" and g.kind == "temporal"
        old = g.candidates[1]
        assert old.superseded_by and "before the release" in old.note
        assert g.preferred.value.center == pytest.approx(win)
        assert lose in [round(c) for c in centers(g)[1:]]
        assert "DeepSeek-V4-Pro" in g.explanation and "flagship" in g.explanation


def test_v3_cost_is_a_scope_difference_and_final_run_is_5_6m(reconciled):
    f = find(reconciled, "deepseek-v3", "trainingCost", finding=True)
    assert (f.kind, f.status, f.resolution) == ("scope", "agree", "explained")
    assert "hardware spend" in f.explanation and "≥ $500M" in f.explanation
    final = _shipped(reconciled, "deepseek-v3", "trainingCost", scope=["FinalRunCompute"])
    assert 5.6e6 in [round(c, -5) for c in centers(final)]
    # Epoch's $5.39M in 2023 dollars, converted to 2024 dollars, agrees with the $5.576M run
    deflated = [c for c in final.preferred.claims if c.converted_from is not None]
    assert [c.iri.rsplit("/", 1)[-1] for c in deflated] == [
        "epoch-notable-20251103-deepseek-v3-cost-2023-usd"]
    assert deflated[0].converted_from.amount == pytest.approx(5.39e6)
    assert deflated[0].value.unit.endswith("CCY_USD") and deflated[0].spend_year == 2024
    assert final.status == "agree"
    assert final.preferred.value.center == pytest.approx(5.6e6, rel=0.01)
    assert not [g for g in reconciled.conflicts if g.subject == KGE + "deepseek-v3"
                and g.property == KGP + "trainingCost"]


def test_v3_gpu_hours_agree(reconciled):
    g = _shipped(reconciled, "deepseek-v3", "trainingGpuHours", chip="h800",
                 scope=["FinalRunCompute"])
    assert g.status == "agree" and len(g.candidates) == 1
    stated = {c.stated for c in g.claims}
    assert {"2.788 million", "~2.78M", "2.8M"} <= stated


@pytest.mark.parametrize(("subject", "prop", "quals", "kind", "preferred"), [
    ("deepseek-r1", "totalParameters", {}, "identity", 671e9),
    ("h800", "bandwidthReduction", {"compared_to": "h100"}, "arithmetic", None),
    ("deepseek-r1", "releaseInterval", {"compared_to": "deepseek-v3"}, "arithmetic", None),
    ("mla", "memoryReduction", {}, "arithmetic", None),
    ("deepseek-v4", "licence", {}, "temporal", None),      # Apache-2.0 was a pre-release report
    ("deepseek-v4", "releaseDate", {}, "temporal", None),  # "early March": before the launch
    ("deepseek-v3", "releaseDate", {}, "identity", None),
    ("deepseek-v3-2", "competitionResult", {"benchmark": "ioi-2025"}, "identity", None),
    ("deepseek-v4-flash", "inferenceFlopsShare",
     {"compared_to": "deepseek-v3-2", "scope": ["Inference"]}, "identity", 0.10),
    ("deepseek-v4-flash", "memoryShare",
     {"compared_to": "deepseek-v3-2", "scope": ["Inference"]}, "identity", 0.07),
    ("chinese-labs", "monthsBehindFrontier", {"compared_to": "united-states"}, "value", None),
    ("deepseek-v4-pro", "apiPrice", {"scope": ["InputPrice"]}, "scope", None),
    ("deepseek-v4-pro", "apiPrice", {"scope": ["OutputPrice"]}, "scope", None),
])
def test_corpus_conflicts_are_found(reconciled, subject, prop, quals, kind, preferred):
    g = _shipped(reconciled, subject, prop, **quals)
    assert g.status == "conflict", g.explanation
    if kind:
        assert g.kind == kind
    if preferred is not None:
        assert g.preferred.value.center == pytest.approx(preferred, rel=0.02)
    assert g.explanation and 0.0 <= g.confidence <= 1.0


def test_corpus_conflict_details(reconciled):
    lic = _shipped(reconciled, "deepseek-v4", "licence")
    assert lic.preferred.claims[0].entity == KGE + "mit-license"
    date = _shipped(reconciled, "deepseek-v4", "releaseDate")
    assert date.preferred.claims[0].date == "2026-04-24"
    r1 = _shipped(reconciled, "deepseek-r1", "totalParameters")
    assert "70B" in r1.explanation and "Distill" in r1.explanation
    bw = _shipped(reconciled, "h800", "bandwidthReduction", compared_to="h100")
    assert "55.56%" in bw.explanation and "44%" in bw.explanation
    lag = _shipped(reconciled, "deepseek-r1", "releaseInterval", compared_to="deepseek-v3")
    assert "35 days" in lag.explanation and "release date 2025-01-20" in lag.explanation
    ioi = _shipped(reconciled, "deepseek-v3-2", "competitionResult", benchmark="ioi-2025")
    assert "Speciale" in ioi.explanation


def test_no_crying_wolf_on_thresholds_or_projections(reconciled):
    gain = _shipped(reconciled, "chinese-labs", "efficiencyGain")
    assert gain.status == "agree" and gain.resolution == "explained"
    for g in reconciled.conflicts:
        assert g.explanation, g.key
        assert not (g.kind == "temporal" and g.subject == KGE + "world"), g.explanation


def test_a_date_agrees_with_a_date_it_contains_for_candidates_as_for_claims():
    """"December 2025" and 2025-12-01 are one value at two precisions: the identity check
    compares candidates (a loser with a relative's preferred value) as claims are grouped, so a
    relative's date stated to the day still explains a month (DeepSeek-V3's "December 2025",
    V3.2's release by DeepSeek's change log)."""
    from kg.reconcile.model import Candidate
    from kg.reconcile.statement import Claim

    def on(date: str) -> Candidate:
        claim = Claim(iri=KGE + "c-" + date, subject=KGE + "x", property=KGP + "releaseDate",
                      dimension=None, stated=date, date=date)
        return Candidate(None, date, [claim])

    month, day, other = on("2025-12"), on("2025-12-01"), on("2025-11-30")
    assert month.value_agrees(day) and day.value_agrees(month)
    assert month.agrees(day.claims[0]) and day.agrees(month.claims[0])
    assert not month.value_agrees(other) and not day.value_agrees(other)
    assert on("2025").value_agrees(other)  # a year contains its days


def test_the_lab_dated_successor_still_explains_a_month_slip(reconciled):
    g = _shipped(reconciled, "deepseek-v3", "releaseDate")
    assert g.kind == "identity" and g.preferred.claims[0].date == "2024-12-26"
    slip = next(c for c in g.candidates if c.comparable == ("date", "2025-12"))
    assert "DeepSeek-V3.2" in (slip.note or "")
