"""Entity resolution on the shipped graph: aliases, normalised names, a guarded fuzzy step."""

from __future__ import annotations

import csv

import pytest

from kg.core.vocab import KGE
from kg.ingest.resolve import Resolver, normalise, summary, write_report


@pytest.fixture(scope="module")
def resolver(shipped):
    return Resolver.from_store(shipped.store)


@pytest.mark.parametrize("name, iri, method", [
    ("DeepSeek-V3", "deepseek-v3", "exact"),
    ("deepseek v3", "deepseek-v3", "exact"),            # an alias, case folded
    ("Llama 3.1-405B", "llama-3-1-405b", "exact"),
    ("Qwen 2.5 72B", "qwen2-5-72b", "normalised"),
    ("Sonnet 3.5", "claude-3-5-sonnet", "exact"),
    ("Claude Sonnet 3.5", "claude-3-5-sonnet", "fuzzy"),  # word order only
])
def test_known_names_attach_to_the_existing_node(resolver, name, iri, method):
    match = resolver.resolve(name)
    assert (match.iri, match.method) == (KGE + iri, method)


@pytest.mark.parametrize("name", ["DeepSeek-V3.1", "DeepSeek-V2.5", "DeepSeek-R3", "GPT-4o mini",
                                  "Qwen2.5 Instruct (72B)", "Claude 3.7 Sonnet", "Kimi k1.5"])
def test_other_versions_and_variants_never_match(resolver, name):
    match = resolver.resolve(name)
    assert not match.matched, match


def test_versions_are_kept_apart_by_normalisation():
    assert normalise("DeepSeek-V3") != normalise("DeepSeek-V3.2")
    assert normalise("PointNet++") != normalise("PointNet")
    assert normalise("Qwen2.5-72B") == normalise("Qwen 2.5 72B")


def test_class_filter_keeps_families_out(resolver):
    # "Claude" is an alias of the Claude family; a table row named Claude is one model
    assert not resolver.resolve("Claude", classes=("Model",)).matched
    assert resolver.resolve("Claude", classes=("ModelFamily",)).iri == KGE + "claude-family"


def test_match_report_and_summary(resolver, tmp_path):
    matches = [resolver.resolve(n) for n in ("DeepSeek-V3", "Qwen 2.5 72B", "No Such Model 9")]
    assert summary(matches) == "3 names resolved: 1 exact, 1 normalised, 1 none"
    write_report(matches, tmp_path / "m.csv")
    rows = list(csv.DictReader((tmp_path / "m.csv").open()))
    assert [r["method"] for r in rows] == ["exact", "normalised", "none"]
    assert rows[0]["matched_iri"] == KGE + "deepseek-v3"
    write_report(matches, tmp_path / "m.md")
    assert "| DeepSeek-V3 |" in (tmp_path / "m.md").read_text()
