"""Name the kind of disagreement and say in one line why the winner won.
"""

from __future__ import annotations

from kg.core import quantity
from kg.core.vocab import KG, KGP
from kg.reconcile import scoring
from kg.reconcile.context import Context
from kg.reconcile.grouping import is_description
from kg.reconcile.model import Candidate, Group
from kg.reconcile.wording import format_candidate, sources_text

TIME_VARYING = {KGP + p for p in ("apiPrice", "inferenceCost", "users", "tokenVolume",
                                  "computeShare", "marketShare", "monthsBehindFrontier",
                                  "computeLag", "computeLead", "shipments", "grossMargin",
                                  "policyStatus", "gpuCount", "fundingRaised")}


def classify(g: Group, ctx: Context) -> None:
    """Name the kind of disagreement and say in one line why the winner won."""
    if g.kind == "arithmetic" and g.status == "conflict":
        return
    if len(g.candidates) > 1 and _not_contradictory(g, ctx):
        # figures in other units (constant dollars, yuan) stay listed; the property's own unit leads
        own = quantity.base_unit_of(ctx.default_unit.get(g.property))
        g.candidates.sort(key=lambda c: (not (c.value is not None and c.value.unit == own),
                                         -c.score))
    if len(g.candidates) < 2 or _not_contradictory(g, ctx):
        if g.kind is None:
            g.status, g.explanation = "agree", _agree_text(g, ctx)
        return
    if g.kind is None and _explain_by_condition(g, ctx):
        return
    _prefer_latest(g)
    win, losers = g.candidates[0], g.candidates[1:]
    g.status = "conflict"
    if g.kind == "identity" or any(c.borrowed_from for c in g.candidates):
        g.kind = "identity"
    elif _temporal(win, losers, g, ctx):
        g.kind = "temporal"
        if _forward_looking(losers):
            g.status, g.resolution = "agree", "explained"
            unit = ctx.default_unit.get(g.property)
            g.explanation = (f"explained by time, not a contradiction: {format_candidate(win, unit)} "
                             f"({sources_text(win, ctx)}) is the figure stated; " + "; ".join(
                                 f"{format_candidate(c, unit)} ({sources_text(c, ctx)}) is a projection for "
                                 "a later period, made no earlier" for c in losers))
            return
    elif g.kind is None:
        g.kind = "value"
    unit = ctx.default_unit.get(g.property)
    reasons = []
    for loser in losers:
        why = loser.note or _why_lost(win, loser, ctx)
        reasons.append(f"{format_candidate(loser, unit)} ({sources_text(loser, ctx)}) lost: {why}")
    g.explanation = (f"{format_candidate(win, unit)} preferred ({sources_text(win, ctx)}"
                     f"{'; ' + win.note if win.note else ''}); " + "; ".join(reasons))


def _not_contradictory(g: Group, ctx: Context) -> bool:
    """Several values that do not contradict: a set-valued property, or different currencies."""
    if g.property in ctx.multi_valued and not any(c.borrowed_from for c in g.candidates):
        return True
    units = [c.value.unit for c in g.candidates if c.value is not None]
    return len(units) == len(g.candidates) and len(set(units)) == len(units)


def _explain_by_condition(g: Group, ctx: Context) -> bool:
    """One source, one origin, different figures each with its own condition: the author
    distinguishes them ('labs adopt changes of 20% or better; abandon those of 10% or less'), so
    they only look comparable. Reported as explained, like a scope difference."""
    claims = [c for cand in g.candidates for c in cand.claims]
    if len({c.document for c in claims}) != 1 or len({scoring.origin_of(c) for c in claims}) != 1:
        return False
    if any(c.hedge == KG + "Projected" for c in claims) or len({c.as_of for c in claims}) > 1:
        return False  # a projection or a change over time is a temporal difference instead
    conditions = [{c.condition for c in cand.claims} for cand in g.candidates]
    if not all(len(cs) == 1 for cs in conditions):
        return False
    flat = [next(iter(cs)) for cs in conditions]
    if len(set(flat)) != len(flat) or sum(1 for x in flat if not x) > 1:
        return False
    unit = ctx.default_unit.get(g.property)
    g.status, g.kind, g.resolution = "agree", "scope", "explained"
    g.explanation = (f"explained by condition, not a contradiction ({sources_text(g.candidates[0], ctx)}"
                     " distinguishes them): " + "; ".join(
                         f"{format_candidate(c, unit)} ({c.claims[0].condition or 'no condition stated'})"
                         for c in g.candidates))
    return True


def _prefer_latest(g: Group) -> None:
    """A value that changed over time (each candidate holding as of a different date): the latest
    is the current one, unless its sources are much weaker (under half the top score)."""
    as_of = [{c.as_of for c in cand.claims} for cand in g.candidates]
    if not all(len(a) == 1 and None not in a for a in as_of) or len(
            {next(iter(a)) for a in as_of}) != len(as_of):
        return
    latest = max(range(len(as_of)), key=lambda i: next(iter(as_of[i])) or "")  # none is None
    top = g.candidates[0]
    if latest and g.candidates[latest].score >= 0.5 * top.score:
        newest = g.candidates.pop(latest)
        g.candidates.insert(0, newest)
        newest.note = newest.note or f"the latest figure (as of {next(iter(as_of[latest]))})"
        total = sum(c.score for c in g.candidates) or 1.0
        g.confidence = round(newest.score * newest.score / total, 4)


def _forward_looking(losers: list[Candidate]) -> bool:
    """Projections made no earlier than the figure they differ from are about a later period
    (past growth vs growth expected over the next years): a difference in time, not a slip."""
    return all(c.note == "a projection about a later period" for c in losers)


def _temporal(win: Candidate, losers: list[Candidate], g: Group, ctx: Context) -> bool:
    release = ctx.releases.get(g.subject)
    for loser in losers:
        if all(c.hedge == KG + "Projected" for c in loser.claims):
            made = max((c.document_date or "" for c in loser.claims), default="")
            stated = min((c.document_date or "" for c in win.claims), default="")
            if made and stated and not scoring.before(made, stated) and not any(
                    c.hedge == KG + "Projected" for c in win.claims):
                loser.note = loser.note or "a projection about a later period"
            else:
                loser.note = loser.note or "a projection, said before the fact"
            return True
        if all(scoring.before(c.document_date, release) for c in loser.claims):
            loser.note = loser.note or (f"stated before the release ({release}), superseded by "
                                        "later statements")
            return True
        as_of_w = {c.as_of for c in win.claims if c.as_of}
        as_of_l = {c.as_of for c in loser.claims if c.as_of}
        if as_of_w and as_of_l and not (as_of_w & as_of_l):
            loser.note = loser.note or f"holds as of {', '.join(sorted(as_of_l))}, not now"
            return True
        if g.property in TIME_VARYING:
            dw = max((c.document_date or "" for c in win.claims), default="")
            dl = max((c.document_date or "" for c in loser.claims), default="")
            if scoring.before(dl, dw):
                loser.note = loser.note or f"older figure ({dl}) for a value that changes over time"
                return True
            if scoring.before(dw, dl):
                loser.note = loser.note or (f"a later figure ({dl}) from a weaker source: the value "
                                            "may have changed since, worth checking")
                return True
    return False


def _factor(c: Candidate, name: str, default: float) -> float:
    """A numeric factor of the candidate's score (factors also hold notes, as text)."""
    value = c.factors.get(name, default)
    return value if isinstance(value, int | float) else default


def _why_lost(win: Candidate, loser: Candidate, ctx: Context) -> str:
    parts = []
    fw, fl = win.factors, loser.factors
    if _factor(loser, "independent_origins", 0) < _factor(win, "independent_origins", 0):
        parts.append(f"{fl.get('independent_origins')} independent origin(s) vs "
                     f"{fw.get('independent_origins')}")
    if _factor(loser, "quality", 0) < _factor(win, "quality", 0):
        parts.append(f"weaker source (quality {fl.get('quality'):.2f} vs {fw.get('quality'):.2f})")
    if _factor(loser, "hedge", 1) < _factor(win, "hedge", 1):
        parts.append("more hedged")
    if _factor(loser, "timing", 1) < 1:
        parts.append("stated before release")
    if _factor(loser, "reliability", 1) < _factor(win, "reliability", 1) - 0.005:
        parts.append(f"less reliable elsewhere in the graph ({fl.get('reliability'):.2f} vs "
                     f"{fw.get('reliability'):.2f})")
    if abs(loser.score - win.score) < 1e-4:
        return (f"a tie ({loser.score:.2f} each): nothing in the sources tells them apart, so the "
                "choice is arbitrary until another source settles it")
    return ", ".join(parts) or f"lower score ({loser.score:.2f} vs {win.score:.2f})"


def _agree_text(g: Group, ctx: Context) -> str:
    words = sorted({c.text or "" for c in g.claims if is_description(c)})  # descriptions have text
    if not g.candidates:
        return ("described in words only: " + "; ".join(f"'{w}'" for w in words)) if words \
            else "no readable value"
    unit = ctx.default_unit.get(g.property)
    if len(g.candidates) > 1:
        values = "; ".join(f"{format_candidate(c, unit)} ({sources_text(c, ctx)})" for c in g.candidates)
        why = ("a property that takes several values" if g.property in ctx.multi_valued
               else "stated in different units, not compared")
        return f"{len(g.candidates)} values, {why}: {values}"
    c = g.candidates[0]
    n = len(c.claims)
    unit = ctx.default_unit.get(g.property)
    if n == 1:
        return f"single claim: {format_candidate(c, unit)} ({sources_text(c, ctx)})"
    return (f"{n} claims agree on {format_candidate(c, unit)} within stated precision "
            f"({c.factors.get('independent_origins')} independent origin(s))")
