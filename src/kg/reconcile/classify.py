"""Name the kind of disagreement and say in one line why the winner won.

Each losing value gets one finding, the first that fits, in the order a careful analyst checks:
  1. revision: a later snapshot of the same database, or the same text, replaced it (temporal,
     explained);
  2. basis stated: the two figures say they measure different things (scope, explained, with
     the factor where one is known; `kg.reconcile.basis`);
  3. identity: it belongs to a related entity, or the preferred value was borrowed from one
     (unless it is a pre-release report about the release itself: then it is temporal);
  4. time the sources state: a projection or pre-release figure (temporal), a value that held
     as of an earlier date (temporal, explained);
  5. basis likely: no basis stated, but the ratio is an exact known factor (scope, ambiguous);
  6. an older figure of a value that changes over time (temporal);
  7. otherwise a contradiction (value).
The statement takes the most serious of its losers' findings; it is a conflict when any is.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.core import units
from kg.core.vocab import KG
from kg.reconcile import basis as basis_mod
from kg.reconcile import scoring
from kg.reconcile.context import FLAGSHIP_VARIANT, Context
from kg.reconcile.grouping import is_description
from kg.reconcile.model import Candidate, Group, Kind, Resolution, Status
from kg.reconcile.wording import format_candidate, sources_text

TIE = 1e-4           # scores closer than this are a tie
AMBIGUOUS_CAP = 0.5  # an ambiguous statement's preferred value is no better than a coin flip
NEAR_TIE = 0.95      # the newer of two figures this close leads, for a value that changes


@dataclass(frozen=True)
class Finding:
    """What one losing value is, against the preferred one."""

    kind: Kind
    resolution: Resolution | None  # explained (not a contradiction), ambiguous, or neither
    why: str

    @property
    def conflict(self) -> bool:
        return self.resolution != Resolution.EXPLAINED

    @property
    def severity(self) -> int:
        """Which finding names the statement: identity > value > ambiguous > temporal > explained."""
        if self.kind == Kind.IDENTITY:
            return 5
        if self.kind == Kind.VALUE:
            return 4
        if self.resolution == Resolution.AMBIGUOUS:
            return 3
        if self.conflict:
            return 2
        return 1 if self.kind == Kind.SCOPE else 0


def classify(g: Group, ctx: Context) -> None:
    """Name the kind of disagreement and say in one line why the winner won."""
    if g.kind == Kind.ARITHMETIC and g.status == Status.CONFLICT:
        return
    if len(g.candidates) > 1 and _not_contradictory(g, ctx):
        # figures in other units (yuan) stay listed; the property's own unit leads
        own = units.base_unit_of(ctx.default_unit.get(g.property))
        g.candidates.sort(key=lambda c: (not (c.value is not None and c.value.unit == own),
                                         -c.score))
    if len(g.candidates) < 2 or _not_contradictory(g, ctx):
        if g.kind is None:
            g.status, g.explanation = Status.AGREE, _agree_text(g, ctx)
        return
    if g.kind is None and _explain_by_condition(g, ctx):
        return
    _prefer_latest(g, ctx)
    _prefer_basis(g, ctx)
    win, losers = g.candidates[0], g.candidates[1:]
    findings = [_finding(win, loser, g, ctx) for loser in losers]
    worst = max(findings, key=lambda f: f.severity)
    g.kind = worst.kind
    g.status = Status.CONFLICT if any(f.conflict for f in findings) else Status.AGREE
    g.resolution = (Resolution.EXPLAINED if g.status == Status.AGREE else
                    Resolution.AMBIGUOUS if worst.resolution == Resolution.AMBIGUOUS else None)
    unit = ctx.default_unit.get(g.property)
    if g.status == Status.AGREE:
        g.confidence = round(win.score, 4)  # the others do not compete with it
        what = sorted({_EXPLAINED_BY[f.kind] for f in findings})
        g.explanation = (f"explained by {' and '.join(what)}, not a contradiction: "
                         f"{format_candidate(win, unit)} ({sources_text(win, ctx)}"
                         f"{'; ' + win.note if win.note else ''}); " + "; ".join(
                             f"{format_candidate(c, unit)} ({sources_text(c, ctx)}): {f.why}"
                             for c, f in zip(losers, findings, strict=True)))
        return
    if g.resolution == Resolution.AMBIGUOUS and worst.kind == Kind.SCOPE:
        g.explanation = ("the figures cannot be placed until a source states their basis: "
                         f"{format_candidate(win, unit)} ({sources_text(win, ctx)}); " + "; ".join(
                             f"{format_candidate(c, unit)} ({sources_text(c, ctx)}): {f.why}"
                             for c, f in zip(losers, findings, strict=True)))
        return
    g.explanation = (f"{format_candidate(win, unit)} preferred ({sources_text(win, ctx)}"
                     f"{'; ' + win.note if win.note else ''}); " + "; ".join(
                         f"{format_candidate(c, unit)} ({sources_text(c, ctx)}) "
                         f"{'lost' if f.conflict else 'differs'}: {f.why}"
                         for c, f in zip(losers, findings, strict=True)))


_EXPLAINED_BY = {Kind.SCOPE: "basis", Kind.TEMPORAL: "time", Kind.VALUE: "value",
                 Kind.IDENTITY: "identity", Kind.ARITHMETIC: "arithmetic"}


def _finding(win: Candidate, loser: Candidate, g: Group, ctx: Context) -> Finding:
    release = ctx.releases.get(g.subject)
    if loser.claims and all(c.iri in g.superseded for c in loser.claims):
        return _revised(win, loser, g, ctx)
    basis = basis_mod.compare(win, loser, g.property, ctx.bases)
    if basis is not None and basis.explained:  # the sources say what each figure measures
        loser.factor = basis.factor
        loser.note = basis.text
        return Finding(Kind.SCOPE, Resolution.EXPLAINED, basis.text)
    if basis is None:  # no factor, but a model whose sources state the same pair on two bases
        basis = basis_mod.known_pair(win, loser, g.property, ctx.bases, ctx.label)
        if basis is not None:
            loser.note = basis.text
            return Finding(Kind.SCOPE, Resolution.AMBIGUOUS, basis.text)
    if win.borrowed_from or loser.borrowed_from or (
            g.kind == Kind.IDENTITY and (loser.penalty < 1.0 or loser.doubt > 0)):
        flagship = win.borrowed_from in [o for r, o in ctx.related(g.subject) if r == FLAGSHIP_VARIANT]
        if flagship and _pre_release(loser, release):
            loser.superseded_by = sorted(c.iri for c in win.claims)
            loser.note = (f"a report from before the release ({release}), superseded by the "
                          f"released model's figure ({ctx.label(win.borrowed_from)})")
            return Finding(Kind.TEMPORAL, None, loser.note)
        return Finding(Kind.IDENTITY, None, loser.note or _why_lost(win, loser))
    timed = _stated_time(win, loser, release)
    if timed is not None:
        return timed
    if basis is not None and basis.resolution == "ambiguous":  # no basis stated, exact factor
        loser.factor = basis.factor
        loser.note = loser.note or basis.text
        return Finding(Kind.SCOPE, Resolution.AMBIGUOUS, basis.text)
    if basis is not None:  # stated bases a known factor relates, and it does not fit
        loser.note = loser.note or basis.text
        return Finding(Kind.VALUE, None, basis.text)
    return _changing_value(win, loser, g, ctx) or Finding(
        Kind.VALUE, None, loser.note or _why_lost(win, loser))


def _revised(win: Candidate, loser: Candidate, g: Group, ctx: Context) -> Finding:
    """A value its own curator or author replaced: a later snapshot, or the text's own order."""
    later = sorted({n for c in loser.claims for n in g.superseded[c.iri]})
    loser.superseded_by = later
    by_iri = {c.iri: c for c in g.claims}
    newer = [by_iri[i] for i in later if i in by_iri]
    snapshot = max((c.document_date or "" for c in newer if c.database), default="")
    unit = ctx.default_unit.get(g.property)
    values = [format_candidate(c, unit) for c in g.candidates
              if any(cl.iri in later for cl in c.claims)] or sorted({c.display_value() for c in newer})
    old = format_candidate(loser, unit)
    if snapshot:
        loser.note = f"revised from {old} to {', '.join(values)} in the {snapshot[:7]} snapshot"
    else:
        loser.note = f"replaced by {', '.join(values)}: the text says it changed"
    return Finding(Kind.TEMPORAL, Resolution.EXPLAINED, loser.note)


def _pre_release(c: Candidate, release: str | None) -> bool:
    return bool(c.claims) and all(
        cl.hedge == KG + "Projected" or scoring.before(cl.document_date, release)
        for cl in c.claims)


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
    if g.superseded:
        return False  # the text orders them in time: a revision, not two conditions
    conditions = [{c.condition for c in cand.claims} for cand in g.candidates]
    if not all(len(cs) == 1 for cs in conditions):
        return False
    flat = [next(iter(cs)) for cs in conditions]
    if len(set(flat)) != len(flat) or sum(1 for x in flat if not x) > 1:
        return False
    unit = ctx.default_unit.get(g.property)
    g.status, g.kind, g.resolution = Status.AGREE, Kind.SCOPE, Resolution.EXPLAINED
    g.explanation = (f"explained by condition, not a contradiction ({sources_text(g.candidates[0], ctx)}"
                     " distinguishes them): " + "; ".join(
                         f"{format_candidate(c, unit)} ({c.claims[0].condition or 'no condition stated'})"
                         for c in g.candidates))
    return True


def _prefer_latest(g: Group, ctx: Context) -> None:
    """A value that changed over time: the latest is the current one.

    Each candidate holding as of a different date: the latest leads unless its sources are much
    weaker (under half the top score); the newest document's figure of a property whose values
    change (`kg:timeVarying`) leads when it is nearly as well supported (a document's date alone
    is weak evidence that the value changed). Two values whose scores tie: the one stated later leads,
    so a tie is settled by time rather than called arbitrary."""
    as_of = [{c.as_of for c in cand.claims} for cand in g.candidates]
    if all(len(a) == 1 and None not in a for a in as_of) and len(
            {next(iter(a)) for a in as_of}) == len(as_of):
        latest = max(range(len(as_of)), key=lambda i: next(iter(as_of[i])) or "")  # none is None
        _promote(g, latest, f"the latest figure (as of {next(iter(as_of[latest]))})")
        return
    if g.property in ctx.time_varying and not any(c.as_of for c in g.claims):
        # a document's date alone is weak evidence of a change: only a near tie goes to the newer
        dates = [_latest_date(c) for c in g.candidates]
        latest = max(range(len(dates)), key=lambda i: (dates[i], -i))
        if dates[latest] and scoring.before(dates[0], dates[latest]):
            _promote(g, latest, f"the latest figure (stated {dates[latest]})", NEAR_TIE)
            return
    if len(g.candidates) > 1 and abs(g.candidates[0].score - g.candidates[1].score) < TIE:
        a, b = g.candidates[0], g.candidates[1]
        da, db = _latest_date(a), _latest_date(b)
        if da and db and scoring.before(da, db):
            g.candidates[0], g.candidates[1] = b, a
            b.note = b.note or f"the later statement ({db}) of two equally supported"


def _promote(g: Group, latest: int, note: str, share: float = 0.5) -> None:
    """The latest figure leads, unless its sources are weaker than `share` of the top's."""
    top = g.candidates[0]
    if latest and g.candidates[latest].score >= share * top.score:
        newest = g.candidates.pop(latest)
        g.candidates.insert(0, newest)
        newest.note = newest.note or note
        _rescore(g)


def _prefer_basis(g: Group, ctx: Context) -> None:
    """Where figures differ by basis, the property's preferred basis leads (the list price, the
    dense peak); a figure that states no basis on that axis is read as being on the preferred
    one, so it leads a figure that says it is on another (a launch discount)."""
    want = ctx.preferred_basis.get(g.property)
    if not want or want in g.candidates[0].basis:
        return
    axis = ctx.bases.axis.get(want)
    top_other = any(ctx.bases.axis.get(b) == axis for b in g.candidates[0].basis)
    for i, cand in enumerate(g.candidates[1:], 1):
        on_axis = [b for b in cand.basis if ctx.bases.axis.get(b) == axis]
        fits = want in on_axis or (top_other and not on_axis)
        if fits and basis_mod.compare(cand, g.candidates[0], g.property, ctx.bases) is not None:
            g.candidates.insert(0, g.candidates.pop(i))
            _rescore(g)
            return


def _rescore(g: Group) -> None:
    total = sum(c.score for c in g.candidates) or 1.0
    top = g.candidates[0].score
    g.confidence = round(top * top / total, 4)


def _factor(c: Candidate, name: str, default: float) -> float:
    """A numeric factor of the candidate's score (factors also hold notes, as text)."""
    value = c.factors.get(name, default)
    return value if isinstance(value, int | float) else default


def _latest_date(c: Candidate) -> str:
    return max((cl.as_of or cl.document_date or "" for cl in c.claims), default="")


def _stated_time(win: Candidate, loser: Candidate, release: str | None) -> Finding | None:
    """What the sources say about time: a projection, a figure from before the release, a
    value that held as of an earlier date."""
    if all(c.hedge == KG + "Projected" for c in loser.claims):
        made = max((c.document_date or "" for c in loser.claims), default="")
        stated = min((c.document_date or "" for c in win.claims), default="")
        if made and stated and not scoring.before(made, stated) and not any(
                c.hedge == KG + "Projected" for c in win.claims):
            loser.note = loser.note or "a projection about a later period, made no earlier"
            return Finding(Kind.TEMPORAL, Resolution.EXPLAINED, loser.note)
        loser.note = loser.note or "a projection, said before the fact"
        loser.superseded_by = sorted(c.iri for c in win.claims)
        return Finding(Kind.TEMPORAL, None, loser.note)
    if release and all(scoring.before(c.document_date, release) for c in loser.claims):
        loser.note = loser.note or (f"stated before the release ({release}), superseded by "
                                    "later statements")
        loser.superseded_by = sorted(c.iri for c in win.claims)
        return Finding(Kind.TEMPORAL, None, loser.note)
    as_of_w = {c.as_of for c in win.claims if c.as_of}
    as_of_l = {c.as_of for c in loser.claims if c.as_of}
    if as_of_w and as_of_l and not (as_of_w & as_of_l):
        if max(as_of_l) < max(as_of_w):
            loser.note = loser.note or f"held as of {', '.join(sorted(as_of_l))}; changed since"
            loser.superseded_by = sorted(c.iri for c in win.claims)
            return Finding(Kind.TEMPORAL, Resolution.EXPLAINED, loser.note)
        loser.note = loser.note or (f"holds as of {', '.join(sorted(as_of_l))}, later than the "
                                    "preferred figure, from a weaker source: worth checking")
        return Finding(Kind.TEMPORAL, None, loser.note)
    return None


def _changing_value(win: Candidate, loser: Candidate, g: Group, ctx: Context) -> Finding | None:
    """A value that changes over time, stated in documents of different dates."""
    if g.property in ctx.time_varying:
        dw = max((c.document_date or "" for c in win.claims), default="")
        dl = max((c.document_date or "" for c in loser.claims), default="")
        if scoring.before(dl, dw):
            loser.note = loser.note or f"older figure ({dl}) for a value that changes over time"
            loser.superseded_by = sorted(c.iri for c in win.claims)
            return Finding(Kind.TEMPORAL, None, loser.note)
        if scoring.before(dw, dl):
            loser.note = loser.note or (f"a later figure ({dl}) from a weaker source: the value "
                                        "may have changed since, worth checking")
            return Finding(Kind.TEMPORAL, None, loser.note)
    return None


def _why_lost(win: Candidate, loser: Candidate) -> str:
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
    if abs(loser.score - win.score) < TIE:
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
    if n == 1:
        return f"single claim: {format_candidate(c, unit)} ({sources_text(c, ctx)})"
    revised = [cl for cl in c.claims if cl.iri in g.superseded]
    tail = f"; {len(revised)} from an earlier snapshot" if revised else ""
    return (f"{n} claims agree on {format_candidate(c, unit)} within stated precision "
            f"({c.factors.get('independent_origins')} independent origin(s){tail})")
