"""Incremental validation: only what a file defines gives the same verdicts, on both engines.

The SPARQL engine restricts its queries to the file's nodes (VALUES rows); pySHACL validates
them with their neighbourhood (queries/neighbourhood.rq). Both must find what full validation
finds on those nodes.
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, fixture_path
from kg.cli.main import main

GRAPH = str(ROOT / "graph")


def findings(result) -> set[tuple]:
    return {(f["severity"], f["shape"], f["focus"], f["path"], f["value"], f["message"])
            for f in json.loads(result.output)["findings"]}


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_only_finds_the_violation_in_the_new_file(runner, engine):
    bad = fixture_path("shapes", "claim-source.fail.ttl")
    base = ["validate", "--graph", GRAPH, "--graph", str(bad), "--format", "json", "--engine", engine]
    full = runner.invoke(main, base)
    only = runner.invoke(main, [*base, "--only", str(bad)])
    assert full.exit_code == only.exit_code == 1

    def violations(result):
        return {(f["shape"], f["focus"]) for f in json.loads(result.output)["findings"]
                if f["severity"] == "Violation"}

    assert violations(only) == violations(full)


def test_only_gives_the_same_findings_on_both_engines(runner):
    bad = fixture_path("shapes", "claim-hedge.fail-unknown.ttl")
    results = [runner.invoke(main, ["validate", "--graph", GRAPH, "--graph", str(bad), "--only", str(bad),
                                    "--format", "json", "--engine", engine])
               for engine in ("sparql", "pyshacl")]
    assert results[0].exit_code == results[1].exit_code == 0
    assert findings(results[0]) == findings(results[1]) != set()


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_only_on_a_good_file_conforms_and_looks_at_little(runner, engine):
    good = ROOT / "graph" / "corpus" / "001_fb97ecae8a7ddc39.ttl"
    result = runner.invoke(main, ["validate", "--only", str(good), "--format", "json", "--engine", engine])
    assert result.exit_code == 0, result.output

    report = json.loads(result.output)
    full = json.loads(runner.invoke(main, ["validate", "--format", "json"]).output)
    assert 0 < report["triples"] < full["triples"] / 2


def test_value_fit_rule_runs_as_a_query_on_the_store():
    from kg import EvidenceGraph

    eg = EvidenceGraph(graph=[fixture_path("shapes", "ClaimValueFitsProperty.fail.ttl")])
    findings = [f for f in eg.validate().violations if f.shape.endswith("ClaimValueFitsProperty")]
    assert [f.focus for f in findings] == ["https://w3id.org/kg-compute/claim/claim-a"]
    assert "CCY_USD" in findings[0].value and "ComputeTime" in findings[0].value
