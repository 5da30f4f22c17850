"""The namespaces kg writes and reads, so no module spells an IRI by hand."""

from __future__ import annotations

KG = "https://w3id.org/kg-compute/ontology#"
KGP = "https://w3id.org/kg-compute/prop/"
KGE = "https://w3id.org/kg-compute/entity/"
KGS = "https://w3id.org/kg-compute/source/"
KGC = "https://w3id.org/kg-compute/claim/"
KGU = "https://w3id.org/kg-compute/unit/"
KGR = "https://w3id.org/kg-compute/run/"
# Each reconciliation run writes its verdicts into a named graph of its own (KGR + "run-" + id,
# kg.reconcile.runs); this small graph holds the one pointer to the current run that the table and
# the verdict queries read through, and the content hash of what the store was loaded from.
CONTROL_GRAPH = KGR + "control"
# where kg before runs were kept wrote its verdicts (replaced whole by each run); `kg runs
# --prune` drops it from stores made by that version
LEGACY_RUN_GRAPH = KGR + "reconciliation"
UNIT = "http://qudt.org/vocab/unit/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
WIKIBASE = "http://wikiba.se/ontology#"
SH = "http://www.w3.org/ns/shacl#"
KGSH = "https://w3id.org/kg-compute/shape/"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES: dict[str, str] = {
    "kg": KG, "kgp": KGP, "kge": KGE, "kgs": KGS, "kgc": KGC, "kgu": KGU, "kgr": KGR,
    "unit": UNIT, "prov": PROV, "dcterms": DCTERMS, "skos": SKOS, "xsd": XSD, "rdf": RDF,
    "rdfs": RDFS, "wikibase": WIKIBASE, "sh": SH, "owl": OWL, "kgsh": KGSH,
}


def shorten(iri: str) -> str:
    """Write an IRI as prefix:name when a known prefix covers it: reports are read by people."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
