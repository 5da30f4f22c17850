"""kg.validate.constraints, the SPARQL engine of `kg validate`, against pySHACL, its reference.

Both engines must report the same findings, compared as sets of (severity, shape, focus, path,
value, message): on the shipped graph, on a synthetic graph, on one store holding every shape
fixture at once (so every shape fails, many on the same nodes), and incrementally. A shape the
SPARQL engine cannot evaluate must stop it with an error naming the shape and the component,
never be skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import EvidenceGraph
from kg.cli.main import main
from kg.core.errors import KgError
from kg.core.resources import ONTOLOGY
from kg.core.vocab import KGC, KGE, KGS, RDFS, XSD
from kg.store.embedded import OxigraphStore
from kg.validate.constraints import UnsupportedShape, datatype_matches, read_shapes
from kg.validate.run import validate

SHAPES = Path(__file__).resolve().parent / "data" / "shapes"


def key(report) -> set[tuple]:
    return {(f.severity, f.shape, f.focus, f.path, f.value, f.message) for f in report.findings}


def same_on_both(store, load_report=None, focus=None):
    mine = validate(store, load_report, focus=focus, engine="sparql")
    reference = validate(store, load_report, focus=focus, engine="pyshacl")
    assert key(mine) == key(reference)
    assert mine.conforms == reference.conforms
    return mine, reference


def test_engines_agree_on_the_shipped_graph(shipped):
    mine, reference = same_on_both(shipped.store, shipped.load_report)
    assert mine.triples == reference.triples
    assert mine.warnings  # the shipped graph has warnings, so the comparison is not vacuous


def test_an_on_disk_store_gives_the_embedded_findings(shipped, tmp_path):
    """Same queries on RocksDB (tests/test_server.py does it for a SPARQL server)."""
    on_disk = EvidenceGraph(store=tmp_path / "store", create=True)
    mine, theirs = on_disk.validate(), shipped.validate()
    assert key(mine) == key(theirs) != set()
    assert mine.triples == theirs.triples


def test_engines_agree_on_a_synthetic_graph(tmp_path):
    from kg.synth.generator import generate

    generate(300, tmp_path / "s", seed=3)
    eg = EvidenceGraph(graph=[tmp_path / "s"])
    same_on_both(eg.store, eg.load_report)


@pytest.fixture(scope="module")
def every_fixture() -> OxigraphStore:
    """The ontology and every shape fixture in one store: all shapes fail, on shared nodes."""
    store = OxigraphStore()
    for path in sorted(ONTOLOGY.rglob("*.ttl")) + sorted(SHAPES.glob("*.ttl")):
        store.load(ox.Quad(t.subject, t.predicate, t.object)
                   for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return store


def test_engines_agree_when_every_shape_fails_at_once(every_fixture):
    mine, _ = same_on_both(every_fixture)
    fired = {f.shape for f in mine.findings}
    shapes = {c.shape.name for c in read_shapes(ONTOLOGY / "shapes.ttl")}
    # a value one fixture leaves out another may give the same node, so not every shape fires
    assert len(fired & shapes) >= len(shapes) - 5, f"shapes that did not fire: {shapes - fired}"


def test_engines_agree_incrementally(every_fixture):
    focus = {KGC + "claim-a", KGE + "model-a", KGS + "doc-a", KGE + "bench-a-hard"}
    mine, _ = same_on_both(every_fixture, focus=focus)
    assert {f.focus for f in mine.findings} == focus


def test_incremental_sparql_validation_reads_only_the_focus_nodes(shipped):
    claim = "https://w3id.org/kg-compute/claim/c000-007-deepseek-v3-total-params"
    report = validate(shipped.store, shipped.load_report, focus={claim})
    assert 0 < report.triples < 50
    assert report.conforms


def test_findings_carry_labels_and_the_misfit_from_the_store():
    eg = EvidenceGraph(graph=[SHAPES / "ClaimValueFitsProperty.fail.ttl"])
    (finding,) = [f for f in eg.validate().findings if f.shape.endswith("ClaimValueFitsProperty")]
    assert finding.label and " / " in finding.label
    assert finding.value == "unit unit:CCY_USD for kgp:trainingGpuHours (kg:ComputeTime)"


def test_unknown_engine_is_an_error(shipped):
    with pytest.raises(KgError, match="unknown validation engine"):
        validate(shipped.store, engine="rdflib")


def test_cli_engine_option_gives_the_same_json(runner):
    fixture = str(SHAPES / "claim-hedge.fail-unknown.ttl")
    outputs = {}
    for engine in ("sparql", "pyshacl"):
        result = runner.invoke(main, ["validate", "--graph", fixture, "--engine", engine,
                                      "--format", "json"])
        assert result.exit_code == 0, result.output
        outputs[engine] = json.loads(result.stdout)
    assert outputs["sparql"] == outputs["pyshacl"]
    assert outputs["sparql"]["warnings"] == 1


@pytest.mark.parametrize(("kind", "datatype", "matches"), [
    ("Literal " + XSD + "double", XSD + "double", True),
    ("Literal " + XSD + "double ill-typed", XSD + "double", False),
    ("Literal " + XSD + "integer", XSD + "double", False),
    ("IRI", XSD + "string", False),
    ("Literal " + XSD + "string", RDFS + "Literal", True),
    ("Literal " + XSD + "string", RDFS + "Datatype", False),
    ("Literal " + XSD + "gYear", RDFS + "Datatype", True),
])
def test_datatype_decided_per_kind_as_pyshacl_does(kind, datatype, matches):
    assert datatype_matches(ox.NamedNode(datatype), kind) is matches


# ------------------------------------------------------------------ what the engine refuses

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix ex: <https://example.org/shape/> .
"""


@pytest.mark.parametrize(("shapes", "named"), [
    ("ex:s a sh:NodeShape ; sh:targetClass kg:Claim ; sh:property ex:p .\n"
     "ex:p sh:path kg:stated ; sh:pattern \"^[0-9]\" .", ("ex:p", "sh:pattern")),
    ("ex:s a sh:NodeShape ; sh:targetClass kg:Claim ; sh:property ex:p .\n"
     "ex:p sh:path ( kg:property kg:dimension ) ; sh:minCount 1 .", ("ex:p", "sequence path")),
    ("ex:s a sh:NodeShape ; sh:targetClass kg:Claim ; sh:property ex:p .\n"
     "ex:p sh:path [ sh:inversePath kg:subject ] ; sh:minCount 1 .", ("ex:p", "sh:inversePath")),
    ("ex:s a sh:NodeShape ; sh:targetClass kg:Claim ; sh:class kg:Claim .", ("ex:s", "sh:class")),
    ("ex:s a sh:NodeShape ; sh:targetNode kg:Claim ; sh:property ex:p .\n"
     "ex:p sh:path kg:stated ; sh:minCount 1 .", ("ex:s", "sh:targetNode")),
    ("ex:s a sh:NodeShape ; sh:targetClass kg:Claim ; sh:property ex:p .\n"
     "ex:p sh:path kg:amount ; sh:or ( [ sh:datatype kg:x ; sh:minInclusive 0 ] ) .",
     ("ex:p", "sh:or")),
])
def test_an_unsupported_component_is_an_error_naming_shape_and_component(tmp_path, shapes, named):
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + shapes, encoding="utf-8")
    with pytest.raises(UnsupportedShape) as info:
        read_shapes(path)
    shape, component = named
    assert shape.replace("ex:", "https://example.org/shape/") in str(info.value)
    assert component in str(info.value)
    assert info.value.exit_code == 2


def test_untargeted_and_deactivated_shapes_are_not_evaluated(tmp_path):
    """As in pySHACL: kgsh:ClaimValueFitsProperty has no target, so its sh:or is never read."""
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + "ex:free a sh:NodeShape ; sh:pattern \"x\" .\n"
                    "ex:off a sh:NodeShape ; sh:targetClass kg:Claim ; sh:deactivated true ; "
                    "sh:property [ sh:path kg:stated ; sh:pattern \"x\" ] .", encoding="utf-8")
    assert read_shapes(path) == ()
    assert {c.shape.name for c in read_shapes(ONTOLOGY / "shapes.ttl")} >= {
        "https://w3id.org/kg-compute/shape/claim-subject",
        "https://w3id.org/kg-compute/shape/model-lineage"}


def test_alternative_path_counts_values_across_its_predicates(tmp_path):
    """sh:alternativePath as VALUES rows: a node with one value on each of two predicates has two."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + "ex:s a sh:NodeShape ; sh:targetClass kg:Model ; sh:property ex:p .\n"
                      "ex:p sh:path [ sh:alternativePath ( kg:derivedFrom kg:basedOn ) ] ; "
                      "sh:minCount 1 ; sh:maxCount 1 ; sh:message \"one parent\" .", encoding="utf-8")
    from kg.validate.constraints import evaluate

    store = OxigraphStore()
    kg_ = "https://w3id.org/kg-compute/ontology#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [(KGE + "one", kg_ + "derivedFrom", KGE + "x"), (KGE + "two", kg_ + "derivedFrom", KGE + "x"),
               (KGE + "two", kg_ + "basedOn", KGE + "y")]
    store.load([ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o)) for s, p, o in triples]
               + [ox.Quad(ox.NamedNode(KGE + n), rdf_type, ox.NamedNode(kg_ + "Model"))
                  for n in ("one", "two", "none")])
    results = {(r.focus.rsplit("/", 1)[-1], r.path) for r in evaluate(store, read_shapes(shapes))}
    assert results == {("two", "(complex path)"), ("none", "(complex path)")}


def test_a_blank_node_in_the_focus_is_skipped_not_a_crash(every_fixture):
    """kg add passes every subject of the merged triples; a blank node's id names nothing."""
    report = validate(every_fixture, focus={"b0", KGC + "claim-a"})
    assert {f.focus for f in report.findings} == {KGC + "claim-a"}
