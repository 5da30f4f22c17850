"""Identity slips: figures that disagree because they are really about a different entity.

Three checks, all driven by links in the graph (never by name similarity):
  * a bare release name usually denotes its flagship (`kg:flagshipVariant`): DeepSeek-V4's
    figures are compared with DeepSeek-V4-Pro's, and the flagship's value is a candidate;
  * a model post-trained from a base (`kg:postTrainedFrom`) shares its parameter counts
    (`kg:sharedAlong` in ontology/properties.ttl): DeepSeek-R1 has DeepSeek-V3's, so "~70B" for
    R1 is a slip;
  * a losing value that matches the preferred value of a related entity (a sibling variant, a
    predecessor, a successor, a distilled model whose label states its size) is explained as
    belonging to that entity, and counts less.
"""

from __future__ import annotations

import re

from kg.core import display, quantity
from kg.core.vocab import UNIT
from kg.reconcile import scoring
from kg.reconcile.context import DISTILLED_INTO, FLAGSHIP_VARIANT, Context
from kg.reconcile.model import Candidate, Group, Kind
from kg.reconcile.weighing import score_group


def check(groups: list[Group], index: StatementIndex, ctx: Context, priors: scoring.Priors,
          trust: dict[str, float]) -> None:
    for g in groups:
        changed = _borrow(g, index, ctx) | _explain_matches(g, index, ctx, priors)
        if changed:
            score_group(g, ctx, priors, trust)


class StatementIndex:
    """Find a relative's statement fast: by exact qualifiers, else ignoring scope and chip."""

    def __init__(self, groups: list[Group]) -> None:
        self.exact = {g.index_key(): g for g in groups}
        self.loose: dict[tuple, Group] = {}
        for g in groups:
            self.loose.setdefault(_loose_key(g.subject, g.property, g.qualifiers), g)

    def find(self, subject: str, g: Group) -> Group | None:
        return self.exact.get(g.index_key(subject)) or self.loose.get(
            _loose_key(subject, g.property, g.qualifiers))


def _loose_key(subject: str, prop: str, qualifiers: dict) -> tuple:
    return (subject, prop, qualifiers.get("benchmark"), qualifiers.get("compared_to"))


def _borrow(g: Group, index: StatementIndex, ctx: Context) -> bool:
    """Add the flagship's or the base model's preferred value as a candidate of this statement."""
    related = ctx.related(g.subject)
    flagships = [other for rel, other in related if rel == FLAGSHIP_VARIANT]
    # a value shared along a lineage link (the base's parameter count) is the relative's too;
    # only the link's forward direction lends it (a base does not borrow from its RL variant)
    sources = flagships + [other for rel, other in related
                           if ctx.shares(g.property, rel) and rel in ctx.forward]
    changed = False
    for other in sources:
        theirs = index.find(other, g)
        if not theirs or not theirs.preferred:
            continue
        best = theirs.preferred
        me, them = ctx.label(g.subject), ctx.label(other)
        if other in flagships:
            why = f"{me} is usually named for its flagship variant {them}"
        else:
            rel = next(r for r, o in related if o == other)
            why = (f"{me} is {ctx.relation_label(rel)} {them}, so it has {them}'s "
                   f"{ctx.label(g.property)}")
        match = next((c for c in g.candidates if c.value_agrees(best)), None)
        if match is not None:
            match.note = f"matches {them}: {why}"
            continue
        g.candidates.append(Candidate(best.value, best.display, list(best.claims),
                                      note=why, borrowed_from=other))
        theirs_text = _fmt(best, ctx.default_unit.get(g.property))
        for c in g.candidates[:-1]:
            c.note = c.note or f"disagrees with {them} ({theirs_text}): {why}"
        g.kind = Kind.IDENTITY
        changed = True
    return changed


def _explain_matches(g: Group, index: StatementIndex, ctx: Context, priors: scoring.Priors) -> bool:
    """A value that loses here but is another related entity's value belongs to that entity."""
    sized = g.property in ctx.shared_along  # parameter counts: a size in a label is evidence
    if len(g.candidates) < 2 and not sized:
        return False
    changed = False
    related = [(rel, other) for rel, other in ctx.related(g.subject)
               if rel != FLAGSHIP_VARIANT and not ctx.shares(g.property, rel)]
    for cand in g.candidates:  # even a top value: a well-sourced slip is still a slip
        if cand.borrowed_from:
            continue
        for rel, other in related:
            theirs = index.find(other, g)
            if theirs and theirs.preferred and not theirs.preferred.borrowed_from and \
                    cand.value_agrees(theirs.preferred) and len(g.candidates) > 1:
                unit = ctx.default_unit.get(g.property)
                cand.note = (f"matches {ctx.relative_noun(rel)} {ctx.label(other)} "
                             f"({_fmt(theirs.preferred, unit)}): likely about it, not "
                             f"{ctx.label(g.subject)}")
                _doubt(cand, priors)
                g.kind = Kind.IDENTITY
                changed = True
                break
            size = _size_in_label(ctx.label(other)) if sized else None
            if size and cand.value is not None and cand.value.agrees(size) and \
                    rel == DISTILLED_INTO:
                cand.note = (f"matches the size of {ctx.label(other)}, a model distilled from "
                             f"{ctx.label(g.subject)}: likely about it")
                _doubt(cand, priors)
                g.kind = Kind.IDENTITY
                changed = True
                break
    return changed


def _doubt(cand: Candidate, priors: scoring.Priors) -> None:
    """Mark a candidate as likely another entity's value. A figure that matches a relative's
    within its precision can be a coincidence of two similar sizes or costs, which a reliable
    source makes likelier than a slip: its claims lose weight in proportion to how often their
    source errs (Candidate.doubt). A categorical value (a result, a licence, a date) copied
    from a relative is the classic slip: it keeps the fixed weight (`kg:OtherEntityValue`)."""
    if cand.value is not None:
        cand.doubt = 1 - priors.weight("OtherEntityValue")
    else:
        cand.penalty = priors.weight("OtherEntityValue")


def _size_in_label(label: str) -> quantity.Quantity | None:
    m = re.search(r"(\d+(?:\.\d+)?)\s*([BM])\b", label)
    if not m:
        return None
    return quantity.parse(m.group(1) + m.group(2), UNIT + "NUM")


def _fmt(c: Candidate, unit: str | None = None) -> str:
    return display.format_value(c.value, unit) if c.value is not None else c.display
