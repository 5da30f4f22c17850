"""Rows of plain values as text: CSV, TSV, Markdown, JSON, or a readable table for people.

People get a readable table (rich, wrapped to the terminal, numbers never cut); machines get
CSV, TSV, Markdown or JSON. No RDF here: query answers are turned into plain values first
(kg.store.results).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kg.core.vocab import shorten

if TYPE_CHECKING:
    import pandas as pd

# ---------------------------------------------------------------- text from data, made inert
# Labels, titles and stated figures come from documents and imported tables, so every format a
# person opens in a program that interprets text gets them escaped for that program (issue 18):
# spreadsheets run formulas, Markdown renderers pass HTML through, terminals obey escape codes.

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """A text cell a spreadsheet shows as text: one starting with = + - @ tab or CR is prefixed
    with an apostrophe, as OWASP advises for CSV; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|!#~"})


class Markdown(str):
    """Text already written as Markdown (its data parts escaped): md_text leaves it as it is."""


def md_text(value: object) -> str:
    """Text for a Markdown cell or line: what CommonMark would read as HTML, a link, code or
    emphasis is backslash-escaped, and line breaks (which would end the table row) are blanks."""
    if isinstance(value, Markdown):
        return value
    text = display(value) if not isinstance(value, str) else value
    from kg.core.errors import visible

    text = " ".join(text.replace("\r", "\n").split("\n"))
    return visible(text).translate(_MARKDOWN_SPECIAL)


def terminal_text(value: object) -> str:
    """Text for a terminal: control characters (ANSI escapes, bells) are shown by name, never
    sent; rich's [markup] is not interpreted (callers pass rich.text.Text)."""
    from kg.core.errors import visible

    return visible(value if isinstance(value, str) else display(value))


def display(value: object) -> str:
    """A cell for people: IRIs shortened to prefix:name, floats without noise, missing as ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return shorten(value)
    return str(value)




def json_text(data: object, **options) -> str:
    """JSON that is JSON: NaN and infinities (which json.dumps writes bare, and no JSON parser
    reads) become null, and anything else unserialisable becomes its text (issue 18)."""
    import math

    def clean(value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(data), allow_nan=False, default=str, **options)


def write_frame(frame: pd.DataFrame, fmt: str, *, title: str | None = None) -> str:
    records = [[None if is_missing(v) else v for v in rec] for rec in
               frame.itertuples(index=False, name=None)]
    if fmt == "json":
        return json_text([dict(zip(frame.columns, r, strict=True)) for r in records],
                         indent=2, ensure_ascii=False) + "\n"
    return write_records(list(frame.columns), records, fmt, title=title)


def write_records(columns: Sequence[str], records: Sequence[Sequence[object]], fmt: str, *,
                  title: str | None = None) -> str:
    if fmt == "csv":
        return delimited(columns, records, ",")
    if fmt == "tsv":
        return delimited(columns, records, "\t")
    if fmt == "md":
        return markdown(columns, records)
    if fmt == "json":
        return json_text([dict(zip(columns, r, strict=True)) for r in records], indent=2,
                         ensure_ascii=False) + "\n"
    return people_table(columns, records, title=title)


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def delimited(columns: Sequence[str], records: Sequence[Sequence[object]], sep: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow([spreadsheet_text(c) for c in columns])
    for record in records:
        writer.writerow(["" if v is None else spreadsheet_text(v) for v in record])
    return buffer.getvalue()


def markdown(columns: Sequence[str], records: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return md_text(v if isinstance(v, Markdown) else display(v))

    lines = ["| " + " | ".join(md_text(c) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in records]
    return "\n".join(lines) + "\n"


def people_table(columns: Sequence[str], records: Sequence[Sequence[object]],
                 title: str | None = None, width: int | None = None) -> str:
    """A table for a terminal: wraps long cells, never truncates a number."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    # no vertical rules, and widths fitted to the figures: wide tables keep every number whole
    # in a 100-column terminal; the first column (the row's name) takes what is left
    width = width or 100
    from rich.text import Text

    table = Table(title=Text(terminal_text(title)) if title else None, show_lines=False,
                  header_style="bold", expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    texts = [[terminal_text(v) for v in record] for record in records]
    columns = [terminal_text(c) for c in columns]
    needed = sum(min(12, max((len(w) for row in texts for w in row[i].split()), default=1)) + 2
                 for i in range(len(columns)))
    if needed > width:  # too many columns to show side by side: one block per row instead
        return _records(columns, texts, title)
    widths = []
    for i, name in enumerate(columns):
        cells = [row[i] for row in texts] + [name]
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        widths.append(max(longest_word, min(max(len(c) for c in cells), 12)))
    if len(columns) > 1:
        rest = width - sum(widths[1:]) - 2 * len(columns)
        widths[0] = max(12, min(rest, max(len(row[0]) for row in texts + [[columns[0]]])))
    for i, (name, w) in enumerate(zip(columns, widths, strict=True)):
        if i == 0:
            table.add_column(Text(name), overflow="fold", min_width=w)
        else:
            table.add_column(Text(name), overflow="fold", max_width=w)
    for record in texts:
        table.add_row(*(Text(cell) for cell in record))
    console = Console(width=width or 100, file=io.StringIO(), force_terminal=False,
                      color_system=None)
    console.print(table)
    return console.file.getvalue()


def _records(columns: Sequence[str], texts: list[list[str]], title: str | None) -> str:
    """Rows as 'column  value' blocks: wide answers stay readable and nothing is cut."""
    pad = max((len(c) for c in columns), default=0)
    out = [title, ""] if title else []
    for n, row in enumerate(texts, 1):
        out.append(f"── {n} " + "─" * 20)
        out += [f"{c.ljust(pad)}  {v}" for c, v in zip(columns, row, strict=True) if v]
        out.append("")
    return "\n".join(out) + "\n"
