"""The capability table laid out for a terminal, Markdown, CSV or JSON, with its legend.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kg.core.tabular import (
    JsonItems,
    Markdown,
    json_text,
    markdown,
    md_text,
    people_table,
    spreadsheet_text,
    terminal_text,
    write_json,
)

if TYPE_CHECKING:

    pass


# ---------------------------------------------------------------- the capability table


def write_table(table, fmt: str, *, width: int | None = None) -> str:
    """The capability table for people (terminal, Markdown) or machines (CSV, JSON).

    For people: one table per country group (China, the United States, then the rest together,
    each row naming its country), compute columns apart from capability and price, the unit in
    each header, then the sources, the conflict notes and the remarks. `width` is the
    terminal's (None: 100 columns, the same bytes on every machine).
    """
    import pandas as pd

    from kg.report.columns import CAPABILITY_COLUMNS, COLUMNS, COMPUTE_COLUMNS

    if fmt == "csv":  # text cells from data stay text in a spreadsheet (issue 18)
        frame = table.to_frame()
        frame = frame.apply(lambda column: column.map(spreadsheet_text)
                            if not pd.api.types.is_numeric_dtype(column) else column)
        return frame.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json_text(_table_json(table), indent=2, ensure_ascii=False) + "\n"
    width = width or 100
    headers = dict(COLUMNS)
    parts: list[str] = []
    for group, rows in _by_country(table.rows):
        for title, columns in ((f"{group}: scale and compute", COMPUTE_COLUMNS),
                               (f"{group}: capability and price", CAPABILITY_COLUMNS)):
            columns = [c for c in columns if c in table.columns]
            shown = [r for r in rows if any(c in r.cells for c in columns)]
            if not shown or not columns:
                continue
            if fmt == "md":
                cols = ["Model", "Lab"] + [headers[c] for c in columns]
                records = [[_name(r, group, lab=False), r.lab_label or ""] +
                           [_markdown_cell(r.cells[c]) if c in r.cells else "—" for c in columns]
                           for r in shown]
                parts.append(f"### {md_text(title)}\n\n" + markdown(cols, records))
            else:  # for a terminal: lab under the model name, source keys as ranges
                cols = ["Model (lab)"] + [_SHORT.get(c, headers[c]) for c in columns]
                records = [[_name(r, group)] +
                           [_terminal_cell(r.cells[c]) if c in r.cells else "—" for c in columns]
                           for r in shown]
                parts.append(people_table(cols, records, title=title, width=width))
    if not table.rows:
        parts.append("No model matches these filters.\n")
    parts.append(_legend(table, markdown=fmt == "md", width=None if fmt == "md" else width))
    return "\n".join(parts)


# the table's machine formats written row by row (write_table_to)
STREAMED = ("json",)


def write_table_to(table, fmt: str, write: Callable[[str], object]) -> None:
    """write_table's bytes for a machine format (STREAMED), given to `write` row by row as
    each row's object is made (issue 19): the table has a row per model, tens of thousands
    in a large graph, and the rows' objects and text were built whole before."""
    if fmt != "json":
        raise ValueError(f"{fmt} is not streamed: write_table makes it")
    write_json(_table_json(table, lazy=True), write, indent=2, ensure_ascii=False)
    write("\n")


# terminal headers: short, each with its unit (K/M/B/T are in the legend)
_SHORT = {"release_date": "Released", "total_params": "Params", "active_params": "Active",
          "training_tokens": "Tokens", "gpu_hours": "GPU-hours", "training_flop": "FLOP",
          "final_run_cost": "Run cost (US$)", "mmlu": "MMLU (%)", "gpqa_diamond": "GPQA-D (%)",
          "swe_bench_verified": "SWE-b V (%)", "price_in": "In (US$/M tok)",
          "price_out": "Out (US$/M tok)"}
# China and the United States are the table's point; every other country shares one group
_MAIN_COUNTRIES = ("China", "United States")


def _name(row, group: str, *, lab: bool = True) -> str:
    """The model's name, with its lab and, in the shared group, its country."""
    extra = [row.lab_label] if lab and row.lab_label else []
    if group not in _MAIN_COUNTRIES and row.country_label and row.country_label != group:
        extra.append(row.country_label)
    return f"{row.label} ({', '.join(extra)})" if extra else row.label


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
    out: list[str] = []
    ordered = sorted(keys)
    if not ordered:
        return ""
    start = prev = ordered[0]
    for k in ordered[1:]:
        if k == prev + 1:
            prev = k
        else:
            out.append(f"{start}-{prev}" if prev > start else str(start))
            start = prev = k
    out.append(f"{start}-{prev}" if prev > start else str(start))
    return ",".join(out)


def _by_country(rows):
    """China, the United States, then every other country in one group (named when it is one)."""
    groups: dict[str, list] = {}
    rest: list = []
    for r in rows:
        if r.country_label in _MAIN_COUNTRIES:
            groups.setdefault(r.country_label, []).append(r)
        else:
            rest.append(r)
    out = list(groups.items())
    if rest:
        names = {r.country_label for r in rest}
        name = (names.pop() or "Country unknown") if len(names) == 1 else "Other countries"
        out.append((name, rest))
    return out


def _legend(table, *, markdown: bool, width: int | None = None) -> str:
    import textwrap

    from kg.report.columns import CONFLICT_MARK, DERIVED_MARK, MIN_FIGURES_IMPORTED

    bullet = "- " if markdown else "  "
    head = "#### " if markdown else ""
    text = md_text if markdown else terminal_text  # footnotes, notes and remarks quote data
    lines = [head + "Sources", *(f"{bullet}[{f.key}] {text(f.text)}" for f in table.footnotes)]
    if table.notes:
        lines += ["", head + f"Conflicts ({CONFLICT_MARK})",
                  *(f"{bullet}{i}. {text(n)}" for i, n in enumerate(table.notes, 1))]
    if table.remarks:
        lines += ["", head + "Notes", *(f"{bullet}{text(n)}" for n in table.remarks)]
    lines += ["", f"{DERIVED_MARK} derived, not stated: training FLOP = 6 x active parameters x "
                  "training tokens. — missing: no source in the graph states it. K, M, B, T: "
                  "thousand, million, billion, trillion.",
              "Every cell is the preferred value of a reconciled statement; `kg explain MODEL "
              "COLUMN` shows how one was chosen, `kg show MODEL` a model's every figure."]
    if table.left_out:
        lines += [f"{table.left_out} models known only from an imported database, with fewer "
                  f"than {MIN_FIGURES_IMPORTED} of the table's figures, are left out: "
                  "`kg table --all` shows them (or narrow with --model, --lab, --country, "
                  "--since)."]
    if width:
        lines = [wrapped for line in lines for wrapped in
                 (textwrap.wrap(line, width, subsequent_indent="      ") or [""])]
    return "\n".join(lines) + "\n"


def _table_json(table, *, lazy: bool = False) -> dict:
    from kg.report.columns import COLUMNS

    rows = ({
        "model": r.model, "label": r.label, "lab": r.lab, "lab_label": r.lab_label,
        "country": r.country, "country_label": r.country_label,
        "cells": {k: {"value": c.value, "unit": c.unit, "display": c.text,
                      "confidence": round(c.confidence, 4), "status": c.status,
                      "kind": c.kind, "derived": c.derived, "sources": c.sources,
                      "lost": c.losers,
                      **({"variant": c.benchmark, "variant_tag": c.variant}
                         if c.benchmark else {})}
                  for k, c in r.cells.items()},
    } for r in table.rows)
    return {
        "columns": [{"key": k, "label": label} for k, label in COLUMNS if k in table.columns],
        "rows": JsonItems(rows) if lazy else list(rows),
        "sources": [{"key": f.key, "iri": f.source, "description": f.text}
                    for f in table.footnotes],
        "conflict_notes": table.notes,
        "notes": table.remarks,
        "left_out": table.left_out,
    }
