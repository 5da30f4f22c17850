"""What changed between two reconciliations (`kg diff A B`), and why.

Each side is one of:
  * a date: the as-of view then (the evidence known on that date, reconciled as of it; a run
    the store already keeps for that cut-off and content is reused);
  * a run the store keeps: its id, a unique prefix, `current` or `previous` (`kg runs`);
  * a saved `kg reconcile --format json` file (it holds the compared statements only, unless
    saved with `--all`, and no table: its side has no cells).

Statements are matched by their key (subject, property, splitting qualifiers: the node name the
verdict graph gives them, the same in every run). The report lists new and dropped statements,
preferred values that changed (old -> new, with why), conflicts opened and closed, and the
capability table's cells that changed. The reasons are worked out from the evidence, never
guessed from the numbers:
  * `new-source`: a claim the old side did not read now supports the preferred value;
  * `related-entity`: the preferred value is now a related entity's (the release's figure is
    its flagship variant's), usually because that entity's figures became known;
  * `snapshot-revision`: that claim comes from a newer snapshot of a database the old side
    already read (the same `dcterms:isVersionOf`, or for a curated database that does not say,
    the same creator; a later date): the curator revised the figure;
  * `evidence-dropped`: claims that supported the old value are no longer read;
  * `new-evidence`: new claims changed the balance without supporting the winner themselves;
  * `reliability`: the statement read the same claims; what moved is how far the run trusted
    their sources (the sources' reliabilities each run learned are compared), or the priors;
  * `conflict-opened` / `conflict-resolved`: the statement's status changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.core.errors import InputError
from kg.core.vocab import KG, shorten
from kg.reconcile.verdicts import StatementState, read_run, statement_key, value_key

VERSION = "kg-diff/1"
CURATED_DATABASE = KG + "CuratedDatabase"


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


@dataclass
class Reason:
    kind: str
    text: str
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "sources": self.sources}


@dataclass
class ValueChange:
    old: StatementState
    new: StatementState
    reasons: list[Reason]


@dataclass
class CellChange:
    model: str
    model_label: str
    column: str
    old: str | None
    new: str | None
    old_status: str | None
    new_status: str | None
    group: str | None = None
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class ChangeReport:
    a: Side
    b: Side
    new_statements: list[StatementState]
    dropped_statements: list[StatementState]
    changed: list[ValueChange]
    conflicts_opened: list[StatementState]
    conflicts_closed: list[StatementState]
    cells: list[CellChange]
    labels: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ words
    def label(self, iri: str | None) -> str:
        if not iri:
            return ""
        return self.labels.get(iri) or shorten(iri)

    def statement_name(self, s: StatementState) -> str:
        quals = []
        for k, v in sorted(s.qualifiers.items()):
            values = v if isinstance(v, list) else [v]
            quals.append(f"{k.replace('_', ' ')} " + " + ".join(self.label(str(x)) for x in values))
        return f"{self.label(s.subject)} / {self.label(s.property)}" + (
            f" [{', '.join(quals)}]" if quals else "")

    @property
    def counts(self) -> dict[str, int]:
        return {"new_statements": len(self.new_statements),
                "dropped_statements": len(self.dropped_statements),
                "changed_values": len(self.changed),
                "conflicts_opened": len(self.conflicts_opened),
                "conflicts_closed": len(self.conflicts_closed),
                "cells_changed": len(self.cells)}

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())

    def summary(self, limit: int = 3) -> str:
        """One paragraph a person reads after `kg add` or `kg import`."""
        c = self.counts
        if self.empty:
            return (f"Nothing changed in the reconciliation between {self.a.label} and "
                    f"{self.b.label}.")
        parts = []
        if self.b.cells is not None and self.a.cells is not None:
            rows_a = {m for m, _ in self.a.cells}
            rows_b = {m for m, _ in self.b.cells}
            new_rows = sorted(self.label(m) for m in rows_b - rows_a)
            parts.append(f"{c['cells_changed']} table cell(s) changed"
                         + (f" ({len(new_rows)} new row(s): {', '.join(new_rows[:limit])}"
                            f"{'…' if len(new_rows) > limit else ''})" if new_rows else ""))
        parts.append(f"{c['new_statements']} new statement(s), {c['dropped_statements']} dropped")
        parts.append(f"{c['changed_values']} preferred value(s) changed")
        parts.append(f"{c['conflicts_opened']} conflict(s) opened and {c['conflicts_closed']} closed")
        text = f"From {self.a.label} to {self.b.label}: " + "; ".join(parts) + "."
        shown = []
        for ch in self.changed[:limit]:
            why = "; ".join(r.text for r in ch.reasons[:2])
            shown.append(f"{self.statement_name(ch.new)} {_v(ch.old)} → {_v(ch.new)}"
                         + (f" ({why})" if why else ""))
        if shown:
            text += " " + "; ".join(shown) + ("; …" if len(self.changed) > limit else "") + "."
        return text

    # ------------------------------------------------------------ JSON
    def to_dict(self) -> dict:
        def st(s: StatementState) -> dict:
            return {"key": s.key, "subject": s.subject, "subject_label": self.label(s.subject),
                    "property": s.property, "property_label": self.label(s.property),
                    "qualifiers": s.qualifiers, "status": s.status, "kind": s.kind,
                    "confidence": round(s.confidence, 4), "preferred": s.preferred,
                    "value": _json_value(s)}

        return {
            "version": VERSION, "a": self.a.describe(), "b": self.b.describe(),
            "summary": self.summary(), "counts": self.counts,
            "new_statements": [st(s) for s in self.new_statements],
            "dropped_statements": [st(s) for s in self.dropped_statements],
            "changed_values": [{**st(ch.new), "old": st(ch.old), "new": st(ch.new),
                                "reasons": [r.to_dict() for r in ch.reasons]}
                               for ch in self.changed],
            "conflicts_opened": [st(s) for s in self.conflicts_opened],
            "conflicts_closed": [st(s) for s in self.conflicts_closed],
            "cells": [{"model": c.model, "model_label": c.model_label, "column": c.column,
                       "old": c.old, "new": c.new, "old_status": c.old_status,
                       "new_status": c.new_status, "statement": c.group,
                       "reasons": [r.to_dict() for r in c.reasons]} for c in self.cells],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    # ------------------------------------------------------------ people
    def to_text(self, *, markdown: bool = False, limit: int = 50) -> str:
        out: list[str] = []
        h1, h2 = ("# ", "## ") if markdown else ("", "")
        title = f"What changed: {self.a.label} → {self.b.label}"
        out.append(f"{h1}{title}" if markdown else f"{title}\n{'=' * len(title)}")
        out.append("")
        out.append(self.summary())
        out.append("")

        def section(name: str, items: list, render) -> None:
            if not items:
                return
            out.append(f"{h2}{name} ({len(items)})" if markdown else f"{name} ({len(items)})")
            if not markdown:
                out.append("-" * (len(name) + len(str(len(items))) + 3))
            else:
                out.append("")
            for item in items[:limit]:
                out.append(render(item))
            if len(items) > limit:
                out.append(f"- … and {len(items) - limit} more (--format json lists every one)")
            out.append("")

        bullet = "- "
        if self.cells:
            if markdown:
                out.append(f"{h2}Table cells that changed ({len(self.cells)})\n")
                out.append("| model | column | before | after | why |")
                out.append("| --- | --- | --- | --- | --- |")
                for c in self.cells[:limit]:
                    why = "; ".join(r.text for r in c.reasons[:2])
                    out.append(f"| {_md(c.model_label)} | {c.column} | {_md(c.old or '—')} | "
                               f"{_md(c.new or '—')} | {_md(why)} |")
                if len(self.cells) > limit:
                    out.append(f"\n… and {len(self.cells) - limit} more (--format json lists every one)")
                out.append("")
            else:
                section("Table cells that changed", self.cells, lambda c: (
                    f"{bullet}{c.model_label} · {c.column}: {c.old or '—'} → {c.new or '—'}"
                    + (f"  ({'; '.join(r.text for r in c.reasons[:2])})" if c.reasons else "")))
        section("Preferred values that changed", self.changed, lambda ch: (
            f"{bullet}{self.statement_name(ch.new)}: {_v(ch.old)} → {_v(ch.new)}"
            + "".join(f"\n    {'-' if markdown else '·'} {r.kind}: {r.text}" for r in ch.reasons)))
        section("Conflicts opened", self.conflicts_opened, lambda s: (
            f"{bullet}{self.statement_name(s)} ({s.kind or 'value'} conflict, preferred "
            f"{_v(s)}, confidence {s.confidence:.2f})"))
        section("Conflicts closed", self.conflicts_closed, lambda s: (
            f"{bullet}{self.statement_name(s)} (now {_v(s)}"
            + (f", {s.kind} {s.resolution or ''}".rstrip() if s.kind else "") + ")"))
        section("New statements", self.new_statements, lambda s: (
            f"{bullet}{self.statement_name(s)}: {_v(s)}"
            + (f" ({s.kind or 'value'} conflict)" if s.status == "conflict" else "")))
        section("Dropped statements", self.dropped_statements, lambda s: (
            f"{bullet}{self.statement_name(s)}: was {_v(s)}"))
        return "\n".join(out).rstrip() + "\n"


def _v(s: StatementState) -> str:
    """A preferred value for people: a number in its unit (as the table writes it), else the
    value as a source stated it."""
    from kg.core.vocab import UNIT

    if s.value is not None and s.value[0] == "number":
        _n, amount, low, high = s.value
        if amount is None and low is not None and high is not None:
            return f"{_fmt(low, s.unit)}–{_fmt(high, s.unit)}"
        if amount is not None:
            return _fmt(amount, s.unit) if s.unit != UNIT + "UNITLESS" else f"{amount * 100:.4g}%" \
                if abs(amount) <= 1 else f"{amount:.4g}"
        bound = low if low is not None else high
        if bound is not None:
            return (">" if low is not None else "<") + _fmt(bound, s.unit)
    if s.value is not None and s.value[0] == "date":  # one form on both sides: 2024-12-26
        return str(s.value[1])
    return s.preferred or "—"


def _fmt(x: float, unit: str | None) -> str:
    from kg.report.table import format_cell

    return format_cell("", x, unit)


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _json_value(s: StatementState):
    if s.value is None:
        return None
    if s.value[0] == "number":
        return s.value[1] if s.value[1] is not None else [s.value[2], s.value[3]]
    return s.value[1]


# ---------------------------------------------------------------- reading the sides


def open_side(eg, spec: object, *, cells: bool = True) -> Side:
    """A date, a run the store keeps, or a saved `kg reconcile --format json` file."""
    found = _run_of(eg, spec)
    if isinstance(found, Path):
        return _from_json(found)
    info, text, kind, label = found
    return _from_run(eg, info, spec=text, kind=kind, label=label, cells=cells)


def _run_of(eg, spec: object):
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


def _runs_compared(eg, a, b, *, cells: bool) -> tuple[Side, Side]:
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


# ---------------------------------------------------------------- comparing


def diff(eg, a: object, b: object, *, cells: bool = True) -> ChangeReport:
    """Compare two reconciliations; see the module docstring. Two runs of the store (dates or
    run ids) are compared inside it; a saved file is read whole."""
    run_a, run_b = _run_of(eg, a), _run_of(eg, b)
    if isinstance(run_a, Path) or isinstance(run_b, Path):
        side_a, side_b = open_side(eg, a, cells=cells), open_side(eg, b, cells=cells)
    else:
        side_a, side_b = _runs_compared(eg, run_a, run_b, cells=cells)
    return compare(eg, side_a, side_b)


def compare(eg, a: Side, b: Side) -> ChangeReport:
    """The change report between two sides already read (the claims' sources are looked up in
    `eg`'s store, for the reasons; without it the reasons name claims only)."""
    for side, other in ((a, b), (b, a)):
        if side.kind == "file":  # a saved JSON does not say which groups are findings
            _match_prefixes(side, other)
    keys_a, keys_b = set(a.statements), set(b.statements)
    order = _order(a, b)
    new = sorted((b.statements[k] for k in keys_b - keys_a), key=order)
    dropped = sorted((a.statements[k] for k in keys_a - keys_b), key=order)
    both = sorted(keys_a & keys_b, key=lambda k: order(b.statements[k]))
    changed_keys = [k for k in both if a.statements[k].value != b.statements[k].value]
    opened = [b.statements[k] for k in both
              if a.statements[k].status != "conflict" and b.statements[k].status == "conflict"]
    opened += [s for s in new if s.status == "conflict"]
    closed = [b.statements[k] for k in both
              if a.statements[k].status == "conflict" and b.statements[k].status != "conflict"]
    closed += [s for s in dropped if s.status == "conflict"]

    cell_changes = _cell_changes(a, b)
    # the claims whose sources a reason names: only those of changed statements and cells
    wanted: set[str] = set()
    common = keys_a & keys_b
    reason_keys = set(changed_keys) | {c.group for c in cell_changes if c.group in common}
    reason_keys |= {s.key for s in opened + closed if s.key in common}
    for k in reason_keys:
        for st in (a.statements[k], b.statements[k]):
            wanted |= st.claims | st.preferred_claims
    sources = _claim_sources(eg, wanted) if eg is not None and wanted else {}
    labels = {**a.labels, **b.labels}
    if eg is not None:
        labels = {**_labels(eg, a, b), **labels}
    reasons = {k: _reasons(a.statements[k], b.statements[k], a, b, sources, labels)
               for k in reason_keys}
    changed = [ValueChange(a.statements[k], b.statements[k], reasons[k]) for k in changed_keys]
    for c in cell_changes:
        if c.group in reasons:
            c.reasons = reasons[c.group]
        elif c.group in keys_b and c.group not in keys_a:  # sets: one lookup each
            c.reasons = [Reason("new-statement", "a statement the earlier side did not have")]
        elif c.old is not None and c.new is None:
            c.reasons = [Reason("dropped", "no statement fills the cell any more")]
        elif (c.new or c.old or "").startswith("≈"):
            c.reasons = [Reason("derived", "6 x active parameters x training tokens, from the "
                                "cells beside it")]
    return ChangeReport(a, b, new, dropped, changed, opened, closed, cell_changes, labels)


def _match_prefixes(side: Side, other: Side) -> None:
    """Re-key a file's statement as "scope-" or "group-" where only the other one matches."""
    swap = {"group-": "scope-", "scope-": "group-"}
    for key in list(side.statements):
        if key in other.statements:
            continue
        alt = swap[key[:6]] + key[6:]
        if alt in other.statements and alt not in side.statements:
            state = side.statements.pop(key)
            state.key = alt
            side.statements[alt] = state


def _order(a: Side, b: Side):
    def key(s: StatementState):
        return (s.subject, s.property, json.dumps(s.qualifiers, sort_keys=True), s.key)
    return key


def _cell_changes(a: Side, b: Side) -> list[CellChange]:
    if a.cells is None or b.cells is None:
        return []
    from kg.report.table import COLUMNS

    order = {c: i for i, (c, _h) in enumerate(COLUMNS)}
    labels = {**a.labels, **b.labels}
    out = []
    for key in sorted(set(a.cells) | set(b.cells),
                      key=lambda k: (labels.get(k[0], k[0]), order.get(k[1], 99))):
        old, new = a.cells.get(key), b.cells.get(key)
        if old is not None and new is not None and old[:2] == new[:2]:
            continue
        if not (old and old[0]) and not (new and new[0]):
            continue  # a statement with no value to show on either side: no cell a reader sees
        mark = {"conflict": "‡"}
        out.append(CellChange(
            key[0], labels.get(key[0], shorten(key[0])), key[1],
            old[0] + mark.get(old[1], "") if old else None,
            new[0] + mark.get(new[1], "") if new else None,
            old[1] if old else None, new[1] if new else None,
            group=(new or old or ("", "", None))[2]))
    return out


@dataclass
class _Source:
    document: str
    title: str | None
    kind: str | None
    day: str | None
    creator: str | None
    origin: str | None
    database: str | None = None  # the database a snapshot is a version of


def _claim_sources(eg, claims: Iterable[str]) -> dict[str, _Source]:
    """Each claim's document (title, kind, date, creator) and origin, from queries/known-since.rq."""
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound
    from kg.store.queries import named_query
    from kg.store.results import to_python

    out: dict[str, _Source] = {}
    wanted = [ox.NamedNode(c) for c in sorted(claims)]
    for r in stream_bound(eg.store, named_query("known-since").text, "claim", wanted):
        v: dict[str, Any] = {k: to_python(t) for k, t in r.items()}
        out.setdefault(v["claim"], _Source(v["document"], v.get("title"), v.get("sourceKind"),
                                           str(v["knownSince"]) if v.get("knownSince") else None,
                                           v.get("creator"), v.get("origin"), v.get("database")))
    return out


def _name(src: _Source, width: int = 60) -> str:
    """A source as a reason names it: its title (shortened) and its date."""
    title = (src.title or shorten(src.document)).strip().strip("[]")
    if len(title) > width:
        title = title[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{title}" + (f", {src.day}" if src.day and src.day not in title else "")


def _reasons(old: StatementState, new: StatementState, a: Side, b: Side,
             sources: dict[str, _Source], labels: dict[str, str] | None = None) -> list[Reason]:
    reasons: list[Reason] = []
    added = new.claims - old.claims
    gone = old.claims - new.claims
    if old.value != new.value:
        # claims behind the new value that the old side did not weigh here: the statement's own
        # new claims, or a related entity's (a flagship variant's figure the value is taken from)
        winning_new = sorted(new.preferred_claims - old.claims - old.preferred_claims)
        if new.borrowed_from and new.borrowed_from != old.borrowed_from:
            name = (labels or {}).get(new.borrowed_from) or shorten(new.borrowed_from)
            reasons.append(Reason("related-entity", f"now the value of {name}, a related entity "
                                  "the reconciler reads this figure as", [new.borrowed_from]))
        if winning_new:
            seen: set[str] = set()
            for claim in winning_new:
                src = sources.get(claim)
                if src is None or src.document in seen:
                    continue
                seen.add(src.document)
                revised = _revises(src, old.claims, sources)
                if revised is not None:
                    reasons.append(Reason(
                        "snapshot-revision", f"{_name(src)} revises {_name(revised)}"
                        f" (was {old.preferred or '—'})", [src.document, revised.document]))
                else:
                    reasons.append(Reason("new-source", f"new source: {_name(src)}", [src.document]))
            if not any(r.kind in ("new-source", "snapshot-revision") for r in reasons):
                reasons.append(Reason("new-source", f"{len(winning_new)} new claim(s) support it"))
        elif gone & old.preferred_claims:
            docs = sorted({_name(sources[c]) for c in gone & old.preferred_claims if c in sources})
            reasons.append(Reason("evidence-dropped",
                                  "the claims behind the old value are no longer read"
                                  + (f" ({'; '.join(docs[:3])})" if docs else ""),
                                  sorted({sources[c].document for c in gone if c in sources})))
        elif added:
            docs = sorted({_name(sources[c]) for c in added if c in sources})
            reasons.append(Reason("new-evidence", "new claims changed the balance"
                                  + (f" ({'; '.join(docs[:3])})" if docs else ""),
                                  sorted({sources[c].document for c in added if c in sources})))
        elif gone:
            reasons.append(Reason("evidence-dropped", f"{len(gone)} claim(s) no longer read"))
        else:
            reasons.append(_reliability_reason(old, new, a, b, sources))
    if old.status != new.status:
        if new.status == "conflict":
            reasons.append(Reason("conflict-opened", f"now {_a(new.kind or 'value')} conflict"
                                  f" (confidence {new.confidence:.2f})"))
        else:
            reasons.append(Reason("conflict-resolved", "the conflict is resolved"
                                  + (f": {new.kind} {new.resolution or ''}".rstrip()
                                     if new.kind else "")))
    return reasons


def _revises(src: _Source, old_claims: set[str], sources: dict[str, _Source]) -> _Source | None:
    """The older snapshot of the same database among the old side's claims, if any: the same
    `dcterms:isVersionOf` (two tables of one curator are two databases), else, for curated
    databases that do not say, the same creator."""
    def same(s: _Source) -> bool:
        if src.database or s.database:
            return s.database == src.database
        return (src.kind == s.kind == CURATED_DATABASE and src.creator is not None
                and s.creator == src.creator)

    if not src.database and src.kind != CURATED_DATABASE:
        return None
    older = [s for c in old_claims if (s := sources.get(c)) is not None and same(s)
             and s.document != src.document and (s.day or "") < (src.day or "")]
    return max(older, key=lambda s: s.day or "") if older else None


def _reliability_reason(old: StatementState, new: StatementState, a: Side, b: Side,
                        sources: dict[str, _Source]) -> Reason:
    origins = {str(sources[c].origin) for c in old.claims | new.claims
               if c in sources and sources[c].origin}
    moved = []
    for origin in sorted(origins):
        ra, rb = a.reliability.get(origin), b.reliability.get(origin)
        if ra is not None and rb is not None and abs(ra - rb) >= 0.005:
            moved.append((abs(ra - rb), origin, ra, rb))
    moved.sort(reverse=True)
    if moved:
        titles = {sources[c].document: sources[c].title for c in old.claims | new.claims
                  if c in sources and sources[c].title}
        text = "; ".join(f"{_short_title(titles.get(o) or shorten(o))} {ra:.2f} → {rb:.2f}"
                         for _d, o, ra, rb in moved[:3])
        return Reason("reliability", f"same claims; the sources' reliability moved: {text}",
                      [o for _d, o, _a, _b in moved])
    return Reason("reliability", "same claims; the weighing changed (other statements moved "
                  "the sources' reliabilities, or the priors changed)")


def _short_title(title: str, width: int = 60) -> str:
    title = title.strip().strip("[]")
    return title if len(title) <= width else title[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _labels(eg, a: Side, b: Side) -> dict[str, str]:
    """Labels of the subjects and properties the report names (kg.store.names, read once)."""
    names = eg.names()
    wanted = {s.subject for side in (a, b) for s in side.statements.values()}
    wanted |= {s.property for side in (a, b) for s in side.statements.values()}
    return {iri: names.label(iri) for iri in wanted}
