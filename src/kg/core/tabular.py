"""Rows of plain values as text: CSV, TSV, Markdown, JSON, or a readable table for people.

People get a readable table (wrapped to the terminal between words, numbers never cut); machines get
CSV, TSV, Markdown or JSON. No RDF here: query answers are turned into plain values first
(kg.store.results).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

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

    indent = options.get("indent")
    if (type(indent) is int and indent >= 0 and not options.get("sort_keys")
            and set(options) <= {"indent", "ensure_ascii", "sort_keys"}):
        return _indented(data, indent, options.get("ensure_ascii", True))
    return json.dumps(clean(data), allow_nan=False, default=str, **options)


class JsonItems:
    """A JSON array whose items are produced one at a time (a generator): `write_json` writes
    each as it comes, so a long array (every group of a reconciliation) is never whole in
    memory, neither as objects nor as text (issue 19). Iterated once."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[object]) -> None:
        self.items = items


# parts gathered before write_json hands them on: about 100-200 KB of text, so a pipe or file
# gets few large writes and memory stays flat
_FLUSH_PARTS = 8192


def write_json(data: object, write: Callable[[str], object], *, indent: int = 2,
               ensure_ascii: bool = False) -> None:
    """`json_text(data, indent=indent, ensure_ascii=ensure_ascii)`, byte for byte, given to
    `write` in pieces as it is produced (after each item of a JsonItems array, once enough text
    has gathered): what a large output (a reconciliation, a query's rows) is written with, so
    that memory holds one item's text, not the document's. The trailing newline is the
    caller's, as with json_text."""
    _indented(data, indent, ensure_ascii, write)


def json_chunks(data: object, *, indent: int = 2, ensure_ascii: bool = False) -> list[str]:
    """The pieces write_json would write, gathered (for tests and small callers)."""
    out: list[str] = []
    write_json(data, out.append, indent=indent, ensure_ascii=ensure_ascii)
    return out


def write_json_dumps(data: object, write: Callable[[str], object], *, indent: int,
                     ensure_ascii: bool = False) -> None:
    """`json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)` byte for byte (the standard
    library's rules: NaN written bare, an unserialisable value an error), streamed: a JsonItems
    array in `data` (or in a dict of it) is encoded item by item, each item by json itself, and
    given to `write` in pieces. For the JSON-LD exports, which have always been json.dumps'
    bytes; the fast write_json is json_text's."""
    encoder = json.JSONEncoder(indent=indent, ensure_ascii=ensure_ascii)
    parts: list[str] = []

    def flush() -> None:
        if parts:
            write("".join(parts))
            parts.clear()

    def emit(item: object, level: int) -> None:
        outer = "\n" + " " * (indent * level)
        inner = "\n" + " " * (indent * (level + 1))
        if isinstance(item, JsonItems):
            members = iter(item.items)
            first = next(members, _END)
            if first is _END:
                parts.append("[]")
                return
            parts.append("[" + inner)
            emit(first, level + 1)
            for member in members:
                if len(parts) >= _FLUSH_PARTS // 8:
                    flush()
                parts.append("," + inner)
                emit(member, level + 1)
            parts.append(outer + "]")
        elif isinstance(item, dict) and item and all(type(k) is str for k in item) and \
                any(isinstance(v, JsonItems | dict) for v in item.values()):
            parts.append("{")
            for i, (key, member) in enumerate(item.items()):
                parts.append(("," if i else "") + inner + encoder.encode(key) + ": ")
                emit(member, level + 1)
            parts.append(outer + "}")
        else:  # json's own text, its lines moved in to this depth (a JSON string holds no
            # raw line break, so every one is json's)
            text = encoder.encode(item)
            parts.append(text.replace("\n", outer) if level else text)

    emit(data, 0)
    flush()


def _indented(data: object, indent: int, ensure_ascii: bool,
              sink: Callable[[str], object] | None = None) -> str:
    """What `json.dumps(clean(data), indent=indent, ensure_ascii=..., allow_nan=False,
    default=str)` writes (see json_text), byte for byte, in a third of the time: with an indent,
    json.dumps runs its pure-Python encoder, a generator per container and a step per value, and
    clean() copies the whole tree first (8 s together for the 133 MB of a 100,000-claim
    `kg reconcile --all --format json`, 3 s here). A NaN or infinity is written null here
    instead of being cleaned out first. A list of strings is one join of
    json's own C string encoder, and a dict's plain values are written inline; numbers by
    float.__repr__ and int.__repr__ as json does; a value json cannot write becomes its text,
    as with default=str. `data` must be a tree (no container inside itself). With `sink`, the
    text goes to it piece by piece (write_json) and "" is returned."""
    from json.encoder import encode_basestring, encode_basestring_ascii

    encode = encode_basestring_ascii if ensure_ascii else encode_basestring
    parts: list[str] = []
    write = parts.append
    int_text, float_text = int.__repr__, float.__repr__
    newlines: list[str] = []

    def newline(level: int) -> str:
        while len(newlines) <= level:
            newlines.append("\n" + " " * (indent * len(newlines)))
        return newlines[level]

    def number(item: float) -> str:  # NaN and infinities: null, as json_text's clean() does
        return float_text(item) if item - item == 0 else "null"

    def key_text(key: object) -> str:
        if isinstance(key, str):
            return key
        if isinstance(key, float):
            if key - key != 0:
                raise ValueError("Out of range float values are not JSON compliant: " + repr(key))
            return float_text(key)
        if key is True:
            return "true"
        if key is False:
            return "false"
        if key is None:
            return "null"
        if isinstance(key, int):
            return int_text(key)
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")

    def value(item: Any, level: int) -> None:  # dispatched on its exact type below
        kind = type(item)
        if kind is str:
            write(encode(item))
        elif item is None:
            write("null")
        elif item is True:
            write("true")
        elif item is False:
            write("false")
        elif kind is int:
            write(int_text(item))
        elif kind is float:
            write(number(item))
        elif isinstance(item, dict):
            if not item:
                write("{}")
                return
            inner = newline(level + 1)
            write("{" + inner)
            first = True
            for key, member in item.items():
                if first:
                    first = False
                else:
                    write("," + inner)
                write(encode(key if type(key) is str else key_text(key)) + ": ")
                kind = type(member)
                if kind is str:
                    write(encode(member))
                elif member is None:
                    write("null")
                elif kind is float:
                    write(number(member))
                elif kind is int:
                    write(int_text(member))
                else:
                    value(member, level + 1)
            write(newline(level) + "}")
        elif isinstance(item, list | tuple):
            if not item:
                write("[]")
                return
            inner = newline(level + 1)
            write("[" + inner)
            try:  # a list of strings, the common case: one join
                write(("," + inner).join(map(encode, item)))
            except TypeError:
                first = True
                for member in item:
                    if first:
                        first = False
                    else:
                        write("," + inner)
                    value(member, level + 1)
            write(newline(level) + "]")
        elif kind is JsonItems:
            members = iter(item.items)
            head = next(members, _END)
            if head is _END:
                write("[]")
                return
            inner = newline(level + 1)
            write("[" + inner)
            value(head, level + 1)
            for member in members:
                if sink is not None and len(parts) >= _FLUSH_PARTS:
                    sink("".join(parts))
                    parts.clear()
                write("," + inner)
                value(member, level + 1)
            write(newline(level) + "]")
        elif isinstance(item, str):
            write(encode(item))
        elif isinstance(item, int):
            write(int_text(item))
        elif isinstance(item, float):
            write(number(item))
        else:
            value(str(item), level)

    value(data, 0)
    if sink is None:
        return "".join(parts)
    if parts:
        sink("".join(parts))
    return ""


_END = object()


def write_frame(frame: pd.DataFrame, fmt: str, *, title: str | None = None,
                width: int | None = None) -> str:
    records = [[None if is_missing(v) else v for v in rec] for rec in
               frame.itertuples(index=False, name=None)]
    if fmt == "json":
        return json_text([dict(zip(frame.columns, r, strict=True)) for r in records],
                         indent=2, ensure_ascii=False) + "\n"
    return write_records(list(frame.columns), records, fmt, title=title, width=width)


def write_records(columns: Sequence[str], records: Sequence[Sequence[object]], fmt: str, *,
                  title: str | None = None, width: int | None = None) -> str:
    if fmt == "csv":
        return delimited(columns, records, ",")
    if fmt == "tsv":
        return delimited(columns, records, "\t")
    if fmt == "md":
        return markdown(columns, records)
    if fmt == "json":
        return json_text([dict(zip(columns, r, strict=True)) for r in records], indent=2,
                         ensure_ascii=False) + "\n"
    return people_table(columns, records, title=title, width=width)


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def delimited(columns: Sequence[str], records: Iterable[Sequence[object]], sep: str = ",") -> str:
    out: list[str] = []
    write_delimited(columns, records, out.append, sep)
    return "".join(out)


def write_delimited(columns: Sequence[str], records: Iterable[Sequence[object]],
                    write: Callable[[str], object], sep: str = ",") -> None:
    """delimited's text given to `write` a few thousand rows at a time (issue 19)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerow([spreadsheet_text(c) for c in columns])
    for n, record in enumerate(records, 1):
        writer.writerow(["" if v is None else spreadsheet_text(v) for v in record])
        if n % 4096 == 0:
            write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    write(buffer.getvalue())


def write_records_streamed(columns: Sequence[str], records: Iterable[Sequence[object]],
                           fmt: str, write: Callable[[str], object]) -> None:
    """write_records' bytes for the machine formats (csv, tsv, json), given to `write` as
    they are made: the records may be a generator, never all turned into text at once."""
    if fmt == "json":
        rows = JsonItems(dict(zip(columns, r, strict=True)) for r in records)
        write_json(rows, write, indent=2, ensure_ascii=False)
        write("\n")
    elif fmt in ("csv", "tsv"):
        write_delimited(columns, records, write, "," if fmt == "csv" else "\t")
    else:
        raise ValueError(f"{fmt} is not streamed: write_records makes it")


def markdown(columns: Sequence[str], records: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return md_text(v if isinstance(v, Markdown) else display(v))

    lines = ["| " + " | ".join(md_text(c) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in records]
    return "\n".join(lines) + "\n"


def people_table(columns: Sequence[str], records: Sequence[Sequence[object]],
                 title: str | None = None, width: int | None = None) -> str:
    """A table for a terminal, `width` columns wide (100 by default): never cuts a figure.

    Each column gets the width of its longest cell when all fit; otherwise the columns wrap
    their cells between words (and source keys between their commas: "[4,7-8," / "11]"),
    narrowing first the columns with most to spare, never below their longest word, so a date
    or a number is never split across lines. Rows that wrap are set apart by a blank line.
    When even the longest words do not fit side by side, each row is printed as a block of
    "column  value" lines instead.
    """
    width = width or 100
    # control characters (ANSI escapes, bells) from data are shown by name, never sent
    texts = [[terminal_text(v) for v in record] for record in records]
    names = [terminal_text(c) for c in columns]
    title = terminal_text(title) if title else title
    gap = 2
    room = width - gap * (len(names) - 1) - 1
    for soft in (False, True):  # then long names (IRIs, file names) may break after - / _
        tokens = [[_tokens(cell, soft) for cell in row] for row in texts]
        heads = [_tokens(n, soft) for n in names]
        least = [max([_longest(heads[i])] + [_longest(row[i]) for row in tokens])
                 for i in range(len(names))]
        if sum(least) <= room:
            break
    else:  # too many columns to show side by side: one block per row instead
        return _records(names, texts, title)
    most = [max([_natural(heads[i])] + [_natural(row[i]) for row in tokens]) for i in range(len(names))]
    widths = list(most)
    while sum(widths) > room:  # narrow the column with the most to spare, a step at a time
        i = max(range(len(widths)), key=lambda k: (widths[k] - least[k], widths[k]))
        widths[i] -= 1
    head_lines = [_wrap(h, w) for h, w in zip(heads, widths, strict=True)]
    body = [[_wrap(cell, w) for cell, w in zip(row, widths, strict=True)] for row in tokens]
    wrapped = any(len(cell) > 1 for row in body for cell in row)
    total = sum(widths) + gap * (len(widths) - 1)
    out = [title.center(total).rstrip(), ""] if title else []
    out += _lines(head_lines, widths, gap)
    out.append("─" * total)
    for n, row in enumerate(body):
        if wrapped and n:
            out.append("")
        out += _lines(row, widths, gap)
    return "\n".join(" " + line if line else line for line in out) + "\n\n"


def _tokens(text: str, soft: bool = False) -> list[tuple[str, bool]]:
    """A cell as (piece, space before it) pairs: words, and source keys cut after each comma;
    with `soft`, words longer than 16 characters (IRIs, file names) cut after - / _ . : # too."""
    import re

    out: list[tuple[str, bool]] = []
    for word in text.split():
        if word.startswith("[") and "," in word:
            parts = word.split(",")
            out.append((parts[0] + ",", True))
            out += [(p + ("," if i < len(parts) - 2 else ""), False) for i, p in enumerate(parts[1:])]
        elif soft and len(word) > 16:
            parts = [p for p in re.split(r"(?<=[-/_.:#])", word) if p]
            out += [(p, i == 0) for i, p in enumerate(parts)]
        else:
            out.append((word, True))
    return out


def _longest(tokens: list[tuple[str, bool]]) -> int:
    return max((len(t) for t, _ in tokens), default=1)


def _natural(tokens: list[tuple[str, bool]]) -> int:
    return sum(len(t) + (1 if space and i else 0) for i, (t, space) in enumerate(tokens)) or 1


def _wrap(tokens: list[tuple[str, bool]], width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece, space in tokens:
        joined = f"{line} {piece}" if line and space else line + piece
        if line and len(joined) > width:
            lines.append(line)
            line = piece
        else:
            line = joined
    if line or not lines:
        lines.append(line)
    return lines


def _lines(cells: list[list[str]], widths: list[int], gap: int) -> list[str]:
    height = max(len(c) for c in cells)
    return [(" " * gap).join((c[k] if k < len(c) else "").ljust(w)
                             for c, w in zip(cells, widths, strict=True)).rstrip()
            for k in range(height)]


def _records(columns: Sequence[str], texts: list[list[str]], title: str | None) -> str:
    """Rows as 'column  value' blocks: wide answers stay readable and nothing is cut."""
    pad = max((len(c) for c in columns), default=0)
    out = [title, ""] if title else []
    for n, row in enumerate(texts, 1):
        out.append(f"── {n} " + "─" * 20)
        out += [f"{c.ljust(pad)}  {v}" for c, v in zip(columns, row, strict=True) if v]
        out.append("")
    return "\n".join(out) + "\n"
