"""The sentence driver: each figure and date of a paragraph, sentence by sentence, made into a
proposal (its value, property, subject, hedge and the note saying how each was decided), with
the discourse subject carried to the next sentence."""

from __future__ import annotations

import dataclasses
import re

from kg.core.vocab import KG, KGP, UNIT
from kg.ingest.names import Choice, Mention
from kg.ingest.proposal import ProposedClaim
from kg.ingest.prose.context import USD, Context
from kg.ingest.prose.dates import RELATIVE, date_property, date_value, month_date, relative_date
from kg.ingest.prose.figures import (
    MONEY,
    evidence_phrase,
    figure_spans,
    has_unit,
    listed,
    pieces,
    read_quantity,
    sentences,
)
from kg.ingest.prose.graphdata import remember_technique
from kg.ingest.prose.pairs import compared, conversions, joint_copies, pair_totals, qualifiers
from kg.ingest.prose.properties import (
    annotated_words,
    counted_noun,
    cued_property,
    dimension_of_unit,
    hedge_of,
    multiple_of_reduction,
    narrowed,
    price_pair,
    rate_of,
    without_implied_unit,
)
from kg.ingest.prose.subjects import (
    SIZE_AFTER_NAME,
    attached_name,
    figure_subject,
    joined_partner,
    product_of,
    remember_developers,
    remember_model,
    sentence_subject,
)

# a year as a date is written after a preposition of time ("in 2022", "since 1991")
BARE_YEAR_BEFORE = re.compile(r"\b(?:in|since|from|by|until|of|early|mid|late)[\s-]+$", re.I)
DEADLINE = re.compile(r"\b(?:by|until|till|through)\s+(?:the\s+)?(?:(?:early|mid|late|end\s+of)[\s-]+)?$",
                      re.I)  # "by April", "until October 2023": what was done by, or lasted to, a date
DASH = re.compile(r"\s[–—]\s")  # a spaced dash: opens or closes an aside
# a reference list's entry: "[10] Agency, title, date." (a marker opens it)
REFERENCE_ENTRY = re.compile(r"\s*[-*•]?\s*\[\s*(?:[a-z]+:)?\d+\s*\]", re.I)
# or as a timeline's entry: "controls (2022: H100 blocked; 2023: H800 too)"
TIMELINE_BEFORE = re.compile(r"(?:^|[(;]|\s[-–—•])\s*$")
BARE_NOTE = "no cue word near it and no unit: proposed as kgp:other"
PLAIN_NUMBER = re.compile(r"(?:[<>≥≤]=?\s*)?(?:\d{1,3}(?:\.\d+)?|\.\d+)")  # (">= 3.8": a version bound)
ORDER_OF_COUNT = re.compile(r"(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)$", re.I)


def extract_block(text: str, line: int, ctx: Context, out: list[ProposedClaim],
                  carried: Mention | None = None) -> Mention | None:
    """Proposals for every figure and date in one paragraph or list item.

    `carried` is the discourse subject the text before it was about (the section's heading, the
    previous paragraph): a sentence that names no subject ("the model", "it") is about it. Each
    sentence's own subject replaces it for the sentences after; the last is returned, for the
    next paragraph of the section."""
    for _offset, sentence in pieces(sentences(text), line):
        mentions, masked, spans = figure_spans(sentence, ctx)
        made: dict[int, ProposedClaim] = {}
        for k, (start, end, what) in enumerate(spans):
            raw = sentence[start:end]
            stated = raw.strip().rstrip(".,;:")
            start += len(raw) - len(raw.lstrip())
            end = start + len(stated)
            lo = spans[k - 1][1] if k else 0
            hi = spans[k + 1][0] if k + 1 < len(spans) else len(sentence)
            # "8B, 70B and 405B sizes": a figure in a list shares the words after the list
            j = k
            while j + 1 < len(spans) and listed(masked[spans[j][1]:spans[j + 1][0]],
                                                 sentence[spans[j][0]:spans[j][1]]):
                j += 1
            if j > k:
                hi_after = spans[j + 1][0] if j + 1 < len(spans) else len(sentence)
                after = masked[end:spans[k + 1][0]] + " " + masked[spans[j][1]:hi_after]
            else:
                after = masked[end:hi]
            proposal = _proposal(sentence, masked, start, end, stated, what, masked[lo:start],
                                 after, mentions, carried, ctx)
            if proposal is not None:
                proposal.line = ctx.locate(proposal.stated, line)
                proposal.locator = f"line {proposal.line}"
                out.append(proposal)
                made[k] = proposal
                out += joint_copies(proposal, sentence, mentions, start, ctx)
        pair_totals(made, spans, masked, ctx.vocab)
        conversions(made, spans, masked)
        compared(made, spans, masked, ctx.vocab)
        qualifying = qualifiers(made, spans, sentence, masked, ctx.vocab)
        if qualifying:
            out[:] = [p for p in out if id(p) not in qualifying]
        # a small plain number that no cue, unit, name or neighbouring figure explained ("the usual
        # 16 or 32") is a number, not a claim: a reviewer could only reject it (a count written with
        # a magnitude or thousands, "over 25M", "11,390", stays for review)
        unexplained = {id(p) for p in made.values()
                       if p.decided_by.endswith(BARE_NOTE) and PLAIN_NUMBER.fullmatch(p.stated)}
        if unexplained:
            out[:] = [p for p in out if id(p) not in unexplained]
        remember_developers(mentions, ctx)
        remember_technique(mentions, ctx)
        if ANAPHOR.match(sentence) and carried is not None:
            continue  # "These use ...", "It reached ...": still about what the text was about
        subject = sentence_subject(sentence, mentions, None)
        if subject is not None:
            carried = joint_family(sentence, mentions, subject, ctx) or subject
            remember_model(sentence, mentions, subject, ctx)
    return carried


# a sentence that opens by referring back ("These use ...", "It reached ...", "The model ...")
ANAPHOR = re.compile(r"\s*(?:It|Its|They|Their|These|Those|Both|The\s+(?:model|models|two|pair|lab))\b")


def joint_family(sentence: str, mentions: list[Mention], subject: Mention, ctx: Context) -> Mention | None:
    """"X released A (...) and B (...)": two joined subjects that are variants of one model
    (kg:variantOf) are, for the sentences after ("These use ..."), that model."""
    partner = joined_partner(sentence, mentions, subject, None, len(sentence))
    if partner is None:
        product = product_of(sentence, mentions, subject) if "Organisation" in subject.classes else None
        partner = joined_partner(sentence, mentions, product, None, len(sentence)) if product else None
        subject = product or subject
    if partner is None:
        return None
    linked = ctx.book.resolver.linked
    families = linked(subject.iri, "variantOf") & linked(partner.iri, "variantOf")
    if len(families) != 1:
        return None
    iri = next(iter(families))
    return Mention(subject.start, partner.end, iri, ctx.book.classes_of(iri),
                   ctx.book.resolver.label(iri) or iri, False)


def _proposal(sentence: str, masked: str, start: int, end: int, stated: str, what: str, before: str,
              after: str, mentions: list[Mention], carried: Mention | None, ctx: Context
              ) -> ProposedClaim | None:
    vocab = ctx.vocab
    notes: list[str] = []
    condition = None
    value_date = None
    value_text = None
    q = None
    confidence = 0.45
    year = what == "figure" and re.fullmatch(r"(?:19|20)\d\d", stated) is not None
    if year:
        # a bare year is a date without a month: a claim only when a date cue word says what
        # happened in it ("released in 2022", "introduced in 1991"), never a count
        prop, how = date_property(masked[:start], after, vocab)
        entry = TIMELINE_BEFORE.search(masked[:start]) is not None and after.startswith(":")
        if prop is None or not (BARE_YEAR_BEFORE.search(masked[:start]) or entry):
            return None
    if what == "date" or year:
        value_date = stated if year else (date_value(stated) or month_date(stated, ctx.document_dates)
                                            or relative_date(stated, ctx.document_dates))
        if value_date is None:
            return None
        prop, how = date_property(masked[:start], after, vocab)
        if REFERENCE_ENTRY.match(sentence) and KGP + "announcementDate" in vocab.properties:
            # "[10] Agency, revised licence policy, January 13, 2026.": a reference list's date is
            # when the cited work came out, whatever its title's words say
            prop, how = KGP + "announcementDate", "a date in a reference entry: the cited work's publication"
        relative = RELATIVE.fullmatch(stated) is not None
        if relative and prop is None:
            return None  # "this year" with no cue saying what happened then is a time frame, not a date
        # (a time told relative to the document's date, "this month", is never its dateline)
        own = not relative and any(
            d.startswith(value_date) or value_date.startswith(d) for d in ctx.document_dates)
        if own and prop != KGP + "releaseDate":
            return None  # the document's own date: a fact about the source, not a claim
        named = attached_name(sentence, start, end, mentions) if prop is None else None
        if named is not None and named.classes & {"Model", "ModelFamily", "Chip", "System"}:
            prop, how = KGP + "releaseDate", f"a date beside a product's name ({named.label!r}): its release"
        about = sentence_subject(sentence, mentions, KG + "Model") if prop is None else None
        if about is not None and about.start < start:
            prop, how = KGP + "releaseDate", (f"a date no cue word classifies, in a sentence about a "
                                              f"model ({about.label!r}): its release")
        if prop is None and not DEADLINE.search(masked[:start]):
            # a date nothing says what happened on ("in March", "(Dec 2025-Apr 2026)") is a time
            # frame, not a claim, as a number in words with no cue is not (a reviewer could only
            # reject it); "by April", "until October 2023": when something was done by or lasted to
            return None
        if prop is None:
            prop, how = KGP + "eventDate", ("a date no cue word classifies, after 'by'/'until': proposed "
                                            "as an event date")
            condition = "unclassified date: say what happened by it, or reject"
            confidence -= 0.2
        elif prop == KGP + "eventDate":
            condition = how.split("'")[1] if "'" in how else None
        notes.append(how)
    else:
        if re.search(r"\bper\s+$", masked[:start], re.I):
            return None  # "0.17 million GPU hours (per 1 trillion tokens)": the rate's basis, no claim
        per_million = re.fullmatch(r"(.*\d)\s*M", stated) if re.search(MONEY, stated, re.I) \
            and re.match(r"\s*(?:input\s+|output\s+)?tokens\b", after, re.I) else None
        if per_million:  # "$0.60/$3M tokens": the M is the "per million tokens" of a price
            after, stated = stated[len(per_million.group(1)):] + after, per_million.group(1)
            end = start + len(stated)
        rate = rate_of(after, vocab)
        if rate is not None and rate[0] and vocab.dimension_of(rate[0]) in ("Money", "UnitPrice") \
                and not re.search(MONEY, stated, re.I):
            rate = None  # "8k output": a price is written with its currency
        explicit = has_unit(stated)
        q0 = read_quantity(stated, None, None) if explicit else None
        if explicit and q0 is None:
            return None
        if rate is not None:
            prop, how = rate
            if prop is None:
                prop = KGP + "other"
                condition = f"a rate: {stated} {after.strip().split(',')[0][:40]}".strip()
                how = f"followed by the rate phrase {after.strip()[:30]!r}, which no property claims"
        else:
            unit = q0.unit if q0 else None
            if unit is None and ORDER_OF_COUNT.search(stated):
                unit = UNIT + "NUM"  # "hundreds of millions" (no currency) counts something: never a ratio
            owned = bool(before) and start > len(before)
            opened = before.rfind("(")
            if opened >= 0 and ")" not in before[opened:] and re.search(r"#\s*$", before[:opened]):
                before, owned = before[opened + 1:], False  # "chips power X (744B)": inside X's parenthesis
            if ";" in before:   # "top open models; 10x faster": a cue in the clause before is not its
                before, owned = before[before.rindex(";") + 1:], False
            if len(DASH.findall(masked[:start])) % 2 == 1:
                after = DASH.split(after, maxsplit=1)[0]  # "X – N more than Y's M – activates": an aside ends
            prop, how = cued_property(before, after, unit, vocab, bare=not explicit,
                                       owned=owned,
                                       leads=end + len(after) < len(masked.rstrip()))
            annotated = annotated_words(masked, start)
            if prop is None and annotated and unit is not None:
                # "inference cost fell (prefill $0.2/M vs ...)": a parenthesis details the words before it
                prop, how = cued_property(annotated, "", unit, vocab, bare=not explicit)
                how = how and f"{how}, the words the parenthesis it is in details"
            if prop is None and unit in (None, UNIT + "NUM"):
                prop, how = counted_noun(before, vocab)
            if (prop is None or vocab.dimension_of(prop) == "Money") and price_pair(sentence, start, end) \
                    and unit is not None and dimension_of_unit(unit, vocab) == "Money" \
                    and "UnitPrice" in vocab.fallback:  # a pair of prices is never two totals ("costs $a/$b")
                prop = vocab.fallback["UnitPrice"]
                how = "one of a pair of prices written '$a/$b' (input/output): a price"
            if prop is None:
                dim = dimension_of_unit(unit, vocab)
                if re.fullmatch(r"\d", stated) or not re.search(r"\d", stated):
                    return None  # a lone digit, or a number in words, with no cue word is rarely a claim
                prop = vocab.fallback.get(dim or "Count", KGP + "other")
                if explicit:
                    how = (f"no cue word near it; its unit ({unit.rsplit('/', 1)[-1] if unit else '?'}) "
                           f"makes it {prop.rsplit('/', 1)[-1]}")
                else:
                    how = BARE_NOTE
                confidence -= 0.1
            else:
                confidence += 0.2
                narrower = narrowed(prop, masked, start, end, vocab) \
                    or multiple_of_reduction(prop, stated, vocab)
                if narrower is not None:
                    prop, how = narrower[0], f"{how}, {narrower[1]}"
        if re.fullmatch(r"\d", stated) and "cue" not in how:
            return None
        words = vocab.get(prop)
        q = read_quantity(stated, words.default_unit, words.dimension)
        if q is not None and q.unit == USD and words.dimension == "UnitPrice" and words.default_unit:
            q = dataclasses.replace(q, unit=words.default_unit)  # the price's "per" the property implies
        value_text = None
        if q is None or not vocab.fits(prop, q.unit):
            if prop != KGP + "other" or q0 is None:
                return None
            # a figure in a unit no property takes ("700W" here): kept as written, as text
            q, value_text = None, stated
        else:
            stated = without_implied_unit(stated, q, words.default_unit, words.dimension)
        if prop == KGP + "other" and condition is None:
            condition = "what it measures: no cue word decided (review)"
        notes.append(how)
    subject, chip, benchmark, subject_how = figure_subject(sentence, start, end, stated, prop, mentions,
                                                     carried, ctx)
    if subject is None:  # kept for the reviewer (CSV), who names the subject or rejects it
        subject = Choice("", "", False, "")
        subject_how = "none: the sentence names no entity and the document has no main subject"
        confidence -= 0.25
    if subject_how.startswith("named"):
        confidence += 0.25
    if prop == KGP + "other" and subject_how.startswith("named right beside") \
            and subject.classes & {"Model"} and SIZE_AFTER_NAME.fullmatch(stated):
        # "GLM-5 (744B)", "Kimi K2 1T": a bare size in billions or trillions written with a model's name
        prop, condition = KGP + "totalParameters", None
        q = read_quantity(stated, vocab.get(prop).default_unit, vocab.get(prop).dimension)
        notes.append("a size in billions or trillions beside a model's name: its parameters")
    beside = any("Benchmark" in m.classes and m.end <= start
                 and re.fullmatch(r"\s*:?\s*", sentence[m.end:start]) for m in mentions)
    if benchmark and prop == KGP + "other" and (re.fullmatch(r"\d{1,2}(?:\.\d+)?%?", stated) or (
            beside and re.fullmatch(r"\d[\d,]*(?:\.\d+)?", stated))):
        # "Codeforces 3206": a number right after a benchmark's name is a score on its own scale
        prop, condition = KGP + "benchmarkScore", None
        q = read_quantity(stated, UNIT + ("PERCENT" if re.search(r"%|^\d{1,2}(?:\.\d+)?$", stated)
                                          else "UNITLESS"), "Score")
        notes.append("a benchmark is named right before it" if beside
                     else "a benchmark is named in the sentence")
    if prop != KGP + "benchmarkScore":
        benchmark = None
    if prop not in (KGP + "trainingGpuHours", KGP + "gpuCount", KGP + "trainingCost"):
        chip = None
    return ProposedClaim(
        line=0, stated=stated, subject=subject.iri or None, property=prop,
        hedge=hedge_of(masked, start, end, ctx.vocab), evidence=evidence_phrase(sentence, start, end),
        confidence=round(max(0.05, min(confidence, 0.95)), 2), subject_label=subject.label,
        subject_new=subject.new, value_date=value_date, chip=chip, benchmark=benchmark,
        condition=condition, source="prose", value=q, value_text=value_text,
        decided_by=f"subject: {subject_how}; property: {'; '.join(notes)}")
