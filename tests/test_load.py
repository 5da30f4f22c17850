"""Loading: all-or-nothing, remembers where each node came from, and normalises numeric claims once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import EvidenceGraph
from kg.core.errors import InputError
from kg.core.resources import ONTOLOGY
from kg.core.vocab import KG, KGC, KGE, KGS, KGU, UNIT
from kg.load.normalise import normalise
from kg.load.run import load
from kg.load.turtle import graph_files
from kg.store.embedded import OxigraphStore

LOAD = Path(__file__).resolve().parent / "data" / "load"
GOOD = LOAD / "good"

VALUES = """
PREFIX kg: <https://w3id.org/kg-compute/ontology#>
SELECT ?claim ?amount ?low ?high ?unit ?shape ?by WHERE {
  OPTIONAL { ?claim kg:amount ?amount }
  OPTIONAL { ?claim kg:lowerBound ?low }
  OPTIONAL { ?claim kg:upperBound ?high }
  OPTIONAL { ?claim kg:unit ?unit }
  OPTIONAL { ?claim kg:valueShape ?shape }
  OPTIONAL { ?claim kg:normalisedBy ?by }
}"""


def values(eg: EvidenceGraph, claim: str) -> dict[str, object]:
    rows = eg.store.select(VALUES, {"claim": KGC + claim})
    assert len(rows) == 1, f"{claim}: expected one value, got {len(rows)} rows"
    return {k: v.value for k, v in rows[0].items() if k != "claim"}


@pytest.fixture(scope="module")
def good() -> EvidenceGraph:
    return EvidenceGraph(graph=[GOOD])


@pytest.mark.parametrize("bad", ["bad-syntax.ttl", "undeclared-prefix.ttl"])
def test_a_bad_file_among_good_ones_leaves_a_fresh_store_empty(bad):
    store = OxigraphStore()
    with pytest.raises(InputError) as info:
        load(store, [GOOD, LOAD / bad])
    assert bad in str(info.value)
    assert len(store) == 0


def test_a_bad_file_leaves_a_loaded_store_unchanged(good):
    before = len(good.store)
    with pytest.raises(InputError):
        load(good.store, [LOAD / "unreadable-value.ttl", LOAD / "bad-syntax.ttl"])
    assert len(good.store) == before
    assert not good.store.select("SELECT ?c ?p WHERE { ?c ?p ?o }", {"c": KGC + "load-unreadable"})


def test_a_missing_file_loads_nothing(tmp_path):
    store = OxigraphStore()
    with pytest.raises(InputError, match="no such file"):
        load(store, [GOOD, tmp_path / "absent.ttl"])
    assert len(store) == 0


def test_graph_files_reads_folders_recursively_and_always_includes_the_ontology(tmp_path):
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "x.ttl").write_text("")
    (tmp_path / "notes.txt").write_text("not turtle")
    files = graph_files([tmp_path, GOOD / "claims.ttl", GOOD])
    ontology = sorted(ONTOLOGY.rglob("*.ttl"))
    assert files[:len(ontology)] == ontology
    rest = files[len(ontology):]
    assert rest == [tmp_path / "deep" / "er" / "x.ttl", GOOD / "claims.ttl", GOOD / "entities.ttl"]


def test_an_empty_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no .ttl files"):
        graph_files([tmp_path])


def test_origin_names_the_file_each_node_was_defined_in(good):
    report = good.load_report
    assert report.file_of(KGC + "load-gpu-hours") == str(GOOD / "claims.ttl")
    assert report.file_of(KGS + "doc-load") == str(GOOD / "claims.ttl")
    assert report.file_of(KGE + "model-a") == str(GOOD / "entities.ttl")
    assert report.file_of(KG + "Claim") == str(ONTOLOGY / "kg.ttl")
    assert report.file_of(KGE + "never-defined") is None
    assert report.claims == 5
    assert report.files[-2:] == [GOOD / "claims.ttl", GOOD / "entities.ttl"]


def test_numeric_claims_get_amount_bounds_and_unit(good):
    v = values(good, "load-gpu-hours")
    assert float(v["amount"]) == pytest.approx(2.788e6)
    assert float(v["low"]) == pytest.approx(2.787e6) and float(v["high"]) == pytest.approx(2.789e6)
    assert v["unit"] == KGU + "GPU-HR"
    assert v["shape"] == KG + "Point"
    assert v["by"] == "kg.quantity"


def test_an_upper_bound_is_stored_as_one(good):
    v = values(good, "load-cost")
    assert "low" not in v
    assert float(v["high"]) == pytest.approx(6e6)
    assert v["unit"] == UNIT + "CCY_USD"
    assert v["shape"] == KG + "UpperBound"


@pytest.mark.parametrize("claim", ["load-release", "load-trained-on"])
def test_non_numeric_claims_are_not_normalised(good, claim):
    assert values(good, claim) == {}


def test_a_curator_written_amount_is_left_alone(good):
    """The stated "about 2.8M" would parse to 2.8e6; the curator's 2,788,000 must stay, alone."""
    v = values(good, "load-curated")
    assert float(v["amount"]) == 2788000.0
    assert v["unit"] == KGU + "GPU-HR"
    assert "by" not in v and "low" not in v and "shape" not in v
    rows = good.store.select(f"SELECT ?c ?a WHERE {{ ?c <{KG}amount> ?a }}",
                             {"c": KGC + "load-curated"})
    assert len(rows) == 1


def test_normalising_again_adds_nothing(good):
    before = len(good.store)
    assert normalise(good.store) == []
    assert len(good.store) == before


def test_unreadable_values_are_returned_with_their_claim_and_file():
    eg = EvidenceGraph(graph=[GOOD, LOAD / "unreadable-value.ttl"])
    (problem,) = eg.load_report.problems
    assert problem.claim == KGC + "load-unreadable"
    assert "unreadable-value.ttl" in str(problem)
    # everything else still loaded and normalised
    assert values(eg, "load-gpu-hours")["unit"] == KGU + "GPU-HR"
    assert values(eg, "load-unreadable") == {}
