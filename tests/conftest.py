"""Shared fixtures: the shipped graph loaded once, the corpus and data folders, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def shipped():
    """The shipped graph in the embedded store, loaded once for the whole run."""
    from kg import EvidenceGraph

    return EvidenceGraph()


@pytest.fixture(scope="session")
def reconciled(shipped):
    """The shipped graph's reconciliation (computed once; tests must not mutate it)."""
    return shipped.reconciliation


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the corpus is not at {CORPUS}: these checks read the source documents")
    return CORPUS


def fixture_path(*parts: str) -> Path:
    return DATA.joinpath(*parts)
