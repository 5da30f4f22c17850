"""The two sides `kg diff` compares: a date (the as-of view), a run the store keeps, or a saved
`kg reconcile --format json` file, each read into its statements, reliabilities and cells.

Split from kg.report.changes (whose docstring says what a side can be and how statements are
matched) so reading the sides reads apart from comparing them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import InputError
from kg.core.vocab import KG
from kg.reconcile.verdicts import StatementState, read_run, statement_key, value_key


@dataclass
class Side:
    """One side of a comparison: its statements, reliabilities and (for runs) table cells."""

    spec: str
    kind: str                    # "date", "run" or "file"
    label: str
    statements: dict[str, StatementState]
    reliability: dict[str, float] = field(default_factory=dict)
    cells: dict[tuple[str, str], tuple[str, str, str | None]] | None = None  # -> (text, status, group)
    run: str | None = None       # the run's id (dates and runs)
    cutoff: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    # a run compared inside the store holds only the statements that moved: its totals
    totals: tuple[int, int] | None = None  # (statements, conflicts), from the run's description

    def describe(self) -> dict:
        statements, conflicts = self.totals or (
            len(self.statements), sum(1 for s in self.statements.values() if s.status == "conflict"))
        return {"spec": self.spec, "kind": self.kind, "label": self.label, "run": self.run,
                "cutoff": self.cutoff, "statements": statements, "conflicts": conflicts}



def open_side(eg, spec: object, *, cells: bool = True) -> Side:
    """A date, a run the store keeps, or a saved `kg reconcile --format json` file."""
    found = run_of(eg, spec)
    if isinstance(found, Path):
        return _from_json(found)
    info, text, kind, label = found
    return _from_run(eg, info, spec=text, kind=kind, label=label, cells=cells)


def run_of(eg, spec: object):
    """A side's run (info, spec, kind, label), reconciling a date's as-of view first when the
    store keeps none for it; or the path of a saved JSON file."""
    import datetime as dt

    from kg.reconcile import runs

    text = spec.isoformat() if isinstance(spec, dt.date) else str(spec)
    path = Path(text)
    if text.endswith(".json") or (path.suffix and path.is_file()):
        if not path.is_file():
            raise InputError(f"{text}: no such file",
                             hint="pass a date (YYYY-MM-DD), a run id (`kg runs`) or a file "
                                  "saved with `kg reconcile --format json`")
        return path
    if _looks_like_date(text):
        cutoff = runs.parse_cutoff(text)
        run_id = eg.ensure_reconciled(as_of=cutoff)
        return runs.resolve(eg.store, run_id), text, "date", f"as of {cutoff}"
    info = runs.resolve(eg.store, text)
    label = f"run {info.id}" + (f" (as of {info.cutoff})" if info.cutoff else "")
    return info, text, "run", label


def runs_compared(eg, a, b, *, cells: bool) -> tuple[Side, Side]:
    """Two runs of one store compared inside it (queries/run-difference.rq, both ways round):
    only the statements whose facts differ are read, and only their models' table rows, so
    two runs of 100,000 claims that mostly agree cost seconds, not a copy of each."""
    import pyoxigraph as ox

    from kg.core.vocab import KGR
    from kg.store.bindings import with_table
    from kg.store.queries import named_query

    (ia, spec_a, kind_a, label_a), (ib, spec_b, kind_b, label_b) = a, b
    text = named_query("run-difference").text
    moved: set[str] = set()
    reliability: dict[str, dict[str, float]] = {ia.iri: {}, ib.iri: {}}
    for this, other in ((ia.iri, ib.iri), (ib.iri, ia.iri)):
        query = with_table(text, {"this": [ox.NamedNode(this)], "other": [ox.NamedNode(other)]})
        for row in eg.store.stream(query):
            node, predicate = row["node"].value, row["predicate"].value
            if predicate == KG + "reliability":
                reliability[this][node] = float(row["value"].value)
            elif node.startswith((KGR + "group-", KGR + "scope-")):
                moved.add(node)
    nodes = sorted(moved)
    sides = []
    for info, spec, kind, label in ((ia, spec_a, kind_a, label_a), (ib, spec_b, kind_b, label_b)):
        statements, _rel = read_run(eg.store, info.iri, nodes) if nodes else ({}, {})
        totals = ((info.statements, info.conflicts)
                  if info.statements is not None and info.conflicts is not None else None)
        sides.append(Side(spec, kind, label, statements, reliability[info.iri], run=info.id,
                          cutoff=info.cutoff, totals=totals))
    if cells:
        models = sorted({s.subject for side in sides for s in side.statements.values()})
        for side, info in zip(sides, (ia, ib), strict=True):
            _add_cells(eg, side, info, models)
    return sides[0], sides[1]


def _looks_like_date(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()))


def _from_run(eg, info, *, spec: str, kind: str, label: str, cells: bool) -> Side:
    statements, reliability = read_run(eg.store, info.iri)
    side = Side(spec, kind, label, statements, reliability, run=info.id, cutoff=info.cutoff)
    if cells:
        _add_cells(eg, side, info, None)
    return side


def _add_cells(eg, side: Side, info, models: list[str] | None) -> None:
    """The side's table cells: every row, or only `models`' rows (none when it is empty)."""
    from kg.report.table import table_cells

    side.cells = {}
    if models is not None and not models:
        return
    rows = table_cells(eg.store, run=info.iri, models=models or ())
    for row in rows.values():
        side.labels[row.model] = row.label
        for column, cell in row.cells.items():
            side.cells[(row.model, column)] = (("≈" if cell.derived else "") + cell.text,
                                               cell.status,
                                               cell.group.rsplit("/", 1)[-1] if cell.group else None)


def _from_json(path: Path) -> Side:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        groups = data["groups"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a `kg reconcile --format json` file ({exc})",
                         hint="save one with `kg reconcile --format json > FILE.json`") from exc
    statements: dict[str, StatementState] = {}
    labels: dict[str, str] = {}
    for g in groups:
        quals = g.get("qualifiers") or {}
        key = statement_key(g["subject"], g["property"], quals, g.get("kind"))
        pref = g.get("preferred") or None
        claims = {c for cand in g.get("candidates", []) for c in cand.get("claims", [])}
        value = None
        if pref:
            v = pref.get("value")
            if isinstance(v, int | float) or pref.get("low") is not None or pref.get("high") is not None:
                value = value_key(v if isinstance(v, int | float) else None, pref.get("low"),
                                  pref.get("high"))
            elif isinstance(v, str) and v.startswith(("http://", "https://")):
                value = value_key(entity=v)
            elif isinstance(v, str) and _looks_like_date(v[:10]) and len(v) <= 10:
                value = value_key(date=v)
            else:
                value = value_key(stated=pref.get("stated") if v is None else v)
        statements[key] = StatementState(
            key=key, subject=g["subject"], property=g["property"], qualifiers=quals,
            status=g.get("status") or "agree", kind=g.get("kind"),
            resolution=g.get("resolution"), confidence=float(g.get("confidence") or 0.0),
            preferred=pref.get("stated") if pref else None, value=value,
            unit=pref.get("unit") if pref else None, claims=claims,
            preferred_claims=set(pref.get("claims", [])) if pref else set(),
            borrowed_from=pref.get("borrowed_from") if pref else None)
        labels[g["subject"]] = g.get("subject_label") or labels.get(g["subject"], "")
        labels[g["property"]] = g.get("property_label") or labels.get(g["property"], "")
    return Side(str(path), "file", f"file {path.name}", statements, labels=labels)
