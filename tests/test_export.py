"""Exports: every format writes, parses back, and repeats byte for byte; writes are atomic."""

from __future__ import annotations

import json

import pytest

from kg.cli.main import main
from kg.core.files import write_atomic
from kg.report.exports import export_bytes

FORMATS = ["csv", "md", "json", "xlsx", "ttl", "jsonld", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_deterministic(shipped, fmt):
    assert export_bytes(shipped, fmt) == export_bytes(shipped, fmt)


def test_exports_parse_back(shipped, tmp_path):
    import openpyxl
    import rdflib

    data = json.loads(export_bytes(shipped, "json"))
    assert any(r["label"] == "DeepSeek-V3" for r in data["rows"])
    path = tmp_path / "t.xlsx"
    path.write_bytes(export_bytes(shipped, "xlsx"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["table", "sources", "conflicts"]
    header = [c.value for c in next(book["table"].iter_rows(max_row=1))]
    assert header[:2] == ["model", "model_iri"]
    turtle = rdflib.Graph().parse(data=export_bytes(shipped, "ttl"), format="turtle")
    wikibase = rdflib.Namespace("http://wikiba.se/ontology#")
    assert (None, wikibase.rank, wikibase.DeprecatedRank) in turtle  # losers ranked, not deleted
    jsonld = rdflib.Graph().parse(data=export_bytes(shipped, "jsonld"), format="json-ld")
    assert len(jsonld) == len(turtle)


def test_cli_export_writes_the_file_and_refuses_a_missing_folder(runner, tmp_path):
    """Issue 18: `-o sub/table.csv` silently created sub/; like the shell, kg refuses."""
    out = tmp_path / "sub" / "table.csv"
    result = runner.invoke(main, ["export", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 2 and "the folder" in result.output and "does not exist" in result.output
    assert not out.parent.exists()
    out.parent.mkdir()
    result = runner.invoke(main, ["export", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("model,model_iri,lab,country")


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    import os

    target = tmp_path / "report.html"
    target.write_text("the old report")

    def crash(_fd):
        raise RuntimeError("disk went away midway")

    monkeypatch.setattr(os, "fsync", crash)  # fails after the bytes are written, before rename
    with pytest.raises(RuntimeError):
        write_atomic(target, b"the new report, half written")
    assert target.read_text() == "the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left behind


def test_html_escapes_what_came_from_data(tmp_path):
    from kg import EvidenceGraph
    from kg.report.exports import export_bytes as render

    hostile = tmp_path / "hostile.ttl"
    hostile.write_text('''
@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix kge: <https://w3id.org/kg-compute/entity/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kgp: <https://w3id.org/kg-compute/prop/> .
@prefix kgs: <https://w3id.org/kg-compute/source/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
kge:evil a kg:Model ; skos:prefLabel "<script>window.pwned=1</script>Evil" ; kg:developer kge:deepseek .
<https://w3id.org/kg-compute/claim/evil-1> a kg:Claim ; kg:subject kge:evil ;
    kg:property kgp:totalParameters ; kg:stated "7B" ; kg:hedge kg:Stated ;
    prov:wasDerivedFrom kgs:corpus-000 ; kg:locator "test" .
''')
    from conftest import ROOT

    eg = EvidenceGraph(graph=[ROOT / "graph", hostile])
    html = render(eg, "html").decode()
    assert "<script>window.pwned" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;Evil" in html


DEEP = {
    "nested": lambda n: "kg:a kg:note " + "[ kg:x " * n + '"end"' + " ]" * n + " .\n",
    "list": lambda n: "kg:a kg:note (" + " ".join(f'"{i}"' for i in range(n)) + ") .\n",
    "twins": lambda n: "kg:a kg:note " + ", ".join('[ kg:x "same" ]' for _ in range(n)) + " .\n",
}


@pytest.mark.parametrize(("shape", "fmt"), [("nested", "ttl"), ("nested", "jsonld"),
                                            ("list", "ttl"), ("twins", "jsonld")])
def test_deep_blank_node_structures_export(tmp_path, shape, fmt):
    """Issue 18: 10,000 nested blank nodes crashed `kg export` (exit 139, no message) in the
    canonicalising step. Run as a real process, so a crash fails the test, not the suite."""
    import subprocess
    import sys

    from conftest import ROOT

    deep = tmp_path / "deep.ttl"
    deep.write_text("@prefix kg: <https://w3id.org/kg-compute/ontology#> .\n" + DEEP[shape](10_000))
    mini = ROOT / "tests" / "data" / "grow" / "mini-graph"
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.{fmt}"
        done = subprocess.run([sys.executable, "-m", "kg.cli.main", "export", "--format", fmt,
                               "-o", str(out), "--graph", str(mini), "--graph", str(deep)],
                              capture_output=True, text=True, cwd=ROOT, timeout=600)
        assert done.returncode == 0, (done.returncode, done.stderr[-500:])
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]  # the parser's blank node ids differ; the labels do not
    import rdflib

    graph = rdflib.Graph().parse(data=outputs[0], format="turtle" if fmt == "ttl" else "json-ld")
    expected = {"nested": 10_000, "list": 20_000, "twins": 10_000}[shape]
    assert len([t for t in graph if isinstance(t[0], rdflib.BNode)]) >= expected  # + the ontology's


def test_blank_nodes_in_a_cycle_are_labelled_when_few_and_refused_when_many():
    import pyoxigraph as ox

    from kg.core.errors import InputError
    from kg.core.turtle import label_blank_nodes

    def ring(n: int) -> list[ox.Triple]:
        nodes = [ox.BlankNode() for _ in range(n)]
        p = ox.NamedNode("https://example.org/next")
        return [ox.Triple(a, p, b) for a, b in zip(nodes, nodes[1:] + nodes[:1], strict=True)]

    small = ring(3)
    assert sorted(map(str, label_blank_nodes(small))) == sorted(map(str, label_blank_nodes(ring(3))))
    with pytest.raises(InputError, match="include a cycle"):
        label_blank_nodes(ring(500))
