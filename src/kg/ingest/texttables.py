"""Tables flattened into plain text: a header line of column names, then one line per entity.

A table copied from a web page into a text file loses its cell boundaries: a line "Model Params
Active Params Tokens (T) GPU Hours (M) Budget" over lines such as "GLM-5 744B (MoE) 40B 28.5 1.25
H800 $4.1M". Read as prose, each row is a sentence without cue words (every figure `kgp:other`)
and its later names (a comparison column) take its figures. Read as a table:

- **Header**: a line with no figure of its own whose words name at least three properties (their
  cue words and names, from the ontology), each a column in order; a column's trailing "(T)",
  "(M)", "(B)" or "(K)" scales its bare figures ("Tokens (T)": 28.5 is proposed as "28.5T", the
  condition saying what was written, because review and `kg add` read a value from its text).
- **Rows**: the lines right after it (no blank line between) that start with an entity's name and
  hold at least two figures. The row's name is the subject of its figures.
- **Columns**: the figures of a row are matched to the columns in order, each to the next column
  with a property its unit fits (a column without a figure, "GPU Type", is passed over); figures
  joined by "/" share a column ("70%/80%"). A figure no column takes is left to prose reading.

Each proposal says so in `decided_by`, with the header's line and the column's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.core.vocab import KGP
from kg.ingest.cues import Vocabulary
from kg.ingest.names import Choice, model_like
from kg.ingest.proposal import ProposedClaim
from kg.ingest.prose import Context, evidence_phrase, figure_spans, read_figure

MIN_COLUMNS = 3
MAX_HEADER = 300
_SCALE = {"k": "K", "thousand": "K", "thousands": "K", "m": "M", "million": "M", "millions": "M",
          "b": "B", "bn": "B", "billion": "B", "billions": "B", "t": "T", "trillion": "T",
          "trillions": "T"}
_BARE_NOT = ("Money", "UnitPrice", "DateValue", "EntityValue", "TextValue", "BooleanValue", "Duration")


@dataclass
class Column:
    """One column of a flattened header: its words, the properties they may name, its scale."""

    start: int
    text: str
    properties: list[str]
    scale: str | None = None


@dataclass
class Header:
    line: int
    text: str
    columns: list[Column]


def read_header(text: str, line: int, ctx: Context) -> Header | None:
    """The columns a header line names, or None when the line is no table header."""
    if len(text) > MAX_HEADER or text.rstrip().endswith((".", "?", "!")):
        return None
    _mentions, _masked, spans = figure_spans(text, ctx)
    if spans:
        return None
    vocab = ctx.vocab
    columns: list[Column] = []
    end = -1
    for s, e, cue in vocab.cues_in(text):
        dim = vocab.dimension_of(cue.node)
        if dim in ("DateValue", "EntityValue", "TextValue", "BooleanValue"):
            continue
        if columns and s == columns[-1].start and cue.node not in columns[-1].properties:
            columns[-1].properties.append(cue.node)  # the same words cue two properties
            continue
        if s < end:
            continue
        end = e
        scale = re.match(r"\s*\(\s*([A-Za-z]+)\s*\)", text[e:e + 16])
        columns.append(Column(s, text[s:e], [cue.node],
                              _SCALE.get(scale.group(1).lower()) if scale else None))
    return Header(line, text, columns) if len(columns) >= MIN_COLUMNS else None


def _row_subject(text: str, ctx: Context) -> tuple[Choice | None, int]:
    """The entity a row starts with, and where its name ends."""
    mentions = ctx.book.mentions(text)
    if mentions and mentions[0].start == 0 and not mentions[0].classes & {"Benchmark", "Technique"}:
        m = mentions[0]
        return Choice(m.iri, m.label, m.new, "", m.classes), m.end
    for s, e, name in model_like(text):
        if s == 0:
            choice = ctx.book.choose(name)
            return choice, e
        break
    return None, 0


def _fits(vocab: Vocabulary, prop: str, unit: str | None, bare: bool, percent: bool) -> bool:
    dim = vocab.dimension_of(prop)
    if bare:
        return dim not in _BARE_NOT and dim not in ("Ratio", "Score")
    if percent:
        return dim in ("Ratio", "Score")
    return vocab.fits(prop, unit)


def _own_property(text: str, masked: str, start: int, end: int, mentions, vocab: Vocabulary
                  ) -> str | None:
    """The property the words right beside a figure give it, if any."""
    head = masked[end:end + 24]
    for s, e, cue in vocab.cues_in(head):
        if head[s:e].lower() != text[end + s:end + e].lower() and "hour" not in head[s:e].lower():
            continue  # the "gpu" a chip's name is masked with: "1.25 H800" is no GPU count
        if not head[:s].strip(" #()-") and vocab.dimension_of(cue.node) not in _BARE_NOT[2:]:
            return cue.node
        break
    for m in mentions:
        if "Benchmark" in m.classes and m.end <= start and re.fullmatch(r"\s*:?\s*~?", text[m.end:start]):
            return KGP + "benchmarkScore"
    return None


# a version written alone ("K2", "V3.1"), as a cell names an earlier model of the row's line
VERSION_TOKEN = re.compile(r"(?<![\w.-])([A-Z]\d+(?:\.\d+)?)(?![\w.-])")


def _sibling_in_cell(text: str, end: int, subject: Choice, ctx: Context) -> Choice | None:
    """"Kimi K2.6 ... 15.5T (K2 base) ... (~$4.6M prior K2 est.)": a version written right after a
    cell's figure (in its note) names the sibling the graph knows by the row's first word and that
    version ("Kimi K2"), whose figure it is; None when the cell names none, or the row's own."""
    note = re.match(r"\s*\(?[^()$]{0,20}", text[end:])
    found = VERSION_TOKEN.search(note.group(0)) if note else None
    if found is None or not subject.label:
        return None
    sibling = ctx.book.known(f"{subject.label.split()[0]} {found.group(1)}")
    return sibling if sibling is not None and sibling.iri != subject.iri else None


def read_row(text: str, line: int, header: Header, ctx: Context
             ) -> tuple[list[ProposedClaim], set[str]] | None:
    """Proposals for the figures of one row the header's columns take, and those figures as
    written (for prose reading to leave alone); None when the line is no row (it does not start
    with a name or holds fewer than two figures)."""
    subject, name_end = _row_subject(text, ctx)
    if subject is None:
        return None
    mentions, masked, spans = figure_spans(text, ctx)
    figures = [(s, e) for s, e, what in spans if what == "figure" and s >= name_end
               and not re.fullmatch(r"(?:19|20)\d\d", text[s:e].strip())]  # a year is no figure
    if len(figures) < 2:
        return None
    vocab = ctx.vocab
    out: list[ProposedClaim] = []
    written: set[str] = set()
    col = 0
    previous_end = None
    previous_col = None
    for s, e in figures:
        stated = text[s:e].strip().rstrip(".,;:")
        joined = previous_end is not None and re.fullmatch(r"\s*/\s*", masked[previous_end:s])
        if previous_end is not None and re.fullmatch(r"\s*\(\s*[~≈]?\s*", masked[previous_end:s]):
            previous_end = e
            continue  # "~$294K (512 H800s)": a note on the cell before, not the next column's cell
        explicit = bool(re.search(r"[%$¥×]|\d\s*x\b|[a-z]{2,}", stated, re.I))
        percent = "%" in stated
        q0 = read_figure(stated) if explicit else None
        unit = q0.unit if q0 else None
        chosen = None
        candidates = [previous_col] if joined and previous_col is not None else []
        candidates += list(range(col, len(header.columns)))
        # the row's own words beside the figure outrank the column order: "1.2M H800-hours",
        # "744B MoE", "MMLU: 77%" (a benchmark's score)
        own = _own_property(text, masked, s, e, mentions, vocab)
        if own is not None:
            candidates = [j for j in candidates if own in header.columns[j].properties]
        for j in candidates:
            prop = own if own is not None else next(
                (p for p in header.columns[j].properties if _fits(vocab, p, unit, not explicit, percent)),
                None)
            if prop is not None:
                chosen = (j, prop)
                break
        previous_end = e
        if chosen is None:
            continue  # left to prose reading
        j, prop = chosen
        column = header.columns[j]
        words = vocab.get(prop)
        scaled = stated
        if column.scale and not explicit and not re.search(r"[KMBT]\b", stated):
            scaled = f"{stated}{column.scale}"
        q = read_figure(scaled, words.default_unit, words.dimension)
        if q is None or not vocab.fits(prop, q.unit):
            continue
        col = j + 1
        previous_col = j
        # the scale goes into the figure (review and `kg add` read the value from its text alone)
        condition = (f"written {stated!r} under the column {column.text!r} ({column.scale})"
                     if scaled != stated else None)
        written.add(stated)
        owner, how = subject, f"the row's name in a plain-text table (header at line {header.line})"
        sibling = _sibling_in_cell(text, e, subject, ctx)
        if sibling is not None:  # "15.5T (K2 base)" in the row of K2.6: the cell names K2
            owner, how = sibling, (f"a version the cell names after the figure, in the row of "
                                   f"{subject.label!r}")
        out.append(ProposedClaim(
            line=line, stated=scaled, subject=owner.iri, property=prop, hedge="Stated",
            evidence=evidence_phrase(text, s, e), confidence=0.6, subject_label=owner.label,
            subject_new=owner.new, condition=condition, source="table", value=q,
            locator=f"line {line} (text table row {subject.label!r}, column {column.text!r})",
            decided_by=(f"subject: {how} ({owner.label!r}); property: the header's column "
                        f"{column.text!r}, matched in order to the row's figures")))
    return out, written
