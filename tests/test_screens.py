"""kg.validate.screens: a domain check's query is skipped only when it would find nothing.

On the fixtures that fail each domain check (a negative amount, a share above 100 %, a score out
of range, a unit the property does not take, a missing value, a yes/no that is no boolean), on the
shipped graph and on a synthetic one: whenever a screen clears a check, the check's own query
finds nothing; and it does clear them on graphs that conform, so the test is not vacuous.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.core.resources import ONTOLOGY
from kg.store.embedded import OxigraphStore
from kg.validate.constraints import read_shapes
from kg.validate.domain import negative_values, range_findings, value_fit_findings
from kg.validate.screens import SCREEN_PATHS, all_in_range, no_negative_values, values_fit
from kg.validate.survey import Survey

DATA = Path(__file__).resolve().parent / "data"
CHECKS = read_shapes(ONTOLOGY / "shapes.ttl")
FIXTURES = [*sorted((DATA / "shapes").glob("ClaimValue*.ttl")), DATA / "bad" / "negative-amount.ttl",
            DATA / "bad" / "bad-values.ttl", DATA / "bad" / "unit-slip.ttl"]


def store_of(*paths: Path) -> OxigraphStore:
    store = OxigraphStore()
    for path in [*sorted(ONTOLOGY.rglob("*.ttl")), *paths]:
        store.load(ox.Quad(t.subject, t.predicate, t.object)
                   for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return store


def screens(store) -> dict[str, tuple[bool, list]]:
    """Each screen's verdict beside what its check's query finds."""
    survey = Survey(store, CHECKS, also=SCREEN_PATHS)
    return {"negative": (no_negative_values(survey), negative_values(store, {}, None)),
            "range": (all_in_range(survey, store), range_findings(store, {}, None)),
            "fit": (values_fit(survey, store), value_fit_findings(store, {}, None))}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_a_screen_never_clears_a_check_that_finds_something(fixture):
    results = screens(store_of(fixture))
    for name, (cleared, found) in results.items():
        assert not (cleared and found), f"{name} cleared, but its query finds {found}"
    if ".fail" in fixture.name or fixture.parent.name == "bad":
        assert any(found for _, found in results.values()) or "unit-slip" in fixture.name


def test_screens_clear_a_conforming_graph(tmp_path):
    from kg import EvidenceGraph
    from kg.synth.generator import generate

    generate(300, tmp_path / "s", seed=5)
    results = screens(EvidenceGraph(graph=[tmp_path / "s"]).store)
    assert all(cleared for cleared, _ in results.values()), results


def test_screens_on_the_shipped_graph(shipped):
    for name, (cleared, found) in screens(shipped.store).items():
        assert not (cleared and found), name
