"""Issue 18, hardening round two: each defect the adversarial round found, with the test that
failed before its fix. The classes behind them have their own files: tests/test_fuzz.py (every
parser of user text), tests/test_injection.py (every output format), tests/test_store_matrix.py
(every command on every store when it is missing, incomplete, locked, unreachable or slow) and
tests/test_options.py (every option of every command is run by some test).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.cli.main import main

DATA = Path(__file__).parent / "data"
MINI = DATA / "grow" / "mini-graph"
PREFIXES = """@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix kge: <https://w3id.org/kg-compute/entity/> .
@prefix kgs: <https://w3id.org/kg-compute/source/> .
@prefix kgc: <https://w3id.org/kg-compute/claim/> .
@prefix kgp: <https://w3id.org/kg-compute/prop/> .
@prefix kgu: <https://w3id.org/kg-compute/unit/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def claim(name: str, prop: str, stated: str, extra: str = "") -> str:
    """One claim about the mini graph's example model, read in its example document."""
    return (f"kgc:{name} a kg:Claim ; kg:subject kge:example-model ; kg:property kgp:{prop} ;\n"
            f'    kg:stated "{stated}" ; kg:hedge kg:Stated ; prov:wasDerivedFrom kgs:example-doc ;\n'
            f'    kg:locator "line 1" {extra}.\n')


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, which Python writes but JSON does not have."""
    def refuse(constant: str):
        raise ValueError(f"bare {constant} in JSON")

    return json.loads(text, parse_constant=refuse)


# ------------------------------------------------------------------ 4. impossible values

IMPOSSIBLE = PREFIXES + "".join([
    claim("nan-1", "trainingCompute", "NaN", '; kg:amount "NaN"^^xsd:double ; kg:unit kgu:FLOP '),
    claim("inf-1", "trainingCompute", "INF", '; kg:amount "INF"^^xsd:double ; kg:unit kgu:FLOP '),
    claim("flop-1", "trainingCompute", "3.4e24"),
    claim("share-1", "activeShare", "250%"),
    claim("share-2", "activeShare", "5.5%"),
    claim("score-1", "benchmarkScore", "250%", "; kg:benchmark kge:bench-x "),
    claim("score-2", "benchmarkScore", "71%", "; kg:benchmark kge:bench-x "),
    claim("rating-1", "benchmarkScore", "3206", "; kg:benchmark kge:bench-y "),
]) + ('kge:bench-x a kg:Benchmark ; skos:prefLabel "Bench X" .\n'
      'kge:bench-y a kg:Benchmark ; skos:prefLabel "Bench Y (a rating)" .\n')


@pytest.fixture()
def impossible(tmp_path) -> Path:
    path = tmp_path / "impossible.ttl"
    path.write_text(IMPOSSIBLE, encoding="utf-8")
    return path


def test_nan_inf_and_out_of_range_figures_are_violations(runner, impossible):
    result = runner.invoke(main, ["validate", "--graph", str(MINI), "--graph", str(impossible),
                                  "--format", "json"])
    assert result.exit_code == 1, result.output
    report = strict_json(result.output)
    fired = {(f["shape"].rsplit("/", 1)[-1], f["focus"].rsplit("/", 1)[-1]) for f in report["findings"]}
    assert {("claim-value-finite", "nan-1"), ("claim-value-finite", "inf-1"),
            ("ClaimValueInRange", "share-1"), ("ClaimValueInRange", "score-1")} <= fired
    flagged = {focus for _shape, focus in fired}
    assert not flagged & {"flop-1", "share-2", "score-2", "rating-1"}  # a rating of 3206 is fine
    share = next(f for f in report["findings"] if f["focus"].endswith("share-1"))
    assert "at most 1" in share["message"] and "'250%'" in share["message"]


def test_impossible_values_never_reach_the_table_as_bare_nan_or_agree(runner, impossible):
    table = runner.invoke(main, ["table", "--graph", str(MINI), "--graph", str(impossible),
                                 "--format", "json"])
    assert table.exit_code == 0, table.output
    strict_json(table.output)
    rec = runner.invoke(main, ["reconcile", "--graph", str(MINI), "--graph", str(impossible),
                               "--format", "json", "--all"])
    assert rec.exit_code == 0, rec.output
    groups = strict_json(rec.output)["groups"]
    flop = next(g for g in groups if g["property"].endswith("trainingCompute"))
    values = {c["value"] for c in flop["candidates"]}
    assert values == {3.4e24}, values  # INF agreed with 3.4e24 before; NaN and INF are no figures


def test_add_refuses_impossible_values(runner, tmp_path, impossible):
    graph = tmp_path / "graph"
    shutil.copytree(MINI, graph)
    before = sorted(p.name for p in graph.rglob("*.ttl"))
    for name in ("nan-1", "share-1", "score-1"):
        one = tmp_path / f"{name}.ttl"
        block = next(b for b in IMPOSSIBLE.split("kgc:")[1:] if b.startswith(name))
        bench = 'kge:bench-x a kg:Benchmark ; skos:prefLabel "Bench X" .\n' if "score" in name else ""
        one.write_text(PREFIXES + "kgc:" + block.split("kge:bench-x a")[0] + bench, encoding="utf-8")
        result = runner.invoke(main, ["add", str(one), "--graph-dir", str(graph)])
        assert result.exit_code == 1, result.output
        assert "would not conform" in result.output and "nothing was written" in result.output
    assert sorted(p.name for p in graph.rglob("*.ttl")) == before
