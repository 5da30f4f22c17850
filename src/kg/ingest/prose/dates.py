"""Dates in prose: the date pattern, a date read at the precision the text gives, and which date
property a cue word makes it (a release, a report or publication, an event).

A cue after the date counts within the date's own clause only ("released X on May 6, under an open
licence"); a cue before it may stand far back ("X released A (...) and B (...) on May 6")."""

from __future__ import annotations

import re

from kg.ingest.cues import Vocabulary

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
# a date written with dots or slashes, year first ("[2024.07.03] We release ..."): only a real
# calendar day of 1900-2099, so "2025.01" alone stays a number
_NUMERIC_DAY = r"(?:19|20)\d\d([./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?![\d.]\d)"
DATE = re.compile(
    rf"\b(?:{_NUMERIC_DAY}|\d{{4}}-\d\d-\d\d|(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{MONTHS})\.?\s+\d{{4}}|"
    rf"(?:early|mid|late)?[\s-]*(?:{MONTHS})\.?\s+\d{{4}})\b", re.I)
# a month without a year ("in late December", "launched in March", "(Apr)"): read only when the
# document's date is known, which gives the year. Months are capitalised; "May" only after a word
# that makes it a date ("in May", "by May"), never the verb
MONTH_ONLY = re.compile(
    r"(?<![\w-])(?:(?i:early|mid|late)[\s-]+)?(?:"
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
    r"|(?:(?<=\bin\s)|(?<=\bby\s)|(?<=\bsince\s)|(?<=\buntil\s)|(?<=early\s)|(?<=mid-)|(?<=late\s))May)"
    r"(?![\w-])(?!\.?\s*\d)")
DATE_CUE_BEFORE = 160  # characters: "X released A (...) and B (...) on May 6": the verb is far back


_MONTH_NUM = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def date_value(text: str) -> str | None:
    """An ISO date (YYYY-MM-DD or YYYY-MM) at the precision the text gives, or None."""
    if re.fullmatch(r"\d{4}-\d\d(?:-\d\d)?", text.strip()):
        return text.strip()
    numeric = re.fullmatch(r"(\d{4})[./](\d{1,2})[./](\d{1,2})", text.strip())
    if numeric:
        return f"{numeric.group(1)}-{int(numeric.group(2)):02d}-{int(numeric.group(3)):02d}"
    year = re.search(r"\d{4}", text)
    month = re.search(MONTHS, text, re.I)
    if not year or not month:
        return None
    mon = _MONTH_NUM[month.group(0).lower()[:3]]
    day = re.search(r"(?<!\d)(\d{1,2})(?!\d)", text.replace(year.group(0), ""))
    if day and 1 <= int(day.group(1)) <= 31:
        return f"{year.group(0)}-{mon:02d}-{int(day.group(1)):02d}"
    return f"{year.group(0)}-{mon:02d}"


def month_date(text: str, document_dates: set[str]) -> str | None:
    """A month written without its year ("late December"), dated by the document: the latest such
    month not after the document's own date (an article of January 2025 means December 2024), or
    None when the text has no month or the document no date."""
    month = re.search(MONTHS, text, re.I)
    dated = sorted((d for d in document_dates if re.match(r"\d{4}", d)), key=len)
    if not month or not dated:
        return None
    doc = dated[-1]
    mon = _MONTH_NUM[month.group(0).lower()[:3]]
    year = int(doc[:4])
    if len(doc) >= 7 and mon > int(doc[5:7]):
        year -= 1
    return f"{year}-{mon:02d}"


# a time named relative to the document's own date ("last year", "later this year", "this month"):
# read only when the document's date is known
RELATIVE = re.compile(r"(?<![\w-])(?:(?i:earlier|later)\s+)?(?i:this|last|next)\s+(?i:year|month)(?![\w-])")
_STEP = {"last": -1, "this": 0, "next": 1}


def relative_date(text: str, document_dates: set[str]) -> str | None:
    """"last year", "later this year", "this month", dated by the document: its year (or month)
    moved by one as the words say, at the precision they give; None when the text is no such
    phrase or the document has no date (or no month, for a month)."""
    m = re.fullmatch(r"(?:(?:earlier|later)\s+)?(this|last|next)\s+(year|month)", text.strip(), re.I)
    dated = sorted((d for d in document_dates if re.match(r"\d{4}", d)), key=len)
    if not m or not dated:
        return None
    doc, step = dated[-1], _STEP[m.group(1).lower()]
    if m.group(2).lower() == "year":
        return f"{int(doc[:4]) + step:04d}"
    if len(doc) < 7:
        return None
    months = int(doc[:4]) * 12 + int(doc[5:7]) - 1 + step
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


# the words that may open a sentence before its date: "On", "Five weeks later, on", "By late"
# (words before the preposition end with a comma: "The lab met investors on" is a clause, not an opening)
INTRODUCTORY = re.compile(r"\W*(?:(?:[\w-]+\s+){0,3}[\w-]+,\s+)?(?:on|in|by|since|from)\s+(?:the\s+)?"
                          r"(?:early|mid|late)?[\s-]*", re.I)


def date_property(before: str, after: str, vocab: Vocabulary) -> tuple[str | None, str]:
    best: tuple[float, int, str, str] | None = None
    # a cue after the date counts within its own clause only ("released X on May 6, under an
    # open licence": the licence is not what the date is of)
    after_all = after
    after = re.split(r"[,;()]|\s[-–—]\s", after[:60], maxsplit=1)[0]
    for side, text in (("after", after), ("before", before[-DATE_CUE_BEFORE:])):
        for s, e, cue in vocab.cues_in(text):
            if vocab.get(cue.node).dimension != "DateValue":
                continue
            distance = s if side == "after" else len(text) - e
            key = (distance, -(e - s), cue.node, cue.text)
            if best is None or key < best:
                best = key
    if best is None and (INTRODUCTORY.fullmatch(before) or not before.strip(" \t\"'(")):
        # "On 3 May, the lab released X", "Last year, it launched X": a date in the phrase that
        # opens the sentence is what the main clause's verb happened on
        main = re.split(r"[;()]|\s[-–—]\s", after_all[:DATE_CUE_BEFORE], maxsplit=1)[0]
        opened = re.match(r"\s*,\s*", main[len(after):]) if main.startswith(after) else None
        if opened:
            clause = main[len(after) + opened.end():]
            clause = clause.split(",", 1)[0]
            for s, _e, cue in vocab.cues_in(clause):
                if vocab.get(cue.node).dimension == "DateValue" and (best is None or s < best[0]):
                    best = (s, 0, cue.node, cue.text)
            if best is not None:
                return best[2], f"date cue word '{best[3]}' in the clause the date's opening phrase leads"
    if best is None:
        return None, ""
    return best[2], f"date cue word '{best[3]}'"
