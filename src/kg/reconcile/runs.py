"""Reconciliation runs kept, not overwritten: each run's verdicts in a named graph of its own, one
pointer to the current run, and the bookkeeping around them (list, find, prune).

A run is written in three steps (kg.graph.EvidenceGraph.reconcile): its verdicts, batch by batch,
into the graph `KGR + "run-" + id`; its description (`description_quads`: a prov:Activity with
its times, evidence cut-off, the store's content hash, kg's version, the priors used, counts, and
the sources' reliabilities) with the `kg:ReconciliationRun` type last, so a graph without it is
an interrupted write; then, for a full-evidence run, the pointer in the control graph is moved
to it in one update (`set_current`). Nothing is deleted first: on an on-disk store dropping the
previous verdicts cost about 41 s per 100,000 claims, and a failed run leaves the pointer on
the previous run. The queries that read verdicts (capability-table, cell-evidence, open-conflicts,
...) read the run in `?run`: the pointer's, or one a caller binds (an as-of run, an old run).

Run ids are the UTC time the run started plus a short random suffix (`20260514T103012-4f2a`),
so they sort by time and never collide; `resolve` also accepts a unique prefix, `current` and
`previous`.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.core.errors import InputError
from kg.core.vocab import CONTROL_GRAPH, KG, KGR, PROV, XSD
from kg.store.graphs import drop_graph
from kg.store.protocol import Store
from kg.store.queries import named_query
from kg.store.results import to_python

RUN_PREFIX = KGR + "run-"


def run_iri(run_id: str) -> str:
    """The run's IRI, which is also the name of the graph holding its verdicts."""
    return RUN_PREFIX + run_id


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(2)}"


def reads_verdicts(query_text: str) -> bool:
    """Does a query read a run's verdicts (through the pointer, or a run's graph)?"""
    return "currentRun" in query_text or CONTROL_GRAPH in query_text or RUN_PREFIX in query_text


# ---------------------------------------------------------------- dates


def parse_cutoff(value: object) -> str | None:
    """An as-of date as 'YYYY-MM-DD' (a date, a datetime or that string); None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise InputError(f"--as-of {text!r}: not a date",
                         hint="give the day as YYYY-MM-DD, e.g. --as-of 2025-06-30") from exc


def day_of(date: str) -> str:
    """The day a source's date counts from, as queries/known-since.rq writes it: a date as it
    is, a month's last day, a year's last day ('2024-02' -> '2024-02-29')."""
    import calendar

    text = date.strip()
    if len(text) >= 10:
        return text[:10]
    year = int(text[:4])
    if len(text) >= 7:
        month = int(text[5:7])
        return f"{text[:7]}-{calendar.monthrange(year, month)[1]:02d}"
    return f"{text[:4]}-12-31"


def cutoff_literal(cutoff: str) -> ox.Literal:
    return ox.Literal(cutoff, datatype=ox.NamedNode(XSD + "date"))


# ---------------------------------------------------------------- what a run says about itself


@dataclass
class RunInfo:
    """One run as `kg runs` lists it."""

    id: str
    iri: str
    started: str
    ended: str | None = None
    cutoff: str | None = None
    content_hash: str | None = None
    version: str | None = None
    priors_hash: str | None = None
    input_digest: str | None = None
    claims: int | None = None
    statements: int | None = None
    compared: int | None = None
    conflicts: int | None = None
    current: bool = False

    @property
    def label(self) -> str:
        """How a report names the run: its id, and its cut-off when it has one."""
        return f"run {self.id}" + (f" (evidence as of {self.cutoff})" if self.cutoff else "")


def priors_json(priors) -> str:
    """The priors a run used, as compact JSON (node IRI -> value), sorted so it repeats."""
    values: dict[str, float] = {}
    for part in ("kind", "hedge", "factor"):
        values.update(getattr(priors, part, {}) or {})
    return json.dumps(dict(sorted(values.items())), separators=(",", ":"))


def priors_digest(priors) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(priors_json(priors).encode()).hexdigest()[:16]


def description_quads(rec, run_id: str, *, started: dt.datetime, ended: dt.datetime,
                      content_hash: str | None, version: str) -> list[ox.Quad]:
    """The run's description and the sources' reliabilities, written before the run's type.

    `rec` is the kg.reconcile.run.Reconciliation; its counts are kept even with keep=False.
    """
    iri = ox.NamedNode(run_iri(run_id))
    out: list[ox.Quad] = []

    def add(p: str, o) -> None:
        out.append(ox.Quad(iri, ox.NamedNode(p), o, iri))

    def lit(v, dt_=None):
        return ox.Literal(str(v), datatype=ox.NamedNode(XSD + dt_)) if dt_ else ox.Literal(str(v))

    add(KG + "runId", lit(run_id))
    add(PROV + "startedAtTime", lit(started.isoformat(), "dateTime"))
    add(PROV + "endedAtTime", lit(ended.isoformat(), "dateTime"))
    if getattr(rec, "as_of", None):
        add(KG + "evidenceCutoff", cutoff_literal(rec.as_of))
    if content_hash:
        add(KG + "contentHash", lit(content_hash))
    add(KG + "kgVersion", lit(version))
    if getattr(rec, "priors", None) is not None:
        add(KG + "priorsHash", lit(priors_digest(rec.priors)))
        add(KG + "priorsUsed", lit(priors_json(rec.priors)))
    add(KG + "inputDigest", lit(rec.run))
    add(KG + "claimCount", lit(rec.claims, "integer"))
    add(KG + "statementCount", lit(rec.statements, "integer"))
    add(KG + "comparedCount", lit(rec.compared, "integer"))
    add(KG + "conflictCount", lit(sum(rec.conflict_kinds.values()), "integer"))
    reliability = ox.NamedNode(KG + "reliability")
    for origin, value in sorted(rec.trust.items()):
        if origin.startswith(("http://", "https://", "urn:")):
            # as the run used it (repr: the float itself), so a statement settled again with
            # these reliabilities scores exactly as in the run (kg explain on a kept run)
            out.append(ox.Quad(ox.NamedNode(origin), reliability, lit(repr(float(value)), "double"),
                               iri))
    return out


# ---------------------------------------------------------------- the pointer


def set_current(store: Store, run_id: str) -> None:
    """Point the table and the verdict queries at this run: one update
    (queries/set-current-run.ru), so never half-moved."""
    from kg.store.bindings import with_table
    from kg.store.queries import named_update

    store.update(with_table(named_update("set-current-run").text,
                            {"run": [ox.NamedNode(run_iri(run_id))]}))


def list_runs(store: Store) -> list[RunInfo]:
    """Every complete run, newest first."""
    out = []
    seen: set[str] = set()
    for r in store.select(named_query("runs").text):
        v: dict[str, Any] = {k: to_python(t) for k, t in r.items()}
        if v["run"] in seen:
            continue
        seen.add(v["run"])
        out.append(RunInfo(
            id=str(v["id"]), iri=v["run"], started=str(v["started"]),
            ended=str(v["ended"]) if v.get("ended") else None,
            cutoff=str(v["cutoff"])[:10] if v.get("cutoff") else None,
            content_hash=v.get("contentHash"), version=v.get("version"),
            priors_hash=v.get("priorsHash"), input_digest=v.get("inputDigest"),
            claims=_int(v.get("claims")), statements=_int(v.get("statements")),
            compared=_int(v.get("compared")), conflicts=_int(v.get("conflicts")),
            current=bool(v.get("current"))))
    return out


def _int(v) -> int | None:
    return int(v) if v is not None else None


def current(store: Store) -> RunInfo | None:
    """The run the pointer names (None before the first complete full-evidence run)."""
    return next((r for r in list_runs(store) if r.current), None)


def reusable(run: RunInfo | None, *, content_hash: str | None, cutoff: str | None,
             version: str) -> bool:
    """Can `run` answer for the store as it is now, without reconciling again?

    Yes when it read the same evidence cut-off with the same kg version and the store's content
    hash equals the one the run recorded: same files loaded, same priors, so the same verdicts
    (reconciliation is deterministic; tests/test_families.py holds it to that). This is what
    `kg table` on a persistent store relies on to answer from the current run in the time of
    two queries. A store kg did not load has no hash: its current run is trusted as it is (what
    kg did before runs were kept), as-of runs are not (they are cheap to make again).
    """
    if run is None or run.cutoff != cutoff or (run.version and run.version != version):
        return False
    if content_hash is None:
        return cutoff is None and run.current
    return run.content_hash == content_hash


def find_reusable(store: Store, *, content_hash: str | None, cutoff: str | None,
                  version: str) -> RunInfo | None:
    """The newest run that can answer for this evidence cut-off (see `reusable`)."""
    for run in list_runs(store):
        if cutoff is None and not run.current:
            continue  # a full-evidence answer comes from the current run only
        if reusable(run, content_hash=content_hash, cutoff=cutoff, version=version):
            return run
    return None


def resolve(store: Store, spec: str) -> RunInfo:
    """A run named by id, unique id prefix, run IRI, `current` or `previous`."""
    runs = list_runs(store)
    if not runs:
        raise InputError("the store holds no reconciliation runs",
                         hint="run `kg reconcile` (with the same --store or --endpoint) first")
    text = spec.strip()
    if text in ("current", "latest"):
        found = [r for r in runs if r.current] or runs[:1]
        return found[0]
    if text == "previous":
        full = [r for r in runs if r.cutoff is None]
        cur = next((i for i, r in enumerate(full) if r.current), 0)
        if cur + 1 >= len(full):
            raise InputError("there is no run before the current one",
                             hint="`kg runs` lists the runs the store keeps")
        return full[cur + 1]
    text = text.removeprefix(RUN_PREFIX).removeprefix("kgr:run-").removeprefix("run-")
    exact = [r for r in runs if r.id == text]
    if exact:
        return exact[0]
    matches = [r for r in runs if r.id.startswith(text)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(r.id for r in runs[:8])
    if matches:
        raise InputError(f"run {spec!r} is ambiguous: {len(matches)} runs start with it",
                         hint=f"give more of the id; runs: {known}")
    raise InputError(f"no run {spec!r} in the store", hint=f"`kg runs` lists them: {known}")


# ---------------------------------------------------------------- pruning


def run_graphs(store: Store) -> list[tuple[str, bool]]:
    """(graph IRI, complete) for every graph holding run output, complete or interrupted."""
    return [(r["graph"].value, bool(to_python(r["complete"])))
            for r in store.select(named_query("run-graphs").text)]


def prune(store: Store, keep: int) -> list[str]:
    """Drop all but the newest `keep` complete runs (the current run is always kept), and every
    interrupted run's graph. Returns the dropped graphs' IRIs.

    Dropping costs what writing cost (on disk about 41 s per 100,000 claims of verdicts): it is
    the user's explicit choice, never on a reconcile's path.
    """
    if keep < 0:
        raise InputError(f"--prune {keep}: keep at least 0 runs")
    runs = list_runs(store)
    kept = {r.iri for r in runs[:keep]} | {r.iri for r in runs if r.current}
    dropped = [g for g, _complete in run_graphs(store) if g not in kept]
    for graph in dropped:
        drop_graph(store, graph)
    store.flush()
    return dropped


def drop(store: Store, run_id: str) -> None:
    """Take one run's graph out (an interrupted or failed write)."""
    drop_graph(store, run_iri(run_id))
