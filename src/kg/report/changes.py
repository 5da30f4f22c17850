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
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.vocab import shorten
from kg.reconcile.verdicts import StatementState
from kg.report.change_reasons import Reason, claim_sources, entity_labels, reasons_for
from kg.report.change_sides import Side, open_side, run_of, runs_compared

VERSION = "kg-diff/1"


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
    from kg.report.columns import format_cell

    return format_cell("", x, unit)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _json_value(s: StatementState):
    if s.value is None:
        return None
    if s.value[0] == "number":
        return s.value[1] if s.value[1] is not None else [s.value[2], s.value[3]]
    return s.value[1]


# ---------------------------------------------------------------- comparing


def diff(eg, a: object, b: object, *, cells: bool = True) -> ChangeReport:
    """Compare two reconciliations; see the module docstring. Two runs of the store (dates or
    run ids) are compared inside it; a saved file is read whole."""
    run_a, run_b = run_of(eg, a), run_of(eg, b)
    if isinstance(run_a, Path) or isinstance(run_b, Path):
        side_a, side_b = open_side(eg, a, cells=cells), open_side(eg, b, cells=cells)
    else:
        side_a, side_b = runs_compared(eg, run_a, run_b, cells=cells)
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
    sources = claim_sources(eg, wanted) if eg is not None and wanted else {}
    labels = {**a.labels, **b.labels}
    if eg is not None:
        labels = {**entity_labels(eg, a, b), **labels}
    reasons = {k: reasons_for(a.statements[k], b.statements[k], a, b, sources, labels)
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
    from kg.report.columns import COLUMNS

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
