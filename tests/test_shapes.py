"""Every named shape in ontology/shapes.ttl, proven on a fixture that passes and one that fails.

Fixtures live in tests/data/shapes/<shape>.pass.ttl and <shape>.fail[-variant].ttl; each is
loaded with the ontology alone (`EvidenceGraph(graph=[fixture])`), the way a curator's new file
would be. A passing fixture is a clean example: it raises no finding at all. A failing fixture
must raise a finding from the exact shape, with the severity shapes.ttl documents and on the
node the fixture breaks. Node shapes that only group property shapes (kgsh:ClaimShape, ...)
report through their members, so their failing fixture names the member expected to fire.
Every fixture runs on both engines (the SPARQL one kg validate uses and pySHACL, its reference),
which must give the same verdicts.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import pytest

from kg import EvidenceGraph
from kg.core.resources import ONTOLOGY
from kg.core.vocab import PREFIXES
from kg.validate.findings import ENGINES, SHAPES_NS, ValidationReport
from kg.validate.run import validate

SHAPES_DIR = Path(__file__).resolve().parent / "data" / "shapes"
V, W = "Violation", "Warning"

# failing fixture -> (shape that must fire, severity, focus node)
FAILING: dict[str, tuple[str, str, str]] = {
    "ClaimShape.fail": ("claim-subject", V, "kgc:claim-a"),
    "claim-subject.fail": ("claim-subject", V, "kgc:claim-a"),
    "claim-subject.fail-unknown": ("claim-subject", V, "kgc:claim-a"),
    "claim-property.fail": ("claim-property", V, "kgc:claim-a"),
    "claim-stated.fail": ("claim-stated", V, "kgc:claim-a"),
    "claim-source.fail": ("claim-source", V, "kgc:claim-a"),
    "claim-source.fail-missing": ("claim-source", V, "kgc:claim-a"),
    "claim-primary.fail": ("claim-primary", V, "kgc:claim-a"),
    "claim-locator.fail": ("claim-locator", W, "kgc:claim-a"),
    "claim-line.fail": ("claim-line", V, "kgc:claim-a"),
    "claim-line.fail-zero": ("claim-line", V, "kgc:claim-a"),
    "claim-hedge.fail": ("claim-hedge", W, "kgc:claim-a"),
    "claim-hedge.fail-unknown": ("claim-hedge", W, "kgc:claim-a"),
    "claim-evidence.fail": ("claim-evidence", W, "kgc:claim-a"),
    "claim-amount.fail": ("claim-amount", V, "kgc:claim-a"),
    "claim-lower.fail": ("claim-lower", V, "kgc:claim-a"),
    "claim-upper.fail": ("claim-upper", V, "kgc:claim-a"),
    "claim-bounds-order.fail": ("claim-bounds-order", V, "kgc:claim-a"),
    "claim-scope.fail": ("claim-scope", V, "kgc:claim-a"),
    "claim-benchmark.fail": ("claim-benchmark", V, "kgc:claim-a"),
    "claim-chip.fail": ("claim-chip", V, "kgc:claim-a"),
    "claim-date.fail": ("claim-date", V, "kgc:claim-a"),
    "claim-as-of.fail": ("claim-as-of", V, "kgc:claim-a"),
    "claim-rank.fail": ("claim-rank", V, "kgc:claim-a"),
    "claim-review.fail": ("claim-review", V, "kgc:claim-a"),
    "claim-operational-status.fail": ("claim-operational-status", V, "kgc:claim-a"),
    "ClaimValueFitsProperty.fail": ("ClaimValueFitsProperty", V, "kgc:claim-a"),
    "ClaimValueFitsProperty.fail-no-value": ("ClaimValueFitsProperty", V, "kgc:claim-a"),
    "ClaimValueFitsProperty.fail-boolean": ("ClaimValueFitsProperty", V, "kgc:claim-a"),
    "claim-value-finite.fail": ("claim-value-finite", V, "kgc:claim-a"),
    "ClaimValueInRange.fail": ("ClaimValueInRange", V, "kgc:claim-a"),
    "ClaimValueInRange.fail-score": ("ClaimValueInRange", V, "kgc:claim-a"),
    "DocumentShape.fail": ("document-title", V, "kgs:doc-a"),
    "document-title.fail": ("document-title", V, "kgs:doc-a"),
    "document-kind.fail": ("document-kind", W, "kgs:doc-a"),
    "document-kind.fail-unknown": ("document-kind", W, "kgs:doc-a"),
    "document-date.fail": ("document-date", W, "kgs:doc-a"),
    "document-date.fail-datatype": ("document-date", W, "kgs:doc-a"),
    "document-references.fail": ("document-references", V, "kgs:doc-a"),
    "EntityShape.fail": ("entity-label", V, "kge:startups"),
    "entity-label.fail": ("entity-label", V, "kge:moe"),
    "ModelShape.fail": ("model-developer", W, "kge:model-a"),
    "model-developer.fail": ("model-developer", W, "kge:model-a"),
    "model-lineage.fail": ("model-lineage", V, "kge:model-a"),
    "LabShape.fail": ("lab-country", W, "kge:lab-a"),
    "lab-country.fail": ("lab-country", W, "kge:lab-a"),
    "ChipShape.fail": ("chip-vendor", W, "kge:chip-a"),
    "chip-vendor.fail": ("chip-vendor", W, "kge:chip-a"),
    "BenchmarkShape.fail": ("benchmark-parent", V, "kge:bench-a-hard"),
    "benchmark-parent.fail": ("benchmark-parent", V, "kge:bench-a-hard"),
    "PolicyShape.fail": ("policy-issuer", W, "kge:decision-a"),
    "policy-issuer.fail": ("policy-issuer", W, "kge:rule-a"),
    "CountryShape.fail": ("country-label", V, "kge:country-a"),
    "country-label.fail": ("country-label", V, "kge:country-a"),
    "FigurePropertyShape.fail": ("property-dimension", V, "kgp:test-count"),
    "property-dimension.fail": ("property-dimension", V, "kgp:test-count"),
    "property-dimension.fail-two": ("property-dimension", V, "kgp:test-count"),
    "property-label.fail": ("property-label", V, "kgp:test-count"),
}


def expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


@lru_cache(maxsize=1)
def named_shapes() -> dict[str, set[str]]:
    """Each named shape in shapes.ttl -> the shapes that report for it (itself and its members)."""
    import rdflib

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    graph = rdflib.Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    shapes: dict[str, set[str]] = {}
    for kind in (sh.NodeShape, sh.PropertyShape):
        for shape in graph.subjects(rdflib.RDF.type, kind):
            if isinstance(shape, rdflib.URIRef):
                members = {str(m) for p in (sh.property, sh.node) for m in graph.objects(shape, p)}
                shapes[str(shape)[len(SHAPES_NS):]] = {str(shape)} | members
    return shapes


@cache
def graph_for(fixture: str) -> EvidenceGraph:
    return EvidenceGraph(graph=[SHAPES_DIR / f"{fixture}.ttl"])


@cache
def report_for(fixture: str, engine: str) -> ValidationReport:
    eg = graph_for(fixture)
    return validate(eg.store, eg.load_report, engine=engine)


def fixtures(kind: str) -> list[str]:
    return sorted(p.name[:-4] for p in SHAPES_DIR.glob(f"*.{kind}*.ttl"))


def test_every_named_shape_has_a_passing_and_a_failing_fixture():
    shapes = set(named_shapes())
    assert len(shapes) >= 40, "shapes.ttl lost its named shapes?"
    passing = {f.split(".")[0] for f in fixtures("pass")}
    failing = {f.split(".")[0] for f in fixtures("fail")}
    assert shapes - passing == set(), "shapes with no passing fixture"
    assert shapes - failing == set(), "shapes with no failing fixture"
    assert (passing | failing) - shapes == set(), "fixtures for shapes that no longer exist"
    assert set(fixtures("fail")) == set(FAILING), "every failing fixture needs its expectation above"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fixture", fixtures("pass"))
def test_passing_fixture_is_clean(fixture, engine):
    report = report_for(fixture, engine)
    shape = fixture.split(".")[0]
    assert not [f for f in report.findings if f.shape in named_shapes()[shape]], report.findings
    assert report.findings == [], "a passing fixture should be a clean example of every shape"
    assert report.conforms


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fixture", sorted(FAILING))
def test_failing_fixture_fires_its_shape(fixture, engine):
    expected_shape, severity, focus = FAILING[fixture]
    owner = fixture.split(".")[0]
    assert SHAPES_NS + expected_shape in named_shapes()[owner], (
        f"{expected_shape} does not report for {owner} in shapes.ttl")
    report = report_for(fixture, engine)
    fired = [f for f in report.findings if f.shape == SHAPES_NS + expected_shape]
    assert fired, f"kgs:{expected_shape} did not fire; findings: {report.findings}"
    assert {f.severity for f in fired} == {severity}
    assert {f.focus for f in fired} == {expand(focus)}
    assert all(f.message and f.file and f.file.endswith(f"{fixture}.ttl") for f in fired)
    # warnings are reported but do not fail: a fixture that only breaks a warning shape conforms
    assert report.conforms is (severity == W)


@pytest.mark.parametrize("fixture", sorted(fixtures("pass") + fixtures("fail")))
def test_both_engines_give_the_same_findings(fixture):
    def key(report):
        return sorted((f.severity, f.shape, f.focus, f.path or "", f.value or "", f.message)
                      for f in report.findings)

    assert key(report_for(fixture, "sparql")) == key(report_for(fixture, "pyshacl"))


def test_documented_severity_matches_shapes_ttl():
    """The severities above are what shapes.ttl declares, so a silent change there is caught."""
    import rdflib

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    graph = rdflib.Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    for shape, severity, _focus in FAILING.values():
        declared = graph.value(rdflib.URIRef(SHAPES_NS + shape), sh.severity)
        assert declared == sh[severity], shape
