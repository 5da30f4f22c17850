"""The capability table laid out for a terminal, Markdown, CSV or JSON, with its legend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.core.tabular import (
    Markdown,
    json_text,
    markdown,
    md_text,
    people_table,
    spreadsheet_text,
    terminal_text,
)

if TYPE_CHECKING:

    pass


# ---------------------------------------------------------------- the capability table


def write_table(table, fmt: str, *, width: int = 100) -> str:
    """The capability table for people (terminal, Markdown) or machines (CSV, JSON)."""
    import pandas as pd

    from kg.report.table import CAPABILITY_COLUMNS, COLUMNS, COMPUTE_COLUMNS

    if fmt == "csv":  # text cells from data stay text in a spreadsheet (issue 18)
        frame = table.to_frame()
        frame = frame.apply(lambda column: column.map(spreadsheet_text)
                            if not pd.api.types.is_numeric_dtype(column) else column)
        return frame.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json_text(_table_json(table), indent=2, ensure_ascii=False) + "\n"
    headers = dict(COLUMNS)
    parts: list[str] = []
    for country, rows in _by_country(table.rows):
        for title, columns in ((f"{country}: scale and compute", COMPUTE_COLUMNS),
                               (f"{country}: capability and price", CAPABILITY_COLUMNS)):
            shown = [r for r in rows if any(c in r.cells for c in columns)]
            if not shown:
                continue
            if fmt == "md":
                cols = ["Model", "Lab"] + [headers[c] for c in columns]
                records = [[r.label, r.lab_label or ""] +
                           [_markdown_cell(r.cells[c]) if c in r.cells else "—" for c in columns]
                           for r in shown]
                parts.append(f"### {md_text(title)}\n\n" + markdown(cols, records))
            else:  # for a terminal: lab under the model name, source keys as ranges
                cols = ["Model (lab)"] + [_SHORT.get(c, headers[c]) for c in columns]
                records = [[f"{r.label} ({r.lab_label})" if r.lab_label else r.label] +
                           [_terminal_cell(r.cells[c]) if c in r.cells else "—" for c in columns]
                           for r in shown]
                parts.append(people_table(cols, records, title=title, width=width))
    parts.append(_legend(table, markdown=fmt == "md", width=None if fmt == "md" else width))
    return "\n".join(parts)


_SHORT = {"release_date": "Released", "total_params": "Params", "active_params": "Active",
          "training_tokens": "Tokens", "gpu_hours": "GPU-hours", "training_flop": "FLOP",
          "final_run_cost": "Run cost", "gpqa_diamond": "GPQA-D", "swe_bench_verified": "SWE-b V",
          "price_in": "$/M in", "price_out": "$/M out"}


def _markdown_cell(cell) -> Markdown:
    """The cell's text escaped (it may quote data: a licence, a date as written), its footnote
    keys as they are."""
    display = cell.display
    keys = f" [{','.join(str(k) for k in cell.sources)}]" if cell.sources else ""
    return Markdown(md_text(display[:len(display) - len(keys)] if keys else display) + keys)


def _terminal_cell(cell) -> str:
    if not cell.text:
        return "—"
    mark = "‡" if cell.status == "conflict" else ""
    prefix = "≈" if cell.derived else ""
    keys = f" [{_ranges(cell.sources)}]" if cell.sources else ""
    return f"{prefix}{cell.text}{mark}{keys}"


def _ranges(keys: list[int]) -> str:
    """[1, 2, 3, 6] -> '1-3,6': footnote keys take less room as ranges."""
    out, start, prev = [], None, None
    for k in sorted(keys):
        if start is None:
            start = prev = k
        elif k == prev + 1:
            prev = k
        else:
            out.append(f"{start}-{prev}" if prev > start else str(start))
            start = prev = k
    if start is not None:
        out.append(f"{start}-{prev}" if prev > start else str(start))
    return ",".join(out)


def _by_country(rows):
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.country_label or "Other or unknown", []).append(r)
    return list(groups.items())


def _legend(table, *, markdown: bool, width: int | None = None) -> str:
    import textwrap

    from kg.report.table import CONFLICT_MARK, DERIVED_MARK

    bullet = "- " if markdown else "  "
    text = md_text if markdown else terminal_text  # footnotes and notes quote data
    lines = [("#### " if markdown else "") + "Sources",
             *(f"{bullet}[{f.key}] {text(f.text)}" for f in table.footnotes),
             "", ("#### " if markdown else "") + f"Conflicts ({CONFLICT_MARK})",
             *(f"{bullet}{i}. {text(n)}" for i, n in enumerate(table.notes, 1)),
             "", f"{DERIVED_MARK} derived, not stated: training FLOP = 6 x active parameters x "
                 "training tokens. — missing: no source in the graph states it.",
             "Every cell is the preferred value of a reconciled statement; `kg reconcile` shows "
             "all candidates, `kg query cell-evidence` the claims behind each cell."]
    if width:
        lines = [wrapped for line in lines for wrapped in
                 (textwrap.wrap(line, width, subsequent_indent="      ") or [""])]
    return "\n".join(lines) + "\n"


def _table_json(table) -> dict:
    from kg.report.table import COLUMNS

    return {
        "columns": [{"key": k, "label": label} for k, label in COLUMNS],
        "rows": [{
            "model": r.model, "label": r.label, "lab": r.lab, "lab_label": r.lab_label,
            "country": r.country, "country_label": r.country_label,
            "cells": {k: {"value": c.value, "unit": c.unit, "display": c.text,
                          "confidence": round(c.confidence, 4), "status": c.status,
                          "kind": c.kind, "derived": c.derived, "sources": c.sources,
                          "lost": c.losers}
                      for k, c in r.cells.items()},
        } for r in table.rows],
        "sources": [{"key": f.key, "iri": f.source, "description": f.text}
                    for f in table.footnotes],
        "conflict_notes": table.notes,
    }
