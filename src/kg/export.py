"""Writers: one function per output format, shared by every command that prints or saves results.

Output is deterministic (sorted, fixed float formatting, no timestamps unless asked), so the
same graph gives byte-identical files and diffs mean something.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg import results

if TYPE_CHECKING:
    import pandas as pd

    from kg.store import Rows


def write_rows(rows: Rows, fmt: str, *, title: str | None = None) -> str:
    """SPARQL solutions in the requested format; json is the W3C SPARQL results format."""
    if fmt == "json":
        return results.sparql_json(rows.variables, rows) + "\n"
    records = [[results.to_python(r.get(c)) for c in rows.variables] for r in rows]
    return write_records(rows.variables, records, fmt, title=title)


def write_frame(frame: pd.DataFrame, fmt: str, *, title: str | None = None) -> str:
    records = [[None if _missing(v) else v for v in rec] for rec in
               frame.itertuples(index=False, name=None)]
    if fmt == "json":
        return json.dumps([dict(zip(frame.columns, r, strict=True)) for r in records],
                          indent=2, ensure_ascii=False, default=str) + "\n"
    return write_records(list(frame.columns), records, fmt, title=title)


def write_records(columns: Sequence[str], records: Sequence[Sequence[object]], fmt: str, *,
                  title: str | None = None) -> str:
    if fmt == "csv":
        return results.delimited(columns, records, ",")
    if fmt == "tsv":
        return results.delimited(columns, records, "\t")
    if fmt == "md":
        return results.markdown(columns, records)
    if fmt == "json":
        return json.dumps([dict(zip(columns, r, strict=True)) for r in records], indent=2,
                          ensure_ascii=False, default=str) + "\n"
    return results.people_table(columns, records, title=title)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside the target and rename: a failure leaves the old file.

    The data is complete in memory before the target is touched, so a serialiser that fails
    fails before any write; the temporary file is fsynced before the rename and the folder
    after it, so a crash leaves either the old bytes or the new, never a mix. The new file keeps
    the old one's permissions (mkstemp would make it private to the writer, hiding a shared
    graph file from the rest of the team), or gets the usual ones for a new file.
    """
    import os
    import stat
    import tempfile

    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    import os

    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def safe_join(folder: Path, name: str) -> Path:
    """folder/name, refusing a name that would land outside folder (`../x`, `/etc/x`, a symlink).

    For every file name kg derives from data or from another file's name, so hostile input
    cannot make kg write where the user did not point it.
    """
    from kg.errors import InputError

    folder = Path(folder)
    candidate = folder / name
    if not name or Path(name).is_absolute() or not _inside(candidate, folder):
        raise InputError(f"refusing to write {name!r}: it would land outside {folder}",
                         hint="file names from data may not climb out of the output folder")
    return candidate


def inside(path: Path, folder: Path) -> bool:
    """True when path (resolved, symlinks followed) is folder or below it."""
    return _inside(Path(path), Path(folder))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


# ---------------------------------------------------------------- the capability table


def write_table(table, fmt: str, *, width: int = 100) -> str:
    """The capability table for people (terminal, Markdown) or machines (CSV, JSON)."""
    from kg.capability import CAPABILITY_COLUMNS, COLUMNS, COMPUTE_COLUMNS

    if fmt == "csv":
        return table.to_frame().to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(_table_json(table), indent=2, ensure_ascii=False) + "\n"
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
                           [r.cells[c].display if c in r.cells else "—" for c in columns]
                           for r in shown]
                parts.append(f"### {title}\n\n" + results.markdown(cols, records))
            else:  # for a terminal: lab under the model name, source keys as ranges
                cols = ["Model (lab)"] + [_SHORT.get(c, headers[c]) for c in columns]
                records = [[f"{r.label} ({r.lab_label})" if r.lab_label else r.label] +
                           [_terminal_cell(r.cells[c]) if c in r.cells else "—" for c in columns]
                           for r in shown]
                parts.append(results.people_table(cols, records, title=title, width=width))
    parts.append(_legend(table, markdown=fmt == "md", width=None if fmt == "md" else width))
    return "\n".join(parts)


_SHORT = {"release_date": "Released", "total_params": "Params", "active_params": "Active",
          "training_tokens": "Tokens", "gpu_hours": "GPU-hours", "training_flop": "FLOP",
          "final_run_cost": "Run cost", "gpqa_diamond": "GPQA-D", "swe_bench_verified": "SWE-b V",
          "price_in": "$/M in", "price_out": "$/M out"}


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

    from kg.capability import CONFLICT_MARK, DERIVED_MARK

    bullet = "- " if markdown else "  "
    lines = [("#### " if markdown else "") + "Sources",
             *(f"{bullet}[{f.key}] {f.text}" for f in table.footnotes),
             "", ("#### " if markdown else "") + f"Conflicts ({CONFLICT_MARK})",
             *(f"{bullet}{i}. {n}" for i, n in enumerate(table.notes, 1)),
             "", f"{DERIVED_MARK} derived, not stated: training FLOP = 6 x active parameters x "
                 "training tokens. — missing: no source in the graph states it.",
             "Every cell is the preferred value of a reconciled statement; `kg reconcile` shows "
             "all candidates, `kg query cell-evidence` the claims behind each cell."]
    if width:
        lines = [wrapped for line in lines for wrapped in
                 (textwrap.wrap(line, width, subsequent_indent="      ") or [""])]
    return "\n".join(lines) + "\n"


def _table_json(table) -> dict:
    from kg.capability import COLUMNS

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
        from kg.report_html import render

        table = eg.capability_table()
        scores = eg.query("benchmark-scores").to_dict("records")
        return render(table, eg.reconciliation, scores).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")


def reconciled_graph(eg, fmt: str) -> bytes:
    """Curated claims plus the reconciliation (ranks, verdicts, the run), sorted for stable diffs."""
    import pyoxigraph as ox

    from kg.reconcile_report import to_quads
    from kg.vocab import PREFIXES

    if eg._reconciliation is None:
        eg.reconcile()
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in
                         ox.parse(eg.store.dump(), format=ox.RdfFormat.N_TRIPLES))
    for q in to_quads(eg.reconciliation):
        dataset.add(ox.Quad(q.subject, q.predicate, q.object))
    # blank nodes (rule operands, shape lists) get canonical labels, so the bytes repeat
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    ordered = sorted((q.triple for q in dataset),
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
        ws.append([None if _missing(v) else v for v in rec])
    src = wb.create_sheet("sources")
    src.append(["key", "iri", "description"])
    for f in table.footnotes:
        src.append([f.key, f.source, f.text])
    notes = wb.create_sheet("conflicts")
    notes.append(["note"])
    for n in table.notes:
        notes.append([n])
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    return _zip_fixed_time(buffer.getvalue())


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
