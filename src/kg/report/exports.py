"""Exports: every format of the table, the reconciled graph and the report, deterministic to the byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.core.files import write_atomic
from kg.core.tabular import is_missing
from kg.report.layout import write_table

if TYPE_CHECKING:

    pass


# ---------------------------------------------------------------- files


def export_to(eg, fmt: str, output: Path) -> None:
    """Write one export; every writer is deterministic and the write is atomic."""
    write_atomic(output, export_bytes(eg, fmt))


def export_bytes(eg, fmt: str) -> bytes:
    if fmt in ("csv", "md", "json"):
        return write_table(eg.capability_table(), fmt).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(eg.capability_table())
    if fmt in ("ttl", "jsonld"):
        return reconciled_graph(eg, fmt)
    if fmt == "html":
        from kg.report.html import render

        table = eg.capability_table()
        scores = eg.query("benchmark-scores").to_dict("records")
        return render(table, eg.reconciliation, scores).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")


def reconciled_graph(eg, fmt: str) -> bytes:
    """Curated claims plus the reconciliation (ranks, verdicts, the run), sorted for stable diffs."""
    import pyoxigraph as ox

    from kg.core.turtle import label_blank_nodes
    from kg.core.vocab import PREFIXES
    from kg.reconcile.verdicts import to_quads

    if eg._reconciliation is None:
        eg.reconcile()
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in
                         ox.parse(eg.store.dump(), format=ox.RdfFormat.N_TRIPLES))
    for q in to_quads(eg.reconciliation):
        dataset.add(ox.Quad(q.subject, q.predicate, q.object))
    # blank nodes (rule operands, shape lists) get stable labels, so the bytes repeat
    ordered = sorted(label_blank_nodes(q.triple for q in dataset),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    rdf_format = ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.JSON_LD
    return ox.serialize(ordered, format=rdf_format, prefixes=PREFIXES)


def _xlsx(table) -> bytes:
    """The table's machine columns in one sheet, sources in another; fixed timestamps."""
    import datetime
    import io

    from openpyxl import Workbook

    frame = table.to_frame()
    wb = Workbook()
    ws = wb.active
    ws.title = "table"
    ws.append(list(frame.columns))
    for rec in frame.itertuples(index=False, name=None):
        ws.append([None if is_missing(v) else xlsx_value(v) for v in rec])
    src = wb.create_sheet("sources")
    src.append(["key", "iri", "description"])
    for f in table.footnotes:
        src.append([f.key, f.source, xlsx_value(f.text)])
    notes = wb.create_sheet("conflicts")
    notes.append(["note"])
    for n in table.notes:
        notes.append([xlsx_value(n)])
    text_not_formulas(wb)
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    return _zip_fixed_time(buffer.getvalue())


def xlsx_value(value: object) -> object:
    """A value an xlsx cell can hold: control characters (which XML forbids, and openpyxl
    refuses with an error) are shown by name, as a terminal shows them."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if ILLEGAL_CHARACTERS_RE.search(value):
            from kg.core.errors import visible

            return ILLEGAL_CHARACTERS_RE.sub(lambda m: visible(m.group()), value)
    return value


def text_not_formulas(workbook) -> None:
    """Every cell holds data, never a formula: openpyxl stores a string that starts with '=' as
    a live formula, so a model named '=HYPERLINK(...)' would run in the analyst's spreadsheet
    (issue 18). Such cells become plain strings, shown exactly as the data has them."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _zip_fixed_time(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed member timestamps so the bytes repeat run to run."""
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            payload = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                payload = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z",
                                 payload)
            target.writestr(info, payload)
    return out.getvalue()
