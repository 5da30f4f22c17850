"""Read a table as figures: each numeric cell with its subject, row label, group, unit and evidence.

A model card's table means nothing cell by cell: "53.7" is a score only because its column says
"Kimi K2 Instruct" and its row says "LiveCodeBench v6, Pass@1" under "Coding Tasks". This module
decides the table's layout from its structure and its labels (not from a list of model names):

- header rows are the leading rows without figures (or marked as header by the markup);
- label columns are the columns whose body cells are mostly not figures, or whose header names a
  row-label role ("Benchmark", "Metric", "# Shots", "Category", "Language", "Model");
- models are in the header when the label columns name benchmarks or metrics, and in the first
  column when a label column is headed "Model" or when the value columns are headed by measures
  ("Params", "Context length", "Training Time (GPU hours)"); a table with neither (a two-column
  summary of one model) has no subject, for the caller to fill with the document's main subject;
- groups come from section rows ("Coding Tasks"), header cells spanning several columns, and
  label columns that group rows ("Category", or an unnamed first column filled only at the start
  of each group).

The output is plain dataclasses; mapping labels to kg entities and properties is for later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.ingest.documents.model import Cell, Document, Row, Table

# a figure as a cell writes it: sign words, thousands, decimals, magnitude, plus, percent
_FIGURE = re.compile(
    r"^(?P<figure>(?:[~≈<>≤≥]\s?)?[$€£¥]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s?[KkMBTG](?![A-Za-z]))?\+?%?)\s*(?P<rest>.*)$")
_NOTE = re.compile(r"^[*†‡§¶#]+$")
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
# a date as a cell writes it: "December 2023", "July 23, 2024", "2024-07-23", "Dec 2023"
DATE_CELL = re.compile(
    rf"^(?:\d{{4}}-\d\d(?:-\d\d)?|(?:{_MONTHS})\.?\s+(?:\d{{1,2}},?\s+)?\d{{4}}|"
    rf"\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}})$", re.I)
_UNIT_WORDS = re.compile(r"^(?:%|W|kW|MW|GW|GB|TB|tokens?|hours?|GPU[ -]hours?|days?|s|ms|\$)$", re.I)
LABEL_HEADER = re.compile(
    r"\b(?:benchmarks?|metrics?|shots?|categor(?:y|ies)|languages?|tasks?|datasets?|"
    r"domains?|settings?|evaluation)\b|^\W*models?(?:\s+names?)?\W*$", re.I)
# "Model" heading a column of names, not "Model A" heading a column of figures
MODELS_IN_ROWS_HEADER = re.compile(r"^\W*models?(?:\s+names?)?\W*$", re.I)
BENCHMARK_HEADER = re.compile(r"\b(?:benchmarks?|metrics?|tasks?|datasets?|shots?)\b", re.I)
GROUP_HEADER = re.compile(r"\b(?:categor(?:y|ies)|domains?|groups?|areas?)\b", re.I)
SHOT_HEADER = re.compile(r"\bshots?\b", re.I)
MEASURE_HEADER = re.compile(
    r"\b(?:param\w*|context|length|tokens?|count|hours?|time|power|emissions?|size|cutoff|"
    r"layers?|experts?|dimension|vocabulary|cost|price|flops?)\b|\(.+\)", re.I)
_UNIT_IN_LABEL = re.compile(r"\(([^()]*)\)\s*$")


@dataclass
class TableFigure:
    """One figure read from a table cell, with everything its labels say about it."""

    figure: str             # as written, markup and footnote marks removed ("72.7", "1.46M", "15T+")
    line: int               # 1-based source line of the cell
    subject: str | None     # the model the figure is about, as the table labels it
    row_label: str          # benchmark and variant, or the measure ("MMLU (EM, 5-shot)", "Params")
    column_label: str       # the value column's header
    group: str | None       # section row, spanning header or category column ("Coding Tasks")
    unit: str | None        # from the cell, the header or the row label when one is stated
    evidence: str           # row and column labels joined, for a reviewer to find the cell
    note: str | None        # footnote marks after the figure ("*")
    layout: str             # "models-in-header", "models-in-rows" or "no-subject": how it was decided
    table_line: int
    row: int
    col: int
    kind: str = "figure"    # "figure", or "date" for a cell that holds a calendar date
    rowspan: int = 1        # rows the figure's own cell spans (a value shared by a group of rows)
    subject_rowspan: int = 1  # rows the subject's cell spans (a family name over its sizes)
    row_figures: dict[str, str] | None = None  # the other figures of the row, by column header


def split_figure(text: str) -> tuple[str, str | None, str | None] | None:
    """(figure, unit, note) when a cell holds one figure, else None ("Multilingual Text", "3-5")."""
    m = _FIGURE.match(text.strip())
    if not m:
        return None
    rest = m.group("rest").strip()
    figure = m.group("figure").strip()
    unit = "%" if figure.endswith("%") else None
    if not rest:
        return figure, unit, None
    if _NOTE.match(rest.replace(" ", "")):
        return figure, unit, rest.replace(" ", "")
    if _UNIT_WORDS.match(rest):
        return figure, rest, None
    return None


def _is_figure(cell: Cell) -> bool:
    return bool(cell.text) and split_figure(cell.text) is not None


def _is_date(cell: Cell) -> bool:
    return bool(cell.text) and DATE_CELL.match(cell.text.strip()) is not None


def _is_value(cell: Cell) -> bool:
    return _is_figure(cell) or _is_date(cell)


def _header_rows(table: Table) -> list[int]:
    """Leading rows that hold labels, not figures: marked header rows, or rows with no figure
    before the first row that has one, and the sub-header rows right under them."""
    rows = [i for i, r in enumerate(table.rows) if r.kind == "header"]
    if not rows:
        for i, r in enumerate(table.rows):
            if r.kind == "group":
                continue
            if any(_is_figure(c) for c in r.cells if not c.spanned):
                break
            rows.append(i)
            break  # only the first row can be an unmarked header
    if not rows:
        return rows
    rows += _sub_header_rows(table, rows[-1] + 1)
    if len(rows) == len([r for r in table.rows if r.kind != "group"]):
        return []
    return rows


def _sub_header_rows(table: Table, start: int) -> list[int]:
    """Rows under the header that qualify its columns ("5-shot", "0-shot" under "MMLU"): no figure,
    an empty first cell where the body has its row names, and a label in another cell. Markdown
    has one header row, so a second one is written as the first body rows."""
    found = []
    for i in range(start, len(table.rows)):
        row = table.rows[i]
        own = [c for c in row.cells if not _carried_down(c)]
        if row.kind == "group" or not row.cells or row.cells[0].text.strip():
            break
        if any(_is_figure(c) for c in own) or not any(c.text.strip() for c in own[1:]):
            break
        found.append(i)
    return found


def _column_header(table: Table, headers: list[int], col: int) -> tuple[str, str | None]:
    """The header text of a column and its group (a higher header cell that spans more than this
    column). A column's own header cells in several rows read as a name and its variants, top
    down ("MMLU" over "5-shot" is "MMLU (5-shot)"); a cell repeated by a rowspan counts once."""
    texts: list[str] = []
    group = None
    for i in headers:
        cell = table.rows[i].cells[col] if col < len(table.rows[i].cells) else None
        if cell is None or not cell.text or _carried_down(cell):
            continue
        if cell.colspan > 1 and i != headers[-1]:
            group = cell.text
        else:
            texts.append(_without_note(cell.text))
    if not texts:
        return "", group
    return (_compose(texts[0], texts[1:]) if len(texts) > 1 else texts[0]), group


def _carried_down(cell: Cell) -> bool:
    """A copy a rowspan made of the cell above: read once, in the row the cell starts in."""
    return cell.spanned and cell.origin[0] != cell.row


def _without_note(text: str) -> str:
    """A label without its footnote mark ("C-Eval(val)*" -> "C-Eval(val)", "Agentless[2]" ->
    "Agentless")."""
    return re.sub(r"\s*(?:[*†‡§¶]+|\[\d{1,2}\])$", "", text.strip()) or text.strip()


def _names_repeat(body: list[Row], col: int) -> bool:
    """True when one name heads several rows of `col` (not one cell spanning them)."""
    cells = [r.cells[col] for r in body if col < len(r.cells)]
    names = [c.text.strip() for c in cells if c.text.strip() and not _carried_down(c)]
    return len(names) != len(set(names))


def _label_columns(table: Table, headers: list[int], body: list[Row]) -> list[int]:
    cols = []
    for c in range(table.width):
        head, _ = _column_header(table, headers, c)
        values = [r.cells[c] for r in body if c < len(r.cells) and r.cells[c].text
                  and r.cells[c].text not in ("-", "—")]
        numeric = sum(1 for v in values if _is_value(v))
        # the header's own words, not the variants a sub-header added ("MMLU (5-shot)")
        own = re.sub(r"\s*\([^()]*\)\s*$", "", head) if len(headers) > 1 else head
        if (own and LABEL_HEADER.search(own)) or not values or numeric * 2 < len(values):
            cols.append(c)
    return cols


def _sparse_over(body: list[Row], col: int, next_col: int) -> bool:
    """True when `col` is written only at the start of groups of rows that `next_col` names one
    by one ("General" over CMMLU, MMLU, MMLU-Pro): a group column, whatever its header says."""
    def filled(row: Row, c: int) -> bool:
        # a cell a rowspan carries down counts as filled: the markup groups those rows, not
        # the writer leaving cells empty
        cell = row.cells[c] if c < len(row.cells) else None
        return bool(cell and cell.text.strip())
    rows = [r for r in body if r.cells]
    if len(rows) < 3 or not all(filled(r, next_col) for r in rows):
        return False
    own = [filled(r, col) for r in rows]
    return own[0] and 0 < sum(own) < len(rows)


def _layout(table: Table, headers: list[int], label_cols: list[int], value_cols: list[int]) -> str:
    label_heads = [_column_header(table, headers, c)[0] for c in label_cols]
    value_heads = [_column_header(table, headers, c)[0] for c in value_cols]
    if any(MODELS_IN_ROWS_HEADER.search(h) for h in label_heads):
        return "models-in-rows"
    if any(BENCHMARK_HEADER.search(h) for h in label_heads):
        return "models-in-header"
    if not any(value_heads):
        return "no-subject"
    if all(MEASURE_HEADER.search(h) for h in value_heads if h):
        return "models-in-rows"
    return "models-in-header"


def _compose(name: str, parts: list[str]) -> str:
    """"SWE-bench Verified (Agentic Coding)" + ["Single Attempt (Acc)"] -> one label with the
    variants in one parenthesis, the way the labels write it."""
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", name)
    inner = [m.group(2)] if m else []
    base = m.group(1) if m else name
    extra = [p for p in parts if p and p not in ("-", "—") and p not in inner]
    return f"{base} ({', '.join(inner + extra)})" if inner or extra else base


def _unit_of(label: str) -> str | None:
    m = _UNIT_IN_LABEL.search(label)
    if not m:
        return None
    unit = m.group(1).strip()
    if re.search(r"hours?|\bW\b|tons|CO2|tokens|%|\$|USD|GB|TB|FLOP|BPB|percentile", unit, re.I):
        return unit
    return None


def read_table(table: Table) -> list[TableFigure]:
    """Every figure in the table's body with its subject, labels, group and unit."""
    headers = _header_rows(table)
    body = [r for i, r in enumerate(table.rows) if i not in headers and r.kind != "group"]
    label_cols = _label_columns(table, headers, body)
    value_cols = [c for c in range(table.width) if c not in label_cols]
    if not value_cols:
        return []
    layout = _layout(table, headers, label_cols, value_cols)
    heads = {c: _column_header(table, headers, c) for c in range(table.width)}
    group_cols = [c for c in label_cols if GROUP_HEADER.search(heads[c][0])
                  or (c == label_cols[0] and len(label_cols) > 1 and layout != "models-in-rows"
                      and (not heads[c][0] or _sparse_over(body, c, label_cols[1])))]
    subject_col = next((c for c in label_cols if MODELS_IN_ROWS_HEADER.search(heads[c][0])),
                       next((c for c in label_cols if c not in group_cols), None))
    repeated = layout == "models-in-rows" and subject_col is not None and _names_repeat(
        body, subject_col)
    figures: list[TableFigure] = []
    section: str | None = None
    carried: dict[int, str] = {}
    header_set = set(headers)
    for i, row in enumerate(table.rows):
        if i in header_set:
            continue
        if row.kind == "group":
            section = next(c.text for c in row.cells if c.text)
            continue
        for c in group_cols:  # an unnamed first column is written once per group: carry it down
            if row.cells[c].text:
                carried[c] = row.cells[c].text
        groups = [g for g in [section] + [carried.get(c) for c in group_cols] if g]
        label_texts = []
        qualifiers = []   # a models-in-rows row's other labels, where one model has several rows
        for c in label_cols:
            if c in group_cols:
                continue
            text = row.cells[c].text
            if text and SHOT_HEADER.search(heads[c][0]) and text.isdigit():
                text = f"{text}-shot"
            label_texts.append(text)
            if repeated and c != subject_col and text:
                qualifiers.append(_without_note(text))
        for c in value_cols:
            cell = row.cells[c]
            if cell.spanned and cell.origin[0] != i:
                continue  # a rowspan copy: the figure is read once, in its own row
            if cell.spanned and cell.origin[1] != c:
                continue
            parsed = split_figure(cell.text) if cell.text else None
            kind = "figure"
            if parsed is None and cell.text and _is_date(cell):
                parsed, kind = (cell.text.strip(), None, None), "date"
            if parsed is None:
                continue
            figure, unit, note = parsed
            col_head, col_group = heads[c]
            if layout == "models-in-header":
                names = [t for t in label_texts if t]
                row_label = _compose(names[0], names[1:]) if names else ""
                subject = col_head or None
                unit = unit or _unit_of(row_label)
            else:
                # the other label columns of a models-in-rows table describe the model (its
                # training data, modalities), not the measure, so the row label is the header;
                # but where a model has several rows they say how each was measured (the
                # framework, the setting), or the rows would contradict each other
                row_label = _compose(col_head, qualifiers) if qualifiers else col_head
                subject = row.cells[subject_col].text if (
                    layout == "models-in-rows" and subject_col is not None) else None
                if layout == "no-subject":
                    row_label = label_texts[0] if label_texts else ""
                unit = unit or _unit_of(col_head)
            all_groups = [g for g in groups + [col_group] if g]
            evidence = " / ".join(p for p in (row_label, subject or "", " ".join(all_groups)) if p)
            subject_rowspan = 1
            if layout == "models-in-rows" and subject_col is not None:
                origin = row.cells[subject_col].origin
                subject_rowspan = table.rows[origin[0]].cells[origin[1]].rowspan
            own_rowspan = table.rows[cell.origin[0]].cells[cell.origin[1]].rowspan
            row_figures = {heads[k][0]: row.cells[k].text for k in value_cols
                           if k != c and row.cells[k].text and not row.cells[k].spanned}
            figures.append(TableFigure(
                figure, cell.line, subject, row_label, col_head, " / ".join(all_groups) or None, unit,
                evidence, note, layout, table.line, i, c, kind, own_rowspan, subject_rowspan,
                row_figures))
    return figures


def read_tables(document: Document) -> list[TableFigure]:
    """The figures of every table of a document, in reading order."""
    out: list[TableFigure] = []
    for table in document.tables:
        out.extend(read_table(table))
    return out
