"""A name the grammar attaches a figure to ("X's 30.84M", "X (TDP of 700W)", "30.84M for X", a
figure a comparison introduces, one in an apposition or a participle), and the words that make a
name a rival or an example rather than what a sentence is about."""

from __future__ import annotations

import re

from kg.ingest.names import Mention
from kg.ingest.prose.context import NEVER_SUBJECTS, PRODUCTS

COMPARISON = re.compile(r"(?:\bthan|\bvs\.?|\bversus|\bcompared\s+(?:with|to)|\blike|\brival\w*|"
                        r"\boutperform\w*|\bbeat\w*|\bmatch\w*|\bagainst|\bbehind|\bover|\bunlike|"
                        r"\bparity\s+with|\bpar\s+with|"
                        r"\bsuch\s+as|\bincluding|\be\.g\.|\bfor\s+example)\W*"
                        # "versus 2,448 for X": the rival's own figure may stand between
                        r"(?:[~≈$]?\d[\d.,]*\s*(?:%|[kmbtx]\b)?\s+)?(?:\w+\W+){0,2}$", re.I)

DEMONYM = re.compile(r"(?:ese|ian|can|ish|ean)$", re.I)   # "Chinese", "American": a country as adjective


# a comparison right before the figure: "compared with 3,000", "than ~$2", "vs. 40%", "vs Japan's 9%"
# (the rival may be named first, as a possessive)
COMPARED_FIGURE = re.compile(r"(?:\bthan|\bvs\.?|\bversus|\bagainst|\bcompared\s+(?:with|to))\s+"
                             r"(?:[\w#.-]+(?:\s+[\w#.-]+)?['’]s\s+)?"
                             r"(?:(?:only|just|about|around|roughly)\s+)?$", re.I)


APPOSITION = re.compile(r"(?:\s+[A-Z][\w&.-]*){0,3}\s*(?:,|\s[–—]|\s-)\s+(?:a|an|one\s+of|the)\s[^,;()–—]*")


PARTICIPLE_DATE = re.compile(r"\s*,\s*(?:first\s+|only\s+)?[a-z]+(?:ed|en)\s+(?:in|on|since)\s+"
                             r"(?:(?:early|mid|late)[\s-]+)?")


NOT_EXAMPLES = r"(?!\s*(?:e\.g\.|eg\.|such\s+as|for\s+example))"  # "X (e.g., 80%)": not X's figure


def demonym(m: Mention, sentence: str) -> bool:
    """A country named by its adjective ("Chinese", "American")."""
    return "Country" in m.classes and bool(DEMONYM.search(sentence[m.start:m.end]))


def attached_name(sentence: str, start: int, end: int, mentions: list[Mention]) -> Mention | None:
    """A name the figure belongs to by the grammar around it: "X's 30.84M", "X (TDP of 700W)",
    "30.84M for X"."""
    before = sentence[:start]
    for m in mentions:
        gap = sentence[m.end:start]
        # "the H100, released in 2022", "X, launched on May 6": a date in a participle right after
        # a name is that name's
        if m.end <= start and PARTICIPLE_DATE.fullmatch(gap) and not m.classes & NEVER_SUBJECTS:
            return m
        # "backed by X Capital – one of the largest funds, managing $8 billion", "X, a lab with 300
        # staff": a figure in the apposition right after a name describes that name (a country
        # written as an adjective inside the apposition, "one of the largest Chinese funds", is
        # part of the description)
        if m.end <= start and APPOSITION.fullmatch(gap) and not m.is_qualifier \
                and not m.classes & NEVER_SUBJECTS \
                and not any(m.end <= o.start < start and not demonym(o, sentence) for o in mentions):
            return m
        if m.end <= start and any(m.end <= o.start < start for o in mentions if o is not m) \
                and not re.fullmatch(r"['’]s\s+(?:[\w-]+\s+){0,2}", gap):
            continue  # another name stands between: the nearer one is the figure's
        if m.end <= start and re.fullmatch(r"['’]s\s+(?:[\w-]+\s+){0,2}", gap):
            return m
        if m.end <= start and re.fullmatch(r"\s*\(" + NOT_EXAMPLES + r"(?:[^()]{0,30})", gap) \
                and ")" not in gap and before.count("(") > before.count(")"):
            return m
        # "the GB200 NVL72 rack (72 GPUs ...)": a product's noun may stand between (not "X released Y (...")
        # (a compared name is the rival, not the owner: "beats X on MMLU (86.1%)")
        if m.end <= start and m.classes & PRODUCTS \
                and re.fullmatch(r"\s*(?:[\w-]+\s+){1,2}\(" + NOT_EXAMPLES + r"(?:[^()]{0,30})", gap) \
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
        # "..., compared with 3,000 at X", "than $2 across X's fleet": the figure a comparison
        # introduces is the rival's, the first name in the words after it (no punctuation between)
        if m.start >= end and COMPARED_FIGURE.search(before) and not m.is_qualifier \
                and not m.classes & NEVER_SUBJECTS \
                and re.fullmatch(r"\s+(?:[\w’'-]+\s+){0,4}", sentence[end:m.start]) \
                and not any(end <= o.start < m.start for o in mentions):
            return m
        # "a 5GB X model", "the 405B X": a figure written right before a model's name modifies it
        if m.start >= end and m.classes & {"Model", "ModelFamily"} \
                and re.fullmatch(r"\s+", sentence[end:m.start]):
            return m
    return None
