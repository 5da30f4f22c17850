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
    """Write to a temporary file beside the target and rename: a failure leaves the old file."""
    import os
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)
