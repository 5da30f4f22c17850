"""Text from data is text in every output format (issue 18): the same hostile names, planted as
model, lab, country and document names, go through every export and every people's format.

Spreadsheets must not run them as formulas (OWASP's CSV injection: = + - @ tab CR), Markdown
and HTML renderers must not turn them into elements or links, terminals must not receive their
escape codes, and machine formats (JSON, JSON-LD, Turtle) must carry them back exactly.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli.main import main
from kg.core.tabular import FORMULA_STARTS

MINI = Path(__file__).parent / "data" / "grow" / "mini-graph"
HOSTILE = [
    '=HYPERLINK("http://evil.example/x","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    "[click](javascript:window.pwned=1)",
    "x[/bold]y [link=https://evil.example]z[/link]",
    "esc\x1b[31mred\x1b[0m\x07bell",
    "| a | b |",
    "line\nbreak ### heading",
]
KG, KGE, KGS, KGP = ("https://w3id.org/kg-compute/ontology#", "https://w3id.org/kg-compute/entity/",
                     "https://w3id.org/kg-compute/source/", "https://w3id.org/kg-compute/prop/")
LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


def hostile_turtle() -> str:
    """Labs, models, a country and documents named by the hostile strings, with conflicting
    claims so the names reach cells, footnotes and conflict notes."""
    from kg.core.turtle import to_turtle

    def t(s, p, o):
        return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o if not isinstance(o, str) else ox.NamedNode(o))

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    triples = [t(KGE + "hl-country", rdf_type, KG + "Country"),
               t(KGE + "hl-country", LABEL, ox.Literal(HOSTILE[5]))]
    for d, name in (("a", HOSTILE[0]), ("b", HOSTILE[6])):
        doc = KGS + f"hl-doc-{d}"
        triples += [t(doc, rdf_type, KG + "Document"), t(doc, "http://purl.org/dc/terms/title",
                                                        ox.Literal(name)),
                    t(doc, KG + "sourceKind", KG + "News")]
    for i, name in enumerate(HOSTILE):
        lab, model = KGE + f"hl-lab-{i}", KGE + f"hl-model-{i}"
        triples += [t(lab, rdf_type, KG + "Lab"), t(lab, LABEL, ox.Literal(name)),
                    t(lab, KG + "country", KGE + "hl-country"),
                    t(model, rdf_type, KG + "Model"), t(model, LABEL, ox.Literal(name)),
                    t(model, KG + "developer", lab)]
        for d, stated in (("a", "7B"), ("b", "9B")):
            c = f"https://w3id.org/kg-compute/claim/hl-{i}-{d}"
            triples += [t(c, rdf_type, KG + "Claim"), t(c, KG + "subject", model),
                        t(c, KG + "property", KGP + "totalParameters"),
                        t(c, KG + "stated", ox.Literal(stated)), t(c, KG + "hedge", KG + "Stated"),
                        t(c, "http://www.w3.org/ns/prov#wasDerivedFrom", KGS + f"hl-doc-{d}"),
                        t(c, KG + "locator", ox.Literal("line 1"))]
    return to_turtle(triples)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(hostile_turtle(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def exported(hostile, tmp_path_factory) -> dict[str, bytes]:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("exports")
    files = {}
    for fmt in ("csv", "xlsx", "md", "html", "json", "jsonld", "ttl"):
        target = out / f"export.{fmt}"
        result = CliRunner().invoke(main, ["export", "--format", fmt, "-o", str(target),
                                           "--graph", str(MINI), "--graph", str(hostile)])
        assert result.exit_code == 0, (fmt, result.output)
        files[fmt] = target.read_bytes()
    return files


def test_csv_cells_are_text_not_formulas(exported):
    rows = list(csv.reader(io.StringIO(exported["csv"].decode("utf-8"))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'" + HOSTILE[0] in cells and "'-2+3" in cells and "'@SUM(1+1)" in cells


def test_xlsx_cells_are_strings_never_formulas(exported, tmp_path):
    import openpyxl

    path = tmp_path / "t.xlsx"
    path.write_bytes(exported["xlsx"])
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert HOSTILE[0] in values and HOSTILE[3] in values  # shown exactly as the data has them


def _dangerous(html: str) -> list[str]:
    """Elements or attributes the hostile strings would create if they were not escaped."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    found = []
    for node in HTMLParser(html).css("*"):
        attributes = node.attributes or {}
        if node.tag == "script" and (node.text() or "").strip() == "window.pwned=1":
            found.append("script")  # the planted <script> became an element of its own
        if node.tag == "img" and attributes.get("src") == "x":
            found.append("img")
        found += [f"{node.tag}[{name}]" for name in attributes if name.lower().startswith("on")]
        found += [f"{node.tag}[href]" for value in [attributes.get("href") or ""]
                  if value.lower().startswith("javascript:")]
    return found


def test_markdown_rendered_by_commonmark_creates_no_element(exported):
    from markdown_it import MarkdownIt

    text = exported["md"].decode("utf-8")
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert _dangerous(html) == []
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html  # shown as text
    assert "\x1b" not in text


def test_html_report_creates_no_element(exported):
    html = exported["html"].decode("utf-8")
    assert _dangerous(html) == []
    assert "&lt;img src=x onerror=" in html


def test_json_carries_the_names_exactly(exported):
    def refuse(constant):
        raise ValueError(constant)

    data = json.loads(exported["json"], parse_constant=refuse)
    labels = {r["label"] for r in data["rows"]} | {r["lab_label"] for r in data["rows"]}
    assert set(HOSTILE) <= labels


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_rdf_exports_carry_the_names_exactly(exported, fmt):
    import rdflib

    graph = rdflib.Graph().parse(data=exported[fmt], format="turtle" if fmt == "ttl" else "json-ld")
    labels = {str(o) for o in graph.objects(None, rdflib.URIRef(LABEL))}
    assert set(HOSTILE) <= labels


@pytest.mark.parametrize("args", [
    ["table"], ["table", "--format", "md"], ["reconcile"], ["reconcile", "--format", "md"],
    ["query", "claims-about", "--bind", "subject=kge:hl-model-9"],
    ["query", "claims-about", "--bind", "subject=kge:hl-model-9", "--format", "csv"],
    ["query", "claims-about", "--bind", "subject=kge:hl-model-9", "--format", "tsv"],
    ["stats", "--format", "md"],
], ids=lambda a: "-".join(a[:1] + a[-1:]))
def test_people_formats_send_no_escape_codes_and_render_no_markup(runner, hostile, args):
    result = runner.invoke(main, [*args, "--graph", str(MINI), "--graph", str(hostile)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    if "md" in args:
        from markdown_it import MarkdownIt

        assert _dangerous(MarkdownIt("commonmark").enable("table").render(result.output)) == []
    if "csv" in args or "tsv" in args:
        sep = "," if "csv" in args else "\t"
        cells = [c for row in csv.reader(io.StringIO(result.output), delimiter=sep) for c in row]
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
