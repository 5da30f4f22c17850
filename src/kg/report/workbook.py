"""The table and the conflicts as an Excel workbook an analyst can sort, filter and chart.

Numbers are numbers, in the units people use (parameters in billions, tokens in trillions,
GPU-hours in millions, costs in millions of dollars, scores in percent), the unit in the column
header; a derived cell shows "≈" and a cell in conflict is shaded, through the cell's number
format and fill, so the value stays a number. Sheets: `table` (one row per model), `conflicts`
(one row per candidate of every conflicting statement, the preferred one first, with its score,
stated text and sources) and `sources` (the footnotes). Every sheet's header row is frozen and
filterable. Text from data is always written as text, never as a formula.

The bytes repeat: fixed document times and fixed zip member times.
"""

from __future__ import annotations

import datetime
import io
import re

from kg.core.vocab import KGP, KGU, UNIT
from kg.reconcile.run import Reconciliation
from kg.reconcile.wording import format_candidate, sources_text
from kg.report.columns import COLUMNS
from kg.report.table import CapabilityTable

# column key -> (header with unit, divisor into that unit, number format)
TABLE_UNITS: dict[str, tuple[str, float, str]] = {
    "total_params": ("Total params (billions)", 1e9, "#,##0.0##"),
    "active_params": ("Active params (billions)", 1e9, "#,##0.0##"),
    "training_tokens": ("Train tokens (trillions)", 1e12, "#,##0.0##"),
    "gpu_hours": ("GPU-hours (millions)", 1e6, "#,##0.0##"),
    "training_flop": ("Train compute (FLOP)", 1.0, "0.00E+00"),
    "final_run_cost": ("Final-run cost (USD millions)", 1e6, "#,##0.0#"),
    "mmlu": ("MMLU (%)", 1.0, "0.0"),
    "gpqa_diamond": ("GPQA Diamond (%)", 1.0, "0.0"),
    "swe_bench_verified": ("SWE-bench Verified (%)", 1.0, "0.0"),
    "price_in": ("Price in (USD per million tokens)", 1.0, "0.00#"),
    "price_out": ("Price out (USD per million tokens)", 1.0, "0.00#"),
}
SCORES = ("mmlu", "gpqa_diamond", "swe_bench_verified")
CONFLICT_FILL = "FFF4E5"
HEADER_FILL = "F4F4F6"
FIXED_TIME = datetime.datetime(2000, 1, 1)


def workbook(table: CapabilityTable, rec: Reconciliation) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    _table_sheet(wb.active, table)
    _conflicts_sheet(wb.create_sheet("conflicts"), rec)
    _sources_sheet(wb.create_sheet("sources"), table)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "kg"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _zip_fixed_time(buffer.getvalue())


def table_headers() -> list[str]:
    """The table sheet's header row: names, then each figure with its unit, then references."""
    return (["Model", "Lab", "Country", "Released"] +
            [TABLE_UNITS[k][0] for k, _ in COLUMNS if k in TABLE_UNITS] +
            ["GPU chip", "In conflict", "Sources", "Model IRI"])


def _table_sheet(ws, table: CapabilityTable) -> None:
    from openpyxl.styles import Font, PatternFill

    ws.title = "table"
    _header(ws, table_headers())
    shade = PatternFill("solid", fgColor=CONFLICT_FILL)
    for r, row in enumerate(table.rows, start=2):
        _text(ws.cell(r, 1), row.label)
        _text(ws.cell(r, 2), row.lab_label)
        _text(ws.cell(r, 3), row.country_label)
        released = row.cells.get("release_date")
        if released is not None:
            cell = ws.cell(r, 4)
            day = _date(released.value)
            if day:
                cell.value = day
                cell.number_format = "yyyy-mm-dd"
            else:
                _text(cell, released.text)
            if released.status == "conflict":
                cell.fill = shade
        col = 5
        for key, _label in COLUMNS:
            if key not in TABLE_UNITS:
                continue
            c = row.cells.get(key)
            target = ws.cell(r, col)
            col += 1
            if c is None:
                continue
            number = _human(key, c.value, c.unit)
            if number is None:
                _text(target, c.text)
            else:
                target.value = number
                fmt = TABLE_UNITS[key][2]
                if c.unit == KGU + "USD-2023":  # one column, but say which dollars
                    fmt = fmt + '" (2023 USD)"'
                target.number_format = ('"≈"' + fmt) if c.derived else fmt
            if c.derived:
                target.font = Font(italic=True)
            if c.status == "conflict":
                target.fill = shade
        gpu = row.cells.get("gpu_hours")
        chip = gpu.text.split(" ", 1)[1] if gpu and " " in gpu.text else None
        conflicted = [dict(COLUMNS)[k] for k, _ in COLUMNS
                      if k in row.cells and row.cells[k].status == "conflict"]
        keys = sorted({k for c in row.cells.values() for k in c.sources})
        _text(ws.cell(r, col), chip)
        _text(ws.cell(r, col + 1), ", ".join(conflicted) or None)
        _text(ws.cell(r, col + 2), ", ".join(str(k) for k in keys) or None)
        _text(ws.cell(r, col + 3), row.model)
    _widths(ws, {1: 24, 2: 16, 3: 16, 4: 12}, default=14)


def _human(key: str, value: object, unit: str | None) -> float | None:
    if not isinstance(value, float | int) or isinstance(value, bool):
        return None
    if key in SCORES:
        return float(value) * 100 if float(value) <= 1.0 and unit == UNIT + "UNITLESS" \
            else float(value)
    return float(value) / TABLE_UNITS[key][1]


CONFLICT_HEADERS = ["Model", "Property", "Qualifiers", "Kind", "Resolution", "Confidence",
                    "Explanation", "Rank", "Value", "Low", "High", "Unit", "As stated", "Score",
                    "Independent origins", "Claims", "Sources", "Statement"]


def _conflicts_sheet(ws, rec: Reconciliation) -> None:
    from openpyxl.styles import Font

    _header(ws, CONFLICT_HEADERS)
    ctx = rec.context
    r = 2
    for g in rec.conflicts:
        unit = ctx.default_unit.get(g.property)
        scale = _scale(g, unit)
        qualifiers = "; ".join(
            f"{k.replace('_', ' ')}: {', '.join(ctx.label(v) for v in vs)}"
            for k, value in sorted(g.qualifiers.items())
            for vs in [value if isinstance(value, list) else [value]] if value)
        for i, c in enumerate(g.candidates):
            cells = [ctx.label(g.subject), ctx.label(g.property), qualifiers or None,
                     g.kind or "value", g.resolution, round(g.confidence, 4), g.explanation,
                     "preferred" if i == 0 else "candidate"]
            for col, v in enumerate(cells, start=1):
                (_set if isinstance(v, float) else _text)(ws.cell(r, col), v)
            q = c.value
            if q is not None and scale is not None:
                divisor, label, fmt = scale
                for col, v in ((9, q.amount), (10, q.low), (11, q.high)):
                    if v is not None:
                        ws.cell(r, col).value = float(v) / divisor
                        ws.cell(r, col).number_format = fmt
                _text(ws.cell(r, 12), label)
            else:
                _text(ws.cell(r, 9), format_candidate(c, unit))
            stated = "; ".join(sorted({cl.stated or "" for cl in c.claims} - {""}))
            _text(ws.cell(r, 13), stated or None)
            ws.cell(r, 14).value = round(c.score, 4)
            origins = c.factors.get("independent_origins")
            if isinstance(origins, int | float):
                ws.cell(r, 15).value = origins
            ws.cell(r, 16).value = len(c.claims)
            _text(ws.cell(r, 17), sources_text(c, ctx))
            _text(ws.cell(r, 18), g.key)
            if i == 0:
                for col in range(1, len(CONFLICT_HEADERS) + 1):
                    ws.cell(r, col).font = Font(bold=True)
            r += 1
    _widths(ws, {1: 20, 2: 22, 3: 26, 7: 60, 13: 24, 17: 50}, default=12)


def _scale(g, unit: str | None) -> tuple[float, str, str] | None:
    """One human unit for all candidates of a statement, from the preferred value's size."""
    values = [c.value for c in g.candidates if c.value is not None]
    if not values:
        return None
    base = values[0].unit
    ref = next((abs(v) for q in values for v in (q.amount, q.high, q.low) if v), 0.0)
    if base == UNIT + "NUM":
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"),
                           (1e3, "thousand")):
            if ref >= size:
                return size, word, "#,##0.0##"
        return 1.0, "count", "#,##0.##"
    if base in (UNIT + "CCY_USD", KGU + "USD-2023"):
        dollars = "USD" if base == UNIT + "CCY_USD" else "USD at 2023 prices"
        for size, word in ((1e9, "billion"), (1e6, "million")):
            if ref >= size:
                return size, f"{dollars} {word}", "#,##0.0##"
        return 1.0, dollars, "#,##0.00"
    if base == KGU + "GPU-HR":
        return (1e6, "million GPU-hours", "#,##0.0##") if ref >= 1e6 else \
            (1.0, "GPU-hours", "#,##0")
    if base == KGU + "FLOP":
        return 1.0, "FLOP", "0.00E+00"
    if base == UNIT + "UNITLESS" and g.property == KGP + "benchmarkScore":
        return (0.01, "%", "0.0") if ref <= 1.0 else (1.0, "%", "0.0")
    if base == UNIT + "PERCENT":
        return 1.0, "%", "0.0"
    if base == KGU + "USD-PER-MegaTOK":
        return 1.0, "USD per million tokens", "0.00#"
    label = re.sub(r"^.*[/#]", "", base)
    return 1.0, label, "General"


def _sources_sheet(ws, table: CapabilityTable) -> None:
    _header(ws, ["Key", "Source", "IRI"])
    for r, f in enumerate(table.footnotes, start=2):
        ws.cell(r, 1).value = f.key
        _text(ws.cell(r, 2), f.text)
        _text(ws.cell(r, 3), f.source)
    _widths(ws, {1: 6, 2: 90, 3: 60}, default=12)


def _header(ws, names: list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for col, name in enumerate(names, start=1):
        cell = ws.cell(1, col)
        _text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"  # the header row and the first column stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}1"


def _text(cell, value: object) -> None:
    """Text from data stays text: a value starting with "=" is never stored as a formula, and a
    control character (which XML forbids, so openpyxl refuses it) is written as its code."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return
    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    cell.value = text
    cell.data_type = "s"


def _set(cell, value: object) -> None:
    cell.value = value


def _widths(ws, widths: dict[int, int], default: int) -> None:
    from openpyxl.utils import get_column_letter

    for col in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, default)


def _date(text: object) -> datetime.date | None:
    found = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", str(text or ""))
    if not found:
        return None
    try:
        return datetime.date(*(int(x) for x in found.groups()))
    except ValueError:
        return None


def _zip_fixed_time(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed member timestamps so the bytes repeat run to run."""
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
