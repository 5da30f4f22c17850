"""Propose candidate claims from a document: every figure, the entity it is about, a guessed property.

The extractor is a reviewer's assistant, not a curator: it finds figures with general patterns
(currency, magnitude words, units, percentages, ratios, ranges, bounds, dates), checks each
with kg.core.quantity, links it to the nearest entity the graph names in the same sentence (labels
and aliases, so it learns every name a curator adds), guesses the property from cue words
around the figure, and records hedge words, line and a short evidence phrase. Every candidate
carries kg:extractedBy and kg:extractionConfidence so nobody mistakes it for a curated claim.

Nothing here is tuned to particular documents: the cue words are the ordinary vocabulary of
the properties in ontology/properties.ttl. benchmarks/extraction.py measures how far that gets.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.core import quantity
from kg.core.errors import InputError, QuantityError
from kg.core.vocab import DCTERMS, KG, KGC, KGE, KGP, KGS, KGU, PROV, RDF, UNIT, XSD
from kg.ingest.resolve import Resolver, slug

EXTRACTOR = "kg.extract 0.1"

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_MAG = r"(?:\s*-?\s*(?:quadrillion|trillion|billion|million|thousand)\b|(?:bn|mn|tn|[kmbt])\b)"
_UNIT = (r"(?:\s*(?:%|percent\b|per\s*cent\b|x\b|×|-?fold\b|"
         r"(?:[A-Za-z0-9]+\s+)?gpu[\s-]*hours?\b|(?:h800|h100|a100|gpu|npu)[\s-]*hours?\b|"
         r"gpu[\s-]*hrs?\b|e?flops?\b|tflops?\b|pflops?\b|gb/s\b|tb/s\b|gw\b|mw\b|gb\b|tb\b|"
         r"hours?\b|days?\b|weeks?\b|months?\b|years?\b|/\s*m(?:tok)?\b|per\s+million(?:\s+\w+)?\s+tokens\b))")
_PRE = (r"(?:(?:~|≈|about|around|roughly|approximately|approx\.?|nearly|almost|some|over|under|"
        r"more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|below|above|north\s+of|"
        r"upwards\s+of|just\s+over|just\s+under|close\s+to|est\.?|an\s+estimated)\s*)")
_MONEY = r"(?:us\$|\$|¥|rmb\s?|usd\s?)"
_SIDE = rf"{_MONEY}?(?:{_NUM}){_MAG}?"
FIGURE = re.compile(
    rf"(?<![\w.]){_PRE}*(?:\d+\s*:\s*\d+|{_SIDE}(?:\s*(?:-|–|to)\s*{_SIDE})?\+?{_UNIT}?)(?![\w])",
    re.I)
DATE = re.compile(
    rf"\b(?:\d{{4}}-\d\d-\d\d|(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}|"
    rf"(?:early|mid|late)?[\s-]*(?:{_MONTHS})\.?\s+\d{{4}})\b", re.I)

HEDGES = [  # the text's stance, nearest first wins
    (r"\b(?:reportedly|reported|according\s+to|claim(?:s|ed)?|said|says|allegedly|rumou?r)",
     "Reported"),
    (r"\b(?:unverified|unconfirmed|anecdotal|could\s+not\s+(?:be\s+)?verif)", "Unverified"),
    (r"\b(?:estimat\w*|est\.|we\s+reckon|we\s+calculate|back-of|guess)", "Estimated"),
    (r"\b(?:will|plans?|planned|expected|projected|forecast\w*|aims?\s+to|targets?|upcoming)\b", "Projected"),
    (r"\b(?:disputed|doubt\w*|skeptic\w*|contested|misleading)\b", "Disputed"),
]

# (cue pattern in the clause, property, kind of figure it takes); first fitting rule wins
RULES: list[tuple[str, str, str]] = [
    (r"gpu[\s-]*h(?:ou)?rs?|\bh800\s+hours|\bh100\s+hours|gpu-hours", "trainingGpuHours", "ComputeTime"),
    (r"\bmfu\b|utili[sz]ation", "modelFlopsUtilization", "Ratio"),
    (r"per\s+(?:1\s*)?(?:m|million)\b.*tokens?|/\s*m\s*tok|/m\b|per\s+million", "apiPrice", "UnitPrice"),
    (r"\bactive\b|activat", "activeParameters", "Count"),
    (r"param", "totalParameters", "Count"),
    (r"context", "contextWindow", "Count"),
    (r"tokens?\b.*(?:train|pre-?train|data)|(?:train|pre-?train|data)\w*.*tokens?\b|\btokens\b",
     "trainingTokens", "Count"),
    (r"\bflops?\b.*per\s+token", "flopsPerToken", "Compute"),
    (r"\bflops?\b|compute", "trainingCompute", "Compute"),
    (r"raised|funding|valuation|round", "fundingRaised", "Money"),
    (r"capex|capital\s+expend|spend\w*\s+on|data\s*cent", "capitalExpenditure", "Money"),
    (r"invest", "investment", "Money"),
    (r"salar|compensation|pay\s+package|offer", "compensationOffer", "Money"),
    (r"train|cost|run|budget", "trainingCost", "Money"),
    (r"\bgpus?\b|\bchips?\b|accelerators?|cluster", "gpuCount", "Count"),
    (r"\busers?\b", "users", "Count"),
    (r"download", "downloads", "Count"),
    (r"experts?\b", "expertCount", "Count"),
    (r"engineers?|researchers?|employees|staff|headcount", "headcount", "Count"),
    (r"languages", "languagesSupported", "Count"),
    (r"cheaper|cost|price", "costRatio", "Ratio"),
    (r"faster|speed", "speedup", "Ratio"),
    (r"reduc|cut|lower|less|fewer|sav", "costReduction", "Ratio"),
    (r"market\s+share|share\s+of", "marketShare", "Ratio"),
    (r"margin", "grossMargin", "Ratio"),
    (r"score|benchmark|accuracy|pass@|elo|\barena\b", "benchmarkScore", "Score"),
    (r"behind|lag|gap", "monthsBehindFrontier", "Duration"),
    (r"train", "trainingDuration", "Duration"),
]
DATE_RULES = [(r"launch|releas|unveil|debut|shipped|open-sourc|published", "releaseDate"),
              (r"announc", "announcementDate"),
              (r"effect|ban|rule|restrict|export|licen", "effectiveDate")]
FALLBACK = {"Money": "trainingCost", "Count": "other", "Ratio": "other", "Score": "other",
            "ComputeTime": "trainingGpuHours", "Compute": "trainingCompute",
            "Duration": "trainingDuration", "UnitPrice": "apiPrice"}
DIMENSION_OF_UNIT = {UNIT + "NUM": "Count", UNIT + "UNITLESS": "Ratio", UNIT + "CCY_USD": "Money",
                     UNIT + "CCY_CNY": "Money", UNIT + "HR": "Duration", KGU + "GPU-HR": "ComputeTime",
                     KGU + "FLOP": "Compute", KGU + "USD-PER-MegaTOK": "UnitPrice"}
PROPERTY_DEFAULT_UNIT = {
    "Count": UNIT + "NUM", "Ratio": UNIT + "UNITLESS", "Money": UNIT + "CCY_USD",
    "Duration": UNIT + "DAY", "ComputeTime": KGU + "GPU-HR", "Compute": KGU + "FLOP",
    "UnitPrice": KGU + "USD-PER-MegaTOK", "Score": UNIT + "PERCENT"}
QUALIFIER_CLASSES = {"Chip", "System", "Benchmark"}
MODEL_PROPERTIES = {"totalParameters", "activeParameters", "trainingTokens", "trainingGpuHours",
                    "trainingCompute", "flopsPerToken", "trainingCost", "contextWindow",
                    "benchmarkScore", "apiPrice", "modelFlopsUtilization", "trainingDuration"}
_UNIT_OF = {"totalParameters": "NUM", "activeParameters": "NUM", "contextWindow": "NUM",
            "trainingTokens": "NUM", "gpuCount": "NUM", "users": "NUM", "downloads": "NUM",
            "expertCount": "NUM", "headcount": "NUM", "languagesSupported": "NUM",
            "modelFlopsUtilization": "PERCENT", "marketShare": "PERCENT", "grossMargin": "PERCENT",
            "costReduction": "PERCENT", "benchmarkScore": "PERCENT", "costRatio": "UNITLESS",
            "speedup": "UNITLESS", "other": "UNITLESS", "trainingCost": "CCY_USD",
            "fundingRaised": "CCY_USD", "capitalExpenditure": "CCY_USD", "investment": "CCY_USD",
            "compensationOffer": "CCY_USD", "trainingDuration": "DAY", "monthsBehindFrontier": "MO"}
PROPERTY_UNIT = {p: UNIT + u for p, u in _UNIT_OF.items()}
PROPERTY_UNIT.update({"trainingGpuHours": KGU + "GPU-HR", "trainingCompute": KGU + "FLOP",
                      "flopsPerToken": KGU + "FLOP", "apiPrice": KGU + "USD-PER-MegaTOK"})


@dataclass
class Mention:
    start: int
    end: int
    iri: str
    classes: frozenset[str]


@dataclass
class Candidate:
    """One proposed claim, with what a reviewer needs to accept, fix or drop it."""

    line: int
    stated: str
    subject: str | None
    property: str
    hedge: str
    evidence: str
    confidence: float
    value_date: str | None = None
    chip: str | None = None
    benchmark: str | None = None
    condition: str | None = None
    value: quantity.Quantity | None = None
    reasons: list[str] = field(default_factory=list)


def read_text(path: Path) -> list[str]:
    """The document as lines of plain text, line numbers kept (HTML tags and Markdown marks removed)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text") from exc
    if path.suffix.lower() in (".html", ".htm") or re.match(r"\s*<(?:!doctype|html)", raw, re.I):
        raw = html.unescape(_strip_tags(raw))
    lines = raw.splitlines()
    if path.suffix.lower() in (".md", ".markdown"):
        lines = [_strip_markdown(line) for line in lines]
    return lines


def _strip_tags(raw: str) -> str:
    """HTML without its tags (and script and style content), line breaks kept, in one pass.

    The regular expressions this replaces scanned to the end of the text from every `<` with no
    `>` after it: 50,000 unclosed tags took 10 s (issue 18, benchmarks/parsers.py).
    """
    out, at, n = [], 0, len(raw)
    lower = raw.lower()
    while at < n:
        opened = raw.find("<", at)
        if opened < 0:
            out.append(raw[at:])
            break
        closed = raw.find(">", opened + 1)
        if closed < 0:  # no tag closes from here on: the rest is text
            out.append(raw[at:])
            break
        out.append(raw[at:opened])
        tag = re.match(r"<(script|style)\b", lower[opened:opened + 8])
        end = closed + 1
        dropped = False
        if tag:  # drop the element with its content, when it is closed
            close = lower.find(f"</{tag.group(1)}", end)
            after = lower.find(">", close) if close >= 0 else -1
            if after >= 0:
                end, dropped = after + 1, True
        out.append("\n" * raw.count("\n", opened, end) + ("" if dropped else " "))
        at = end
    return "".join(out)


def _strip_markdown(line: str) -> str:
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)", "", line)
    return re.sub(r"(\*\*|__|`)", "", line)


class Linker:
    """Finds entity mentions by label and alias: short labels case-sensitive, long ones not."""

    def __init__(self, resolver: Resolver) -> None:
        by_label: dict[str, set[int]] = {}
        for i, e in enumerate(resolver.entries):
            if len(e.label) >= 2 and e.iri.startswith(KGE):
                by_label.setdefault(e.label if len(e.label) <= 3 else e.label.casefold(), set()).add(i)
        self.entries = resolver.entries
        self.label_of: dict[str, tuple[str, frozenset[str]]] = {}
        for label, idx in by_label.items():
            iris = {self.entries[i].iri for i in idx}
            if len(iris) == 1:  # a label two entities share links to neither
                i = next(iter(idx))
                self.label_of[label] = (self.entries[i].iri, self.entries[i].classes)
        labels = sorted(self.label_of, key=len, reverse=True)
        short = [re.escape(x) for x in labels if len(x) <= 3]
        long_ = [re.escape(x) for x in labels if len(x) > 3]
        self.long = re.compile(r"(?<![\w])(?:" + "|".join(long_) + r")(?![\w])", re.I) if long_ else None
        self.short = re.compile(r"(?<![\w])(?:" + "|".join(short) + r")(?![\w])") if short else None

    def mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken = [False] * len(text)
        for pattern, fold in ((self.long, True), (self.short, False)):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                if any(taken[m.start():m.end()]):
                    continue
                key = m.group(0).casefold() if fold else m.group(0)
                if key not in self.label_of:
                    continue
                iri, classes = self.label_of[key]
                found.append(Mention(m.start(), m.end(), iri,
                                     frozenset(c.rsplit("#", 1)[-1] for c in classes)))
                for k in range(m.start(), m.end()):
                    taken[k] = True
        return sorted(found, key=lambda x: x.start)


def _sentences(line: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?;])\s+(?=[A-Z(\"'])|\s+[-–—•]\s+(?=[A-Z])", line):
        out.append((start, line[start:m.start()]))
        start = m.end()
    out.append((start, line[start:]))
    return out


# A sentence longer than this is read in pieces of at most this length, cut at a blank: each
# figure is compared with every name in its sentence, so an endless "sentence" (a minified page,
# 100,000 characters of figures and commas) took minutes (issue 18, benchmarks/parsers.py)
MAX_SENTENCE = 1_000


def _pieces(sentences: list[tuple[int, str]], line: int) -> list[tuple[int, str]]:
    import warnings

    out = []
    for offset, sentence in sentences:
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


def _mask(text: str, mentions: list[Mention]) -> str:
    chars = list(text)
    for m in mentions:
        for k in range(m.start, m.end):
            chars[k] = "#"
    return "".join(chars)


def _evidence(text: str, start: int, end: int, limit: int = 88) -> str:
    """About eight words around the figure, copied as written."""
    left = text[:start].split()[-4:]
    right = text[end:].split()[:3]
    phrase = " ".join(left + [text[start:end].strip()] + right)
    while len(phrase) > limit and (left or right):
        if len(left) >= len(right) and left:
            left = left[1:]
        else:
            right = right[:-1]
        phrase = " ".join(left + [text[start:end].strip()] + right)
    return phrase[:limit]


def _hedge(clause: str) -> str:
    for pattern, hedge in HEDGES:
        if re.search(pattern, clause, re.I):
            return hedge
    return "Stated"


def _kind(stated: str) -> tuple[str, quantity.Quantity] | None:
    """What kind of figure the text itself states, read by kg.core.quantity; None when not a figure."""
    for unit, dim in ((None, None), (UNIT + "NUM", None)):
        try:
            q = quantity.parse(stated, unit, dimension=dim)
        except QuantityError:
            continue
        return DIMENSION_OF_UNIT.get(q.unit, "Other"), q
    return None


def _fits(takes: str, kind: str, stated: str) -> bool:
    bare = not re.search(r"[%x×$¥]|fold|percent|rmb|usd|hour|day|week|month|year|flop", stated, re.I)
    if takes == kind or (takes == "Score" and kind == "Ratio"):
        return True
    # a bare count takes the unit its property implies ("2.788 million" GPU hours)
    return bare and kind in ("Count", "Ratio") and takes in ("Count", "ComputeTime", "Compute")


def _property(kind: str, parts: tuple[str, str, str], stated: str) -> tuple[str, bool]:
    """Cue words right after the figure count most, then just before it, then the clause."""
    for text in parts:
        for cue, prop, takes in RULES:
            if _fits(takes, kind, stated) and re.search(cue, text, re.I):
                return prop, True
    return FALLBACK.get(kind, "other"), False


def extract_lines(lines: list[str], resolver: Resolver, linker: Linker | None = None) -> list[Candidate]:
    """Candidates in line order; the subject of the last sentence carries over when a sentence names none."""
    linker = linker or Linker(resolver)
    out: list[Candidate] = []
    carried: str | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            carried = None
            continue
        for _offset, sentence in _pieces(_sentences(line), number):
            mentions = linker.mentions(sentence)
            masked = _mask(sentence, mentions)
            subjects = [m for m in mentions if not (m.classes & QUALIFIER_CLASSES)]
            spans: list[tuple[int, int, str]] = []
            for m in DATE.finditer(masked):
                spans.append((m.start(), m.end(), "date"))
            for m in FIGURE.finditer(masked):
                if any(s <= m.start() < e or s < m.end() <= e for s, e, _ in spans):
                    continue
                spans.append((m.start(), m.end(), "figure"))
            for start, end, what in sorted(spans):
                stated = sentence[start:end].strip().rstrip(".,;")
                cand = _candidate(number, sentence, start, end, stated, what, mentions,
                                  subjects, carried)
                if cand:
                    out.append(cand)
            if subjects:
                carried = subjects[-1].iri
    return out


def _candidate(line: int, sentence: str, start: int, end: int, stated: str, what: str,
               mentions: list[Mention], subjects: list[Mention], carried: str | None
               ) -> Candidate | None:
    window = sentence[max(0, start - 60):min(len(sentence), end + 60)]
    reasons: list[str] = []
    confidence = 0.4
    value_date = None
    q = None
    if what == "date":
        value_date = _date_value(stated)
        if value_date is None:
            return None
        prop, cued = next(((p, True) for cue, p in DATE_RULES if re.search(cue, window, re.I)),
                          ("releaseDate", False))
    else:
        if re.fullmatch(r"(?:19|20)\d\d", stated) or re.fullmatch(r"\d", stated):
            return None  # a bare year or a single digit is almost never a figure worth a claim
        kind = _kind(stated)
        if kind is None:
            return None
        dim, q = kind
        after = sentence[end:end + 28]
        before = sentence[max(0, start - 40):start]
        prop, cued = _property(dim, (stated + after, before, window), stated)
        try:
            q = quantity.parse(stated, PROPERTY_UNIT.get(prop, UNIT + "UNITLESS"),
                               dimension="Score" if prop == "benchmarkScore" else None)
        except QuantityError:
            return None
    if cued:
        confidence += 0.2
        reasons.append("property cue")
    subject, chip, benchmark = None, None, None
    wanted = {"Model", "ModelFamily"} if prop in MODEL_PROPERTIES else set()
    near = sorted(subjects, key=lambda m: min(abs(m.start - end), abs(m.end - start))
                  + (0 if m.end <= start else 15) + (0 if not wanted or m.classes & wanted else 60))
    if near:
        subject = near[0].iri
        confidence += 0.25
        reasons.append("entity in sentence")
    elif carried:
        subject = carried
        confidence += 0.05
        reasons.append("entity from previous sentence")
    for m in mentions:
        if "Chip" in m.classes or "System" in m.classes:
            chip = chip or m.iri
        if "Benchmark" in m.classes:
            benchmark = benchmark or m.iri
    if benchmark and prop in ("other", "benchmarkScore"):
        prop = "benchmarkScore"
    elif prop != "benchmarkScore":
        benchmark = None
    if subject is None and chip and prop not in ("trainingGpuHours", "gpuCount"):
        subject, chip = chip, None
    if subject is None:
        confidence -= 0.2
        reasons.append("no entity found")
    return Candidate(line=line, stated=stated, subject=subject, property=KGP + prop,
                     hedge=_hedge(window), evidence=_evidence(sentence, start, end),
                     confidence=round(max(0.05, min(confidence, 0.95)), 2), value_date=value_date,
                     chip=chip if prop in ("trainingGpuHours", "gpuCount", "trainingCost") else None,
                     benchmark=benchmark, value=q,
                     condition=None if cued or prop != "other" else "property not guessed: no cue words",
                     reasons=reasons)


_MONTH_NUM = {m: i for i, ms in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
    for m in [ms]}


def _date_value(text: str) -> str | None:
    m = re.fullmatch(r"\d{4}-\d\d-\d\d", text)
    if m:
        return text
    year = re.search(r"\d{4}", text)
    month = re.search(_MONTHS, text, re.I)
    if not year or not month:
        return None
    mon = _MONTH_NUM[month.group(0).lower()[:3]]
    day = re.search(r"(?<!\d)(\d{1,2})(?!\d)", text.replace(year.group(0), ""))
    if day and 1 <= int(day.group(1)) <= 31:
        return f"{year.group(0)}-{mon:02d}-{int(day.group(1)):02d}"
    return f"{year.group(0)}-{mon:02d}"


def extract_file(path: Path, resolver: Resolver) -> list[Candidate]:
    return extract_lines(read_text(path), resolver)


def to_triples(candidates: list[Candidate], path: Path) -> list[ox.Triple]:
    """Candidates as claims (subject, property, stated, hedge, line, evidence, extraction marks)."""
    doc_slug = slug(Path(path).stem)
    doc = KGS + f"candidate-{doc_slug}"
    t: list[ox.Triple] = []

    def add(s: str, p: str, o) -> None:
        t.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o))

    add(doc, RDF + "type", ox.NamedNode(KG + "Document"))
    add(doc, DCTERMS + "title", ox.Literal(f"[document read by kg extract: {Path(path).name}]"))
    add(doc, KG + "corpusFile", ox.Literal(Path(path).name))
    used: set[str] = set()
    for c in candidates:
        if c.subject is None:
            continue
        base = (f"x-{doc_slug}-{c.line:03d}-{c.subject.rsplit('/', 1)[-1]}-"
                f"{c.property.rsplit('/', 1)[-1]}")
        iri, n = KGC + base, 1
        while iri in used:
            n += 1
            iri = KGC + f"{base}-{chr(ord('a') + n - 1)}"
        used.add(iri)
        add(iri, RDF + "type", ox.NamedNode(KG + "Claim"))
        add(iri, KG + "subject", ox.NamedNode(c.subject))
        add(iri, KG + "property", ox.NamedNode(c.property))
        add(iri, KG + "stated", ox.Literal(c.stated))
        if c.value_date:
            dt = XSD + ("date" if len(c.value_date) == 10 else "gYearMonth")
            add(iri, KG + "valueDate", ox.Literal(c.value_date, datatype=ox.NamedNode(dt)))
        for p, v in ((KG + "chip", c.chip), (KG + "benchmark", c.benchmark)):
            if v:
                add(iri, p, ox.NamedNode(v))
        if c.condition:
            add(iri, KG + "condition", ox.Literal(c.condition))
        add(iri, KG + "hedge", ox.NamedNode(KG + c.hedge))
        add(iri, PROV + "wasDerivedFrom", ox.NamedNode(doc))
        add(iri, KG + "line", ox.Literal(str(c.line), datatype=ox.NamedNode(XSD + "integer")))
        add(iri, KG + "locator", ox.Literal(f"line {c.line}"))
        add(iri, KG + "evidence", ox.Literal(c.evidence))
        add(iri, KG + "extractedBy", ox.Literal(EXTRACTOR))
        add(iri, KG + "extractionConfidence",
            ox.Literal(f"{c.confidence:.2f}", datatype=ox.NamedNode(XSD + "decimal")))
    return t


def to_turtle_text(candidates: list[Candidate], path: Path) -> str:
    from kg.core.turtle import to_turtle

    skipped = sum(1 for c in candidates if c.subject is None)
    header = (f"Candidate claims proposed by `kg extract` from {Path(path).name}: review each, "
              "then `kg add` the file.\n"
              f"{len(candidates) - skipped} candidate(s); {skipped} figure(s) with no entity are "
              "listed only by --format table.")
    return to_turtle(to_triples(candidates, path), header=header)


def to_records(candidates: list[Candidate]) -> tuple[list[str], list[list[object]]]:
    from kg.core.vocab import shorten

    columns = ["line", "stated", "subject", "property", "qualifier", "hedge", "confidence",
               "evidence"]
    records = [[c.line, c.stated, shorten(c.subject) if c.subject else "",
                shorten(c.property), shorten(c.chip or c.benchmark or "") if (c.chip or c.benchmark)
                else "", c.hedge.lower(), f"{c.confidence:.2f}", c.evidence] for c in candidates]
    return columns, records
