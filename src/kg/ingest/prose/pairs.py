"""Figures read together after each is proposed: a whole paired with its part ("1T/32B active"),
one amount in two currencies ("RMB 60 billion ($8 billion)"), and one figure shared by two
joined subjects ("X and Y each ...")."""

from __future__ import annotations

import dataclasses
import re

from kg.core.vocab import KGP
from kg.ingest.cues import Vocabulary
from kg.ingest.names import Mention
from kg.ingest.proposal import ProposedClaim
from kg.ingest.prose.attached import COMPARED_FIGURE
from kg.ingest.prose.context import Context
from kg.ingest.prose.figures import read_quantity
from kg.ingest.prose.properties import amount_of
from kg.ingest.prose.subjects import joined_partner


def joint_copies(proposal: ProposedClaim, sentence: str, mentions: list[Mention], start: int,
                  ctx: Context) -> list[ProposedClaim]:
    """The same figure for the second of two joined subjects ("X and Y each ...")."""
    if ", jointly with" not in proposal.decided_by:
        return []
    subject = next((m for m in mentions if m.iri == proposal.subject), None)
    partner = joined_partner(sentence, mentions, subject, ctx.vocab.get(proposal.property).typical_subject,
                      start + len(proposal.stated))
    if partner is None or subject is None:
        return []
    prop_part = proposal.decided_by.split("; property: ", 1)[-1]
    return [dataclasses.replace(
        proposal, subject=partner.iri, subject_label=partner.label, subject_new=partner.new,
        decided_by=(f"subject: named as the sentence's subject jointly with {subject.label!r} "
                    f"({partner.label!r}); property: {prop_part}"))]


# "1T/32B active", "2 trillion total, 288B active": the words between the whole and its part
PAIR_GAP = re.compile(r"\s*(?:total\b)?\s*(?:/|,|and)\s*", re.I)


def pair_totals(made: dict[int, ProposedClaim], spans: list[tuple[int, int, str]], masked: str,
                 vocab: Vocabulary) -> None:
    """A figure paired with the next one, which is a part ("1T/32B active": active parameters,
    whose `kg:totalCounterpart` is total parameters), is the whole when it is the larger and has
    no cue of its own (or only the part's); the part shares a name written beside the whole."""
    for k, first in made.items():
        second = made.get(k + 1)
        if second is None or not PAIR_GAP.fullmatch(masked[spans[k][1]:spans[k + 1][0]]):
            continue
        whole = vocab.get(second.property).total_counterpart
        if whole is None or first.property not in (KGP + "other", second.property, whole):
            continue
        a = amount_of(first.stated, vocab.get(whole))
        b = amount_of(second.stated, vocab.get(second.property))
        if a is None or b is None or a <= b:
            continue
        if first.property != whole:
            q = read_quantity(first.stated, vocab.get(whole).default_unit, vocab.get(whole).dimension)
            if q is None:
                continue
            subject_part = first.decided_by.split("; property: ")[0]
            first.property, first.value, first.condition = whole, q, None
            first.decided_by = (f"{subject_part}; property: paired with {second.stated!r}, its part "
                                f"({second.property.rsplit('/', 1)[-1]}): the whole")
        if "named right beside" in first.decided_by and "named right beside" not in second.decided_by \
                and first.subject:
            second.subject, second.subject_label, second.subject_new = (
                first.subject, first.subject_label, first.subject_new)
            prop_part = second.decided_by.split("; property: ", 1)[-1]
            second.decided_by = (f"subject: the name beside {first.stated!r}, the whole it is paired "
                                 f"with ({first.subject_label!r}); property: {prop_part}")


CONVERSION_GAP = re.compile(r"\s*\(\s*(?:or\s+|about\s+|roughly\s+|around\s+|approx\.?\s+)?", re.I)
CURRENCIES = ("CCY_", "USD")


def conversions(made: dict[int, ProposedClaim], spans: list[tuple[int, int, str]], masked: str
                 ) -> None:
    """"RMB 60 billion ($8 billion)": money in parentheses right after money is the same amount in
    another currency, so it is a figure of the same property about the same subject."""
    for k, first in made.items():
        second = made.get(k + 1)
        if second is None or not CONVERSION_GAP.fullmatch(masked[spans[k][1]:spans[k + 1][0]]):
            continue
        units = [p.value.unit.rsplit("/", 1)[-1] if p.value else "" for p in (first, second)]
        if not all(u.startswith(CURRENCIES) for u in units) or (
                second.property == first.property and second.subject == first.subject):
            continue
        # the one a cue word decided gives its reading to the other (the amount before the
        # parenthesis when both or neither were)
        source, target = (second, first) if "no cue word" in first.decided_by \
            and "no cue word" not in second.decided_by else (first, second)
        target.property, target.condition = source.property, source.condition
        target.subject, target.subject_label, target.subject_new = (
            source.subject, source.subject_label, source.subject_new)
        why = f"that of {source.stated!r}, the same amount in another currency (in parentheses)"
        target.decided_by = f"subject: {why}; property: {why}"


PARALLEL = re.compile(r"\band\b|\bvs\.?|\bversus\b|\bwhile\b|\bwhereas\b", re.I)


def compared(made: dict[int, ProposedClaim], spans: list[tuple[int, int, str]], masked: str,
             vocab: Vocabulary) -> None:
    """"... reached 9 billion tokens a day, compared with 4 billion at X": a figure a comparison
    introduces, or one in the same unit joined to it ("and", "while"), with no cue word of its own,
    measures what the figure it is compared with does (the nearest one before it in the sentence
    that a cue word decided), when its unit fits."""
    for k in sorted(made):
        target = made[k]
        how = target.decided_by.split("; property: ", 1)[-1]
        last = how.rsplit("; ", 1)[-1]
        if not how.startswith("no cue word") or not last.startswith(("no cue", "its unit")):
            continue  # decided by a cue, or by a later rule ("a size beside a model's name")
        j = next((j for j in sorted(made, reverse=True) if j < k
                  and ("cue word" in made[j].decided_by or "rate cue" in made[j].decided_by)
                  and "no cue word" not in made[j].decided_by), None)
        if j is None or made[j].property == target.property:
            continue
        source = made[j]
        # "three to six months behind X, and 8 months according to Y": a figure in the same unit
        # joined to it is a parallel reading of the same thing
        parallel = source.value is not None and target.value is not None \
            and source.value.unit == target.value.unit \
            and PARALLEL.search(masked[spans[j][1]:spans[k][0]]) is not None
        if not (parallel or COMPARED_FIGURE.search(masked[:spans[k][0]])):
            continue
        words = vocab.get(source.property)
        q = read_quantity(target.stated, words.default_unit, words.dimension)
        unit_words = re.match(r"[~≈]?[\d.,]+\s*([A-Za-z/][\w/ -]*)$", source.stated)
        if unit_words and re.fullmatch(r"[~≈]?[\d.,]+", target.stated):
            # "40 GFLOPs/token against 900": the bare figure is written in the unit of the other
            scaled = read_quantity(f"{target.stated} {unit_words.group(1)}", words.default_unit,
                                   words.dimension)
            q = scaled if scaled is not None else q
        if q is None or not vocab.fits(source.property, q.unit):
            continue
        target.property, target.value, target.value_text, target.condition = source.property, q, None, None
        subject_part = target.decided_by.split("; property: ")[0]
        if parallel and not subject_part.startswith("subject: named") and source.subject:
            # no name of its own: a parallel reading is of the same subject too
            target.subject, target.subject_label, target.subject_new = (
                source.subject, source.subject_label, source.subject_new)
            subject_part = f"subject: that of {source.stated!r}, the figure it is read in parallel with"
        target.decided_by = (f"{subject_part}; property: that of {source.stated!r}, the figure it is "
                             f"{'read in parallel' if parallel else 'compared'} with")


PHRASE_END = re.compile(r"[,;()]|\s[-–—]\s|\s+(?:translat|comes?\b|works?\b|amount)")
AT_GAP = re.compile(r"[^,;.()]{0,20}\bat\s+$", re.I)   # "~$5.6M at", "10% of X at"
RATE_THEN_TOTAL = re.compile(r"[^;.()]{0,40}\b(?:translat\w*|comes?|works?|amount\w*)\s+(?:out\s+)?"
                             r"(?:to|at)\s+$", re.I)  # "which at $2 per GPU-hour translates to $5.6M"


def qualifiers(made: dict[int, ProposedClaim], spans: list[tuple[int, int, str]], sentence: str,
               masked: str, vocab: Vocabulary) -> set[int]:
    """Figures that qualify another rather than being claims (graph/CURATION.md: kg:condition,
    kg:rate), of a property marked `kg:asCondition` (a context length, a price per GPU-hour): one
    introduced by "at" right after another figure in its clause ("10% of X at 1M context", "~$5.6M
    at $2/GPU-hr") is the condition or assumed rate of that figure; one introduced by "at" that
    the clause converts into a total ("which at $2 per GPU-hour translates to $5.6M") is the
    total's assumed rate. Each is written into the other's condition; the ids
    of the qualifying proposals are returned, to be dropped."""
    drop: set[int] = set()
    for k, figure in made.items():
        if k == 0 or figure.value_date or not vocab.get(figure.property).as_condition:
            continue  # only a property whose figures qualify others (kg:asCondition) is read so
        start, end = spans[k][0], spans[k][1]
        previous = made.get(k - 1)
        phrase = PHRASE_END.split(sentence[start:start + 40], maxsplit=1)[0].strip().rstrip(".,;:")
        if previous is not None and not previous.value_date and previous.property != figure.property \
                and AT_GAP.fullmatch(masked[spans[k - 1][1]:start]):
            target = previous
        elif k + 1 in made:
            after = made[k + 1]
            if after is None or not re.search(r"\bat\s+$", masked[max(0, start - 12):start], re.I) \
                    or not RATE_THEN_TOTAL.match(masked[end:spans[k + 1][0]]) \
                    or vocab.dimension_of(after.property) != "Money":
                continue
            target = after
        else:
            continue
        target.condition = "; ".join(c for c in (target.condition, f"at {phrase}") if c)
        drop.add(id(figure))
    return drop
