"""RDF terms to plain values, and query answers to the formats people and machines read.

People get a readable table (rich, wrapped to the terminal, numbers never cut); machines get
CSV, TSV, Markdown or the W3C SPARQL 1.1 results JSON format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import pyoxigraph as ox

from kg.vocab import XSD, shorten

_INTEGER = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                              "positiveInteger")}
_FLOAT = {XSD + t for t in ("double", "float", "decimal")}


def to_python(term: object) -> object:
    """IRIs as strings, numbers as numbers, booleans as bools; dates stay ISO strings."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else None
        try:
            if dt in _INTEGER:
                return int(term.value)
            if dt in _FLOAT:
                return float(term.value)
        except ValueError:
            return term.value
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return term


def display(value: object) -> str:
    """A cell for people: IRIs shortened to prefix:name, floats without noise, missing as ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return shorten(value)
    return str(value)


def sparql_json(variables: Sequence[str], rows: Sequence[dict]) -> str:
    """W3C SPARQL 1.1 Query Results JSON, built from terms so datatypes survive."""
    bindings = []
    for row in rows:
        out = {}
        for name, t in row.items():
            if isinstance(t, ox.NamedNode):
                out[name] = {"type": "uri", "value": t.value}
            elif isinstance(t, ox.BlankNode):
                out[name] = {"type": "bnode", "value": t.value}
            elif isinstance(t, ox.Literal):
                cell = {"type": "literal", "value": t.value}
                if t.language:
                    cell["xml:lang"] = t.language
                elif t.datatype and t.datatype.value != XSD + "string":
                    cell["datatype"] = t.datatype.value
                out[name] = cell
        bindings.append(out)
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False)


def delimited(columns: Sequence[str], records: Sequence[Sequence[object]], sep: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(["" if v is None else v for v in record])
    return buffer.getvalue()


def markdown(columns: Sequence[str], records: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return display(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
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
    table = Table(title=title, show_lines=False, header_style="bold", expand=False,
                  box=box.SIMPLE_HEAD, pad_edge=False)
    texts = [[display(v) for v in record] for record in records]
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
            table.add_column(name, overflow="fold", min_width=w)
        else:
            table.add_column(name, overflow="fold", max_width=w)
    for record in texts:
        table.add_row(*record)
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
