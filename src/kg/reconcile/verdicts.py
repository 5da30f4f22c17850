"""The reconciliation as RDF: ranks, preferred values and the run, in a named graph of their own.

Each run's graph is named by the run's IRI (`kgr:run-ID`, kg.reconcile.runs.run_iri). In a store
the id is the run's own (a time and a random suffix); in the Turtle `kg reconcile --output` and
`kg export --format ttl` write, it is the digest of what the run was given, so those files repeat
byte for byte.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pyoxigraph as ox

from kg.core.turtle import write_rdf
from kg.core.vocab import KG, KGR, PROV, RDF, WIKIBASE, XSD
from kg.reconcile.model import Group, Status
from kg.reconcile.run import Reconciliation
from kg.reconcile.wording import format_candidate

VERSION = "kg-reconcile/1"


# ---------------------------------------------------------------- RDF


def to_quads(rec: Reconciliation, graph: str | None = None) -> list[ox.Quad]:
    """Ranks, preferred values, confidence, kind and explanation, and the run as prov:Activity
    (named by the digest of what it was given; with its evidence cut-off when it had one)."""
    graph = graph or KGR + "run-" + rec.run
    quads = [*verdict_quads(rec.all_groups(), rec.run, graph), *run_quads(rec.run, graph)]
    if rec.as_of:
        quads.append(ox.Quad(ox.NamedNode(KGR + "run-" + rec.run), ox.NamedNode(KG + "evidenceCutoff"),
                             ox.Literal(rec.as_of, datatype=ox.NamedNode(XSD + "date")),
                             ox.NamedNode(graph)))
    return quads


def run_quads(run_id: str, graph: str) -> list[ox.Quad]:
    """The run itself, written last: a verdict graph without it is an interrupted write."""
    g_node, run = ox.NamedNode(graph), ox.NamedNode(KGR + "run-" + run_id)
    return [ox.Quad(run, ox.NamedNode(RDF + "type"), ox.NamedNode(PROV + "Activity"), g_node),
            ox.Quad(run, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + "ReconciliationRun"), g_node),
            ox.Quad(run, ox.NamedNode(KG + "method"), ox.Literal(VERSION), g_node)]


def verdict_quads(groups: list[Group], run_id: str, graph: str) -> Iterator[ox.Quad]:
    """One batch's statements and its claims' ranks (a claim belongs to one batch only)."""
    return ox.parse(verdict_nquads(groups, run_id, graph), format=ox.RdfFormat.N_QUADS)


def verdict_nquads(groups: list[Group], run_id: str, graph: str) -> bytes:
    """`verdict_quads` as N-Quads text, what a store loads natively: at 100,000 claims a
    million quads, whose Python objects cost more to build and insert than the text does to
    write and parse (the store's parser makes the same terms from it)."""
    return "".join(_verdict_lines(groups, run_id, " <" + graph + "> .\n")).encode("utf-8")


def verdict_ntriples(groups: list[Group], run_id: str) -> bytes:
    """`verdict_nquads` without the graph: the body a store loads into the run's graph in one
    request (`load_ntriples`; on a server one Graph Store Protocol POST per batch), the lines
    otherwise the same."""
    return "".join(_verdict_lines(groups, run_id, " .\n")).encode("utf-8")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _p(iri: str) -> str:
    """A predicate as N-Quads text, with the spaces around it."""
    return " <" + iri + "> "


_TYPE, _GENERATED = _p(RDF + "type"), _p(PROV + "wasGeneratedBy")
_SUBJECT, _PROPERTY, _STATUS = _p(KG + "subject"), _p(KG + "property"), _p(KG + "status")
_KIND, _RESOLUTION, _CONFIDENCE = _p(KG + "conflictKind"), _p(KG + "resolution"), _p(KG + "confidence")
_EXPLANATION, _COUNT, _MEMBER = _p(KG + "explanation"), _p(KG + "claimCount"), _p(KG + "memberClaim")
_AMOUNT, _LOW, _HIGH = _p(KG + "preferredAmount"), _p(KG + "preferredLow"), _p(KG + "preferredHigh")
_UNIT, _STATED, _ENTITY = _p(KG + "unit"), _p(KG + "preferredStated"), _p(KG + "preferredEntity")
_DATE, _BORROWED, _PREFERRED = _p(KG + "preferredDate"), _p(KG + "borrowedFrom"), _p(KG + "preferredClaim")
_DEPRECATED, _RANK, _REASON = _p(KG + "deprecatedClaim"), _p(WIKIBASE + "rank"), _p(KG + "rankReason")
_DOUBLE, _DECIMAL, _INTEGER = "^^<" + XSD + "double>", "^^<" + XSD + "decimal>", "^^<" + XSD + "integer>"
_QUALIFIER = {"compared_to": _p(KG + "comparedTo")}


def _verdict_lines(groups: list[Group], run_id: str, end: str) -> list[str]:
    """The lines of `verdict_nquads`, each ending with the graph and the dot (`end`): each
    predicate's text made once (above), each line one concatenation appended to a list (a
    million lines at 100,000 claims: 2.0-2.5 s as a generator of helper calls, 1.5-1.7 s so)."""
    out: list[str] = []
    add = out.append
    escapes = _ESCAPES
    generated = _GENERATED + "<" + KGR + "run-" + run_id + ">" + end
    claim_group = _TYPE + "<" + KG + "ClaimGroup>" + end
    conflict = Status.CONFLICT
    ranked: dict[str, tuple[str, str]] = {}
    for g in groups:
        node = "<" + KGR + ("scope-" if g.finding else "group-") + g.key + ">"
        add(node + claim_group)
        add(node + generated)
        add(node + _SUBJECT + "<" + g.subject + ">" + end)
        add(node + _PROPERTY + "<" + g.property + ">" + end)
        for k, v in g.qualifiers.items():
            pred = _QUALIFIER.get(k) or _p(KG + k)
            for item in (v if isinstance(v, list) else [v]):
                add(node + pred + ("<" + item + ">" if str(item).startswith("http")
                                   else '"' + str(item).translate(escapes) + '"') + end)
        add(node + _STATUS + "<" + KG + g.status.capitalize() + ">" + end)
        if g.kind:
            add(node + _KIND + "<" + KG + g.kind.capitalize() + "Conflict>" + end)
        if g.resolution:
            add(node + _RESOLUTION + '"' + str(g.resolution).translate(escapes) + '"' + end)
        add(node + _CONFIDENCE + '"' + f"{g.confidence:.4f}" + '"' + _DECIMAL + end)
        add(node + _EXPLANATION + '"' + str(g.explanation).translate(escapes) + '"' + end)
        add(node + _COUNT + '"' + str(len(g.claims)) + '"' + _INTEGER + end)
        member = node + _MEMBER + "<"
        tail = ">" + end
        for c in g.claims:
            add(member + c.iri + tail)
        if g.finding:  # a comparison across statements: its members carry the values
            continue
        pref = g.preferred
        if pref is not None:
            value = pref.value
            if value is not None:
                if value.amount is not None:
                    add(node + _AMOUNT + '"' + repr(float(value.amount)) + '"' + _DOUBLE + end)
                if value.low is not None:
                    add(node + _LOW + '"' + repr(float(value.low)) + '"' + _DOUBLE + end)
                if value.high is not None:
                    add(node + _HIGH + '"' + repr(float(value.high)) + '"' + _DOUBLE + end)
                add(node + _UNIT + "<" + value.unit + ">" + end)
            add(node + _STATED + '"' + str(pref.display).translate(escapes) + '"' + end)
            if pref.claims:
                first = pref.claims[0]
                if first.entity:
                    add(node + _ENTITY + "<" + first.entity + ">" + end)
                if first.date:
                    add(node + _DATE + '"' + str(first.date).translate(escapes) + '"' + end)
            if pref.borrowed_from:
                add(node + _BORROWED + "<" + pref.borrowed_from + ">" + end)
            preferred = node + _PREFERRED + "<"
            for c in pref.claims:
                add(preferred + c.iri + tail)
        is_conflict = g.status == conflict
        for i, cand in enumerate(g.candidates):
            if cand.borrowed_from:
                continue
            for c in cand.claims:
                if is_conflict:
                    rank = "PreferredRank" if i == 0 else "DeprecatedRank"
                    reason = (f"preferred: {g.explanation}" if i == 0 else
                              f"outranked by {format_candidate(g.candidates[0])}: "
                              f"{cand.note or 'lower score'}")
                else:
                    rank, reason = "NormalRank", "agrees with the other claims of its statement"
                if ranked.get(c.iri, ("NormalRank",))[0] != "DeprecatedRank":
                    ranked[c.iri] = (rank, reason)
                if is_conflict and i > 0:
                    add(node + _DEPRECATED + "<" + c.iri + tail)
    for iri, (rank, reason) in sorted(ranked.items()):
        add("<" + iri + ">" + _RANK + "<" + WIKIBASE + rank + ">" + end)
        add("<" + iri + ">" + _REASON + '"' + reason.translate(escapes) + '"' + end)
    return out


def to_turtle(rec: Reconciliation) -> bytes:
    out = io.BytesIO()
    write_turtle(rec, out)
    return out.getvalue()


def write_turtle(rec: Reconciliation, handle: BinaryIO) -> None:
    """The reconciliation as sorted Turtle (`kg reconcile --output`), written into `handle` as
    it is serialised (issue 19): the sort needs every triple, the text never all at once."""
    triples = [q.triple for q in to_quads(rec)]
    prefixes = {"kg": KG, "kgr": KGR, "prov": PROV, "wikibase": WIKIBASE, "xsd": XSD,
                "kgp": "https://w3id.org/kg-compute/prop/", "kge": "https://w3id.org/kg-compute/entity/",
                "kgc": "https://w3id.org/kg-compute/claim/", "unit": "http://qudt.org/vocab/unit/"}
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    write_rdf(triples, handle, ox.RdfFormat.TURTLE, prefixes)


# ---------------------------------------------------------------- reading a run back


@dataclass
class StatementState:
    """One statement as a run left it: what `kg diff` compares between two runs (or a run and a
    saved `kg reconcile --format json` file, read into the same shape)."""

    key: str                      # "group-<digest>" or "scope-<digest>": the same in every run
    subject: str
    property: str
    qualifiers: dict[str, object] = field(default_factory=dict)
    status: str = "agree"
    kind: str | None = None
    resolution: str | None = None
    confidence: float = 0.0
    preferred: str | None = None  # the preferred value as a source stated it
    value: tuple | None = None    # the preferred value, comparable across runs (see `value_key`)
    unit: str | None = None
    claims: set[str] = field(default_factory=set)
    preferred_claims: set[str] = field(default_factory=set)
    deprecated_claims: set[str] = field(default_factory=set)
    borrowed_from: str | None = None


def value_key(amount=None, low=None, high=None, date=None, entity=None, stated=None) -> tuple | None:
    """A preferred value as something two runs can compare: numbers to 6 significant digits (the
    JSON and the graph round-trip floats differently), else the date, entity or stated text."""
    def num(x):
        return None if x is None else float(f"{float(x):.6g}")

    if amount is not None or low is not None or high is not None:
        return ("number", num(amount), num(low), num(high))
    if date:
        return ("date", str(date))
    if entity:
        return ("entity", str(entity))
    if stated is not None:
        return ("text", " ".join(str(stated).lower().split()))
    return None


_QUALIFIERS = {KG + "benchmark": "benchmark", KG + "comparedTo": "compared_to",
               KG + "scope": "scope", KG + "chip": "chip"}


def read_run(store, run: str, nodes: list[str] | None = None
             ) -> tuple[dict[str, StatementState], dict[str, float]]:
    """A run's statements (by key) and the sources' reliabilities it learned, from its graph
    (queries/run-statements.rq: one scan, folded here). With `nodes` (statement IRIs), only
    those statements, looked up a few hundred at a time (`kg diff` reads the ones that moved)."""
    from kg.store.bindings import stream_bound, with_table
    from kg.store.queries import named_query

    facts: dict[str, dict[str, list]] = {}
    reliability: dict[str, float] = {}
    text = named_query("run-statements").text
    rows = (store.stream(with_table(text, {"run": [ox.NamedNode(run)]})) if nodes is None else
            stream_bound(store, text, "node", [ox.NamedNode(n) for n in nodes],
                         fixed={"run": [ox.NamedNode(run)]}))
    for row in rows:
        node, predicate, value = row["node"].value, row["predicate"].value, row["value"]
        if predicate == KG + "reliability":
            reliability[node] = float(value.value)
            continue
        if not node.startswith((KGR + "group-", KGR + "scope-")):
            continue
        facts.setdefault(node, {}).setdefault(predicate, []).append(value.value)
    out: dict[str, StatementState] = {}
    for node, f in facts.items():
        def one(name: str, f=f):
            values = f.get(KG + name)
            return min(values) if values else None

        if one("subject") is None or one("property") is None:
            continue
        quals: dict[str, object] = {}
        for pred, name in _QUALIFIERS.items():
            if pred in f:
                quals[name] = sorted(f[pred]) if name == "scope" else min(f[pred])
        kind = one("conflictKind")
        amount, low, high = (one(n) for n in ("preferredAmount", "preferredLow", "preferredHigh"))
        key = node[len(KGR):]
        out[key] = StatementState(
            key=key, subject=one("subject"), property=one("property"), qualifiers=quals,
            status="conflict" if one("status") == KG + "Conflict" else "agree",
            kind=kind.rsplit("#", 1)[-1].replace("Conflict", "").lower() if kind else None,
            resolution=one("resolution"), confidence=float(one("confidence") or 0.0),
            preferred=one("preferredStated"),
            value=value_key(amount, low, high, one("preferredDate"), one("preferredEntity"),
                            one("preferredStated")),
            unit=one("unit"), claims=set(f.get(KG + "memberClaim", ())),
            preferred_claims=set(f.get(KG + "preferredClaim", ())),
            deprecated_claims=set(f.get(KG + "deprecatedClaim", ())),
            borrowed_from=one("borrowedFrom"))
    return out, reliability


def statement_key(subject: str, prop: str, qualifiers: dict, kind: str | None) -> str:
    """The key `verdict_quads` gives a statement's node (Group.key), from its JSON fields.

    The JSON does not say whether a group is a finding across statements ("scope-") or a
    statement ("group-"); a scope finding never has a scope qualifier of its own, which is the
    guess made here (kg.report.changes.compare matches the other prefix when the guess misses).
    """
    import hashlib

    text = "|".join([subject, prop] + [f"{k}={v}" for k, v in sorted(qualifiers.items())])
    finding = kind == "scope" and not qualifiers.get("scope")
    return ("scope-" if finding else "group-") + hashlib.sha1(text.encode()).hexdigest()[:16]
