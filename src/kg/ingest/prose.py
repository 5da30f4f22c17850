"""Figures in prose: each number or date in a sentence, with its subject, property, hedge and line.

How each is decided (and recorded in the proposal's `decided_by`, so a reviewer can see why):

- **Figure**: general patterns (currency, magnitude words, units, percentages, ratios, ranges,
  bounds) read by kg.core.quantity; numbers inside names (known, proposed or model-like) are masked
  first, so "Llama 3.1" and "Qwen2.5-72B" are never figures.
- **Rate or total**: a figure followed by a rate phrase ("$2 per GPU-hour", "$0.27 per million
  tokens") takes the property whose `kg:rateCue` it is, never a total's; a rate no property claims
  is proposed as `kgp:other` naming the rate.
- **Property**: the cue word (`kg:cue`, from the ontology) nearest the figure within its own part
  of the sentence (a cue past another figure belongs to that figure: "activates 22B of its 235B
  parameters"), among properties whose dimension fits the unit the text gives; a cue after the
  figure counts slightly more than one before it, unless the one right before narrows it
  ("activating 32B parameters"). No cue: the dimension's fallback property; a number written in
  words with no cue is not proposed.
- **Subject**: a name attached to the figure ("Llama 3.1's 30.84M", "H100 (TDP of 700W)",
  "Kimi K2 1T"), else the entity the sentence is about (its first name that is not the object of
  a comparison, "than X", "like X and Y", nor the source that reports the figure, "X estimated",
  "according to X", nor a country named by its adjective; a model named after its organisation,
  "Alibaba released its Qwen2.5 model", rather than the organisation), else the discourse
  subject: the one the previous sentences, paragraphs (in a document without a dominant model)
  and the section's heading were about, which also wins over a name that only follows the figure
  (its object); else the document's main subject or the model its headline names. Chips and
  benchmarks named in the sentence become qualifiers, or the subject of a chip's own figures.
- **Reductions, pairs, conversions** (ontology data again): a verb of reducing (`kg:reductionCue`)
  that governs the figure turns a share's cue into its reduction ("reducing memory use by 39%":
  `kgp:memoryShare kg:reducedAs kgp:memoryReduction`; "reduced *to* 5%" stays a share); in a pair
  "1T/32B active" or "2T total, 288B active" the larger figure is the whole of the part the other
  is (`kgp:activeParameters kg:totalCounterpart kgp:totalParameters`); "$0.14/$0.28" is a pair of
  prices; "RMB 60 billion ($8 billion)" is one amount in two currencies. A cue that only a
  preposition separates from the next figure introduces that one ("FLOPs to 27% and KV cache to
  10%"), a cue right after the previous figure is that one's ("10x faster at 1/10th the cost"), a
  cue across a semicolon is another clause's, and a figure in a parenthesis with no cue of its own
  takes the cue of the words the parenthesis details.
- **Whose figure** (besides the above): two names joined before the figure ("X and Y each ordered
  230,000", "X/Y reach 90%") share it; a figure right before a model's name modifies it ("a 5GB X
  model"); a size in billions or trillions beside a model's name is its parameter count; a
  technique that acts ("MLA compresses the cache by 93%") is the subject of its effect; the rival a
  sentence compares is never the owner; a cluster (kg:System) owns its GPU count; the object of a
  release verb owns the release date; "the model", "it" is the model the text last made its
  subject (or the model its organisation subject released), and an organisation carried over a
  sentence stands for that model when the figure is a model's; properties an organisation has
  (`kg:typicalSubject kg:Organisation`: headcount, funding, margins) keep the organisation.
- **Dates**: a release cue makes a kgp:releaseDate, a report or publication cue an announcement
  date, a cut-off an event date; the document's own date is not a claim; any other date is
  proposed as an event date marked unclassified, unless the sentence is about a model (its release).
  A cue after the date counts within the date's clause only ("released X on May 6, under an open
  licence"); "arXiv" beside a date makes it a publication.
- **Hedge**: the hedge cue (`kg:cue` on each kg:Hedge) nearest the figure in its sentence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from kg.core import quantity
from kg.core.errors import QuantityError
from kg.core.vocab import KG, KGP, UNIT
from kg.ingest.cues import Cue, PropertyWords, Vocabulary
from kg.ingest.names import Choice, EntityBook, Mention, name_cores
from kg.ingest.proposal import ProposedClaim

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_MAG = r"(?:\s*-?\s*(?:quadrillion|trillion|billion|million|thousand)\b|(?:bn|mn|tn|[kmbt])\b)"
_UNIT = (r"(?:\s*(?:%|percent\b|per\s*cent\b|x\b|×|-?fold\b|"
         r"gpu[\s-]*hours?\b|gpu[\s-]*hrs?\b|[ezpgt]?flops?(?:/s)?\b|gb/s\b|tb/s\b|gbps\b|tbps\b|gw\b|mw\b|"
         r"kw\b|w\b|gb\b|tb\b|hours?\b|days?\b|weeks?\b|months?\b|mo\b|years?\b|/\s*m(?:tok)?\b|"
         r"per\s+million(?:\s+\w+)?\s+tokens\b|usd\b|(?:us\s+)?dollars\b|rmb\b|yuan\b))")
_PRE = (r"(?:(?:~|≈|about|around|roughly|approximately|approx\.?|nearly|almost|some|over|under|"
        r"more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|below|above|north\s+of|"
        r"upwards\s+of|just\s+over|just\s+under|close\s+to|est\.?|an\s+estimated)\s*)")
_MONEY = r"(?:us\$|\$|¥|rmb\s?|usd\s?)"
_SIDE = rf"{_MONEY}?(?:{_NUM}){_MAG}?"
# "1/6", "1/10th", "~1/6-1/7": a fraction (never a date: no third part, no four-digit year)
_FRACTION = r"\d{1,2}/\d{1,3}(?:th|rd|nd)?(?:\s*[-–]\s*\d{1,2}/\d{1,3}(?:th|rd|nd)?)?(?![\d/])"
FIGURE = re.compile(
    rf"(?<![\w.@])(?!(?<=\d/)\d){_PRE}*(?:\d+\s*:\s*\d+|{_FRACTION}|{_SIDE}(?:\s*(?:%|x)(?=\s*(?:-|–|to)\s*\d))?"
    rf"(?:\s*(?:-|–|to)\s*{_SIDE})?\+?{_UNIT}?)(?![\w])",
    re.I)
_WORDNUM = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
            r"forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred)")
# numbers written in words, only with a unit or multiplier of their own ("eight times", "three to six
# months", "an order of magnitude", "eightfold"); proposed only when a cue word says what they measure
WORD_FIGURE = re.compile(
    rf"(?<![\w-]){_PRE}*(?:(?:an?|one)\s+order\s+of\s+magnitude|(?:a\s+couple\s+of|two|several)\s+orders\s+of"
    rf"\s+magnitude|{_WORDNUM}(?:\s*(?:-|–|to|or)\s*{_WORDNUM})?[\s-]+(?:times|fold|years?|months?|weeks?|"
    rf"days?|percent)|{_WORDNUM}fold)(?![\w-])", re.I)
# "approximately one trillion", "a million-token window": a magnitude in words (with a cue only)
WORD_MAGNITUDE = re.compile(
    rf"(?<![\w-]){_PRE}*(?:an?|{_WORDNUM})\s+(?:thousand|million|billion|trillion)(?![\w])(?!-fold)", re.I)
# "a tenth of the memory", "one-eighteenth the size", "half the cost": a fraction in words
WORD_FRACTION = re.compile(
    rf"(?<![\w-]){_PRE}*(?:(?:(?:an?|one|two|three)[\s-]+)?(?:third|quarter|fifth|sixth|seventh|eighth|"
    rf"ninth|tenth|eighteenth|twentieth|hundredth)s?|half(?=\s+(?:the|of|its|their)\b))(?![\w-])", re.I)
DATE = re.compile(
    rf"\b(?:\d{{4}}-\d\d-\d\d|(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}|"
    rf"(?:early|mid|late)?[\s-]*(?:{_MONTHS})\.?\s+\d{{4}})\b", re.I)
# "x" only as a multiplier after a digit: "approximately 37 billion" is no ratio (it was, and was dropped)
_UNIT_WORD = re.compile(r"[%×$¥]|\d/\d|\d\s*:\s*\d|\d\s*mo\b|\btimes\b|magnitude|\dx\b|\d\s+x\b|fold|percent"
                        r"|rmb|usd|yuan|dollar|hour|hrs?\b"
                        r"|day|week|month|year|flop|gb|tb|gw|mw|kw|\d\s*w\b|/\s*m", re.I)
COMPARISON = re.compile(r"(?:\bthan|\bvs\.?|\bversus|\bcompared\s+(?:with|to)|\blike|\brival\w*|"
                        r"\boutperform\w*|\bbeat\w*|\bmatch\w*|\bagainst|\bbehind|\bover|\bunlike|"
                        r"\bsuch\s+as|\bincluding)\W*(?:\w+\W+){0,2}$", re.I)
_RATE = re.compile(r"^\s*(?:per|/|an?\s+(?:hour|gpu|month|year|user|token))\b\s*([\w-]+(?:\s+[\w-]+){0,2})?",
                   re.I)
CITATION = re.compile(r"\[\s*(?:[a-z]+:)?\d+(?:\s*[,–-]\s*\d+)*\s*\]", re.I)  # "[4]", "[web:60]"
BEFORE_PENALTY = 6
USD = UNIT + "CCY_USD"
MAX_CUE_DISTANCE = 60  # characters: a cue further away describes something else
DATE_CUE_BEFORE = 160  # characters: "X released A (...) and B (...) on May 6": the verb is far back
REFINER_DISTANCE = 16  # characters: a cue this close before a figure can narrow the one after it


@dataclass
class Context:
    """What prose extraction needs from the document around it."""

    vocab: Vocabulary
    book: EntityBook
    main: Choice | None
    document_dates: set[str]
    locate: Callable[[str, int], int]     # (figure text, block line) -> source line
    # the model the text last made its subject (or the product of the organisation it made its
    # subject: "the lab released its model X"), for "the model" in a sentence that names none
    recent_model: Mention | None = None


def sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?;])\s+(?=[A-Z(\"'])|\s+[-–—•]\s+(?=[A-Z])", text):
        out.append((start, text[start:m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return out


# A sentence longer than this is read in pieces of at most this length, cut at a blank: each
# figure is weighed against the words and names before it, so an endless "sentence" (a minified
# page, 100,000 characters of figures and commas) took minutes (issue 18, benchmarks/parsers.py)
MAX_SENTENCE = 1_000


def pieces(parts: list[tuple[int, str]], line: int) -> list[tuple[int, str]]:
    """Sentences as they are, the overlong ones cut into pieces (and said so, once each)."""
    import warnings

    out = []
    for offset, sentence in parts:
        if len(sentence) <= MAX_SENTENCE:
            out.append((offset, sentence))
            continue
        warnings.warn(f"line {line} holds a sentence of {len(sentence):,} characters: kg extract "
                      f"reads it in pieces of at most {MAX_SENTENCE:,} (a figure and its subject "
                      "must share a piece)", RuntimeWarning, stacklevel=3)
        start = 0
        while start < len(sentence):
            end = min(len(sentence), start + MAX_SENTENCE)
            if end < len(sentence):
                cut = sentence.rfind(" ", start + MAX_SENTENCE // 2, end)
                end = cut if cut > start else end
            out.append((offset + start, sentence[start:end]))
            start = end
    return out


def evidence_phrase(text: str, start: int, end: int, limit: int = 88) -> str:
    """About eight words around the figure, copied as written (a span of the text, never rebuilt)."""
    lefts = [m.start() for m in re.finditer(r"\S+", text[:start])]
    rights = [m.end() for m in re.finditer(r"\S+", text[end:])]
    n_left, n_right = min(4, len(lefts)), min(3, len(rights))
    while True:
        lo = lefts[-n_left] if n_left else start
        hi = end + rights[n_right - 1] if n_right else end
        phrase = " ".join(text[lo:hi].split())
        if len(phrase) <= limit or (n_left == 0 and n_right == 0):
            return phrase[:limit]
        if n_left >= n_right and n_left:
            n_left -= 1
        else:
            n_right -= 1


_MONTH_NUM = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def date_value(text: str) -> str | None:
    """An ISO date (YYYY-MM-DD or YYYY-MM) at the precision the text gives, or None."""
    if re.fullmatch(r"\d{4}-\d\d(?:-\d\d)?", text.strip()):
        return text.strip()
    year = re.search(r"\d{4}", text)
    month = re.search(_MONTHS, text, re.I)
    if not year or not month:
        return None
    mon = _MONTH_NUM[month.group(0).lower()[:3]]
    day = re.search(r"(?<!\d)(\d{1,2})(?!\d)", text.replace(year.group(0), ""))
    if day and 1 <= int(day.group(1)) <= 31:
        return f"{year.group(0)}-{mon:02d}-{int(day.group(1)):02d}"
    return f"{year.group(0)}-{mon:02d}"


def _mask(text: str, mentions: list[Mention], extra: list[tuple[int, int]]) -> str:
    """Names replaced by '#' (chips by "gpu" and '#'), so their digits are never figures and
    "H800 hours" still reads as GPU hours."""
    chars = list(text)
    for m in mentions:  # a name's hyphenated continuation is part of it ("H100-80GB", "K2-Base")
        tail = re.match(r"(?:-(?!(?:hours?|hrs?|days?|gpus?|chips?|class|based|equivalents?)\b)"
                        r"[A-Za-z0-9][A-Za-z0-9.]*)+", text[m.end:], re.I)  # "H800-hours": a unit
        if tail:
            extra = extra + [(m.end, m.end + len(tail.group(0).rstrip(".")))]
    for s, e in extra:
        for k in range(s, e):
            chars[k] = "#"
    for m in mentions:
        if m.classes & NEVER_SUBJECTS:  # a technique's name is a word a cue may be ("1T MoE"):
            for k in range(m.start, m.end):  # only its digits are masked ("FP8")
                if chars[k].isdigit():
                    chars[k] = "#"
            continue
        fill = "gpu" if (m.classes & {"Chip", "System"} and m.end - m.start >= 3
                         and not re.match(r"[\s-]*(?:gpu|accelerator|chip|npu)", text[m.end:], re.I)) else ""
        for k in range(m.start, m.end):
            i = k - m.start
            chars[k] = fill[i] if i < len(fill) else "#"
    return "".join(chars)


def figure_spans(sentence: str, ctx: Context) -> tuple[list[Mention], str, list[tuple[int, int, str]]]:
    """The names in a sentence, the sentence with names masked, and every figure and date in it as
    (start, end, "figure" | "date"), in order."""
    mentions = ctx.book.mentions(sentence)
    dates = [(m.start(), m.end()) for m in DATE.finditer(sentence)]
    names = [(s, e) for s, e in name_cores(sentence) if not any(s < te and ts < e for ts, te in dates)]
    names += [(m.start(), m.end()) for m in CITATION.finditer(sentence)]
    masked = _mask(sentence, mentions, names)
    spans: list[tuple[int, int, str]] = [(s, e, "date") for s, e in dates]
    for m in FIGURE.finditer(masked):
        if any(s <= m.start() < e or s < m.end() <= e for s, e, _ in spans):
            continue
        spans.append((m.start(), m.end(), "figure"))
    for pattern in (WORD_FIGURE, WORD_MAGNITUDE, WORD_FRACTION):
        for m in pattern.finditer(masked):
            if any(s < m.end() and m.start() < e for s, e, _ in spans):
                continue
            spans.append((m.start(), m.end(), "figure"))
    spans.sort()
    return mentions, masked, spans


def read_figure(stated: str, unit: str | None = None, dimension: str | None = None
                ) -> quantity.Quantity | None:
    """The figure as kg.core.quantity reads it (None when it cannot)."""
    return _read(stated, unit, dimension)


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
            while j + 1 < len(spans) and _listed(masked[spans[j][1]:spans[j + 1][0]],
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
                out += _joint_copies(proposal, sentence, mentions, start, ctx)
        _pair_totals(made, spans, masked, ctx.vocab)
        _conversions(made, spans, masked)
        subject = _sentence_subject(sentence, mentions, None)
        if subject is not None:
            carried = subject
            _remember_model(sentence, mentions, subject, ctx)
    return carried


def _joint_copies(proposal: ProposedClaim, sentence: str, mentions: list[Mention], start: int,
                  ctx: Context) -> list[ProposedClaim]:
    """The same figure for the second of two joined subjects ("X and Y each ...")."""
    if ", jointly with" not in proposal.decided_by:
        return []
    subject = next((m for m in mentions if m.iri == proposal.subject), None)
    partner = _joined(sentence, mentions, subject, ctx.vocab.get(proposal.property).typical_subject,
                      start + len(proposal.stated))
    if partner is None or subject is None:
        return []
    prop_part = proposal.decided_by.split("; property: ", 1)[-1]
    return [dataclasses.replace(
        proposal, subject=partner.iri, subject_label=partner.label, subject_new=partner.new,
        decided_by=(f"subject: named as the sentence's subject jointly with {subject.label!r} "
                    f"({partner.label!r}); property: {prop_part}"))]


def _remember_model(sentence: str, mentions: list[Mention], subject: Mention, ctx: Context) -> None:
    """Keep the model a sentence is about (its subject, or the model its organisation subject
    releases) as the referent of a later "the model"."""
    if subject.classes & {"Model", "ModelFamily"}:
        ctx.recent_model = subject
    elif ORGANISATION in subject.classes:
        product = _product_of(sentence, mentions, subject)
        if product is not None:
            ctx.recent_model = product


# "1T/32B active", "2 trillion total, 288B active": the words between the whole and its part
PAIR_GAP = re.compile(r"\s*(?:total\b)?\s*(?:/|,|and)\s*", re.I)


def _pair_totals(made: dict[int, ProposedClaim], spans: list[tuple[int, int, str]], masked: str,
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
        a = _amount(first.stated, vocab.get(whole))
        b = _amount(second.stated, vocab.get(second.property))
        if a is None or b is None or a <= b:
            continue
        if first.property != whole:
            q = _read(first.stated, vocab.get(whole).default_unit, vocab.get(whole).dimension)
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


def _conversions(made: dict[int, ProposedClaim], spans: list[tuple[int, int, str]], masked: str
                 ) -> None:
    """"RMB 60 billion ($8 billion)": money in parentheses right after money is the same amount in
    another currency, so it is a figure of the same property about the same subject."""
    for k, first in made.items():
        second = made.get(k + 1)
        if second is None or not CONVERSION_GAP.fullmatch(masked[spans[k][1]:spans[k + 1][0]]):
            continue
        units = [p.value.unit.rsplit("/", 1)[-1] if p.value else "" for p in (first, second)]
        if not all(u.startswith(CURRENCIES) for u in units) or second.property == first.property:
            continue
        # the one a cue word decided gives its reading to the other
        source, target = (second, first) if "no cue word" in first.decided_by \
            and "no cue word" not in second.decided_by else (first, second)
        target.property, target.condition = source.property, source.condition
        target.subject, target.subject_label, target.subject_new = (
            source.subject, source.subject_label, source.subject_new)
        why = f"that of {source.stated!r}, the same amount in another currency (in parentheses)"
        target.decided_by = f"subject: {why}; property: {why}"


def _amount(stated: str, words: PropertyWords) -> float | None:
    q = _read(stated, words.default_unit, words.dimension)
    return None if q is None else (q.amount if q.amount is not None else q.low)


HEADING_LENGTH = 110


def looks_like_heading(text: str) -> bool:
    """A plain-text line that is a heading by its layout: short, one capitalised phrase with no
    sentence punctuation at its end (text documents have no markup to say so)."""
    text = text.strip()
    return (0 < len(text) <= HEADING_LENGTH and text[0].isupper()
            and not re.search(r"[.!?;,:)\]\d%]$", text) and not re.search(r"[.!?]\s+[A-Z]", text))


def heading_subject(text: str, ctx: Context) -> Mention | None:
    """The entity a heading names as its topic (its first name that could be a subject and is not
    compared with another), the discourse subject of the section under it (a new section forgets
    the model the one before was about)."""
    mentions = ctx.book.mentions(text)
    subject = _sentence_subject(text, mentions, None)
    ctx.recent_model = None
    if subject is not None:
        _remember_model(text, mentions, subject, ctx)
    return subject


def _listed(gap: str, figure: str) -> bool:
    """Two figures in one list ("8B, 70B and 405B"); "$0.14/$0.28" is a list of prices, while
    "1T/32B active" pairs a total with an active count (the words after belong to the second)."""
    if re.fullmatch(r"[\s,]*(?:and|or|to)?\s*", gap):
        return True
    return bool(re.fullmatch(r"\s*/\s*", gap) and re.search(r"[$%¥]", figure))


NEVER_SUBJECTS = {"Technique", "Licence"}
PRODUCTS = {"Model", "ModelFamily", "Chip", "System"}
ORGANISATION = "Organisation"
# "an analyst firm estimated that ...", "according to Epoch AI": the source of a figure, not its subject
REPORTING = re.compile(r"^\s+(?:(?:has|have|had|also|later)\s+)?(?:estimat|report|said|says|say\b|found|"
                       r"finds|note[sd]?\b|wrote|writes|claim|argu|believ|expect|predict|forecast|"
                       r"calculat|analy[sz]|told|tells|cit(?:es|ed)\b|put[s]?\s+(?:it|the)|pegs|puts)",
                       re.I)
DEMONYM = re.compile(r"(?:ese|ian|can|ish|ean)$", re.I)   # "Chinese", "American": a country as adjective
ACCORDING = re.compile(r"(?:according\s+to|per|via|source:|data\s+from|analysis\s+by)\W*(?:\w+\W+){0,1}$",
                       re.I)


def _can_be_subject(m: Mention, typical: str | None) -> bool:
    if m.is_qualifier or m.classes & NEVER_SUBJECTS:
        return False
    return typical != KG + "Model" or bool(m.classes & {"Model", "ModelFamily"})


# "MLA compresses the cache by 93%", "FP4 reportedly can cut ...": a technique that acts
ACTOR = re.compile(r"\s+(?:\w+ly\s+)?(?:(?:can|could|will|may)\s+[a-z]+|[a-z]+(?<!ss)s|means)\b")


def _sentence_subject(sentence: str, mentions: list[Mention], typical: str | None, *,
                      chips: bool | frozenset[str] = False, actors: bool = False) -> Mention | None:
    """The entity a sentence is about: its first name that is not the object of a comparison
    ("than X", "like X and Y": a name listed after a compared one is compared too) nor the source
    that reports the figure ("X estimated that", "according to X"; used only when the sentence
    names nothing else). `chips`: a chip or system may be the subject (its own figures); a set of
    classes: only those (a GPU count is a cluster's, never the chip's that counts it)."""
    compared: set[int] = set()
    for k, m in enumerate(mentions):
        listed = k - 1 in compared and re.fullmatch(r"\s*(?:,|/|and|or|,\s*and|,\s*or)\s*",
                                                    sentence[mentions[k - 1].end:m.start])
        if listed or COMPARISON.search(sentence[max(0, m.start - 40):m.start]):
            compared.add(k)
    sources: list[Mention] = []
    for k, m in enumerate(mentions):
        if actors and k == 0 and "Technique" in m.classes and ACTOR.match(sentence[m.end:m.end + 40]):
            return m  # the sentence's first name, acting: the figure is its effect
        if not (_can_be_subject(m, typical) or (chips and _chip_subject(m, chips))):
            continue
        if k in compared:
            continue
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if nxt is not None and re.fullmatch(r"['’]s\s+", sentence[m.end:nxt.start]) \
                and _can_be_subject(nxt, typical):
            continue  # "Moonshot's Kimi K2": the possessor is not what the sentence is about
        if REPORTING.match(sentence[m.end:m.end + 40]) \
                or ACCORDING.search(sentence[max(0, m.start - 30):m.start]) \
                or ("Country" in m.classes and DEMONYM.search(sentence[m.start:m.end])):
            sources.append(m)  # ("a Chinese lab named X": the adjective describes, X is the subject)
            continue
        return m
    return sources[0] if sources else None


def _chip_subject(m: Mention, classes: bool | frozenset[str] = True) -> bool:
    allowed = classes if isinstance(classes, frozenset) else {"Chip", "System"}
    return bool(m.classes & allowed) and not m.classes & NEVER_SUBJECTS


def _attached(sentence: str, start: int, end: int, mentions: list[Mention]) -> Mention | None:
    """A name the figure belongs to by the grammar around it: "X's 30.84M", "X (TDP of 700W)",
    "30.84M for X"."""
    before = sentence[:start]
    for m in mentions:
        gap = sentence[m.end:start]
        if m.end <= start and any(m.end <= o.start < start for o in mentions if o is not m) \
                and not re.fullmatch(r"['’]s\s+(?:[\w-]+\s+){0,2}", gap):
            continue  # another name stands between: the nearer one is the figure's
        if m.end <= start and re.fullmatch(r"['’]s\s+(?:[\w-]+\s+){0,2}", gap):
            return m
        if m.end <= start and re.fullmatch(r"\s*\((?:[^()]{0,30})", gap) \
                and ")" not in gap and before.count("(") > before.count(")"):
            return m
        # "the GB200 NVL72 rack (72 GPUs ...)": a product's noun may stand between (not "X released Y (...")
        # (a compared name is the rival, not the owner: "beats X on MMLU (86.1%)")
        if m.end <= start and m.classes & PRODUCTS \
                and re.fullmatch(r"\s*(?:[\w-]+\s+){1,2}\((?:[^()]{0,30})", gap) \
                and ")" not in gap and before.count("(") > before.count(")") \
                and not COMPARISON.search(sentence[max(0, m.start - 40):m.start]):
            return m
        # "Kimi K2 1T", "GLM-5: 40%", "Claude 70.1%": the figure right after a product's name
        if m.end <= start and re.fullmatch(r"\s*:?\s*", gap) and m.classes & {
                "Model", "ModelFamily", "Chip", "System", "Benchmark"}:
            return m
        # "(GLM-5: 10% FLOPs, 7% KV)": every figure of a list after a product's name and a colon
        if m.end <= start and re.fullmatch(r"\s*:\s*[^;:()]{1,40},\s*", gap) and m.classes & {
                "Model", "ModelFamily", "Chip", "System"}:
            return m
        if m.start >= end and re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}for\s+", sentence[end:m.start]):
            return m
        # "a 5GB X model", "the 405B X": a figure written right before a model's name modifies it
        if m.start >= end and m.classes & {"Model", "ModelFamily"} \
                and re.fullmatch(r"\s+", sentence[end:m.start]):
            return m
    return None


def _has_unit(stated: str) -> bool:
    return bool(_UNIT_WORD.search(stated))


def _read(stated: str, unit: str | None, dimension: str | None) -> quantity.Quantity | None:
    try:
        return quantity.parse(stated, unit, dimension=dimension)
    except QuantityError:
        return None


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
    if what == "date":
        value_date = date_value(stated)
        if value_date is None:
            return None
        prop, how = _date_property(masked[:start], after, vocab)
        own = any(d.startswith(value_date) or value_date.startswith(d) for d in ctx.document_dates)
        if own and prop != KGP + "releaseDate":
            return None  # the document's own date: a fact about the source, not a claim
        named = _attached(sentence, start, end, mentions) if prop is None else None
        if named is not None and named.classes & {"Model", "ModelFamily", "Chip", "System"}:
            prop, how = KGP + "releaseDate", f"a date beside a product's name ({named.label!r}): its release"
        about = _sentence_subject(sentence, mentions, KG + "Model") if prop is None else None
        if about is not None and about.start < start:
            prop, how = KGP + "releaseDate", (f"a date no cue word classifies, in a sentence about a "
                                              f"model ({about.label!r}): its release")
        if prop is None:
            prop, how = KGP + "eventDate", "a date no cue word classifies: proposed as an event date"
            condition = "unclassified date: say what happened on it, or reject"
            confidence -= 0.2
        elif prop == KGP + "eventDate":
            condition = how.split("'")[1] if "'" in how else None
        notes.append(how)
    else:
        if re.fullmatch(r"(?:19|20)\d\d", stated):
            return None  # a bare year is a date without a month: rarely a figure worth a claim
        rate = _rate(after, vocab)
        if rate is not None and rate[0] and vocab.dimension_of(rate[0]) in ("Money", "UnitPrice") \
                and not re.search(_MONEY, stated, re.I):
            rate = None  # "8k output": a price is written with its currency
        explicit = _has_unit(stated)
        q0 = _read(stated, None, None) if explicit else None
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
            owned = bool(before) and start > len(before)
            opened = before.rfind("(")
            if opened >= 0 and ")" not in before[opened:] and re.search(r"#\s*$", before[:opened]):
                before, owned = before[opened + 1:], False  # "chips power X (744B)": inside X's parenthesis
            if ";" in before:   # "top open models; 10x faster": a cue in the clause before is not its
                before, owned = before[before.rindex(";") + 1:], False
            prop, how = _cued_property(before, after, unit, vocab, bare=not explicit,
                                       owned=owned,
                                       leads=end + len(after) < len(masked.rstrip()))
            annotated = _annotated(masked, start)
            if prop is None and annotated and unit is not None:
                # "inference cost fell (prefill $0.2/M vs ...)": a parenthesis details the words before it
                prop, how = _cued_property(annotated, "", unit, vocab, bare=not explicit)
                how = how and f"{how}, the words the parenthesis it is in details"
            if prop is None and _price_pair(sentence, start, end) and unit is not None \
                    and _dimension_of_unit(unit, vocab) == "Money" and "UnitPrice" in vocab.fallback:
                prop = vocab.fallback["UnitPrice"]
                how = "one of a pair of prices written '$a/$b' (input/output): a price"
            if prop is None:
                dim = _dimension_of_unit(unit, vocab)
                if re.fullmatch(r"\d", stated) or not re.search(r"\d", stated):
                    return None  # a lone digit, or a number in words, with no cue word is rarely a claim
                prop = vocab.fallback.get(dim or "Count", KGP + "other")
                if explicit:
                    how = (f"no cue word near it; its unit ({unit.rsplit('/', 1)[-1] if unit else '?'}) "
                           f"makes it {prop.rsplit('/', 1)[-1]}")
                else:
                    how = "no cue word near it and no unit: proposed as kgp:other"
                confidence -= 0.1
            else:
                confidence += 0.2
        if re.fullmatch(r"\d", stated) and "cue" not in how:
            return None
        words = vocab.get(prop)
        q = _read(stated, words.default_unit, words.dimension)
        if q is not None and q.unit == USD and words.dimension == "UnitPrice" and words.default_unit:
            q = dataclasses.replace(q, unit=words.default_unit)  # the price's "per" the property implies
        value_text = None
        if q is None or not vocab.fits(prop, q.unit):
            if prop != KGP + "other" or q0 is None:
                return None
            # a figure in a unit no property takes ("700W" here): kept as written, as text
            q, value_text = None, stated
        else:
            stated = _without_implied_unit(stated, q, words.default_unit, words.dimension)
        if prop == KGP + "other" and condition is None:
            condition = "what it measures: no cue word decided (review)"
        notes.append(how)
    subject, chip, benchmark, subject_how = _subject(sentence, start, end, stated, prop, mentions,
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
        q = _read(stated, vocab.get(prop).default_unit, vocab.get(prop).dimension)
        notes.append("a size in billions or trillions beside a model's name: its parameters")
    if benchmark and prop == KGP + "other" and re.fullmatch(r"\d{1,2}(?:\.\d+)?%?", stated):
        prop, condition = KGP + "benchmarkScore", None
        q = _read(stated, UNIT + "PERCENT", "Score")
        notes.append("a benchmark is named in the sentence")
    if prop != KGP + "benchmarkScore":
        benchmark = None
    if prop not in (KGP + "trainingGpuHours", KGP + "gpuCount", KGP + "trainingCost"):
        chip = None
    return ProposedClaim(
        line=0, stated=stated, subject=subject.iri or None, property=prop,
        hedge=_hedge(masked, start, end, ctx.vocab), evidence=evidence_phrase(sentence, start, end),
        confidence=round(max(0.05, min(confidence, 0.95)), 2), subject_label=subject.label,
        subject_new=subject.new, value_date=value_date, chip=chip, benchmark=benchmark,
        condition=condition, source="prose", value=q, value_text=value_text,
        decided_by=f"subject: {subject_how}; property: {'; '.join(notes)}")


PRICE_PAIR_AFTER = re.compile(r"\s*/\s*(?:us)?[$¥]\s*\d", re.I)
PRICE_PAIR_BEFORE = re.compile(r"[$¥]\s*[\d.,]+\s*[kmb]?\s*/\s*$", re.I)


def _annotated(masked: str, start: int) -> str:
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


def _price_pair(sentence: str, start: int, end: int) -> bool:
    """"$0.14/$0.28": two amounts of money joined by a slash are a pair of prices (input and
    output per million tokens), never two totals."""
    return bool(PRICE_PAIR_AFTER.match(sentence[end:]) or PRICE_PAIR_BEFORE.search(sentence[:start]))


def _dimension_of_unit(unit: str | None, vocab: Vocabulary) -> str | None:
    if unit is None:
        return None
    dims = vocab.unit_dimensions.get(unit, set())
    for preferred in ("Money", "ComputeTime", "Compute", "UnitPrice", "Duration", "Count", "Ratio"):
        if preferred in dims:
            return preferred
    return next(iter(dims), None)


def _rate(after: str, vocab: Vocabulary) -> tuple[str | None, str] | None:
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


def _without_implied_unit(stated: str, q: quantity.Quantity, unit: str | None, dimension: str | None
                         ) -> str:
    """"39.3M GPU hours" -> "39.3M" when the property implies GPU-hours (graph/CURATION.md: leave
    out nouns the property already implies); "700W" or "65.8%" stay as they are."""
    m = re.match(r"^(.*?\d[\d.,]*\s*(?:[kmbt]|bn|mn|tn|thousand|million|billion|trillion)?\+?)"
                 r"\s+[A-Za-z][\w\s-]*$", stated, re.I)
    if not m:
        return stated
    shorter = m.group(1).strip()
    again = _read(shorter, unit, dimension)
    if again is not None and again.unit == q.unit and again.amount == q.amount:
        return shorter
    return stated


LEADS_NEXT = re.compile(
    r"(?:\s+[\w-]+){0,2}\s*(?:to|by|of|:|=|reached|was|is|of\s+about|of\s+around)\s*[~#]*\s*", re.I)
OWNED_REACH = 2  # characters: a cue this close after the previous figure is that figure's ("10x faster")


def _cued_property(before: str, after: str, unit: str | None, vocab: Vocabulary, *, bare: bool = False,
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
        for s, e, cue in vocab.cues_in(text):
            node = cue.node
            if reducing and vocab.get(node).reduced_as:
                node = vocab.get(node).reduced_as or node  # "reducing memory use by 39%"
                cue = Cue(f"{cue.text}' after '{reducing}", node, cue.pattern)
            words = vocab.get(cue.node)
            if words.dimension in ("DateValue", "EntityValue", "TextValue", "BooleanValue"):
                continue
            if bare and words.dimension in ("Money", "UnitPrice", "Duration"):
                continue  # money and time are written with their unit: a bare number is neither
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


SIZE_AFTER_NAME = re.compile(r"[~≈]?\d+(?:\.\d+)?\s?[BT]")
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


def _date_property(before: str, after: str, vocab: Vocabulary) -> tuple[str | None, str]:
    best: tuple[float, int, str, str] | None = None
    # a cue after the date counts within its own clause only ("released X on May 6, under an
    # open licence": the licence is not what the date is of)
    after = re.split(r"[,;()]|\s[-–—]\s", after[:60], maxsplit=1)[0]
    for side, text in (("after", after), ("before", before[-DATE_CUE_BEFORE:])):
        for s, e, cue in vocab.cues_in(text):
            if vocab.get(cue.node).dimension != "DateValue":
                continue
            distance = s if side == "after" else len(text) - e
            key = (distance, -(e - s), cue.node, cue.text)
            if best is None or key < best:
                best = key
    if best is None:
        return None, ""
    return best[2], f"date cue word '{best[3]}'"


def _hedge(masked: str, start: int, end: int, vocab: Vocabulary) -> str:
    window_lo, window_hi = max(0, start - 70), min(len(masked), end + 50)
    best: tuple[int, str] | None = None
    for s, e, cue in vocab.hedges_in(masked[window_lo:window_hi]):
        s, e = s + window_lo, e + window_lo
        distance = start - e if e <= start else s - end
        if best is None or distance < best[0]:
            best = (max(distance, 0), cue.node)
    return best[1].rsplit("#", 1)[-1] if best else "Stated"


def _subject(sentence: str, start: int, end: int, stated: str, prop: str, mentions: list[Mention],
             carried: Mention | None, ctx: Context
             ) -> tuple[Choice | None, str | None, str | None, str]:
    chip = next((m.iri for m in mentions if m.classes & {"Chip", "System"}), None)
    benchmark = next((m.iri for m in mentions if "Benchmark" in m.classes), None)
    typical = ctx.vocab.get(prop).typical_subject
    attached = _attached(sentence, start, end, mentions)
    if attached is not None and "Benchmark" in attached.classes:
        benchmark, attached = attached.iri, None  # "MMLU (86.1%)": the benchmark, not the subject
    if attached is not None and (not attached.is_qualifier or typical != KG + "Model") \
            and not attached.classes & NEVER_SUBJECTS:
        return _sized(_choice(attached), stated, prop, ctx), None if attached.iri == chip else chip, \
            benchmark, f"named right beside the figure ({attached.label!r})"
    chips: bool | frozenset[str] = typical != KG + "Model" and prop != KGP + "trainingGpuHours"
    if prop == KGP + "gpuCount":  # "Fire-Flyer 2, equipped with 10,000 A100s": the cluster's count
        chips = frozenset({"System"})
    subject_mention = _sentence_subject(sentence, mentions, typical, chips=chips,
                                        actors=typical not in (KG + "Model", KG + ORGANISATION))
    if carried is not None and ORGANISATION in carried.classes and typical != KG + ORGANISATION \
            and ctx.recent_model is not None:
        carried = ctx.recent_model  # "The lab released X ... It cut costs by 40%": X's figure
    released = prop == KGP + "releaseDate" and subject_mention is not None \
        and bool(subject_mention.classes & PRODUCTS)  # "on May 6 the lab released X": X's date
    if subject_mention is not None and subject_mention.start >= end and carried is not None \
            and _can_be_subject(carried, typical) and not released:
        # "... 81% like GPT-5": a name only after the figure is its object; the subject is the
        # one the text was already about
        return _sized(_choice(carried), stated, prop, ctx), chip, benchmark, \
            (f"carried from the previous sentence ({carried.label!r}); "
             f"{subject_mention.label!r} is named only after the figure")
    partner = _joined(sentence, mentions, subject_mention, typical, end)
    if subject_mention is not None and partner is not None:
        return _choice(subject_mention), chip, benchmark, \
            (f"named as the sentence's subject ({subject_mention.label!r}), jointly with "
             f"{partner.label!r}")
    if subject_mention is not None and ORGANISATION in subject_mention.classes \
            and typical != KG + ORGANISATION:
        product = _product_of(sentence, mentions, subject_mention)
        if product is not None:
            return _sized(_choice(product), stated, prop, ctx), chip, benchmark, \
                (f"{product.label!r}, the model the sentence's subject "
                 f"({subject_mention.label!r}) releases or serves")
    if subject_mention is not None:
        return _sized(_choice(subject_mention), stated, prop, ctx), chip, benchmark, \
            f"named as the sentence's subject ({subject_mention.label!r})"
    if carried is not None and _can_be_subject(carried, typical):
        return _sized(_choice(carried), stated, prop, ctx), chip, benchmark, \
            f"carried from the previous sentence ({carried.label!r})"
    if typical != KG + "Model" and chip is not None and prop not in (
            KGP + "trainingGpuHours", KGP + "gpuCount"):
        m = next(m for m in mentions if m.iri == chip)
        return _choice(m), None, benchmark, f"the chip the sentence names ({m.label!r})"
    if typical == KG + "Model" and ctx.recent_model is not None:
        m = ctx.recent_model
        return _sized(_choice(m), stated, prop, ctx), chip, benchmark, \
            f"the model the text was last about ({m.label!r}): 'the model', 'it'"
    if ctx.main is not None:
        return _sized(ctx.main, stated, prop, ctx), chip, benchmark, \
            ctx.main.how or "the document's main subject"
    return None, chip, benchmark, "no subject"


JOINED = re.compile(r"\s*(?:/|&|and)\s*", re.I)


def _joined(sentence: str, mentions: list[Mention], subject: Mention | None, typical: str | None,
            end: int) -> Mention | None:
    """"X/Y achieve 90%", "X and Y each ordered 230,000": a second name joined to the sentence's
    subject before the figure shares the figure (one proposal each)."""
    if subject is None or subject.start >= end:
        return None
    k = next((i for i, m in enumerate(mentions) if m is subject), None)
    if k is None or k + 1 >= len(mentions):
        return None
    other = mentions[k + 1]
    if other.end > end or other.iri == subject.iri or not JOINED.fullmatch(sentence[subject.end:other.start]):
        return None
    if not _can_be_subject(other, typical) or not re.match(r"\s+(?:each|both|all)?\s*[a-z]",
                                                           sentence[other.end:other.end + 12]):
        return None  # "X and Y's 30%": a possessive or a name list, not a joint subject
    return other


def _product_of(sentence: str, mentions: list[Mention], org: Mention) -> Mention | None:
    """"Alibaba sells its Qwen2.5-72B model at $0.40", "On May 6 DeepSeek released V2": a model named after
    the organisation, not compared with anything, is what the figure is about (unless the property
    is an organisation's: funding, headcount, margin)."""
    for m in mentions:
        if m.start <= org.start or not m.classes & {"Model", "ModelFamily"}:
            continue
        if COMPARISON.search(sentence[max(0, m.start - 40):m.start]):
            continue
        return m
    return None


def _sized(choice: Choice, stated: str, prop: str, ctx: Context) -> Choice:
    """"Llama 3.1 ... in 8B, 70B and 405B sizes": a parameter count on a family whose sized model
    the graph or the document names ("Llama 3.1 8B") belongs to that model."""
    if prop != KGP + "totalParameters" or not re.fullmatch(r"\d+(?:\.\d+)?[BMK]", stated):
        return choice
    name = f"{choice.label} {stated}"
    match = ctx.book.known(name)
    if match is None:
        return choice
    match.how = f"{choice.label!r} with the size {stated!r} names {match.label!r}"
    return match


def _choice(m: Mention) -> Choice:
    return Choice(m.iri, m.label, m.new, "", m.classes)
