"""SHACL validation of graph + ontology, reported the way an analyst fixes things: by shape and file.

The shapes in `ontology/shapes.ttl` are checked by one of two engines with the same results:
kg.constraints evaluates them as SPARQL on the store (the default: seconds at 100,000 claims, on
any store, nothing copied), pySHACL over an rdflib copy is the reference it is tested against.
This module turns either engine's results into findings that name the focus node's label, the
path, the message and the file the node came from; labels come from the store, by SPARQL, for
the findings' nodes only. Values the quantity parser could not read are findings too (a claim
whose number cannot be read is as broken as one with no source).
"""

from __future__ import annotations

import logging
import math
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from kg.errors import KgError, QuantityError
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


ENGINES = ("sparql", "pyshacl")


def validate(store: Store, load_report: LoadReport | None = None,
             focus: set[str] | None = None, engine: str = "sparql") -> ValidationReport:
    """Run the shapes over everything in the store (the ontology must be in it: load puts it there).

    With `focus`, validate only those nodes (incremental: what did not change is taken as
    already valid). The default engine evaluates the shapes as SPARQL on the store itself
    (kg.constraints: seconds at 100,000 claims, on any store); `engine="pyshacl"` copies the
    store into rdflib and runs pySHACL, the reference the SPARQL engine is tested against (about
    two milliseconds per claim).
    """
    if engine not in ENGINES:
        raise KgError(f"unknown validation engine {engine!r}", hint="use sparql or pyshacl")
    only = focus
    if engine == "pyshacl":
        results, triples = _pyshacl_results(store, only)
    else:
        from kg.constraints import evaluate, read_shapes

        results = evaluate(store, read_shapes(ONTOLOGY / "shapes.ttl"), only)
        triples = _triples(store, only)
    report = ValidationReport(triples=triples,
                              files=len(load_report.files) if load_report else 0)
    # an engine that evaluates kgsh:ClaimValueFitsProperty (when targeted) reports the misfit too
    fits = value_fits(store, {r.focus for r in results if r.shape == VALUE_FIT_SHAPE})
    report.findings = [Finding(
        severity=r.severity, shape=r.shape, focus=r.focus, label=None, path=r.path,
        message=r.message, value=fits.get(r.focus, r.value) if r.shape == VALUE_FIT_SHAPE else r.value,
        file=load_report.file_of(r.focus) if load_report else None) for r in results]
    if only is not None:
        # a neighbour brought in as context was validated when it was added
        report.findings = [f for f in report.findings if f.focus in only]
    checks = [*value_fit_findings(store, {}, load_report),
              *negative_values(store, {}, load_report),
              *unit_slips(store, {}, load_report),
              *(_quantity_finding(p, {}, load_report)
                for p in (load_report.problems if load_report else []))]
    report.findings.extend(f for f in checks if only is None or f.focus in only)
    labels = node_labels(store, {f.focus for f in report.findings})
    report.findings = [replace(f, label=labels.get(f.focus)) for f in report.findings]
    if load_report:
        report.findings = [_with_line(f, load_report) for f in report.findings]
    # one value can break two constraints of a shape ("3" is no integer, so not >= 1 either)
    report.findings = list(dict.fromkeys(report.findings))
    report.findings.sort(key=lambda f: (f.severity != "Violation", f.shape, f.focus, f.path or ""))
    return report


def nodes_defined_in(path: Path) -> set[str]:
    """The IRIs a Turtle file describes: what `kg validate --only FILE` validates."""
    import pyoxigraph as ox

    from kg.load import parse_file

    return {q.subject.value for q in parse_file(Path(path)) if isinstance(q.subject, ox.NamedNode)}


def _pyshacl_results(store: Store, only: set[str] | None) -> tuple[list, int]:
    """pySHACL over an rdflib copy of the store (or of the focus nodes' neighbourhood)."""
    import pyshacl
    import rdflib

    from kg.constraints import ANONYMOUS_SHAPE, Result

    # rdflib logs a traceback for every ill-typed literal; load refuses the ones kg's files use,
    # and any other is reported by the shapes, so the log line would only be noise
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    data = _as_rdflib(store.dump()) if only is None else _neighbourhood(store, only)
    _conforms, graph, _text = pyshacl.validate(
        data, shacl_graph=_shapes(ONTOLOGY / "shapes.ttl"), inference="none", advanced=False,
        allow_warnings=True, meta_shacl=False)
    sh = rdflib.Namespace(SH)
    results = []
    for result in graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        if (result, sh.detail, None) in graph:
            continue  # a nested shape failed: its own result, with the real message, is reported
        source_shape = graph.value(result, sh.sourceShape)
        value = graph.value(result, sh.value)
        message = graph.value(result, sh.resultMessage)
        severity = graph.value(result, sh.resultSeverity)
        results.append(Result(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            shape=str(source_shape) if isinstance(source_shape, rdflib.URIRef) else ANONYMOUS_SHAPE,
            focus=str(graph.value(result, sh.focusNode)),
            path=_path_text(graph, graph.value(result, sh.resultPath)),
            value=str(value) if value is not None else None,
            message=str(message) if message else "constraint not met"))
    return results, len(data)


def _triples(store: Store, focus: set[str] | None) -> int:
    """The triples validation read: the default graph, or the focus nodes' own triples."""
    from kg.queries import named_query

    if focus is None:
        return sum(int(r["triples"].value) for r in store.stream(named_query("validate-triples").text))
    return sum(int(r["triples"].value) for r in _rows_for(store, "validate-triples", "focus", focus))


def _with_line(f: Finding, load_report: LoadReport) -> Finding:
    if f.line is not None or not f.file or f.file != load_report.file_of(f.focus):
        return f
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
    for row in store.stream(_NOT_NEGATIVE):
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
    for row in store.stream(_NUMERIC):
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


def value_fit_findings(store: Store, labels: dict[str, str],
                       load_report: LoadReport | None) -> list[Finding]:
    """kgsh:ClaimValueFitsProperty, checked with one SPARQL query on the store.

    The shape's 17-way sh:or costs pySHACL several milliseconds per claim (three quarters of a
    validation run); the same rule as a query costs a fraction of a second for the whole graph.
    """
    from kg.queries import named_query

    message = ("The value does not fit the property: its unit or kind of value is not what the "
               "property's dimension takes (see kg:dimension in ontology/properties.ttl).")
    claims = [row["claim"].value for row in store.stream(named_query("check-value-fits-property").text)]
    fits = value_fits(store, set(claims))
    return [Finding(severity="Violation", shape=VALUE_FIT_SHAPE, focus=claim,
                    label=labels.get(claim), path=None, message=message, value=fits.get(claim),
                    file=load_report.file_of(claim) if load_report else None)
            for claim in claims]


VALUE_FIT_SHAPE = SHAPES_NS + "ClaimValueFitsProperty"


def value_fits(store: Store, claims: set[str]) -> dict[str, str]:
    """What each claim's misfit is: the value kind it carries against the property's dimension."""
    fits: dict[str, str] = {}
    for row in _rows_for(store, "validate-value-fit", "claim", claims):
        prop, dimension, unit = (row[k].value if k in row else None
                                 for k in ("property", "dimension", "unit"))
        kinds = [shorten(KG + kind) for kind, flag in (("valueEntity", "entity"), ("valueDate", "date"),
                                                       ("valueBoolean", "boolean"), ("valueText", "text"))
                 if flag in row and row[flag].value == "true"]
        has = f"unit {shorten(unit)}" if unit is not None else ", ".join(kinds) or "no value"
        wants = shorten(dimension) if dimension is not None else "no dimension"
        fit = f"{has} for {shorten(prop) if prop is not None else 'no property'} ({wants})"
        # several units or dimensions: keep one, the same one whatever order the store answers in
        fits[row["claim"].value] = min(fit, fits.get(row["claim"].value, fit))
    return fits


def node_labels(store: Store, nodes: set[str]) -> dict[str, str]:
    """What a report calls each node: a claim as "subject / property / stated", else its label.

    skos:prefLabel wins over dcterms:title over rdfs:label, as in the reports pySHACL's engine
    made; among equals the smallest, so the text does not depend on the order a store answers in.
    """
    own: dict[str, tuple[int, str]] = {}
    claims: dict[str, tuple[str, str | None, str | None]] = {}

    def read(batch: set[str]) -> None:
        for row in _rows_for(store, "validate-labels", "node", batch):
            node = row["node"].value
            for rank, key in enumerate(("prefLabel", "title", "label")):
                if key in row:
                    ranked = (rank, row[key].value)
                    own[node] = min(ranked, own.get(node, ranked))
            if "stated" in row:
                parts = (row["stated"].value, *(row[k].value if k in row else None
                                                for k in ("subject", "property")))
                claims[node] = min(parts, claims.get(node, parts), key=lambda t: tuple(x or "" for x in t))

    read(nodes)
    read({n for _s, subject, prop in claims.values() for n in (subject, prop) if n} - set(own))
    labels = {node: text for node, (_rank, text) in own.items() if node in nodes}
    for node, (stated, subject, prop) in claims.items():
        def name(iri: str | None) -> str:
            return "?" if iri is None else own[iri][1] if iri in own else shorten(iri)
        labels[node] = " / ".join((name(subject), name(prop), stated))
    return labels


def _rows_for(store: Store, query: str, variable: str, nodes: set[str]):
    """A named query with `variable` bound to each node, a few hundred nodes per query."""
    from kg.constraints import focus_iris
    from kg.queries import named_query
    from kg.store import stream_bound

    return stream_bound(store, named_query(query).text, variable, focus_iris(nodes))


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


def _path_text(results, path) -> str | None:
    import rdflib

    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return shorten(str(path))
    items = list(rdflib.collection.Collection(results, path)) if (
        path, rdflib.RDF.first, None) in results else []
    return " / ".join(shorten(str(i)) for i in items) or "(complex path)"
