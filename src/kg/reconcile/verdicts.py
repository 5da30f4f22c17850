"""The reconciliation as RDF: ranks, preferred values and the run, in a named graph of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from kg.core.turtle import rdf_bytes
from kg.core.vocab import KG, KGR, PROV, RDF, RUN_GRAPH, WIKIBASE, XSD
from kg.reconcile.model import Group, Status
from kg.reconcile.run import Reconciliation
from kg.reconcile.wording import format_candidate

VERSION = "kg-reconcile/1"


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
        node = ox.NamedNode(KGR + ("scope-" if g.finding else "group-") + g.key)
        yield quad(node, RDF + "type", ox.NamedNode(KG + "ClaimGroup"))
        yield quad(node, PROV + "wasGeneratedBy", run)
        yield quad(node, KG + "subject", ox.NamedNode(g.subject))
        yield quad(node, KG + "property", ox.NamedNode(g.property))
        for k, v in g.qualifiers.items():
            pred = {"compared_to": "comparedTo"}.get(k, k)
            for item in (v if isinstance(v, list) else [v]):
                yield quad(node, KG + pred, ox.NamedNode(item) if str(item).startswith("http")
                    else lit(item))
        yield quad(node, KG + "status", ox.NamedNode(KG + g.status.capitalize()))
        if g.kind:
            yield quad(node, KG + "conflictKind", ox.NamedNode(KG + g.kind.capitalize() + "Conflict"))
        if g.resolution:
            yield quad(node, KG + "resolution", lit(g.resolution))
        yield quad(node, KG + "confidence", lit(f"{g.confidence:.4f}", "decimal"))
        yield quad(node, KG + "explanation", lit(g.explanation))
        yield quad(node, KG + "claimCount", lit(len(g.claims), "integer"))
        for c in g.claims:
            yield quad(node, KG + "memberClaim", ox.NamedNode(c.iri))
        if g.finding:  # a comparison across statements: its members carry the values
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
                if g.status == Status.CONFLICT:
                    rank = "PreferredRank" if i == 0 else "DeprecatedRank"
                    reason = (f"preferred: {g.explanation}" if i == 0 else
                              f"outranked by {format_candidate(g.candidates[0])}: "
                              f"{cand.note or 'lower score'}")
                else:
                    rank, reason = "NormalRank", "agrees with the other claims of its statement"
                if ranked.get(c.iri, ("NormalRank",))[0] != "DeprecatedRank":
                    ranked[c.iri] = (rank, reason)
                if g.status == Status.CONFLICT and i > 0:
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
    return rdf_bytes(triples, ox.RdfFormat.TURTLE, prefixes)
