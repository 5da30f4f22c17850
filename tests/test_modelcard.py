"""A Hugging Face model card's YAML front matter as proposals, through the same review step."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from kg.cli.main import main
from kg.core.errors import InputError
from kg.core.resources import GRAPH
from kg.core.vocab import KGE
from kg.ingest.extract import extract_file
from kg.ingest.modelcard import card_model_name, load_front_matter
from kg.ingest.resolve import Resolver

CARD = Path(__file__).parent / "data" / "modelcard" / "example-lm-2-card.md"


@pytest.fixture(scope="module")
def result(shipped):
    return extract_file(CARD, Resolver.from_store(shipped.store))


def test_metadata_becomes_proposals_with_lines(result):
    meta = [p for p in result.proposals if p.source == "metadata"]
    by_prop: dict[str, list] = {}
    for p in meta:
        by_prop.setdefault(p.property.rsplit("/", 1)[-1], []).append(p)
    assert {p.subject for p in meta} == {KGE + "example-lm-2-chat"}     # the model-index name
    assert result.main.new and "metadata" in result.main.how
    licence = by_prop["licence"][0]
    assert (licence.value_entity, licence.line) == (KGE + "apache-2-0", 2)
    base = by_prop["baseModel"][0]
    assert (base.stated, base.value_entity, base.line) == ("deepseek-ai/DeepSeek-V3", KGE + "deepseek-v3", 3)
    assert sorted(p.value_text for p in by_prop["trainingDataset"]) == [
        "HuggingFaceFW/fineweb", "example-org/example-instructions"]
    scores = {p.stated: p for p in by_prop["benchmarkScore"]}
    assert scores["81.4"].benchmark == KGE + "mmlu" and scores["81.4"].line == 20
    assert "5-shot" in scores["81.4"].condition and "split test" in scores["81.4"].condition
    assert scores["42.0"].benchmark_new and scores["42.0"].benchmark_label == "Example Reasoning Bench"
    # the card's body is read as well: its table, on the same subject
    table = [p for p in result.proposals if p.source == "table"]
    assert {(p.stated, p.subject) for p in table} == {("70.1", KGE + "example-lm-2-chat"),
                                                      ("65.2", KGE + "deepseek-v3")}


def test_front_matter_errors_are_clear():
    assert card_model_name("model-index:\n- name: org/Some-Model\n") == "Some-Model"
    assert load_front_matter("") == {}
    with pytest.raises(InputError, match="front matter"):
        load_front_matter("license: [unclosed\n")
    with pytest.raises(InputError, match="not a mapping"):
        load_front_matter("- just\n- a list\n")


def test_card_metadata_lands_through_the_review_step(runner, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(GRAPH, graph, ignore=shutil.ignore_patterns(".kg-add.lock"))
    proposals = tmp_path / "card.csv"
    res = runner.invoke(main, ["extract", str(CARD), "--format", "csv", "-o", str(proposals)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(proposals.open(encoding="utf-8")))
    for row in rows:
        row["status"] = "reject" if row["subject"] == "kge:deepseek-v3" else "accept"
    with proposals.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    res = runner.invoke(main, ["add", "--from-review", str(proposals), "--graph-dir", str(graph),
                               "--title", "Example-LM-2-Chat model card", "--date", "2025-06-01",
                               "--publisher", "Example Org", "--kind", "PrimaryReport"])
    assert res.exit_code == 0, res.output
    assert "7 claim(s)" in res.output
    text = next((graph / "added").glob("*.ttl")).read_text()
    assert "kgp:baseModel" in text and "kg:valueEntity kge:deepseek-v3" in text
    assert 'kg:valueText "HuggingFaceFW/fineweb"' in text
    assert "kge:example-reasoning-bench a kg:Benchmark" in text
    check = runner.invoke(main, ["validate", "--graph", str(graph)])
    assert check.exit_code == 0, check.output
