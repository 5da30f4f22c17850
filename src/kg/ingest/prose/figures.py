"""Figures in a sentence: the sentence splitter, the figure patterns (numbers, magnitudes, units,
ranges, bounds, fractions, numbers in words), names masked so their digits are never figures,
and the evidence phrase copied around a figure."""

from __future__ import annotations

import re

from kg.core import quantity
from kg.core.errors import QuantityError
from kg.ingest.names import Mention, name_cores
from kg.ingest.prose.context import NEVER_SUBJECTS, Context
from kg.ingest.prose.dates import DATE, MONTH_ONLY, RELATIVE

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_MAG = r"(?:\s*-?\s*(?:quadrillion|trillion|billion|million|thousand)\b|(?:bn|mn|tn|[kmbt])\b)"
_UNIT = (r"(?:\s*(?:%|percent\b|per\s*cent\b|x\b|×|-?fold\b|"
         r"gpu[\s-]*hours?\b|gpu[\s-]*hrs?\b|[ezpgt]?flops?(?:/s)?\b|gb/s\b|tb/s\b|gbps\b|tbps\b|gw\b|mw\b|"
         r"(?:giga|mega|kilo)watts?\b|"
         r"kw\b|w\b|gb\b|tb\b|hours?\b|days?\b|weeks?\b|months?\b|mo\b|years?\b|/\s*m(?:tok)?\b|"
         r"per\s+million(?:\s+\w+)?\s+tokens\b|usd\b|(?:us\s+)?dollars\b|rmb\b|yuan\b|pp\b|percentage\s+points?\b))")
_PRE = (r"(?:(?:~|≈|[<>≥≤]=?|about|around|roughly|approximately|approx\.?|nearly|almost|some|over|under|"
        r"more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|below|above|north\s+of|"
        r"upwards\s+of|just\s+over|just\s+under|closer\s+to|close\s+to|est\.?|an\s+estimated)\s*)")
MONEY = r"(?:us\$|\$|¥|rmb\s?|usd\s?)"
_SIDE = rf"{MONEY}?(?:{_NUM}){_MAG}?"
# "1/6", "1/10th", "~1/6-1/7": a fraction (never a date: no third part, no four-digit year)
_FRACTION = r"\d{1,2}/\d{1,3}(?:th|rd|nd)?(?:\s*[-–]\s*\d{1,2}/\d{1,3}(?:th|rd|nd)?)?(?![\d/])"
FIGURE = re.compile(
    rf"(?<![\w.@])(?!(?<=[\d#]/)\d){_PRE}*(?:\d+\s*:\s*\d+|{_FRACTION}|{_SIDE}(?:\s*(?:%|x)(?=\s*(?:-|–|to)\s*\d))?"
    rf"(?:\s*(?:-|–|to)\s*{_SIDE})?\+?{_UNIT}?(?:(?<=%)\+)?)(?![\w])",
    re.I)
_WORDNUM = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
            r"forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred)")
# numbers written in words, only with a unit or multiplier of their own ("eight times", "three to six
# months", "an order of magnitude", "eightfold"); proposed only when a cue word says what they measure
WORD_FIGURE = re.compile(
    rf"(?<![\w-]){_PRE}*(?:(?:an?|one)\s+order\s+of\s+magnitude|(?:a\s+couple\s+of|two|several)\s+orders\s+of"
    rf"\s+magnitude|{_WORDNUM}(?:\s*(?:-|–|to|or)\s*{_WORDNUM})?[\s-]+(?:times|fold|years?|months?|weeks?|"
    rf"days?|percent)|{_WORDNUM}fold"
    # "a million-fold", "billion-fold"; "doubling", "tripling" (a multiple as a noun)
    rf"|(?:an?\s+)?(?:thousand|million|billion|trillion)-fold|doubling|tripling|quadrupling"
    # "triple the compute", "twice as many": a multiple as a determiner
    rf"|(?:double|triple|quadruple|twice)(?=\s+(?:the|as|that|its|their|our)\b)"
    # "hundreds of millions of dollars", "high tens of millions": a magnitude's order in words
    rf"|(?:(?:high|low|mid)[\s-]+)?(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)"
    rf"(?:\s+of\s+(?:us\s+)?(?:dollars|rmb|yuan))?)(?![\w-])", re.I)
# "approximately one trillion", "a million-token window": a magnitude in words (with a cue only)
WORD_MAGNITUDE = re.compile(
    rf"(?<![\w-]){_PRE}*(?:an?|{_WORDNUM})\s+(?:thousand|million|billion|trillion)(?![\w])(?!-fold)", re.I)
# "a tenth of the memory", "one-eighteenth the size", "half the cost": a fraction in words
WORD_FRACTION = re.compile(
    rf"(?<![\w-]){_PRE}*(?:(?:(?:an?|one|two|three)[\s-]+)?(?:third|quarter|fifth|sixth|seventh|eighth|"
    rf"ninth|tenth|eighteenth|twentieth|hundredth)s?|half(?=\s+(?:the|of|its|their)\b)|(?<=\bby\s)half)(?![\w-])",
    re.I)
# "x" only as a multiplier after a digit: "approximately 37 billion" is no ratio (it was, and was dropped)
_UNIT_WORD = re.compile(r"[%×$¥]|\d/\d|\d\s*:\s*\d|\d\s*mo\b|\btimes\b|magnitude|\dx\b|\d\s+x\b|fold"
                        r"|percent|\dpp\b|rmb|usd|yuan|dollar|hour|hrs?\b"
                        r"|day|week|month|year|flop|gb|tb|gw|mw|kw|watt|\d\s*w\b|/\s*m"
                        # a fraction or a multiple in words is a ratio ("a tenth of the memory", "doubling")
                        r"|\b(?:half|third|quarter|fifth|sixth|seventh|eighth|ninth|tenth|eighteenth|twentieth"
                        r"|hundredth)s?\b|\b(?:doubling|tripling|quadrupling|double|triple|quadruple|twice)\b",
                        re.I)
CITATION = re.compile(r"\[\s*(?:[a-z]+:)?\d+(?:\s*[,–-]\s*\d+)*\s*\]", re.I)  # "[4]", "[web:60]"
# a footnote number after a word's full stop ("programmes.4", "benchmarks.12"), never a figure
FOOTNOTE = re.compile(r"(?<=[a-z)\]’\"])\.\d{1,3}(?=\s|$)")


# abbreviations a full stop ends without ending the sentence ("vs. Claude", "e.g. GPT-4")
ABBREVIATION = re.compile(r"(?:\b(?:vs|e\.g|i\.e|cf|approx|est|incl|excl|etc|no|dr|mr|ms|st|inc|corp|jr)\.)$",
                          re.I)


def sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?;])\s+(?=[A-Z(\"'])|\s+[-–—•]\s+(?=[A-Z])", text):
        if ABBREVIATION.search(text[max(start, m.start() - 8):m.start()]):
            continue
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


def mask_names(text: str, mentions: list[Mention], extra: list[tuple[int, int]]) -> str:
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


SHORT_NAME = re.compile(r"(?<![\w.-])([A-Z][a-z]{3,})(?:\s+(\d+(?:\.\d+)?[BMKT]))?(?=['’]s\b|[^\w.-]|$)")


# not figures: an arXiv identifier ("2412.19437"), a span of years ("2022-2025", "2024–26")
IDENTIFIER = re.compile(r"(?<![\w.])(?:\d{4}\.\d{4,5}(?:v\d+)?"
                        r"|(?:19|20)\d\d\s*[-–]\s*(?:(?:19|20)\d\d|\d\d))(?![\w.%-])")


def short_references(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """"Llama 3.1 405B ... versus Llama's 30.8M ... for Llama 405B": a model's first word (with a
    size its name holds) written again later in the sentence, where no other name is, refers to
    that model, and so does a family's name that is that word ("Claude Opus 4.6 ... vs. Claude
    80.8%"). Only a model named before it in the same sentence is meant."""
    models = [m for m in mentions if m.classes & {"Model", "ModelFamily"}]
    if not models:
        return mentions
    out = []
    for m in mentions:  # "Claude Opus 4.6 ... vs. Claude 80.8%": a family's name after its model's
        earlier = [e for e in models if e.end <= m.start and "Model" in e.classes and e.iri != m.iri
                   and sentence[e.start:e.end].split()[0] == sentence[m.start:m.end]]
        if "ModelFamily" in m.classes and len({e.iri for e in earlier}) == 1:
            e = earlier[-1]
            m = Mention(m.start, m.end, e.iri, e.classes, e.label, e.new)
        out.append(m)
    for found in SHORT_NAME.finditer(sentence):
        if any(m.start < found.end() and found.start() < m.end for m in out):
            continue
        word, size = found.group(1), found.group(2)
        earlier = [m for m in models if m.end <= found.start()
                   and sentence[m.start:m.end].split()[0].split("-")[0] == word
                   and (size is None or size in sentence[m.start:m.end].split())]
        if len({m.iri for m in earlier}) != 1:
            continue
        m = earlier[-1]
        out.append(Mention(found.start(), found.end(), m.iri, m.classes, m.label, m.new))
    return sorted(out, key=lambda x: x.start)


def _score_cut(s: int, e: int, sentence: str, mentions: list[Mention]) -> tuple[int, int]:
    """A model-like name that runs past a benchmark's name into a number ("Intelligence Index
    54", "Codeforces 3206") is cut at the benchmark: the number after it is its score."""
    for b in mentions:
        if "Benchmark" in b.classes and s < b.end < e and re.fullmatch(r"\s+\d[\d.,]*%?", sentence[b.end:e]):
            return s, b.end
    return s, e


def figure_spans(sentence: str, ctx: Context) -> tuple[list[Mention], str, list[tuple[int, int, str]]]:
    """The names in a sentence, the sentence with names masked, and every figure and date in it as
    (start, end, "figure" | "date"), in order."""
    mentions = short_references(sentence, ctx.book.mentions(sentence))
    dates = [(m.start(), m.end()) for m in DATE.finditer(sentence)]
    names = [_score_cut(s, e, sentence, mentions) for s, e in name_cores(sentence)
             if not any(s < te and ts < e for ts, te in dates)]
    names += [(m.start(), m.end()) for m in CITATION.finditer(sentence)]
    names += [(m.start() + 1, m.end()) for m in FOOTNOTE.finditer(sentence)]
    names += [(m.start(), m.end()) for m in IDENTIFIER.finditer(sentence)
              if not any(m.start() < te and ts < m.end() for ts, te in dates)]
    masked = mask_names(sentence, mentions, names)
    spans: list[tuple[int, int, str]] = [(s, e, "date") for s, e in dates]
    for m in FIGURE.finditer(masked):
        if any(s <= m.start() < e or s < m.end() <= e for s, e, _ in spans):
            continue
        spans.append((m.start(), m.end(), "figure"))
    if ctx.document_dates:  # "in late December": the document's date gives the year
        for pattern in (RELATIVE, MONTH_ONLY):  # and "last year", "this month" the date moves
            for m in pattern.finditer(masked):
                if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                    spans.append((m.start(), m.end(), "date"))
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
    return read_quantity(stated, unit, dimension)


HEADING_LENGTH = 110


def looks_like_heading(text: str) -> bool:
    """A plain-text line that is a heading by its layout: short, one capitalised phrase with no
    sentence punctuation at its end (text documents have no markup to say so)."""
    text = text.strip()
    return (0 < len(text) <= HEADING_LENGTH and text[0].isupper()
            and not re.search(r"[.!?;,:)\]\d%]$", text) and not re.search(r"[.!?]\s+[A-Z]", text))


def listed(gap: str, figure: str) -> bool:
    """Two figures in one list ("8B, 70B and 405B"); "$0.14/$0.28" is a list of prices, while
    "1T/32B active" pairs a total with an active count (the words after belong to the second)."""
    if re.fullmatch(r"[\s,]*(?:and|or|to)?\s*", gap):
        return True
    return bool(re.fullmatch(r"\s*/\s*", gap) and re.search(r"[$%¥]", figure))


def has_unit(stated: str) -> bool:
    return bool(_UNIT_WORD.search(stated))


def read_quantity(stated: str, unit: str | None, dimension: str | None) -> quantity.Quantity | None:
    try:
        return quantity.parse(stated, unit, dimension=dimension)
    except QuantityError:
        return None
