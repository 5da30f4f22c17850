"""`kg import epoch`: every Epoch table, read by column name, each its own source; entities minted
the same way by every table, so separate imports in any order give one valid graph."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from itertools import permutations
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli.main import main
from kg.core.turtle import to_turtle
from kg.core.vocab import KG, KGC, KGE, KGP, KGS, SKOS
from kg.ingest.epoch import detect, import_epoch, iter_claims, mint_names
from kg.ingest.resolve import Resolver

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = Path(__file__).parent / "data" / "grow" / "epoch-sample.csv"
FIXTURES = Path(__file__).parent / "data" / "epoch"
EPOCH = ROOT.parent / "shared" / "data" / "epoch"
FILES = {"notable-ai-models": "notable_ai_models.csv", "large-scale-ai-models": "large_scale_ai_models.csv",
         "frontier-ai-models": "frontier_ai_models.csv", "ml-hardware": "ml_hardware.csv",
         "gpu-clusters": "gpu_clusters.csv"}


@pytest.fixture()
def resolver(shipped):
    return Resolver.from_store(shipped.store)


@pytest.fixture(scope="module")
def mint_as(shipped):
    return mint_names(shipped.store)


def _objects(result, subject: str, predicate: str) -> list[str]:
    return [t.object.value for t in result.triples
            if t.subject.value == subject and t.predicate.value == predicate]


def _entities(result) -> dict[str, set[tuple[str, str]]]:
    """Each entity the import describes, with the triples it writes about it."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for t in result.triples:
        if t.subject.value.startswith(KGE):
            out[t.subject.value].add((t.predicate.value, str(t.object)))
    return out


def _import(name, shipped, mint_as, folder=FIXTURES, **kw):
    return import_epoch(folder / FILES[name], Resolver.from_store(shipped.store), snapshot="2025-11-03",
                        mint_as=mint_as, **kw)


# ------------------------------------------------------------------ the notable-models sample
def test_rows_attach_to_existing_nodes_and_mint_the_rest(resolver):
    result = import_epoch(SAMPLE, resolver, snapshot="2025-11-03")
    by_name = {m.name: m for m in result.matches}
    assert by_name["DeepSeek-V3"].iri == KGE + "deepseek-v3"
    assert by_name["DeepSeek-V3.2-Exp"].method == "minted"     # not V3, not V3.2
    assert by_name["Example-LM 7B"].method == "minted"
    model = by_name["Example-LM 7B"].iri
    assert model == KGE + "example-lm-7b"                     # minted from the name alone
    lab = _objects(result, model, KG + "developer")[0]
    assert _objects(result, lab, SKOS + "prefLabel") == ["Example Lab"]
    assert _objects(result, model, "http://purl.org/dc/terms/source") == ["https://epoch.ai/data"]
    # the H800 named with its board suffix resolves through graph/imported/aliases.ttl
    assert _objects(result, KGC + "epoch-notable-20251103-deepseek-v3-hardware-quantity",
                    KG + "chip") == [KGE + "h800"]


def test_claims_carry_value_hedge_scope_and_source(resolver):
    result = import_epoch(SAMPLE, resolver, snapshot="2025-11-03")
    compute = KGC + "epoch-notable-20251103-deepseek-v3-training-compute"
    assert _objects(result, compute, KG + "stated") == ["3.4e+24"]
    assert float(_objects(result, compute, KG + "amount")[0]) == 3.4e24
    low, high = (float(_objects(result, compute, KG + p)[0]) for p in ("lowerBound", "upperBound"))
    assert low < 3.4e24 < high and high - low < 0.1 * 3.4e24
    cost = KGC + "epoch-notable-20251103-deepseek-v3-cost-2023-usd"
    assert _objects(result, cost, KG + "scope") == [KG + "FinalRunCompute"]
    assert _objects(result, cost, KG + "unit") == ["https://w3id.org/kg-compute/unit/USD-2023"]
    hedges = {m: _objects(result, KGC + f"epoch-notable-20251103-{m}-parameters", KG + "hedge")[0]
              for m in ("deepseek-v3", "example-lm-7b", "example-vision-2", "deepseek-v3-2-exp")}
    assert hedges == {"deepseek-v3": KG + "Stated", "example-lm-7b": KG + "Estimated",
                      "example-vision-2": KG + "Unverified", "deepseek-v3-2-exp": KG + "Estimated"}
    # a vision model's dataset size is not a token count
    assert not _objects(result, KGC + "epoch-notable-20251103-example-vision-2-dataset-size", KG + "stated")
    source = _objects(result, compute, "http://www.w3.org/ns/prov#wasDerivedFrom")[0]
    assert source == KGS + "epoch-notable-ai-models-2025-11-03"
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
    assert _entities(first) == _entities(newer)          # the same entities, described alike


def test_import_validates_with_the_shipped_graph(shipped, tmp_path):
    from kg import EvidenceGraph
    from kg.core.resources import GRAPH

    result = import_epoch(SAMPLE, Resolver.from_store(shipped.store), snapshot="2030-01-01")
    out = tmp_path / "epoch.ttl"
    out.write_text(to_turtle(result.triples))
    report = EvidenceGraph([GRAPH, out]).validate()
    assert report.conforms, [f.message for f in report.violations][:5]


# ------------------------------------------------------------------ every table
@pytest.mark.parametrize("name", list(FILES))
def test_each_table_is_recognised_by_its_columns(name):
    with (FIXTURES / FILES[name]).open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert detect(header) == name
    # order and extra columns do not matter; a renamed figure column is reported, not guessed
    assert detect(list(reversed(header)) + ["A column added later"]) == name


def test_model_tables_keep_their_scopes_and_units(shipped, mint_as):
    frontier = _import("frontier-ai-models", shipped, mint_as)
    large = _import("large-scale-ai-models", shipped, mint_as)
    scopes = {(t.subject.value.split("-20251103-")[1], t.object.value.rsplit("#", 1)[1])
              for r in (frontier, large) for t in r.triples if t.predicate.value == KG + "scope"}
    kinds = {s for _, s in scopes}
    assert {"CloudRentalCost", "UpfrontHardwareCost", "FinalRunCompute"} <= kinds
    grok = KGC + "epoch-large-scale-20251103-grok-3-"
    assert _objects(large, grok + "cost-cloud", KG + "scope") == [KG + "CloudRentalCost"]
    assert _objects(large, grok + "cost-upfront", KG + "scope") == [KG + "UpfrontHardwareCost"]
    assert frontier.source == KGS + "epoch-frontier-ai-models-2025-11-03"   # its own source
    titles = _objects(frontier, frontier.source, "http://purl.org/dc/terms/title")
    assert titles == ["Epoch AI, Frontier AI Models (snapshot 2025-11-03)"]
    assert "Abstract" in large.unread_columns and "Training chip-hours" in large.missing_columns
    assert any(c.endswith("chip-hours") for c in iter_claims(frontier))


def test_gpu_clusters_are_systems_with_owners_chips_status_and_certainty(shipped, mint_as):
    result = _import("gpu-clusters", shipped, mint_as)
    colossus = KGE + "xai-colossus-memphis-phase-2"
    assert _objects(result, colossus, SKOS + "prefLabel") == ["xAI Colossus Memphis Phase 2"]
    assert _objects(result, colossus, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == [KG + "System"]
    claims = {c.split("-20251103-xai-colossus-memphis-phase-2-")[-1]: c for c in iter_claims(result)
              if "colossus" in c}
    assert {"h100-equivalents", "power-capacity", "hardware-cost", "chips-primary",
            "first-operational", "owner-xai"} <= set(claims)
    assert _objects(result, claims["owner-xai"], KG + "valueEntity") == [KGE + "xai"]
    chips = claims["chips-primary"]
    assert _objects(result, chips, KG + "property") == [KGP + "gpuCount"]
    assert _objects(result, chips, KG + "operationalStatus") == [KG + "Existing"]
    assert _objects(result, chips, KG + "chip")                    # the primary chip type
    power = float(_objects(result, claims["power-capacity"], KG + "amount")[0])
    assert power > 1e7 and _objects(result, claims["power-capacity"], KG + "unit")[0].endswith("/W")
    planned = [c for c in iter_claims(result) if "mt-pleasant" in c and c.endswith("h100-equivalents")]
    assert planned and _objects(result, planned[0], KG + "hedge") == [KG + "Projected"]
    assert _objects(result, planned[0], KG + "operationalStatus") == [KG + "Planned"]
    quoted = [m for m in result.matches if "Mt Pleasant" in m.name]
    assert quoted and not quoted[0].name.startswith('"')          # Epoch's quotes stripped


def test_separate_imports_in_any_order_give_one_valid_graph(shipped, mint_as, tmp_path):
    """Same entity IRIs and triples whichever tables came first; the union validates."""
    from kg import EvidenceGraph
    from kg.core.resources import GRAPH

    alone = {name: _import(name, shipped, mint_as) for name in FILES}
    files = {}
    for name, result in alone.items():
        files[name] = tmp_path / f"{name}.ttl"
        files[name].write_text(to_turtle(result.triples))
    # every entity two tables describe is described identically by both
    for a, b in permutations(FILES, 2):
        ea, eb = _entities(alone[a]), _entities(alone[b])
        for iri in set(ea) & set(eb):
            assert ea[iri] == eb[iri], (a, b, iri)
    # CaLM and CALM are two models (graph/imported/aliases.ttl), not one with two labels
    notable, large = _entities(alone["notable-ai-models"]), _entities(alone["large-scale-ai-models"])
    assert KGE + "calm-oxford" in notable and KGE + "calm-nvidia" in large
    # importing a table into a graph that already holds the others changes nothing in it
    for name in ("large-scale-ai-models", "gpu-clusters"):
        others = [files[n] for n in FILES if n != name]
        eg = EvidenceGraph([GRAPH, *others])
        later = import_epoch(FIXTURES / FILES[name], Resolver.from_store(eg.store),
                             snapshot="2025-11-03", mint_as=mint_names(eg.store))
        assert to_turtle(later.triples) == to_turtle(alone[name].triples), name
    report = EvidenceGraph([GRAPH, *files.values()]).validate()
    assert report.conforms, [(f.focus, f.message) for f in report.violations][:5]


def test_renamed_and_dropped_columns_are_reported(resolver, tmp_path):
    text = (FIXTURES / "notable_ai_models.csv").read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text))
    header, rows = next(reader), list(reader)
    renamed = ["Parameter count" if h == "Parameters" else h for h in header]
    keep = [i for i, h in enumerate(renamed) if h != "Training compute (FLOP)"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([renamed[i] for i in keep])
    writer.writerows([[r[i] for i in keep] for r in rows])
    path = tmp_path / "notable_ai_models.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = import_epoch(path, resolver, snapshot="2025-11-03", table="notable-ai-models")
    assert "Parameter count" in result.unread_columns
    assert {"Parameters", "Training compute (FLOP)"} <= set(result.missing_columns)
    assert "not read: " in result.summary() and "Parameter count" in result.summary()
    assert not [c for c in iter_claims(result) if c.endswith("-parameters")]


# ------------------------------------------------------------------ the command
def test_cli_import_writes_turtle_and_report(runner, tmp_path):
    out, report = tmp_path / "e.ttl", tmp_path / "matches.csv"
    res = runner.invoke(main, ["import", "epoch", str(SAMPLE), "--snapshot", "2025-11-03",
                               "--output", str(out), "--report", str(report)])
    assert res.exit_code == 0, res.output
    assert "4 of 4 rows imported" in res.output and "1 exact" in res.output
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))) > 50
    assert "DeepSeek-V3,https://w3id.org/kg-compute/entity/deepseek-v3" in report.read_text()
    assert "Example:" in runner.invoke(main, ["import", "epoch", "--help"]).output
    res = runner.invoke(main, ["import", "epoch", str(FIXTURES / "gpu_clusters.csv"),
                               "--snapshot", "2025-11-03", "--output", str(tmp_path / "c.ttl")])
    assert res.exit_code == 0 and res.output.startswith("gpu-clusters: 4 of 4 rows"), res.output


def test_cli_import_refuses_a_table_it_does_not_know(runner, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    res = runner.invoke(main, ["import", "epoch", str(bad)])
    assert res.exit_code == 2 and "not an Epoch table" in res.output


# ------------------------------------------------------------------ the real snapshot
def _real(name: str) -> Path:
    path = EPOCH / FILES[name]
    if not path.is_file():
        pytest.skip(f"the Epoch snapshot is not at {path}")
    return path


def test_shipped_slice_is_what_the_import_gives(runner, tmp_path):
    """graph/imported/ is reproducible from the real snapshot: one command, same bytes."""
    csv_file = _real("notable-ai-models")
    shipped_slice = ROOT / "graph" / "imported" / "epoch-notable-models.ttl"
    out = tmp_path / "slice.ttl"
    res = runner.invoke(main, ["import", "epoch", str(csv_file), "--snapshot", "2025-11-03",
                               "--matched-only", "--output", str(out)])
    assert res.exit_code == 0, res.output
    assert "20 of 942 rows imported" in res.output
    assert out.read_text() == shipped_slice.read_text()


def test_every_real_table_imports_and_describes_shared_entities_alike(shipped, mint_as):
    results = {name: import_epoch(_real(name), Resolver.from_store(shipped.store), snapshot="2025-11-03",
                                  mint_as=mint_as) for name in FILES}
    assert {name: r.rows_imported for name, r in results.items()} == {
        "notable-ai-models": 942, "large-scale-ai-models": 471, "frontier-ai-models": 131,
        "ml-hardware": 169, "gpu-clusters": 786}
    labels: dict[str, set[str]] = defaultdict(set)
    described = [_entities(r) for r in results.values()]
    for entities in described:
        for iri, triples in entities.items():
            labels[iri] |= {o for p, o in triples if p == SKOS + "prefLabel"}
    assert {iri: ls for iri, ls in labels.items() if len(ls) > 1} == {}   # one label per entity
    for a, b in permutations(range(len(described)), 2):
        for iri in set(described[a]) & set(described[b]):
            assert described[a][iri] == described[b][iri], iri


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
