"""Exports: every format writes, parses back, and repeats byte for byte; writes are atomic; text
formats go to standard output with `-o -`; xlsx is in human units; JSON-LD is compact; the
ClaimReview export uses schema.org as schema.org defines it."""

from __future__ import annotations

import json

import pytest

from kg.cli.main import main
from kg.core.files import write_atomic
from kg.report.exports import STREAMED_FORMATS, export_bytes

FORMATS = ["csv", "md", "json", "xlsx", "ttl", "jsonld", "html", "claimreview"]
TEXT_FORMATS = [f for f in FORMATS if f != "xlsx"]
KGE = "https://w3id.org/kg-compute/entity/"


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
    assert book.sheetnames == ["table", "conflicts", "sources"]
    header = [c.value for c in next(book["table"].iter_rows(max_row=1))]
    assert header[:4] == ["Model", "Lab", "Country", "Released"]
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
    from conftest import HOSTILE_MODEL, ROOT
    from kg import EvidenceGraph
    from kg.report.exports import export_bytes as render

    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(HOSTILE_MODEL)
    eg = EvidenceGraph(graph=[ROOT / "graph", hostile])
    html = render(eg, "html").decode()
    assert "<script>window.pwned" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;Evil" in html


# ---------------------------------------------------------------- standard output


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_dash_writes_every_text_format_to_standard_output(runner, shipped, fmt):
    result = runner.invoke(main, ["export", "--format", fmt, "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == export_bytes(shipped, fmt)
    assert result.stderr_bytes == b""  # nothing on stderr unless something is wrong


# ---------------------------------------------------------------- streamed exports (issue 19)


@pytest.mark.parametrize("fmt", sorted(STREAMED_FORMATS))
def test_streamed_export_file_is_the_export_built_whole(runner, shipped, tmp_path, fmt):
    """json, jsonld and claimreview are written piece by piece to a temporary file renamed when
    whole: the bytes are the ones built in memory."""
    out = tmp_path / f"export.{fmt}"
    result = runner.invoke(main, ["export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export_bytes(shipped, fmt)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_streamed_export_that_fails_midway_leaves_the_old_file(runner, tmp_path, monkeypatch):
    """A failure after part of a streamed export is on disk (a full disk, here while the
    200th review is made) leaves the previous file as it was and no temporary file."""
    import kg.core.tabular as tabular
    import kg.report.claimreview as claimreview

    target = tmp_path / "reviews.jsonld"
    target.write_text("the old reviews")
    monkeypatch.setattr(tabular, "_FLUSH_PARTS", 16)  # write every few reviews
    real_review = claimreview.review
    made = 0
    half: list[int] = []

    def review(v: dict) -> dict:
        nonlocal made
        made += 1
        if made == 200:
            half.extend(p.stat().st_size for p in tmp_path.glob(".reviews.jsonld.*.tmp"))
            raise OSError(28, "No space left on device (simulated)")
        return real_review(v)

    monkeypatch.setattr(claimreview, "review", review)
    result = runner.invoke(main, ["export", "--format", "claimreview", "-o", str(target)])
    assert result.exit_code == 2 and "No space left" in result.output, result.output
    assert "Traceback" not in result.output
    assert half and half[0] > 10_000  # it failed midway: part of the output was on disk
    assert target.read_text() == "the old reviews"
    assert [p.name for p in tmp_path.iterdir()] == ["reviews.jsonld"]


def test_xlsx_goes_to_standard_output_only_when_it_is_not_a_terminal(runner, tmp_path):
    import os
    import pty
    import subprocess
    import sys

    piped = runner.invoke(main, ["export", "--format", "xlsx", "-o", "-"])  # not a terminal
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"PK")
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "kg", "export", "--format", "xlsx", "-o", "-"],
                              stdout=follower, stderr=subprocess.PIPE, timeout=120,
                              cwd=tmp_path)
    finally:
        os.close(follower)
    os.set_blocking(leader, False)
    try:
        shown = os.read(leader, 65536)
    except OSError:  # nothing was written to the terminal
        shown = b""
    os.close(leader)
    assert done.returncode == 2
    assert b"PK" not in shown  # no binary on the terminal
    assert b"xlsx is binary and standard output is a terminal" in done.stderr


# ---------------------------------------------------------------- xlsx


@pytest.fixture(scope="module")
def book_table(shipped):
    return shipped.table()


@pytest.fixture(scope="module")
def book(shipped, tmp_path_factory):
    import openpyxl

    path = tmp_path_factory.mktemp("xlsx") / "t.xlsx"
    path.write_bytes(export_bytes(shipped, "xlsx"))
    return openpyxl.load_workbook(path)


def test_xlsx_numbers_are_numbers_in_human_units_with_the_unit_in_the_header(book, book_table):
    ws = book["table"]
    header = [c.value for c in ws[1]]
    rows = {r[0].value: {h: c for h, c in zip(header, r, strict=True)}
            for r in ws.iter_rows(min_row=2)}
    v3 = rows["DeepSeek-V3"]
    assert v3["Total params (billions)"].value == pytest.approx(671)
    assert v3["Active params (billions)"].value == pytest.approx(37)
    assert v3["Train tokens (trillions)"].value == pytest.approx(14.8)
    assert v3["GPU-hours (millions)"].value == pytest.approx(2.788)
    # the lab's own figure (the V3 technical report in graph/primary)
    assert v3["Final-run cost (USD millions)"].value == pytest.approx(5.576)
    assert v3["Train compute (FLOP)"].value == pytest.approx(3.4e24, rel=0.05)
    assert v3["Train compute (FLOP)"].number_format == "0.00E+00"
    assert v3["GPU chip"].value == "H800"
    assert v3["Released"].is_date
    # a derived figure stays a number, marked by its format and italics
    derived = [r["Train compute (FLOP)"] for r in rows.values()
               if r["Train compute (FLOP)"].number_format.startswith('"≈"')]
    assert derived and all(isinstance(c.value, float) for c in derived)
    assert all(c.font.italic for c in derived)
    # a cell in conflict is shaded, and the row says which columns are in conflict; the
    # shaded cells are exactly the table's conflicted cells
    shaded = [(model, h) for model, row in rows.items() for h, c in row.items()
              if c.fill.fgColor.rgb.endswith("FFF4E5")]
    assert shaded, "the shipped table has conflicted cells"
    for model, _ in shaded:
        assert rows[model]["In conflict"].value, model
    named = sum(len(r["In conflict"].value.split(", ")) for r in rows.values() if r["In conflict"].value)
    assert named == len(shaded)
    frame = book_table
    conflicted = sum(int((frame[c] == "conflict").sum()) for c in frame.columns if c.endswith("_status"))
    assert len(shaded) == conflicted


def test_xlsx_header_is_frozen_and_filterable_on_every_sheet(book):
    for ws in book.worksheets:
        assert ws.freeze_panes == "B2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.font.bold for c in ws[1] if c.value), ws.title


def test_xlsx_conflicts_sheet_lists_every_candidate_in_one_unit(book, reconciled):
    ws = book["conflicts"]
    header = [c.value for c in ws[1]]
    rows = [{h: c.value for h, c in zip(header, r, strict=True)} for r in ws.iter_rows(min_row=2)]
    assert len(rows) == sum(len(g.candidates) for g in reconciled.conflicts)
    v4 = [r for r in rows if r["Model"] == "DeepSeek-V4" and r["Property"] == "total parameters"]
    assert [(r["Rank"], r["Value"], r["Unit"]) for r in v4][:2] == [
        ("preferred", pytest.approx(1.6), "trillion"), ("candidate", pytest.approx(1.0), "trillion")]
    assert all(r["Explanation"] and r["Sources"] for r in v4)


def test_xlsx_text_from_data_is_never_a_formula(tmp_path):
    import openpyxl

    from conftest import ROOT
    from kg import EvidenceGraph

    hostile = tmp_path / "hostile.ttl"
    hostile.write_text('''
@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix kge: <https://w3id.org/kg-compute/entity/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kgp: <https://w3id.org/kg-compute/prop/> .
@prefix kgs: <https://w3id.org/kg-compute/source/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
kge:evil a kg:Model ; skos:prefLabel "=HYPERLINK(\\"http://x\\",\\"y\\")" ; kg:developer kge:deepseek .
<https://w3id.org/kg-compute/claim/evil-1> a kg:Claim ; kg:subject kge:evil ;
    kg:property kgp:totalParameters ; kg:stated "7B" ; kg:hedge kg:Stated ;
    prov:wasDerivedFrom kgs:corpus-000 ; kg:locator "test" .
kge:bell a kg:Model ; skos:prefLabel "Bell\\u0007Model" ; kg:developer kge:deepseek .
<https://w3id.org/kg-compute/claim/bell-1> a kg:Claim ; kg:subject kge:bell ;
    kg:property kgp:totalParameters ; kg:stated "8B" ; kg:hedge kg:Stated ;
    prov:wasDerivedFrom kgs:corpus-000 ; kg:locator "test" .
''')
    path = tmp_path / "t.xlsx"
    path.write_bytes(export_bytes(EvidenceGraph(graph=[ROOT / "graph", hostile]), "xlsx"))
    ws = openpyxl.load_workbook(path)["table"]
    evil = [r[0] for r in ws.iter_rows(min_row=2) if str(r[0].value).startswith("=HYPERLINK")]
    assert evil and evil[0].data_type == "s"
    assert "Bell\\x07Model" in [r[0].value for r in ws.iter_rows(min_row=2)]  # no crash either


# ---------------------------------------------------------------- JSON-LD


def test_jsonld_is_compact_with_a_context_and_says_the_same_as_turtle(shipped):
    import rdflib
    from rdflib.compare import isomorphic

    document = json.loads(export_bytes(shipped, "jsonld"))
    context = document["@context"]
    assert context["kge"] == KGE and context["kg"] == "https://w3id.org/kg-compute/ontology#"
    assert context["stated"] == "kg:stated"
    assert context["rank"] == {"@id": "wikibase:rank", "@type": "@id"}
    nodes = {n["@id"]: n for n in document["@graph"]}
    v3 = nodes["kge:deepseek-v3"]
    assert v3["@type"] == "kg:Model" and v3["prefLabel"] == "DeepSeek-V3"
    assert not any(k.startswith("http") for n in document["@graph"] for k in n)  # no expanded keys
    ranked = [n for n in document["@graph"] if n.get("rank") == "wikibase:DeprecatedRank"]
    assert ranked and all(n["@id"].startswith("kgc:") for n in ranked)
    back = rdflib.Graph().parse(data=export_bytes(shipped, "jsonld"), format="json-ld")
    turtle = rdflib.Graph().parse(data=export_bytes(shipped, "ttl"), format="turtle")
    assert isomorphic(back, turtle)


# ---------------------------------------------------------------- ClaimReview


@pytest.fixture(scope="module")
def reviews(shipped):
    return json.loads(export_bytes(shipped, "claimreview"))


def test_claimreview_reviews_every_ranked_claim_once(shipped, reviews):
    """Reviewed: each claim of a compared statement (several claims, or a finding) that the
    reconciliation ranked; operands of an arithmetic check and the like carry no rank."""
    from kg.reconcile.run import compared

    graph = reviews["@graph"]
    claims = [r["itemReviewed"]["@id"] for r in graph]
    assert len(claims) == len(set(claims))
    ranked = set(shipped.query(
        "SELECT ?claim WHERE { GRAPH ?run { ?claim <http://wikiba.se/ontology#rank> ?rank } }")["claim"])
    in_compared = {c.iri for g in shipped.reconciliation.all_groups() if compared(g)
                   for c in g.claims}
    assert set(claims) == in_compared & ranked
    assert len(claims) > 300
    names = {r["reviewRating"]["alternateName"] for r in graph}
    assert names == {"preferred", "normal", "deprecated"}


def test_claimreview_says_what_was_claimed_where_and_how_it_was_rated(reviews):
    by_claim = {r["itemReviewed"]["@id"]: r for r in reviews["@graph"]}
    lost = [r for r in reviews["@graph"] if r["claimReviewed"] ==
            "DeepSeek-V4, total parameters: approximately 1 trillion"]
    assert len(lost) == 1
    r = lost[0]
    assert r["reviewRating"] == {"@type": "Rating", "ratingValue": 1, "bestRating": 3,
                                 "worstRating": 1, "alternateName": "deprecated",
                                 "ratingExplanation": r["reviewRating"]["ratingExplanation"]}
    assert r["reviewRating"]["ratingExplanation"].startswith("outranked by 1.6T")
    assert "1.6T preferred" in r["reviewBody"]
    item = r["itemReviewed"]
    assert item["@type"] == "Claim" and item["appearance"]["@type"] == "CreativeWork"
    assert item["appearance"]["name"].startswith("DeepSeek V3.2")
    assert item["datePublished"] == "2026-03" and item["text"]
    assert item["about"]["@id"] == KGE + "deepseek-v4"
    # a claim read in a lab's model card links to the card in the lab's repository
    card = [r for c, r in by_claim.items() if "deepseek-v3-readme" in c]
    assert card and card[0]["itemReviewed"]["appearance"]["url"].startswith(
        "https://github.com/deepseek-ai/DeepSeek-V3/blob/")
    assert card[0]["itemReviewed"]["author"] == {"@type": "Organization", "name": "DeepSeek"}


def test_claimreview_uses_only_schema_org_terms_on_types_in_their_domain(reviews):
    """Every type and property exists in schema.org (release 30.0, tests/data/schemaorg), every
    property is used on a type in its domain, every value is of a type in its range."""
    import re

    from conftest import fixture_path

    vocab = json.loads(fixture_path("schemaorg", "claimreview-vocabulary.json").read_text())
    classes, properties = vocab["classes"], vocab["properties"]
    assert reviews["@context"] == {"@vocab": "https://schema.org/"}

    def kinds(name: str) -> set[str]:
        assert name in classes, f"{name} is not a schema.org class (or the fixture is stale)"
        return {name, *classes[name]}

    def value_fits(value, ranges: list[str]) -> bool:
        if isinstance(value, dict):
            return bool(kinds(value["@type"]) & set(ranges))
        if isinstance(value, bool):
            return "Boolean" in ranges
        if isinstance(value, int | float):
            return bool({"Number", "Integer", "Float"} & set(ranges))
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) and {"Date", "DateTime"} & set(ranges):
            return True
        if value.startswith("https://") and "URL" in ranges:
            return True
        return bool({"Text", "URL"} & set(ranges))

    checked = 0

    def check(node: dict) -> None:
        nonlocal checked
        types = kinds(node["@type"])
        for key, value in node.items():
            if key.startswith("@"):
                continue
            assert key in properties, f"{key} is not a schema.org property (or the fixture is stale)"
            spec = properties[key]
            assert types & set(spec["domain"]), f"{key} used on {node['@type']}, not in its domain"
            for item in value if isinstance(value, list) else [value]:
                assert value_fits(item, spec["range"]), f"{key}: {item!r} not in {spec['range']}"
                checked += 1
                if isinstance(item, dict):
                    check(item)

    for review in reviews["@graph"]:
        assert review["@type"] == "ClaimReview"
        check(review)
    assert checked > 1000
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
        done = subprocess.run([sys.executable, "-m", "kg", "export", "--format", fmt,
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
