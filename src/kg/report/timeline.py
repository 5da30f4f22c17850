"""A figure's timeline (`kg history SUBJECT PROPERTY`): every claim by the date it became known,
with its source, and the preferred value over time.

The claims and their "known since" dates come from queries/known-since.rq (a source's
publication date, a database's snapshot date, the day a reviewer added an undated document;
estimated dates are used and flagged). The preferred value over time is the as-of
reconciliation at each date a claim became known: the whole graph reconciled from the evidence
known that day (the sources' reliabilities learned from it too), so each point is what the
table would have said then. A month or a year counts from its last day, when the source was
known for certain. The reconciliations are not written as runs: a timeline is a view.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from typing import Any

from kg.core.display import readable_stated
from kg.core.vocab import KG, shorten


@dataclass
class KnownClaim:
    """One claim as the timeline shows it."""

    claim: str
    stated: str | None
    known_since: str | None  # the date as the source gives it ("2025-11-03", "2026-05")
    day: str | None          # the day it counts from (a month's or a year's last day)
    basis: str               # published, estimated, added, unknown
    document: str
    title: str | None
    date_basis: str | None = None
    about: str | None = None      # a related entity's label when the claim is about it
    statement: str | None = None  # the statement it belongs to (qualifiers), as of the last point


@dataclass
class Point:
    """The preferred value of each statement about the figure, as of one date."""

    day: str
    statements: list[dict] = field(default_factory=list)  # name, preferred, status, kind, confidence, claims
    new_claims: list[str] = field(default_factory=list)   # claims that became known that day


@dataclass
class Timeline:
    subject: str
    subject_label: str
    property: str
    property_label: str
    claims: list[KnownClaim]
    points: list[Point]
    unit: str | None = None  # the property's: a database's "4.020010000000001e+24" reads 4.02e24 FLOP

    def to_dict(self) -> dict:
        return {"version": "kg-history/1", "subject": self.subject,
                "subject_label": self.subject_label, "property": self.property,
                "property_label": self.property_label,
                "claims": [vars(c) for c in self.claims],
                "points": [vars(p) for p in self.points]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self, *, markdown: bool = False) -> str:
        out: list[str] = []
        title = f"{self.subject_label} / {self.property_label}: history"
        out.append(f"# {title}" if markdown else f"{title}\n{'=' * len(title)}")
        out.append("")
        head = "Claims by the date they became known"
        out.append(f"## {head}\n" if markdown else f"{head}\n{'-' * len(head)}")
        if markdown:
            out.append("| known since | value as stated | source | statement |")
            out.append("| --- | --- | --- | --- |")
        for c in self.claims:
            when = (c.known_since or "undated") + (" (est.)" if c.basis == "estimated" else "") \
                + (" (added)" if c.basis == "added" else "")
            source = _short_title(c.title or shorten(c.document))
            stated = readable_stated(c.stated, self.unit) + (f" ({c.about})" if c.about else "")
            if markdown:
                out.append(f"| {when} | {_md(stated)} | {_md(source)} | "
                           f"{_md(c.statement or '')} |")
            else:
                out.append(f"  {when:<16} {stated:<28} {source}"
                           + (f"  [{c.statement}]" if c.statement else ""))
        if any(c.basis == "estimated" for c in self.claims):
            out.append("")
            out.append("(est.) the source's date is an estimate (kg:dateBasis says what it rests "
                       "on); it is used as the date the claim became known.")
        if any(c.about for c in self.claims):
            out.append("(Name) a related entity's claim: the reconciler can read this figure as "
                       "that entity's (a release's flagship variant, a base model).")
        if any(c.basis == "unknown" for c in self.claims):
            out.append("Undated claims are in no as-of view.")
        out.append("")
        head = "Preferred value over time (as-of reconciliation at each date)"
        out.append(f"## {head}\n" if markdown else f"{head}\n{'-' * len(head)}")
        if markdown:
            out.append("| as of | statement | preferred | status | confidence |")
            out.append("| --- | --- | --- | --- | --- |")
        last: dict[str, str] = {}
        for p in self.points:
            for s in p.statements:
                was = last.get(s["name"])
                change = "" if was is None or was == s["preferred"] else f"  (was {was})"
                last[s["name"]] = s["preferred"]
                status = s["status"] + (f", {s['kind']}" if s.get("kind") else "")
                if markdown:
                    out.append(f"| {p.day} | {_md(s['name'] or '—')} | {_md(s['preferred'])}"
                               f"{_md(change)} | {status} | {s['confidence']:.2f} |")
                else:
                    name = f"[{s['name']}] " if s["name"] else ""
                    out.append(f"  {p.day}  {name}{s['preferred']}  ({status}, confidence "
                               f"{s['confidence']:.2f}){change}")
            if not p.statements:
                out.append(f"| {p.day} | — | no statement yet | | |" if markdown
                           else f"  {p.day}  no statement yet")
        return "\n".join(out).rstrip() + "\n"


def _short_title(title: str, width: int = 60) -> str:
    title = title.strip().strip("[]")
    return title if len(title) <= width else title[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def real_day(day: str) -> str:
    """A day key as a real date: '2026-04-31' (a month's last day, written the sortable way) is
    2026-04-30."""
    year, month, dom = (int(x) for x in day[:10].split("-"))
    return f"{year:04d}-{month:02d}-{min(dom, calendar.monthrange(year, month)[1]):02d}"


def history(eg, subject: str, prop: str) -> Timeline:
    """See the module docstring. `subject` and `prop` may be IRIs, prefixed names or labels.

    The related entities whose figure this one can be read as (a release's flagship variant, a
    base model; kg.reconcile.context) count too: their claims are listed, marked with whose they
    are, and the dates they became known are points of the timeline, because the preferred
    value can move when they do.
    """
    import pyoxigraph as ox

    from kg.store.bindings import with_table
    from kg.store.queries import named_query
    from kg.store.results import to_python

    subject_iri = eg.resolve(subject, what="entity")
    prop_iri = eg.resolve(prop, classes=[KG + "FigureProperty"], what="property")
    now_rec = eg.reconcile(write=False)  # all the evidence: the last point, and who is related
    ctx = now_rec.context
    related = sorted({other for _relation, other in ctx.related(subject_iri)} - {subject_iri})
    query = with_table(named_query("known-since").text,
                       {"subject": [ox.NamedNode(s) for s in [subject_iri, *related]],
                        "property": [ox.NamedNode(prop_iri)]})
    claims = []
    seen: set[str] = set()
    for r in eg.store.select(query):
        v: dict[str, Any] = {k: to_python(t) for k, t in r.items()}
        if v["claim"] in seen:
            continue
        seen.add(v["claim"])
        claims.append(KnownClaim(v["claim"], v.get("stated"),
                                 str(v["knownSince"]) if v.get("knownSince") else None,
                                 real_day(v["day"]) if v.get("day") else None, v["basis"],
                                 v["document"], v.get("title"), v.get("dateBasis"),
                                 about=None if v["subject"] == subject_iri else ctx.label(v["subject"])))
    claims.sort(key=lambda c: (c.day or "9999", c.about or "", c.claim))
    days = sorted({c.day for c in claims if c.day})
    points = []
    for day in days:
        rec = eg.reconcile(write=False, as_of=day)
        point = Point(day, new_claims=[c.claim for c in claims if c.day == day])
        for g in rec.all_groups():
            if g.subject != subject_iri or g.property != prop_iri:
                continue
            point.statements.append(_statement(g, rec.context))
            for c in g.claims:
                for known in claims:
                    if known.claim == c.iri:
                        known.statement = point.statements[-1]["name"] or None
        point.statements.sort(key=lambda s: s["name"])
        points.append(point)
    # and now, from all the evidence: sources dated after the last of these claims can still
    # move the preferred value (through the sources' reliabilities)
    now = Point("now")
    for g in now_rec.all_groups():
        if g.subject == subject_iri and g.property == prop_iri:
            now.statements.append(_statement(g, ctx))
    now.statements.sort(key=lambda s: s["name"])
    if not points or _shown(now) != _shown(points[-1]):
        points.append(now)
    labels = _label(eg, subject_iri), _label(eg, prop_iri)
    return Timeline(subject_iri, labels[0], prop_iri, labels[1], claims, points,
                    unit=ctx.default_unit.get(prop_iri))


def _shown(point: Point) -> list[tuple]:
    return [(s["name"], s["preferred"], s["status"], s["kind"]) for s in point.statements]


def _statement(g, ctx) -> dict:
    from kg.reconcile.wording import format_candidate

    quals = []
    for k, v in sorted(g.qualifiers.items()):
        values = v if isinstance(v, list) else [v]
        quals.append(f"{k.replace('_', ' ')} " + " + ".join(ctx.label(str(x)) for x in values))
    pref = g.preferred
    unit = ctx.default_unit.get(g.property)
    return {"name": ", ".join(quals), "key": g.key,
            "preferred": format_candidate(pref, unit) if pref else "—",
            "status": str(g.status), "kind": str(g.kind) if g.kind else None,
            "confidence": round(g.confidence, 4),
            "claims": sorted(c.iri for c in (pref.claims if pref else []))}


def _label(eg, iri: str) -> str:
    return eg.names().label(iri)


@dataclass
class CellValues:
    """The values one table cell has had: what its claims stated, by the date each became known,
    and (when the store keeps several full runs) what each run preferred."""

    stated: list[tuple[str, str, str, str]] = field(default_factory=list)  # (day, basis, stated, source)
    runs: list[tuple[str, str]] = field(default_factory=list)              # (run label, preferred)


def cell_values(eg, table, *, max_runs: int = 5) -> dict[tuple[str, str], CellValues]:
    """For the HTML report: each cell's values over time, for cells that have had more than one.

    Reads the current run's statements (one scan), the claims' "known since" dates (one query)
    and, when the store keeps several full-evidence runs, the newest `max_runs` of them.
    """
    from kg.reconcile.runs import current, list_runs
    from kg.reconcile.verdicts import read_run
    from kg.store.queries import named_query
    from kg.store.results import to_python

    cur = current(eg.store)
    if cur is None:
        return {}
    statements, _ = read_run(eg.store, cur.iri)
    cells = {(row.model, column): cell.group.rsplit("/", 1)[-1]
             for row in table.rows for column, cell in row.cells.items() if cell.group}
    wanted = {c for key in cells.values() if key in statements for c in statements[key].claims}
    known: dict[str, tuple[str, str, str, str]] = {}
    if wanted:
        for r in eg.store.stream(named_query("known-since").text):
            claim = r["claim"].value
            if claim in wanted and claim not in known:
                v: dict[str, Any] = {k: to_python(t) for k, t in r.items()}
                known[claim] = (str(v.get("knownSince") or "undated"), v["basis"],
                                v.get("stated") or "", v.get("title") or shorten(v["document"]))
    full = [r for r in list_runs(eg.store) if r.cutoff is None][:max_runs]
    by_run = [(r, read_run(eg.store, r.iri)[0]) for r in reversed(full)] if len(full) > 1 else []
    out: dict[tuple[str, str], CellValues] = {}
    for cell_key, key in cells.items():
        st = statements.get(key)
        if st is None:
            continue
        entries = sorted({known[c] for c in st.claims if c in known})
        values = CellValues(entries)
        for run, states in by_run:
            s = states.get(key)
            values.runs.append((run.id, s.preferred if s is not None and s.preferred else "—"))
        distinct_stated = {" ".join(e[2].lower().split()) for e in entries}
        if len(distinct_stated) > 1 or len({v for _r, v in values.runs}) > 1:
            out[cell_key] = values
    return out
