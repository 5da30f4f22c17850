"""Incremental validation: only what a file defines, with its neighbourhood, gives the same verdicts."""

from __future__ import annotations

from conftest import ROOT, fixture_path
from kg.cli import main

GRAPH = str(ROOT / "graph")


def test_only_finds_the_violation_in_the_new_file(runner):
    bad = fixture_path("shapes", "claim-source.fail.ttl")
    full = runner.invoke(main, ["validate", "--graph", GRAPH, "--graph", str(bad), "--format", "json"])
    only = runner.invoke(main, ["validate", "--graph", GRAPH, "--graph", str(bad), "--only", str(bad),
                                "--format", "json"])
    assert full.exit_code == only.exit_code == 1

    import json

    def violations(result):
        return {(f["shape"], f["focus"]) for f in json.loads(result.output)["findings"]
                if f["severity"] == "Violation"}

    assert violations(only) == violations(full)


def test_only_on_a_good_file_conforms_and_looks_at_little(runner):
    good = ROOT / "graph" / "corpus" / "001_fb97ecae8a7ddc39.ttl"
    result = runner.invoke(main, ["validate", "--only", str(good), "--format", "json"])
    assert result.exit_code == 0, result.output

    import json

    report = json.loads(result.output)
    full = json.loads(runner.invoke(main, ["validate", "--format", "json"]).output)
    assert 0 < report["triples"] < full["triples"] / 2


def test_value_fit_rule_runs_as_a_query_on_the_store():
    from kg import EvidenceGraph

    eg = EvidenceGraph(graph=[fixture_path("shapes", "ClaimValueFitsProperty.fail.ttl")])
    findings = [f for f in eg.validate().violations if f.shape.endswith("ClaimValueFitsProperty")]
    assert [f.focus for f in findings] == ["https://w3id.org/kg-compute/claim/claim-a"]
    assert "CCY_USD" in findings[0].value and "ComputeTime" in findings[0].value
