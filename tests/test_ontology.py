"""The graph speaks only the vocabulary the ontology declares.

A misspelt property (kg:hedges, kgp:trainingGPUHours) is valid Turtle and would pass SHACL
silently (an unknown predicate is no constraint's business), so these checks compare every
term the graph and the named queries use with what ontology/ declares.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from kg.core.resources import GRAPH, HOME, ONTOLOGY
from kg.core.vocab import KG, KGP, KGU, UNIT

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@lru_cache(maxsize=1)
def ontology():  # -> rdflib.Graph
    import rdflib

    graph = rdflib.Graph()
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def data():  # -> rdflib.Graph
    import rdflib

    graph = rdflib.Graph()
    for path in sorted(GRAPH.rglob("*.ttl")):
        graph.parse(path, format="turtle")
    assert len(graph) > 1000
    return graph


def declared(namespace: str) -> set[str]:
    """IRIs in `namespace` that ontology/ describes (appear as a subject there)."""
    return {str(s) for s in ontology().subjects() if str(s).startswith(namespace)}


def used(namespace: str) -> set[str]:
    """IRIs in `namespace` the graph uses as a predicate, a class or any other object."""
    terms: set[str] = set()
    for _s, p, o in data():
        for term in (p, o):
            if str(term).startswith(namespace) and not hasattr(term, "language"):
                terms.add(str(term))
    return terms


def test_every_claim_property_is_declared_with_a_dimension():
    import rdflib

    props = {str(o) for o in data().objects(None, rdflib.URIRef(KG + "property"))}
    assert len(props) > 20
    dims = {str(s): str(o) for s, o in ontology().subject_objects(rdflib.URIRef(KG + "dimension"))}
    figure = {str(s) for s in ontology().subjects(rdflib.URIRef(RDF_TYPE),
                                                  rdflib.URIRef(KG + "FigureProperty"))}
    assert props - figure == set(), "claims use properties properties.ttl does not declare"
    assert {p for p in props if p not in dims} == set(), "properties without a kg:dimension"
    assert all(p.startswith(KGP) for p in props)


def test_every_kgp_term_in_the_graph_is_declared():
    assert used(KGP) - declared(KGP) == set()


def test_every_kg_term_in_the_graph_is_declared_in_the_ontology():
    missing = used(KG) - declared(KG)
    assert missing == set(), f"declare these in ontology/kg.ttl (or properties/units/...): {sorted(missing)}"


def test_every_unit_the_graph_or_the_properties_name_is_in_units_ttl():
    import rdflib

    units_ttl = rdflib.Graph().parse(ONTOLOGY / "units.ttl", format="turtle")
    declared_units = {str(s) for s in units_ttl.subjects(rdflib.URIRef(RDF_TYPE),
                                                         rdflib.URIRef("http://qudt.org/schema/qudt/Unit"))}
    named = {str(o) for g in (data(), ontology())
             for p in ("unit", "defaultUnit") for o in g.objects(None, rdflib.URIRef(KG + p))}
    assert named, "no units named at all?"
    assert named - declared_units == set()
    # and nothing in the unit namespaces is referenced without being declared
    assert (used(KGU) | used(UNIT)) - declared_units == set()


def test_every_unit_has_a_dimension_and_every_default_unit_a_pint_expression():
    """A unit may lack a pint expression only if the parser never needs it (kgu:USD-2023 is
    deliberately not convertible); a property's default unit is what bare numbers are read in."""
    import rdflib

    graph = ontology()
    units = set(graph.subjects(rdflib.URIRef(RDF_TYPE), rdflib.URIRef("http://qudt.org/schema/qudt/Unit")))
    assert units
    for unit in units:
        assert graph.value(unit, rdflib.URIRef(KG + "dimension")) is not None, unit
    for unit in set(graph.objects(None, rdflib.URIRef(KG + "defaultUnit"))):
        assert graph.value(unit, rdflib.URIRef(KG + "pintUnit")) is not None, unit


def test_every_property_default_unit_fits_its_dimension():
    import rdflib

    graph = ontology()
    for prop, unit in graph.subject_objects(rdflib.URIRef(KG + "defaultUnit")):
        dimension = graph.value(prop, rdflib.URIRef(KG + "dimension"))
        unit_dims = set(graph.objects(unit, rdflib.URIRef(KG + "dimension")))
        assert dimension in unit_dims, f"{prop}: default unit {unit} is not a {dimension}"


QUERY_FILES = sorted((HOME / "queries").glob("*.rq"))
# the queries that speak kg's vocabulary (the SHACL component templates speak only SHACL's)
KG_QUERY_FILES = [p for p in QUERY_FILES if re.search(
    r"(?m)^PREFIX\s+kg:\s*<" + re.escape(KG) + ">", p.read_text(encoding="utf-8"))]

# The reconciler's output vocabulary (written by kg/reconcile_report.py, read by the table queries)
# must be declared in ontology/kg.ttl like every other term.
RECONCILER_TERMS = {KG + t for t in (
    "ClaimGroup", "Conflict", "claimCount", "confidence", "conflictKind", "explanation", "status",
    "preferredAmount", "preferredDate", "preferredEntity", "preferredHigh", "preferredLow",
    "preferredStated", "preferredClaim", "deprecatedClaim")}


@pytest.mark.parametrize("path", KG_QUERY_FILES, ids=[p.name for p in KG_QUERY_FILES])
def test_named_queries_use_only_declared_kg_terms(path):
    text = re.sub(r"(?m)(^|\s)#[^\n]*", " ", path.read_text(encoding="utf-8"))  # comments, not IRIs
    terms = {KG + t for t in re.findall(r"(?<![\w?$])kg:([A-Za-z][\w-]*)", text)}
    assert terms - declared(KG) - RECONCILER_TERMS == set()


def test_reconciler_output_terms_are_declared():
    assert RECONCILER_TERMS - declared(KG) == set()
