"""`kg synth`: a valid graph of exactly N claims, reproducible, with the corpus's hard cases and a
truth file that lets the reconciler be scored (and beat a majority vote where sources copy)."""

from __future__ import annotations

import math

import pyoxigraph as ox
import pytest

from kg import EvidenceGraph
from kg.core import quantity
from kg.core.vocab import KG
from kg.synth.generator import generate
from kg.synth.truth import read_truth, score

CASES = {"copied-rumour", "projection", "scope-variant", "unit-slip", "identity-slip"}


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    report = generate(3000, out, seed=7)
    return out, report


def claim_count(out) -> int:
    store = ox.Store()
    for path in sorted(out.glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return len(list(store.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(KG + "Claim"))))


def test_exactly_n_claims_and_every_hard_case(synth):
    out, report = synth
    assert report.claims == 3000 == claim_count(out)
    assert set(report.cases) >= CASES, report.cases
    truth = read_truth(out)
    assert len(truth) == report.statements


def test_same_seed_same_bytes_other_seed_other_graph(tmp_path, synth):
    out, _ = synth
    again = generate(3000, tmp_path / "again", seed=7)
    other = generate(3000, tmp_path / "other", seed=8)
    for name in ("claims-0000.ttl", "entities.ttl", "sources.ttl", "truth.tsv"):
        assert (again.out / name).read_bytes() == (out / name).read_bytes()
    assert (other.out / "claims-0000.ttl").read_bytes() != (out / "claims-0000.ttl").read_bytes()


def test_written_values_are_what_the_quantity_parser_reads(synth):
    """The generator writes normalised values directly; they must be kg.quantity's reading of kg:stated."""
    out, _ = synth
    eg = EvidenceGraph([out])
    rows = eg.store.select("""
        PREFIX kg: <https://w3id.org/kg-compute/ontology#>
        SELECT ?claim ?stated ?amount ?low ?high ?unit ?default ?dim WHERE {
          ?claim kg:stated ?stated ; kg:amount ?amount ; kg:lowerBound ?low ; kg:upperBound ?high ;
                 kg:unit ?unit ; kg:property ?p . ?p kg:defaultUnit ?default ; kg:dimension ?dim }""")
    assert len(rows) > 1000
    seen_texts = set()
    for r in rows:
        text = r["stated"].value
        if text in seen_texts:
            continue
        seen_texts.add(text)
        q = quantity.parse(text, r["default"].value, dimension=r["dim"].value.rsplit("#", 1)[-1])
        assert q.unit == r["unit"].value, text
        for mine, theirs in ((q.amount, r["amount"]), (q.low, r["low"]), (q.high, r["high"])):
            assert math.isclose(mine, float(theirs.value), rel_tol=1e-9), (text, mine, theirs.value)


def test_small_synthetic_graph_passes_kg_validate(tmp_path, runner):
    from kg.cli.main import main

    out = tmp_path / "small"
    generate(300, out, seed=11)
    result = runner.invoke(main, ["validate", "--graph", str(out)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_kg_synth_command_writes_the_graph_and_truth(tmp_path, runner):
    from kg.cli.main import main

    result = runner.invoke(main, ["synth", "--claims", "50", "--seed", "2", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "wrote 50 claims" in result.output
    assert (tmp_path / "s" / "truth.tsv").is_file() and (tmp_path / "s" / "claims-truth.tsv").is_file()


def test_reconciler_beats_majority_where_sources_copy(synth):
    out, _ = synth
    accuracy = score(EvidenceGraph([out]).reconcile(write=False), out).to_dict()
    assert accuracy["matched"] == accuracy["statements"]
    rumour = accuracy["by_case"]["copied-rumour"]
    assert rumour["reconciler"] > rumour["majority"] + 0.3, accuracy
    assert accuracy["contested_reconciler"] > accuracy["contested_majority"], accuracy
    assert accuracy["reconciler"] > 0.8, accuracy


def test_analyst_cases_are_planted_valid_and_settled(tmp_path):
    """Basis variants, snapshot revisions and constant dollars (issue 13): written with their
    truth, valid, and reconciled right far more often than not."""
    from kg.synth.truth import is_true_value

    out = tmp_path / "analyst"
    report = generate(3000, out, seed=7, analyst_cases=True)
    assert {"basis-stated", "basis-unstated", "snapshot-revision", "constant-dollars"} <= set(
        report.cases)
    eg = EvidenceGraph([out])
    assert eg.validate().conforms
    truth, cases = read_truth(out), {}
    for line in (out / "truth.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        cases[cells[0]] = set(cells[8].split(","))
    rec = eg.reconcile(write=False)
    right: dict[str, list[bool]] = {}
    for g in rec.groups:
        scope = g.qualifiers.get("scope")
        key = (g.subject, g.property, scope[0] if scope and len(scope) == 1 else None,
               g.qualifiers.get("benchmark"), g.qualifiers.get("chip"))
        if key in truth:
            sid, true = truth[key]
            for case in cases[sid] & {"snapshot-revision", "constant-dollars", "basis-stated"}:
                right.setdefault(case, []).append(is_true_value(g.preferred, true))
    for case, hits in right.items():
        assert sum(hits) / len(hits) >= 0.85, (case, sum(hits), len(hits))
