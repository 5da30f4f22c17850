"""Review before anything lands: `kg add` refuses unreviewed proposals; `kg review` (on a terminal)
and `kg add --from-review` (an edited CSV) turn reviewed ones into claims of a named source."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from kg.cli.main import main
from kg.core.resources import GRAPH

DATA = Path(__file__).parent / "data"
CARD = """# Example-LM 2 model card

Example-LM 2 has 70B parameters and was trained on 12T tokens.

| Benchmark (Metric) | # Shots | Example-LM 2 | DeepSeek-V3 |
|---|---|---|---|
| MMLU (Acc.) | 5-shot | 80.1 | 87.1 |
"""


@pytest.fixture()
def graph(tmp_path) -> Path:
    """A copy of the shipped graph to add into."""
    target = tmp_path / "graph"
    shutil.copytree(GRAPH, target, ignore=shutil.ignore_patterns(".kg-add.lock"))
    return target


@pytest.fixture()
def card(tmp_path) -> Path:
    path = tmp_path / "example-card.md"
    path.write_text(CARD, encoding="utf-8")
    return path


def _extract(runner, card: Path, out: Path, *extra: str):
    res = runner.invoke(main, ["extract", str(card), "-o", str(out), *extra])
    assert res.exit_code == 0, res.output
    return out


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*.ttl")}


def test_add_refuses_unreviewed_proposals_and_says_how_to_review(runner, card, graph, tmp_path):
    proposals = _extract(runner, card, tmp_path / "proposals.ttl")
    before = _files(graph)
    res = runner.invoke(main, ["add", str(proposals), "--graph-dir", str(graph)])
    assert res.exit_code == 1, res.output
    assert "unreviewed" in res.output and "nothing was written" in res.output
    assert "kg review" in res.output and "--from-review" in res.output
    assert _files(graph) == before


def test_interactive_review_accepts_fixes_and_rejects(runner, card, graph, tmp_path):
    proposals = _extract(runner, card, tmp_path / "proposals.ttl")
    out = tmp_path / "reviewed.ttl"
    # proposals in line order: 70B, 12T (line 3), 80.1, 87.1 (line 7)
    answers = [
        "a",                                  # 70B totalParameters: accept
        "v", "12 trillion", "a",              # 12T: fix the value as written, then accept
        "s", "DeepSeek-V3", "s", "Example-LM 2", "a",  # 80.1: wrong fix, fixed back, accept
        "p", "kgp:nonsense", "p", "benchmarkScore", "r",  # 87.1: bad property refused; reject
        "Example-LM 2 model card", "2025-01-15", "Example Lab", "PrimaryReport",
    ]
    res = runner.invoke(main, ["review", str(proposals), "-o", str(out)], input="\n".join(answers) + "\n")
    assert res.exit_code == 0, res.output
    assert "3 accepted, 1 rejected" in res.output
    assert "is not a property" in res.output
    text = out.read_text()
    assert "kg:reviewStatus kg:Unreviewed" not in text
    assert text.count("kg:reviewStatus kg:Corrected") == 2 and text.count("kg:reviewStatus kg:Reviewed") >= 2
    assert '"12 trillion"' in text and '"87.1"' not in text
    assert 'dcterms:title "Example-LM 2 model card"' in text and "kg:PrimaryReport" in text
    assert "kge:example-lab" in text                       # the publisher, proposed and reviewed
    res = runner.invoke(main, ["add", str(out), "--graph-dir", str(graph)])
    assert res.exit_code == 0, res.output
    assert "3 claim(s)" in res.output
    check = runner.invoke(main, ["validate", "--graph", str(graph)])
    assert check.exit_code == 0, check.output


def test_stopping_a_review_writes_nothing(runner, card, tmp_path):
    proposals = _extract(runner, card, tmp_path / "proposals.ttl")
    out = tmp_path / "reviewed.ttl"
    res = runner.invoke(main, ["review", str(proposals), "-o", str(out)], input="a\nq\n")
    assert res.exit_code == 0 and "nothing written" in res.output
    assert not out.exists()


def test_csv_path_adds_accepted_rows_to_a_named_source(runner, card, graph, tmp_path):
    table = _extract(runner, card, tmp_path / "proposals.csv", "--format", "csv")
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == 4 and {r["status"] for r in rows} == {"unreviewed"}
    # the reviewer accepts all but the rival's score and corrects a value in place
    for row in rows:
        row["status"] = "reject" if row["subject"] == "kge:deepseek-v3" else "accept"
        if row["stated"] == "12T":
            row["stated"] = "12 trillion"
    reviewed = tmp_path / "reviewed.csv"
    with reviewed.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    # without the source's metadata and no terminal: refused, saying which flags
    res = runner.invoke(main, ["add", "--from-review", str(reviewed), "--graph-dir", str(graph)])
    assert res.exit_code == 2 and "--title" in res.output and "--kind" in res.output
    res = runner.invoke(main, ["add", "--from-review", str(reviewed), "--graph-dir", str(graph),
                               "--title", "Example-LM 2 model card", "--date", "2025-01-15",
                               "--publisher", "DeepSeek", "--kind", "PrimaryReport"])
    assert res.exit_code == 0, res.output
    assert "3 claim(s)" in res.output
    added = graph / "added" / "example-lm-2-model-card-2025.ttl"
    text = added.read_text()
    assert "kge:example-lm-2 a kg:Model" in text and "kge:deepseek" in text   # publisher resolved
    assert '"12 trillion"' in text and "kg:Unreviewed" not in text
    assert "example-card" not in text.split("dcterms:title")[1].split("\n")[0]  # not the file name
    check = runner.invoke(main, ["validate", "--graph", str(graph)])
    assert check.exit_code == 0, check.output
    again = runner.invoke(main, ["add", "--from-review", str(reviewed), "--graph-dir", str(graph),
                                 "--title", "Example-LM 2 model card", "--date", "2025-01-15",
                                 "--publisher", "DeepSeek", "--kind", "PrimaryReport"])
    assert again.exit_code == 0 and "nothing new" in again.output


def test_csv_with_rows_left_unreviewed_is_refused_by_row(runner, card, graph, tmp_path):
    table = _extract(runner, card, tmp_path / "proposals.csv", "--format", "csv")
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    rows[0]["status"] = "accept"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = _files(graph)
    res = runner.invoke(main, ["add", "--from-review", str(table), "--graph-dir", str(graph),
                               "--title", "T", "--date", "2025", "--publisher", "DeepSeek",
                               "--kind", "News"])
    assert res.exit_code == 1 and "still unreviewed" in res.output and "proposals.csv:3" in res.output
    assert _files(graph) == before
    rows[1]["status"] = "maybe"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    res = runner.invoke(main, ["add", "--from-review", str(table), "--graph-dir", str(graph)])
    assert res.exit_code == 2 and "proposals.csv:3" in res.output and "accept or reject" in res.output


def test_review_and_add_help_have_examples(runner):
    for command in ("review", "add"):
        assert "Example:" in runner.invoke(main, [command, "--help"]).output
