"""Epoch's CSV files read by column name: which table a file is, and which of its columns holds
each column kg expects, under any of the names the ontology gives it or a looser spelling.

Split from kg.ingest.epoch so the file-format questions (encodings, byte-order marks, headers,
renamed columns) read apart from what a row becomes (kg.ingest.epoch_claims).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from kg.core.errors import InputError
from kg.ingest.epoch_columns import EpochColumns

_FRONTIER_SIGNS = {"flop/$", "assumed precision", "hardware fp32", "hardware age", "frontier model"}


def column_key(header: str) -> str:
    """A header as compared with a name: case folded, spaces collapsed."""
    return " ".join(header.casefold().split())


def loose_key(name: str) -> str:
    """A column name with only its letters and digits, case folded, an "(s)" plural dropped:
    "Organization(s)", "Power capacity [MW]" and "Training chip hours" meet the names kg
    expects."""
    return re.sub(r"[^0-9a-z]+", "", name.casefold().replace("(s)", ""))


def renamed_perhaps(missing: list[str], unread: list[str], cutoff: float = 0.85
                    ) -> list[tuple[str, str]]:
    """(expected, file's name) for columns kg expects and did not find beside a column of the
    file whose name is nearly the same ("Numeric format" for "Numerical format"): a guess for
    the reader to confirm, never read as the column."""
    import difflib

    out = []
    for want in missing:
        scored = [(difflib.SequenceMatcher(None, loose_key(want), loose_key(got)).ratio(), got)
                  for got in unread]
        best = max(scored, default=(0.0, ""))
        if best[0] >= cutoff:
            out.append((want, best[1]))
    return out


def match_columns(header: list[str], expected: list[tuple[str, ...]]
                  ) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each expected column (its first name's `_key`) -> the file's header that holds it, found
    under any of its names (the ontology's label and former names, in order); and the
    (expected, header) pairs read by a looser match of a name: spelling apart (case, spaces,
    punctuation, an "(s)"), a renamed column is still read, and the summary says so."""
    in_file = {column_key(h): h for h in header}
    columns: dict[str, str] = dict(in_file)
    taken: set[str] = set()
    for names in expected:
        hit = next((in_file[column_key(n)] for n in names if column_key(n) in in_file), None)
        if hit is not None:
            columns[column_key(names[0])] = hit
            taken.add(hit)
    loose: dict[str, list[str]] = {}
    for h in header:
        if h not in taken:
            loose.setdefault(loose_key(h), []).append(h)
    renamed = []
    for names in expected:
        if column_key(names[0]) in columns:
            continue
        found = next((loose[loose_key(n)] for n in names if len(loose.get(loose_key(n), [])) == 1), [])
        if found and found[0] not in taken:
            columns[column_key(names[0])] = found[0]
            taken.add(found[0])
            renamed.append((names[0], found[0]))
    return columns, renamed


def detect(header: Iterable[str], columns: EpochColumns | None = None) -> str | None:
    """Which Epoch table a header row belongs to, from its column names alone (any of the
    names the ontology gives each column, spelt loosely)."""
    columns = columns or EpochColumns.from_ontology()
    keys = {column_key(h) for h in header if h} | {loose_key(h) for h in header if h}

    def has(*names: str) -> bool:
        return any(column_key(n) in keys or loose_key(n) in keys for n in names)

    def record(kind: str, label: str) -> tuple[str, ...]:
        return columns.records_of(kind).get(label, (label,))

    if has(*record("hardware", "Hardware name")):
        return "ml-hardware"
    cluster_signs = [f.names for f in columns.of("clusters")] + [record("clusters", "Chip type (primary)")]
    if has(*record("clusters", "Name")) and any(has(*names) for names in cluster_signs):
        return "gpu-clusters"
    model_signs = [f.names for f in columns.of("models")] + [record("models", "Publication date")]
    if has(*record("models", "Model")) and any(has(*names) for names in model_signs):
        if len(keys & _FRONTIER_SIGNS) >= 3:
            return "frontier-ai-models"
        if "notability criteria" in keys:
            return "notable-ai-models"
        return "large-scale-ai-models"
    return None


def read_table(path: Path, table: str | None = None,
               columns: EpochColumns | None = None) -> tuple[str, list[dict[str, str]]]:
    """The rows as written (strings, never re-formatted), keyed by stripped header, and which
    Epoch table they are (recognised by the columns unless `table` says)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="pass one of Epoch's CSV tables "
                         "(notable, large-scale or frontier models, ML hardware, GPU clusters)")
    text = _decode(path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty", hint="download the table again")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        records = list(reader)
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: not a readable CSV file ({exc})") from exc
    header = [h.strip() for h in header]
    table = table or detect(header, columns)
    if table is None:
        raise InputError(f"{path}: not an Epoch table (no 'Model' and 'Parameters', 'Hardware name', "
                         f"or 'Name' with cluster columns; the header has {len(header)} column(s))",
                         hint="kg import epoch reads Epoch AI's notable, large-scale and frontier "
                              "models, ML hardware and GPU clusters tables")
    rows = [{h: (r[i] if i < len(r) else "") for i, h in enumerate(header) if h} for r in records]
    return table, rows


_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]


def _decode(path: Path) -> str:
    """UTF-8 (or UTF-16/32 announced by a byte-order mark); anything else is refused by line.

    No guessing of legacy encodings: a Latin-1 "é" read as something else would mint a wrong
    name silently, so the file is refused with the line to look at.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not {encoding.upper().replace('-SIG', '')} text "
                         f"(byte 0x{raw[exc.start]:02x} at offset {exc.start}: {exc.reason})",
                         hint="save the file as UTF-8 (Epoch's downloads are UTF-8)") from exc
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise InputError(f"{path}:{line}: holds NUL bytes, so it is no text CSV file",
                         hint="is it a spreadsheet (.xlsx) renamed .csv? export it as CSV")
    return text


class CsvRow:
    """One CSV row read by column name, whatever the file calls or orders its columns."""

    def __init__(self, row: dict[str, str], columns: dict[str, str]) -> None:
        self.row = row
        self.columns = columns     # our name -> the file's header

    def get(self, *names: str) -> str:
        for name in names:
            header = self.columns.get(column_key(name))
            if header is not None:
                return (self.row.get(header) or "").strip()
        return ""
