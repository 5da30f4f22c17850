"""The reconciliation written out: for people (text, Markdown), machines (JSON) and the graph (RDF).

The JSON shape is a stable contract documented in the README: one object with a `groups`
array; each group has subject, property, qualifiers, status, kind, confidence, explanation,
preferred and candidates. The RDF goes into its own named graph so a new run replaces the old
one in a single step and queries can tell curated claims from derived verdicts.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pyoxigraph as ox

from kg.reconcile import Candidate, Group, Reconciliation, _fmt, _sources, compared
from kg.vocab import KG, KGR, PROV, RDF, WIKIBASE, XSD

RUN_GRAPH = KGR + "reconciliation"
VERSION = "kg-reconcile/1"


def selected(rec: Reconciliation, everything: bool) -> list[Group]:
    groups = rec.conflicts + [g for g in rec.all_groups() if g.status != "conflict"]
    return groups if everything else [g for g in groups if compared(g)]


# ---------------------------------------------------------------- JSON


def to_json(rec: Reconciliation, *, everything: bool = False) -> str:
    ctx = rec.context
    out = {"version": VERSION, "groups": []}
    for g in selected(rec, everything):
        out["groups"].append({
            "subject": g.subject, "subject_label": ctx.label(g.subject),
            "property": g.property, "property_label": ctx.label(g.property),
            "qualifiers": {k: v for k, v in sorted(g.qualifiers.items())},
            "status": g.status, "kind": g.kind, "resolution": g.resolution,
            "confidence": round(g.confidence, 4), "explanation": g.explanation,
            "preferred": _candidate(g.preferred) if g.preferred else None,
            "candidates": [_candidate(c) for c in g.candidates],
        })
    return json.dumps(out, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _candidate(c: Candidate) -> dict:
    value: object
    if c.value is not None:
        value = c.value.amount if c.value.amount is not None else c.value.center
    else:
        cmp = c.comparable
        value = cmp[1] if isinstance(cmp, tuple) else c.display
    return {
        "value": value,
        "unit": c.value.unit if c.value is not None else None,
        "low": c.value.low if c.value is not None else None,
        "high": c.value.high if c.value is not None else None,
        "stated": c.display,
        "score": round(c.score, 4),
        "factors": c.factors,
        "note": c.note,
        "borrowed_from": c.borrowed_from,
        "claims": sorted({cl.iri for cl in c.claims}),
        "sources": sorted({cl.document for cl in c.claims} |
                          {cl.origin for cl in c.claims if cl.origin}),
    }


# ---------------------------------------------------------------- people


def to_text(rec: Reconciliation, *, everything: bool = False, markdown: bool = False) -> str:
    ctx = rec.context
    groups = selected(rec, everything)
    conflicts = [g for g in groups if g.status == "conflict"]
    explained = [g for g in groups if g.status != "conflict" and g.kind is not None]
    agreeing = [g for g in groups if g.status != "conflict" and g.kind is None]
    buf = io.StringIO()
    h = "## " if markdown else ""
    by_kind: dict[str, int] = {}
    for g in conflicts:
        by_kind[g.kind or "value"] = by_kind.get(g.kind or "value", 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items()))
    buf.write(f"{h}Reconciliation: {len(conflicts)} conflict(s) ({kinds or 'none'}), "
              f"{len(explained)} difference(s) explained by scope, condition or time, "
              f"{rec.compared} statement(s) compared, {rec.statements} in all\n\n")
    for title, items in (("Conflicts, worst first", conflicts),
                         ("Differences explained (scope, condition, time): not contradictions",
                          explained),
                         ("Agreeing statements", agreeing)):
        if not items:
            continue
        buf.write(f"{h}{title}\n\n" if markdown else f"{title}\n{'=' * len(title)}\n")
        for g in items:
            _write_group(buf, g, ctx, markdown)
        buf.write("\n")
    return buf.getvalue()


def _write_group(buf: io.StringIO, g: Group, ctx, markdown: bool) -> None:
    quals = ", ".join(f"{k.replace('_', ' ')} {_qual(v, ctx)}" for k, v in sorted(g.qualifiers.items()))
    head = f"{ctx.label(g.subject)} / {ctx.label(g.property)}" + (f" [{quals}]" if quals else "")
    tag = f"{g.kind} {g.resolution or ''}".strip() if g.kind else g.status
    bullet = "- " if markdown else "* "
    buf.write(f"{bullet}{'**' if markdown else ''}{head}{'**' if markdown else ''} "
              f"({tag}, confidence {g.confidence:.2f})\n")
    buf.write(f"    {g.explanation}\n")
    if len(g.candidates) > 1 or g.kind:
        unit = ctx.default_unit.get(g.property)
        for i, c in enumerate(g.candidates):
            mark = "preferred" if i == 0 and g.kind != "scope" else "candidate"
            buf.write(f"    {'-' if markdown else '·'} {mark}: {_fmt(c, unit)}  score {c.score:.2f}"
                      f"  [{_sources(c, ctx)}]\n")


def _qual(value: object, ctx) -> str:
    if isinstance(value, list):
        return " + ".join(ctx.label(v) for v in value)
    if isinstance(value, str) and value.startswith("http"):
        return ctx.label(value)
    return str(value)


# ---------------------------------------------------------------- RDF


def to_quads(rec: Reconciliation, graph: str = RUN_GRAPH) -> list[ox.Quad]:
    """Ranks, preferred values, confidence, kind and explanation, and the run as prov:Activity."""
    return [*verdict_quads(rec.all_groups(), rec.run, graph), *run_quads(rec.run, graph)]


def run_quads(run_id: str, graph: str = RUN_GRAPH) -> list[ox.Quad]:
    """The run itself, written last: a verdict graph without it is an interrupted write."""
    g_node, run = ox.NamedNode(graph), ox.NamedNode(KGR + "run-" + run_id)
    return [ox.Quad(run, ox.NamedNode(RDF + "type"), ox.NamedNode(PROV + "Activity"), g_node),
            ox.Quad(run, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + "ReconciliationRun"), g_node),
            ox.Quad(run, ox.NamedNode(KG + "method"), ox.Literal(VERSION), g_node)]


def verdict_quads(groups: list[Group], run_id: str, graph: str = RUN_GRAPH) -> Iterator[ox.Quad]:
    """One batch's statements and its claims' ranks (a claim belongs to one batch only)."""
    g_node = ox.NamedNode(graph)
    run = ox.NamedNode(KGR + "run-" + run_id)
    nodes: dict[str, ox.NamedNode] = {}  # predicates and classes repeat a million times

    def quad(s, p, o):
        node = nodes.get(p)
        if node is None:
            node = nodes[p] = ox.NamedNode(p)
        return ox.Quad(s, node, o, g_node)

    def lit(v, dt=None):
        return ox.Literal(str(v), datatype=ox.NamedNode(XSD + dt)) if dt else ox.Literal(str(v))

    ranked: dict[str, tuple[str, str]] = {}
    for g in groups:
        node = ox.NamedNode(KGR + ("scope-" if g.kind == "scope" else "group-") + g.key)
        yield quad(node, RDF + "type", ox.NamedNode(KG + "ClaimGroup"))
        yield quad(node, PROV + "wasGeneratedBy", run)
        yield quad(node, KG + "subject", ox.NamedNode(g.subject))
        yield quad(node, KG + "property", ox.NamedNode(g.property))
        for k, v in g.qualifiers.items():
            pred = {"compared_to": "comparedTo"}.get(k, k)
            for item in (v if isinstance(v, list) else [v]):
                yield quad(node, KG + pred, ox.NamedNode(item) if str(item).startswith("http")
                    else lit(item))
        yield quad(node, KG + "status", ox.NamedNode(KG + ("Agree" if g.status == "agree" else "Conflict")))
        if g.kind:
            yield quad(node, KG + "conflictKind", ox.NamedNode(KG + g.kind.capitalize() + "Conflict"))
        if g.resolution:
            yield quad(node, KG + "resolution", lit(g.resolution))
        yield quad(node, KG + "confidence", lit(f"{g.confidence:.4f}", "decimal"))
        yield quad(node, KG + "explanation", lit(g.explanation))
        yield quad(node, KG + "claimCount", lit(len(g.claims), "integer"))
        for c in g.claims:
            yield quad(node, KG + "memberClaim", ox.NamedNode(c.iri))
        if g.kind == "scope":
            continue
        pref = g.preferred
        if pref is not None:
            if pref.value is not None:
                if pref.value.amount is not None:
                    yield quad(node, KG + "preferredAmount", lit(repr(float(pref.value.amount)), "double"))
                if pref.value.low is not None:
                    yield quad(node, KG + "preferredLow", lit(repr(float(pref.value.low)), "double"))
                if pref.value.high is not None:
                    yield quad(node, KG + "preferredHigh", lit(repr(float(pref.value.high)), "double"))
                yield quad(node, KG + "unit", ox.NamedNode(pref.value.unit))
            yield quad(node, KG + "preferredStated", lit(pref.display))
            if pref.claims:
                first = pref.claims[0]
                if first.entity:
                    yield quad(node, KG + "preferredEntity", ox.NamedNode(first.entity))
                if first.date:
                    yield quad(node, KG + "preferredDate", lit(first.date))
            if pref.borrowed_from:
                yield quad(node, KG + "borrowedFrom", ox.NamedNode(pref.borrowed_from))
            for c in pref.claims:
                yield quad(node, KG + "preferredClaim", ox.NamedNode(c.iri))
        for i, cand in enumerate(g.candidates):
            if cand.borrowed_from:
                continue
            for c in cand.claims:
                if g.status == "conflict":
                    rank = "PreferredRank" if i == 0 else "DeprecatedRank"
                    reason = (f"preferred: {g.explanation}" if i == 0 else
                              f"outranked by {_fmt(g.candidates[0])}: "
                              f"{cand.note or 'lower score'}")
                else:
                    rank, reason = "NormalRank", "agrees with the other claims of its statement"
                if ranked.get(c.iri, ("NormalRank",))[0] != "DeprecatedRank":
                    ranked[c.iri] = (rank, reason)
                if g.status == "conflict" and i > 0:
                    yield quad(node, KG + "deprecatedClaim", ox.NamedNode(c.iri))
    for iri, (rank, reason) in sorted(ranked.items()):
        yield quad(ox.NamedNode(iri), WIKIBASE + "rank", ox.NamedNode(WIKIBASE + rank))
        yield quad(ox.NamedNode(iri), KG + "rankReason", lit(reason))




def to_turtle(rec: Reconciliation) -> bytes:
    triples = [q.triple for q in to_quads(rec)]
    prefixes = {"kg": KG, "kgr": KGR, "prov": PROV, "wikibase": WIKIBASE, "xsd": XSD,
                "kgp": "https://w3id.org/kg-compute/prop/", "kge": "https://w3id.org/kg-compute/entity/",
                "kgc": "https://w3id.org/kg-compute/claim/", "unit": "http://qudt.org/vocab/unit/"}
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
