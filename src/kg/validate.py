"""SHACL validation of graph + ontology, reported the way an analyst fixes things: by shape and file.

pySHACL does the checking against `ontology/shapes.ttl` (core constraints only, so it stays
fast); this module turns its results graph into findings that name the focus node's label,
the path, the message and the file the node came from. Values the quantity parser could not
read are findings too (a claim whose number cannot be read is as broken as one with no source).
"""

from __future__ import annotations

import logging
import math
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import QuantityError
from kg.load import LoadReport
from kg.resources import ONTOLOGY
from kg.store import Store
from kg.vocab import KG, SH, shorten

# ontology/shapes.ttl writes its shapes as kgsh:<name>; reports use the same spelling so a reader
# can search the shapes file for the name printed.
SHAPES_NS = "https://w3id.org/kg-compute/shape/"


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def shape_name(iri: str) -> str:
    """A shape IRI as ontology/shapes.ttl spells it (kgsh:claim-source)."""
    return shorten(iri)


@dataclass(frozen=True)
class Finding:
    """One failed constraint: IRIs are full here (JSON is for machines); the text report shortens."""

    severity: str  # "Violation" | "Warning" | "Info"
    shape: str
    focus: str
    label: str | None
    path: str | None
    message: str
    value: str | None = None
    file: str | None = None
    line: int | None = None

    @property
    def where(self) -> str | None:
        """file:line when the line is known, for a person to open in an editor."""
        if not self.file:
            return None
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    triples: int = 0
    files: int = 0

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def by_shape(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for f in sorted(self.findings, key=lambda f: (f.severity != "Violation", f.shape, f.focus)):
            grouped[f.shape].append(f)
        return dict(grouped)

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "triples": self.triples,
            "files": self.files,
            "findings": [asdict(f) for f in self.findings],
        }


def validate(store: Store, load_report: LoadReport | None = None,
             focus: set[str] | None = None) -> ValidationReport:
    """Run the shapes over everything in the store (the ontology must be in it: load puts it there).

    With `focus`, validate only those nodes, each with its neighbourhood (incremental: what did
    not change is taken as already valid). Full validation costs pySHACL about a millisecond per
    triple on this machine; a few hundred new claims validate in a second or two at any size.
    """
    import pyshacl
    import rdflib

    # rdflib logs a traceback for every ill-typed literal; load refuses the ones kg's files use,
    # and any other is reported by the shapes, so the log line would only be noise
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    only = focus  # the loop below reads each result's own focus node
    data = _as_rdflib(store.dump()) if only is None else _neighbourhood(store, only)
    shapes = _shapes(ONTOLOGY / "shapes.ttl")
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True,
        meta_shacl=False)
    report = ValidationReport(triples=len(data),
                              files=len(load_report.files) if load_report else 0)
    sh = rdflib.Namespace(SH)
    labels = _labels(data)
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        if (result, sh.detail, None) in results:
            continue  # a nested shape failed: its own result, with the real message, is reported
        focus = results.value(result, sh.focusNode)
        source_shape = results.value(result, sh.sourceShape)
        path = results.value(result, sh.resultPath)
        value = results.value(result, sh.value)
        message = results.value(result, sh.resultMessage)
        severity = results.value(result, sh.resultSeverity)
        shape = str(source_shape) if isinstance(source_shape, rdflib.URIRef) else "(anonymous shape)"
        focus_text = str(focus)
        if only is not None and focus_text not in only:
            continue  # a neighbour brought in as context: it was validated when it was added
        report.findings.append(Finding(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            shape=shape,
            focus=focus_text,
            label=labels.get(focus_text),
            path=_path_text(results, path),
            message=str(message) if message else "constraint not met",
            value=(_value_fit(data, focus) if shape == SHAPES_NS + "ClaimValueFitsProperty"
                   else str(value) if value is not None else None),
            file=load_report.file_of(focus_text) if load_report else None,
        ))
    checks = [*value_fit_findings(store, data, labels, load_report),
              *negative_values(store, labels, load_report),
              *unit_slips(store, labels, load_report),
              *(_quantity_finding(p, labels, load_report)
                for p in (load_report.problems if load_report else []))]
    report.findings.extend(f for f in checks if only is None or f.focus in only)
    if load_report:
        report.findings = [_with_line(f, load_report) for f in report.findings]
    # one value can break two constraints of a shape ("3" is no integer, so not >= 1 either)
    report.findings = list(dict.fromkeys(report.findings))
    report.findings.sort(key=lambda f: (f.severity != "Violation", f.shape, f.focus, f.path or ""))
    return report


def _with_line(f: Finding, load_report: LoadReport) -> Finding:
    if f.line is not None or not f.file or f.file != load_report.file_of(f.focus):
        return f
    from dataclasses import replace

    return replace(f, line=load_report.line_of(f.focus))


_NOT_NEGATIVE = """PREFIX kg: <https://w3id.org/kg-compute/ontology#>
SELECT DISTINCT ?claim ?stated ?value ?dimension WHERE {
  ?claim a kg:Claim ; kg:property ?property .
  ?property kg:dimension ?dimension .
  FILTER (?dimension IN (kg:Count, kg:Compute, kg:ComputeTime, kg:Duration, kg:Money,
                         kg:UnitPrice, kg:DataSize, kg:Throughput, kg:Bandwidth, kg:Power))
  { ?claim kg:amount ?value } UNION { ?claim kg:lowerBound ?value }
  UNION { ?claim kg:upperBound ?value }
  FILTER (?value < 0)
  OPTIONAL { ?claim kg:stated ?stated }
}"""


def negative_values(store: Store, labels: dict[str, str], load_report: LoadReport | None
                    ) -> list[Finding]:
    """Figures below zero where none can be: an importer's sign error or a typo, a violation."""
    findings = {}
    for row in store.select(_NOT_NEGATIVE):
        claim = row["claim"].value
        findings.setdefault(claim, Finding(
            severity="Violation", shape=SHAPES_NS + "value-not-negative", focus=claim,
            label=labels.get(claim), path="kg:amount",
            message=f"A {shorten(row['dimension'].value).split(':')[-1].lower()} cannot be "
                    "negative: the normalised value is below zero.",
            value=row["value"].value,
            file=load_report.file_of(claim) if load_report else None))
    return list(findings.values())


_NUMERIC = """PREFIX kg: <https://w3id.org/kg-compute/ontology#>
SELECT ?claim ?subject ?property ?amount ?unit ?stated ?benchmark ?chip ?comparedTo ?scope WHERE {
  ?claim a kg:Claim ; kg:subject ?subject ; kg:property ?property ; kg:amount ?amount ;
         kg:unit ?unit .
  OPTIONAL { ?claim kg:stated ?stated }
  OPTIONAL { ?claim kg:benchmark ?benchmark }
  OPTIONAL { ?claim kg:chip ?chip }
  OPTIONAL { ?claim kg:comparedTo ?comparedTo }
  OPTIONAL { ?claim kg:scope ?scope }
}"""

# a claim this far from the others' median, give or take 25 %, reads as a slipped magnitude word
SLIP_FACTORS = {1e3: "thousand", 1e6: "million", 1e9: "billion"}
SLIP_TOLERANCE = 1.25


def unit_slips(store: Store, labels: dict[str, str], load_report: LoadReport | None
               ) -> list[Finding]:
    """Claims ~1000x (or 10^6, 10^9) off the median of their statement's other claims: a warning.

    Statements are grouped as the reconciler groups them (subject, property, benchmark,
    baseline, scopes, chip; owl:sameAs is not followed here), per unit.
    """
    claims: dict[str, dict] = {}
    for row in store.select(_NUMERIC):
        c = claims.setdefault(row["claim"].value, {
            "key": tuple(row[k].value if k in row else None
                         for k in ("subject", "property", "unit", "benchmark", "chip", "comparedTo")),
            "amount": _float(row["amount"].value),
            "stated": row["stated"].value if "stated" in row else row["amount"].value,
            "scopes": set()})
        if "scope" in row:
            c["scopes"].add(row["scope"].value)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for iri, c in claims.items():
        if c["amount"] is not None and c["amount"] > 0:
            groups[c["key"] + (frozenset(c["scopes"]),)].append(iri)
    findings = []
    for members in groups.values():
        if len(members) < 2:
            continue
        for iri in members:
            others = [claims[o]["amount"] for o in members if o != iri]
            median = statistics.median(others)
            ratio = claims[iri]["amount"] / median
            slip = _slip(ratio)
            if slip is None:
                continue
            factor, word = slip
            direction = "below" if ratio < 1 else "above"
            shown = ", ".join(sorted({claims[o]["stated"] for o in members if o != iri})[:4])
            findings.append(Finding(
                severity="Warning", shape=SHAPES_NS + "likely-unit-slip", focus=iri,
                label=labels.get(iri), path="kg:stated",
                message=(f"Likely unit slip: {claims[iri]['stated']!r} is about {factor:,.0f}x "
                         f"{direction} the median of the {len(others)} other claim(s) of the same "
                         f"statement ({shown}); check the magnitude word ({word} apart)."),
                value=claims[iri]["stated"],
                file=load_report.file_of(iri) if load_report else None))
    return findings


def _slip(ratio: float) -> tuple[float, str] | None:
    if ratio <= 0:
        return None
    for factor, word in SLIP_FACTORS.items():
        for r in (ratio, 1 / ratio):
            if factor / SLIP_TOLERANCE <= r <= factor * SLIP_TOLERANCE:
                return factor, word
    return None


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _neighbourhood(store: Store, focus: set[str]):  # -> rdflib.Graph
    """The focus nodes with the triples their shapes look at (queries/neighbourhood.rq)."""
    import pyoxigraph as ox

    from kg.queries import named_query
    from kg.store import with_rows

    query = named_query("neighbourhood").text
    triples: set = set(store.construct(named_query("class-hierarchy").text))
    nodes = [ox.NamedNode(n) for n in sorted(focus)]
    for start in range(0, len(nodes), 500):  # one query per 500 nodes, not one per node
        triples.update(store.construct(with_rows(query, "focus", nodes[start:start + 500])))
    return _as_rdflib(ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES) or b"")


def value_fit_findings(store: Store, data, labels: dict[str, str],
                       load_report: LoadReport | None) -> list[Finding]:
    """kgsh:ClaimValueFitsProperty, checked with one SPARQL query on the store.

    The shape's 17-way sh:or costs pySHACL several milliseconds per claim (three quarters of a
    validation run); the same rule as a query costs a fraction of a second for the whole graph.
    """
    import rdflib

    from kg.queries import named_query

    message = ("The value does not fit the property: its unit or kind of value is not what the "
               "property's dimension takes (see kg:dimension in ontology/properties.ttl).")
    findings = []
    for row in store.select(named_query("check-value-fits-property").text):
        claim = row["claim"].value
        findings.append(Finding(
            severity="Violation", shape=SHAPES_NS + "ClaimValueFitsProperty", focus=claim,
            label=labels.get(claim), path=None, message=message,
            value=_value_fit(data, rdflib.URIRef(claim)),
            file=load_report.file_of(claim) if load_report else None))
    return findings


def _value_fit(data, claim) -> str:
    """What the misfit is: the value kind the claim carries against the property's dimension."""
    import rdflib

    kg = rdflib.Namespace(KG)
    prop = data.value(claim, kg.property)
    dimension = data.value(prop, kg.dimension) if prop is not None else None
    unit = data.value(claim, kg.unit)
    kinds = [shorten(str(p)) for p in (kg.valueEntity, kg.valueDate, kg.valueBoolean, kg.valueText)
             if (claim, p, None) in data]
    has = f"unit {shorten(str(unit))}" if unit is not None else ", ".join(kinds) or "no value"
    wants = shorten(str(dimension)) if dimension is not None else "no dimension"
    return f"{has} for {shorten(str(prop)) if prop is not None else 'no property'} ({wants})"


def _shapes(path: Path):  # -> rdflib.Graph
    """The shapes graph, parsed once per file version (pySHACL only reads it)."""
    return _parse_shapes(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _parse_shapes(path: Path, _mtime: int):
    import rdflib

    return rdflib.Graph().parse(path, format="turtle")


def _as_rdflib(ntriples: bytes):  # -> rdflib.Graph
    """N-Triples into rdflib via pyoxigraph's parser: about twice as fast as rdflib's own."""
    import pyoxigraph as ox
    import rdflib

    made: dict = {}

    def convert(t):
        found = made.get(t)
        if found is None:
            if isinstance(t, ox.NamedNode):
                found = rdflib.URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                found = rdflib.BNode(t.value)
            elif t.language:
                found = rdflib.Literal(t.value, lang=t.language)
            elif t.datatype.value == _XSD_STRING:  # as rdflib's own parser reads a plain literal
                found = rdflib.Literal(t.value)
            else:
                found = rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
            made[t] = found
        return found

    graph = rdflib.Graph()
    add = graph.add
    for triple in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return graph


def _quantity_finding(problem: QuantityError, labels: dict[str, str],
                      load_report: LoadReport | None) -> Finding:
    claim = problem.claim or "?"
    return Finding(
        severity="Violation", shape=SHAPES_NS + "stated-value-readable", focus=claim,
        label=labels.get(claim), path="kg:stated",
        message=f"The quantity parser (kg.quantity) cannot read the value: {problem.reason}"
                + (f" ({problem.hint})" if problem.hint else ""),
        value=problem.text, file=load_report.file_of(claim) if load_report else None)


def _labels(graph) -> dict[str, str]:
    import rdflib

    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    labels: dict[str, str] = {}
    for predicate in (rdflib.RDFS.label, rdflib.DCTERMS.title, skos.prefLabel):
        for s, o in graph.subject_objects(predicate):
            labels[str(s)] = str(o)
    for claim in graph.subjects(rdflib.URIRef("https://w3id.org/kg-compute/ontology#stated"), None):
        subject = graph.value(claim, rdflib.URIRef("https://w3id.org/kg-compute/ontology#subject"))
        prop = graph.value(claim, rdflib.URIRef("https://w3id.org/kg-compute/ontology#property"))
        stated = graph.value(claim, rdflib.URIRef("https://w3id.org/kg-compute/ontology#stated"))
        parts = [labels.get(str(subject), shorten(str(subject))) if subject else "?",
                 labels.get(str(prop), shorten(str(prop))) if prop else "?", str(stated)]
        labels[str(claim)] = " / ".join(parts)
    return labels


def _path_text(results, path) -> str | None:
    import rdflib

    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return shorten(str(path))
    items = list(rdflib.collection.Collection(results, path)) if (
        path, rdflib.RDF.first, None) in results else []
    return " / ".join(shorten(str(i)) for i in items) or "(complex path)"
