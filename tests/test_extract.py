"""`kg extract`: figures found, linked to graph entities, hedged, marked machine-extracted."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli.main import main
from kg.core.vocab import KG, KGE, KGP
from kg.ingest.extract import extract_file, extract_lines, to_triples
from kg.ingest.resolve import Resolver

DATA = Path(__file__).parent / "data" / "grow"


@pytest.fixture(scope="module")
def resolver(shipped):
    return Resolver.from_store(shipped.store)


def _by_stated(cands):
    return {c.stated: c for c in cands}


def test_markdown_figures_subjects_properties_and_hedges(resolver):
    found = _by_stated(extract_file(DATA / "article.md", resolver))
    params = found["671B"]
    assert (params.subject, params.property, params.line) == (KGE + "deepseek-v3",
                                                              KGP + "totalParameters", 3)
    assert found["14.8T"].property == KGP + "trainingTokens"
    assert found["14.8T"].hedge == "Reported"
    hours = next(c for s, c in found.items() if s.startswith("2.788 million"))
    assert hours.property == KGP + "trainingGpuHours" and hours.chip == KGE + "h800"
    assert hours.subject == KGE + "deepseek-v3"          # carried from the previous sentence
    cost = next(c for s, c in found.items() if "5.6M" in s)
    assert cost.property == KGP + "trainingCost" and cost.hedge == "Estimated"
    k2 = next(c for s, c in found.items() if "4.6M" in s)
    assert k2.subject == KGE + "kimi-k2" and k2.hedge in ("Projected", "Reported")
    assert all(0 < c.confidence < 1 and c.evidence and len(c.evidence) <= 90 for c in found.values())


def test_html_is_read_as_text_with_line_numbers(resolver):
    found = _by_stated(extract_file(DATA / "article.html", resolver))
    assert found["405B"].subject == KGE + "llama-3-1-405b" and found["405B"].line == 3
    date = found["July 2024"]
    assert (date.property, date.value_date, date.line) == (KGP + "releaseDate", "2024-07", 4)


def test_model_names_are_not_figures(resolver):
    cands = extract_lines(["Qwen2.5-72B and DeepSeek-V3.2 were compared with GPT-4o."], resolver)
    assert cands == []


def test_ranges_bounds_ratios_and_percentages(resolver):
    cands = _by_stated(extract_lines(
        ["DeepSeek-V3 costs 10-20x less, with under $6 million spent and 39% MFU at 18:1."],
        resolver))
    assert {"10-20x", "under $6 million", "39%", "18:1"} <= set(cands)
    assert cands["under $6 million"].value.shape == "upper"
    assert cands["10-20x"].value.shape == "interval"
    assert cands["39%"].property == KGP + "modelFlopsUtilization"


def test_turtle_candidates_are_marked_and_validate(resolver, shipped, tmp_path):
    from kg import EvidenceGraph
    from kg.core.resources import GRAPH
    from kg.core.turtle import to_turtle

    cands = extract_file(DATA / "article.md", resolver)
    triples = to_triples(cands, DATA / "article.md")
    claims = {t.subject for t in triples if t.object == ox.NamedNode(KG + "Claim")}
    marked = {t.subject for t in triples if t.predicate.value == KG + "extractedBy"}
    assert claims and claims == marked
    out = tmp_path / "cand.ttl"
    out.write_text(to_turtle(triples))
    report = EvidenceGraph([GRAPH, out]).validate()
    assert report.conforms, [(f.focus, f.message) for f in report.violations][:5]


def test_cli_extract_formats(runner):
    res = runner.invoke(main, ["extract", str(DATA / "article.md")])
    assert res.exit_code == 0, res.output
    assert "kg:extractedBy" in res.output and "kg:extractionConfidence" in res.output
    table = runner.invoke(main, ["extract", str(DATA / "article.md"), "--format", "csv"])
    assert table.output.splitlines()[0].startswith("line,stated,subject,property")
    assert "kge:deepseek-v3" in table.output
    missing = runner.invoke(main, ["extract", str(DATA / "nope.txt")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    assert "Example:" in runner.invoke(main, ["extract", "--help"]).output
