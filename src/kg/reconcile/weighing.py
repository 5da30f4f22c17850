"""How much each candidate counts: its claims' weights folded into support from independent origins.
"""

from __future__ import annotations

from kg.core.vocab import KG
from kg.reconcile import scoring
from kg.reconcile.context import Context
from kg.reconcile.model import Group


def score_group(group: Group, ctx: Context, priors: scoring.Priors,
                trust: dict[str, float]) -> None:
    release = ctx.releases.get(group.subject)
    for cand in group.candidates:
        by_origin: dict[str, float] = {}
        best: dict[str, float] = {}
        for c in cand.claims:
            if c.iri in group.superseded:  # revised in a later snapshot, or replaced in the text
                continue
            origin = scoring.origin_of(c)
            q = scoring.quality(c, priors)
            r = trust.get(origin, q)
            hedge = priors.of_hedge(c.hedge)
            pre = c.hedge == KG + "Projected" or scoring.before(c.document_date, release)
            timing = priors.weight("PreRelease") if pre else 1.0
            base = ((q + r) / 2) * hedge * timing
            # a likely slip costs a claim in proportion to how often its source errs: a reliable
            # source seldom makes one, and a match with a relative can be a coincidence
            penalty = cand.penalty * (1 - cand.doubt * (1 - base))
            w = base * penalty
            if w > by_origin.get(origin, -1):
                by_origin[origin] = w
            if w >= best.get("weight", -1):
                best = {"weight": round(w, 4), "quality": round(q, 4), "reliability": round(r, 4),
                        "hedge": round(hedge, 4), "timing": timing, "penalty": round(penalty, 4)}
        s, independent = scoring.support(by_origin, ctx.citations)
        cand.score = s
        cand.factors = {**{k: v for k, v in best.items() if k not in ("weight", "penalty")},
                        "penalty": best.get("penalty", round(cand.penalty, 4)),
                        "independent_origins": independent,
                        "claims": len(cand.claims), "best_claim_weight": best.get("weight", 0)}
        converted = [c for c in cand.claims if c.converted_from is not None]
        if converted:  # constant dollars: what the stated value was multiplied by
            cand.factors["deflator"] = converted[0].factor
            cand.factors["dollars_of"] = converted[0].spend_year
        if by_origin == {} and cand.claims and all(c.iri in group.superseded for c in cand.claims):
            cand.factors["superseded"] = True
    group.candidates.sort(key=lambda c: (-c.score, c.display))
    total = sum(c.score for c in group.candidates) or 1.0
    top = group.candidates[0].score if group.candidates else 0.0
    group.confidence = round(top * (top / total), 4)
