"""`kg import epoch`: claims of one more source, attached to existing nodes, idempotent."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli.main import main
from kg.core.turtle import to_turtle
from kg.core.vocab import KG, KGC, KGE, KGP
from kg.ingest.epoch import import_epoch, iter_claims
from kg.ingest.resolve import Resolver

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = Path(__file__).parent / "data" / "grow" / "epoch-sample.csv"
EPOCH = ROOT.parent / "shared" / "data" / "epoch"


@pytest.fixture()
def resolver(shipped):
    return Resolver.from_store(shipped.store)  # fresh per test: imports reserve IRIs in it


def _objects(result, subject: str, predicate: str) -> list[str]:
    return [t.object.value for t in result.triples
            if t.subject.value == subject and t.predicate.value == predicate]


def test_rows_attach_to_existing_nodes_and_mint_the_rest(resolver):
    result = import_epoch(SAMPLE, resolver, snapshot="2025-11-03")
    by_name = {m.name: m for m in result.matches}
    assert by_name["DeepSeek-V3"].iri == KGE + "deepseek-v3"
    assert by_name["DeepSeek-V3.2-Exp"].method == "minted"     # not V3, not V3.2
    assert by_name["Example-LM 7B"].method == "minted"
    model = by_name["Example-LM 7B"].iri
    lab = _objects(result, model, KG + "developer")[0]
    assert _objects(result, lab, KG + "country") == [KGE + "france"]
    # the H800 named with its board suffix resolves through graph/imported/aliases.ttl
    assert _objects(result, KGC + "epoch-20251103-deepseek-v3-hardware-quantity",
                    KG + "chip") == [KGE + "h800"]


def test_claims_carry_value_hedge_scope_and_source(resolver):
    result = import_epoch(SAMPLE, resolver, snapshot="2025-11-03")
    compute = KGC + "epoch-20251103-deepseek-v3-training-compute"
    assert _objects(result, compute, KG + "stated") == ["3.4e+24"]
    assert float(_objects(result, compute, KG + "amount")[0]) == 3.4e24
    low, high = (float(_objects(result, compute, KG + p)[0]) for p in ("lowerBound", "upperBound"))
    assert low < 3.4e24 < high and high - low < 0.1 * 3.4e24
    cost = KGC + "epoch-20251103-deepseek-v3-cost-2023-usd"
    assert _objects(result, cost, KG + "scope") == [KG + "FinalRunCompute"]
    assert "2023" in _objects(result, cost, KG + "condition")[0]
    hedges = {m: _objects(result, KGC + f"epoch-20251103-{m}-parameters", KG + "hedge")[0]
              for m in ("deepseek-v3", "example-lm-7b", "example-vision-2", "deepseek-v3-2-exp")}
    assert hedges == {"deepseek-v3": KG + "Stated", "example-lm-7b": KG + "Estimated",
                      "example-vision-2": KG + "Unverified", "deepseek-v3-2-exp": KG + "Estimated"}
    # a vision model's dataset size is not a token count
    assert not _objects(result, KGC + "epoch-20251103-example-vision-2-dataset-size", KG + "stated")
    source = _objects(result, compute, "http://www.w3.org/ns/prov#wasDerivedFrom")[0]
    assert _objects(result, source, KG + "sourceKind") == [KG + "CuratedDatabase"]
    text = to_turtle(result.triples)
    assert "Sample abstract" not in text and "A. Author" not in text


def test_importing_twice_is_identical_and_a_new_snapshot_sits_beside(shipped):
    first = import_epoch(SAMPLE, Resolver.from_store(shipped.store), snapshot="2025-11-03")
    again = import_epoch(SAMPLE, Resolver.from_store(shipped.store), snapshot="2025-11-03")
    assert to_turtle(first.triples) == to_turtle(again.triples)
    newer = import_epoch(SAMPLE, Resolver.from_store(shipped.store), snapshot="2026-02-01")
    assert set(iter_claims(first)).isdisjoint(iter_claims(newer))
    assert first.source != newer.source
    assert len(list(iter_claims(first))) == len(list(iter_claims(newer))) == first.claims


def test_import_validates_with_the_shipped_graph(shipped, tmp_path):
    from kg import EvidenceGraph
    from kg.core.resources import GRAPH

    # a snapshot date of its own: the shipped slice already holds the real 2025-11-03 claims
    result = import_epoch(SAMPLE, Resolver.from_store(shipped.store), snapshot="2030-01-01")
    out = tmp_path / "epoch.ttl"
    out.write_text(to_turtle(result.triples))
    report = EvidenceGraph([GRAPH, out]).validate()
    assert report.conforms, [f.message for f in report.violations][:5]


def test_cli_import_writes_turtle_and_report(runner, tmp_path):
    out, report = tmp_path / "e.ttl", tmp_path / "matches.csv"
    res = runner.invoke(main, ["import", "epoch", str(SAMPLE), "--snapshot", "2025-11-03",
                               "--output", str(out), "--report", str(report)])
    assert res.exit_code == 0, res.output
    assert "4 of 4 rows imported" in res.output and "1 exact" in res.output
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))) > 50
    assert "DeepSeek-V3,https://w3id.org/kg-compute/entity/deepseek-v3" in report.read_text()
    assert "Example:" in runner.invoke(main, ["import", "epoch", "--help"]).output


def test_cli_import_refuses_a_table_it_does_not_know(runner, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    res = runner.invoke(main, ["import", "epoch", str(bad)])
    assert res.exit_code == 2 and "not an Epoch table" in res.output


def test_shipped_slice_is_what_the_import_gives(runner, tmp_path):
    """graph/imported/ is reproducible from the real snapshot: one command, same bytes."""
    csv_file = EPOCH / "notable_ai_models.csv"
    if not csv_file.is_file():
        pytest.skip(f"the Epoch snapshot is not at {csv_file}")
    shipped_slice = ROOT / "graph" / "imported" / "epoch-notable-models.ttl"
    out = tmp_path / "slice.ttl"
    res = runner.invoke(main, ["import", "epoch", str(csv_file), "--snapshot", "2025-11-03",
                               "--matched-only", "--output", str(out)])
    assert res.exit_code == 0, res.output
    assert "20 of 942 rows imported" in res.output
    assert out.read_text() == shipped_slice.read_text()


def test_shipped_slice_reaches_the_reconciler(reconciled):
    epoch_groups = [g for g in reconciled.groups
                    if any("epoch-notable-ai-models" in c.document for c in g.claims)]
    assert epoch_groups
    v3_release = [g for g in epoch_groups
                  if g.subject == KGE + "deepseek-v3" and g.property == KGP + "releaseDate"]
    assert v3_release and len({c.document for c in v3_release[0].claims}) > 1


def test_hardware_table_names_the_chip_vendor(runner):
    """--hardware: the chip's maker comes from ml_hardware.csv, not the chip name's first word."""
    from kg.cli.main import main

    sample = Path(__file__).parent / "data" / "grow"
    mini = sample / "mini-graph"
    args = ["import", "epoch", str(sample / "epoch-sample.csv"), "--snapshot", "2025-11-03",
            "--graph", str(mini)]
    plain = runner.invoke(main, args)
    vendor = runner.invoke(main, [*args, "--hardware", str(sample / "ml-hardware-sample.csv")])
    assert plain.exit_code == vendor.exit_code == 0, vendor.output
    assert '"Example Foundry"' in vendor.output and '"Example Foundry"' not in plain.output
