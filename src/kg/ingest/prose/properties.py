"""Which property a figure is of: the cue words (`kg:cue`, `kg:rateCue`, `kg:reductionCue` in the
ontology) nearest the figure within its own part of the sentence, rates told apart from totals,
and the hedge the words around it carry."""

from __future__ import annotations

import re

from kg.core import quantity
from kg.ingest.cues import Cue, PropertyWords, Vocabulary
from kg.ingest.prose.context import USD
from kg.ingest.prose.figures import read_quantity

_RATE = re.compile(r"^\s*(?:per|/|an?\s+(?:hour|gpu|month|year|user|token))\b\s*([\w-]+(?:\s+[\w-]+){0,2})?",
                   re.I)
BEFORE_PENALTY = 6
MAX_CUE_DISTANCE = 60  # characters: a cue further away describes something else
REFINER_DISTANCE = 16  # characters: a cue this close before a figure can narrow the one after it


def amount_of(stated: str, words: PropertyWords) -> float | None:
    q = read_quantity(stated, words.default_unit, words.dimension)
    return None if q is None else (q.amount if q.amount is not None else q.low)


PRICE_PAIR_AFTER = re.compile(r"\s*/\s*(?:us)?[$¥]\s*\d", re.I)
PRICE_PAIR_BEFORE = re.compile(r"[$¥]\s*[\d.,]+\s*[kmb]?\s*/\s*$", re.I)


def annotated_words(masked: str, start: int) -> str:
    """The words right before the parenthesis a figure is inside ("" when it is in none): what
    the parenthesis details."""
    depth, k = 0, start - 1
    while k >= 0:
        if masked[k] == ")":
            depth += 1
        elif masked[k] == "(":
            if depth == 0:
                return masked[max(0, k - 40):k]
            depth -= 1
        k -= 1
    return ""


def price_pair(sentence: str, start: int, end: int) -> bool:
    """"$0.14/$0.28": two amounts of money joined by a slash are a pair of prices (input and
    output per million tokens), never two totals."""
    return bool(PRICE_PAIR_AFTER.match(sentence[end:]) or PRICE_PAIR_BEFORE.search(sentence[:start]))


def dimension_of_unit(unit: str | None, vocab: Vocabulary) -> str | None:
    if unit is None:
        return None
    dims = vocab.unit_dimensions.get(unit, set())
    for preferred in ("Money", "ComputeTime", "Compute", "UnitPrice", "Duration", "Count", "Ratio"):
        if preferred in dims:
            return preferred
    return next(iter(dims), None)


def rate_of(after: str, vocab: Vocabulary) -> tuple[str | None, str] | None:
    """(property, how) when the words right after the figure make it a rate; None otherwise."""
    head = after[:40]
    for s, e, cue in vocab.cues_in(head, rate=True):
        if not head[:s].strip(" #"):
            return cue.node, f"a rate: followed by the rate cue {cue.text!r}"
        del e
    m = _RATE.match(head)
    if m and m.group(1) and not re.match(r"\s*(?:per\s*cent|percent)", head, re.I):
        return None, ""
    return None


def without_implied_unit(stated: str, q: quantity.Quantity, unit: str | None, dimension: str | None
                         ) -> str:
    """"39.3M GPU hours" -> "39.3M" when the property implies GPU-hours (graph/CURATION.md: leave
    out nouns the property already implies); "700W" or "65.8%" stay as they are."""
    m = re.match(r"^(.*?\d[\d.,]*\s*(?:[kmbt]|bn|mn|tn|thousand|million|billion|trillion)?\+?)"
                 r"\s+[A-Za-z][\w\s-]*$", stated, re.I)
    if not m:
        return stated
    shorter = m.group(1).strip()
    again = read_quantity(shorter, unit, dimension)
    if again is not None and again.unit == q.unit and again.amount == q.amount:
        return shorter
    return stated


LEADS_NEXT = re.compile(
    r"(?:\s+[\w-]+){0,2}\s*(?:to|by|of|:|=|reached|was|is|of\s+about|of\s+around)\s*[~#]*\s*", re.I)
OWNED_REACH = 2  # characters: a cue this close after the previous figure is that figure's ("10x faster")


def cued_property(before: str, after: str, unit: str | None, vocab: Vocabulary, *, bare: bool = False,
                   owned: bool = False, leads: bool = False) -> tuple[str | None, str]:
    """The property the cue words nearest the figure name. `owned`: `before` starts right after
    another figure, so a cue at its very start is that figure's ("10x faster at 1/10th the cost":
    "faster" is the 10x's, "cost" the 1/10th's). `leads`: `after` ends at the next figure, so a
    cue that only a preposition separates from it introduces that one ("FLOPs to 27% and memory
    to 10%": "memory" is the 10%'s)."""
    best: tuple[float, int, str, str] | None = None
    refiner: tuple[float, int, str, str] | None = None   # the nearest cue just before the figure
    reducing = _reducing(before, vocab)
    for side, text in (("after", after), ("before", before)):
        found = vocab.cues_in(text)
        if side == "after":  # "10-20% compute": a noun naming the figure right after it
            found = vocab.head_cues_at(text) + found
        for s, e, cue in found:
            node = cue.node
            if reducing and vocab.get(node).reduced_as:
                node = vocab.get(node).reduced_as or node  # "reducing memory use by 39%"
                cue = Cue(f"{cue.text}' after '{reducing}", node, cue.pattern)
            words = vocab.get(cue.node)
            if words.dimension in ("DateValue", "EntityValue", "TextValue", "BooleanValue"):
                continue
            if bare and words.dimension in ("Money", "UnitPrice", "Duration", "Power"):
                continue  # money, time, power are written with their unit: a bare number is none
            if unit is not None and not vocab.fits(cue.node, unit) \
                    and not (unit == USD and words.dimension == "UnitPrice"):
                continue  # ("$0.05 for cached input": a price per token written without its "per")
            distance = s if side == "after" else len(text) - e + BEFORE_PENALTY
            if distance > MAX_CUE_DISTANCE or (side == "before" and owned and s <= OWNED_REACH):
                continue
            if side == "after" and leads and s > 0 and LEADS_NEXT.fullmatch(text[e:]):
                continue
            key = (distance, -(e - s), cue.node, cue.text)
            if best is None or key < best:
                best = key
            if side == "before" and len(text) - e <= REFINER_DISTANCE and (
                    refiner is None or key < refiner):
                refiner = key
    if best is None:
        return None, ""
    if refiner is not None and refiner[2] != best[2] and _refines(refiner[2], best[3], vocab):
        return refiner[2], (f"cue word {refiner[3]!r} right before the figure refines {best[3]!r} "
                            "after it")
    return best[2], f"cue word {best[3]!r} {'after' if best[0] < BEFORE_PENALTY else 'near'} the figure"
MULTIPLE = re.compile(r"\d\s*(?:x|×)$|\b(?:times|fold)$|fold$", re.I)


def multiple_of_reduction(prop: str, stated: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """"10x lower cost", "5x less": a multiple is no percentage cut; a reduction property a cue
    chose for it is read as the ratio whose reduction it is (`kg:reducedAs`), when that ratio is
    counted in multiples (unitless)."""
    if not MULTIPLE.search(stated.strip()):
        return None
    for words in vocab.properties.values():
        if words.reduced_as == prop and words.default_unit and words.default_unit.endswith("/UNITLESS"):
            return words.iri, (f"a multiple, so the ratio {words.local} whose reduction "
                               f"{vocab.get(prop).local} is")
    return None


CLAUSE_BREAK = re.compile(r"[;()]|,\s|\s[-–—]\s")


def narrowed(prop: str, masked: str, start: int, end: int, vocab: Vocabulary) -> tuple[str, str] | None:
    """(narrower property, why) when a sibling that `kg:narrows` the cue's property has a
    `kg:clauseCue` in the figure's own clause, within a cue's reach of it ("the stock of compute
    runs two years behind": "behind" says a lag, "compute" a compute lag); None otherwise."""
    before = CLAUSE_BREAK.split(masked[max(0, start - MAX_CUE_DISTANCE):start])[-1]
    after = CLAUSE_BREAK.split(masked[end:end + MAX_CUE_DISTANCE])[0]
    found = vocab.narrower_in(prop, f"{before} {after}")
    if found is None:
        return None
    return found[0], f"narrowed by {found[1]!r} in its clause"


NUMBER_OF = re.compile(r"\b(?:number|count)\s+of\s+(?:[a-z][\w-]*\s+)?", re.I)
NUMBER_OF_REACH = 160  # characters: "the number of paying users of its ... platform X has passed 40M"


def counted_noun(before: str, vocab: Vocabulary) -> tuple[str | None, str]:
    """"the number of paying users for its platform X has surpassed 40 million": the noun counted
    by the clause's "the number of ..." says what a count far after it is, when one of a count
    property's cue words starts that noun (an adjective before it allowed)."""
    clause = CLAUSE_BREAK.split(before[-NUMBER_OF_REACH:])[-1]
    for m in reversed(list(NUMBER_OF.finditer(clause))):
        for s, e, cue in vocab.cues_in(clause[m.start():m.end() + 30]):
            words = vocab.get(cue.node)
            if words.dimension == "Count" and s >= len("number of") and \
                    s <= m.end() - m.start():
                return cue.node, f"'{clause[m.start():m.start() + e].strip()}' heads its clause"
    return None, ""


REDUCING_REACH = 45  # characters: "reducing memory usage by 39%": the verb governs the figure's phrase


def _reducing(before: str, vocab: Vocabulary) -> str | None:
    """The verb of reducing (`kg:reductionCue`) that governs a figure ("cutting the KV cache by
    93%", "slashing inference FLOPs 70-95%"), or None: one shortly before it in the same clause,
    unless the figure is what the thing is reduced *to* ("reduced memory to 5%": a share)."""
    if re.search(r"\b(?:to|down\s+to|at)\s*[~#\s]*$", before, re.I):
        return None
    window = before[-REDUCING_REACH:]
    window = re.split(r"[;:()]|,\s|\s[-–—]\s", window)[-1]
    found = vocab.reductions_in(window)
    return found[-1][2].text if found else None


def _refines(prop: str, cue_text: str, vocab: Vocabulary) -> bool:
    """True when `prop` is a narrower reading of what `cue_text` names: one of its own cues holds
    the cue's first word ("activating only 37B parameters": activeParameters has "active param*",
    so "activ*" before the figure refines "param*" after it)."""
    stem = re.split(r"[\s*\-]", cue_text.lower(), maxsplit=1)[0]
    return bool(stem) and any(stem in c.text.lower() and c.text.lower() != cue_text.lower()
                              for c in vocab.get(prop).cues)


def hedge_of(masked: str, start: int, end: int, vocab: Vocabulary) -> str:
    window_lo, window_hi = max(0, start - 70), min(len(masked), end + 50)
    best: tuple[int, str] | None = None
    for s, e, cue in vocab.hedges_in(masked[window_lo:window_hi]):
        s, e = s + window_lo, e + window_lo
        distance = start - e if e <= start else s - end
        if best is None or distance < best[0]:
            best = (max(distance, 0), cue.node)
    return best[1].rsplit("#", 1)[-1] if best else "Stated"
