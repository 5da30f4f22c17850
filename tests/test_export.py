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


def test_cli_export_writes_the_file(runner, tmp_path):
    out = tmp_path / "sub" / "table.csv"
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
    from conftest import HOSTILE_MODEL, ROOT
    from kg import EvidenceGraph
    from kg.report.exports import export_bytes as render

    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(HOSTILE_MODEL)
    eg = EvidenceGraph(graph=[ROOT / "graph", hostile])
    html = render(eg, "html").decode()
    assert "<script>window.pwned" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;Evil" in html
