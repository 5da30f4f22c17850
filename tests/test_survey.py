"""kg.validate.survey: the one pass that proves which constraints cannot fail, and what it feeds.

The survey may only skip a query that would have answered nothing. So on every shape fixture
(each fails one constraint kind: minCount, maxCount, class, datatype, sh:or, sh:in, lengths,
ranges, lessThanOrEquals), on all of them in one store and on the shipped graph: a constraint the
survey clears gives no result when its own query is asked, and the engine with the survey gives
the same results, in the same order, as the per-shape queries alone.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.core.resources import ONTOLOGY
from kg.core.vocab import KG, XSD
from kg.store.embedded import OxigraphStore
from kg.validate import constraints, literals
from kg.validate.domain import numeric_claims
from kg.validate.shared import NUMERIC_PATHS
from kg.validate.shared import numeric_claims as shared_numeric_claims
from kg.validate.survey import Survey

SHAPES = Path(__file__).resolve().parent / "data" / "shapes"
CHECKS = constraints.read_shapes(ONTOLOGY / "shapes.ttl")


def store_of(*paths: Path) -> OxigraphStore:
    store = OxigraphStore()
    for path in [*sorted(ONTOLOGY.rglob("*.ttl")), *paths]:
        store.load(ox.Quad(t.subject, t.predicate, t.object)
                   for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return store


def per_constraint(store) -> dict[tuple[str, int], list]:
    """Each (shape, constraint)'s own results, from its own query (no survey)."""
    found = {}
    for check in CHECKS:
        for i, constraint in enumerate(check.shape.constraints):
            one = constraints.Check(check.target_class, constraints.PropertyShape(
                check.shape.node, check.shape.path, check.shape.path_text, check.shape.severity,
                check.shape.message, (constraint,)))
            found[(check.target_class.value + check.shape.name, i)] = constraints.evaluate(store, [one])
    return found


def assert_sound(store) -> int:
    """Nothing the survey clears fails; the engine answers the same with it. Returns how many
    constraints it cleared."""
    survey = Survey(store, CHECKS)
    own = per_constraint(store)
    cleared = 0
    for check in CHECKS:
        for i, constraint in enumerate(check.shape.constraints):
            if survey.cleared(check, constraint):
                cleared += 1
                assert own[(check.target_class.value + check.shape.name, i)] == [], (
                    f"{check.shape.name} sh:{constraint.component} cleared but fails")
    assert constraints.evaluate(store, CHECKS, cleared=survey.cleared) == constraints.evaluate(store, CHECKS)
    return cleared


FIXTURES = sorted(SHAPES.glob("*.ttl"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_the_survey_never_clears_a_failing_constraint(fixture):
    assert_sound(store_of(fixture))


def test_the_survey_is_sound_with_every_fixture_in_one_store():
    store = store_of(*FIXTURES)
    assert constraints.evaluate(store, CHECKS)  # the fixtures fail: the comparison is not vacuous
    assert_sound(store)


def test_the_survey_clears_most_constraints_of_the_shipped_graph(shipped):
    total = sum(len(c.shape.constraints) for c in CHECKS)
    assert assert_sound(shipped.store) >= total * 0.7


class QueriesOnly:
    """A store without the embedded index reader: the survey must read through SPARQL, as on a
    server (tests/test_server.py runs the whole validation against one)."""

    def __init__(self, store: OxigraphStore) -> None:
        self.inner = store

    def stream(self, query, bindings=None):
        return self.inner.stream(query, bindings)


def test_the_query_path_reads_what_the_index_reads():
    store = store_of(SHAPES / "ClaimShape.fail.ttl", SHAPES / "claim-bounds-order.fail.ttl")
    native, queried = Survey(store, CHECKS), Survey(QueriesOnly(store), CHECKS)  # type: ignore[arg-type]

    def named(values):  # blank subjects come back as one "_:" from a query: no focus node then
        return {k: sorted(map(str, values.of(k))) for k in values.first if k.startswith("http")}

    for path, values in native.paths.items():
        assert named(values) == named(queried.paths[path])
    assert "_:" in queried.paths[ox.NamedNode(KG + "property")].first  # the ontology's rules


# ------------------------------------------------------------------ the unit-slip rows


def test_unit_slip_rows_from_the_survey_equal_the_query(shipped, tmp_path):
    from kg import EvidenceGraph
    from kg.synth.generator import generate

    generate(300, tmp_path / "s", seed=5)
    store = EvidenceGraph(graph=[tmp_path / "s"]).store
    rows = shared_numeric_claims(Survey(store, CHECKS, also=NUMERIC_PATHS), store)
    assert rows is not None and rows == numeric_claims(store) and rows
    # the shipped graph has a claim compared with two baselines: the query's rows then depend
    # on the order the store returns them in, so the survey leaves them to the query
    assert shared_numeric_claims(Survey(shipped.store, CHECKS, also=NUMERIC_PATHS), shipped.store) is None


def test_a_claim_with_two_amounts_leaves_the_unit_slip_rows_to_the_query(shipped):
    store = store_of(SHAPES / "claim-amount.fail.ttl")
    amounts = [q for q in store._store.quads_for_pattern(None, ox.NamedNode(KG + "amount"), None)]
    claim = amounts[0].subject
    store.load([ox.Quad(claim, ox.NamedNode(KG + "amount"), lit("12345", "double"))])
    survey = Survey(store, CHECKS, also=NUMERIC_PATHS)
    assert shared_numeric_claims(survey, store) is None


# ------------------------------------------------------------------ literals


def lit(text: str, datatype: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))


@pytest.mark.parametrize(("term", "kind"), [
    (lit("5", "integer"), "Literal " + XSD + "integer"),
    (lit("-2.5e3", "double"), "Literal " + XSD + "double"),
    (lit("5.5", "integer"), None),  # ill-typed: the store decides how
    (lit("INF", "double"), None),
    (lit("NaN", "double"), None),
    (lit("99999999999999999999", "integer"), None),  # beyond the store's 64-bit integers
    (lit("3", "byte"), None),  # a subtype whose range this module does not check
    (lit("2024-02-30", "date"), "Literal " + XSD + "date"),  # the query's pattern, not a calendar
    (lit("2024-13-01", "date"), "Literal " + XSD + "date ill-typed"),
    (lit("2024-01-01\n", "date"), "Literal " + XSD + "date ill-typed"),
    (lit("2024", "gYear"), "Literal " + XSD + "gYear"),
    (lit("yes", "boolean"), None),
    (lit("true", "boolean"), "Literal " + XSD + "boolean"),
    (ox.Literal("x", language="en"), "Literal http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"),
    (ox.NamedNode(KG + "x"), "IRI"),
])
def test_a_kind_is_given_only_where_certain(term, kind):
    assert literals.kind(term) == kind


def test_ranges_are_decided_only_far_from_the_bound():
    big = lit("1.7976931348623157E308", "double")
    assert literals.certainly("maxInclusive", lit("1e300", "double"), big)
    assert literals.certainly("minInclusive", lit("1", "integer"), lit("1", "integer"))
    assert not literals.certainly("minExclusive", lit("1", "integer"), lit("1", "integer"))
    assert not literals.certainly("minInclusive", lit("0.1", "decimal"), lit("0.1", "double"))
    assert not literals.certainly("maxInclusive", lit("NaN", "double"), big)
    assert literals.at_most(lit("2", "decimal"), lit("3", "double"))
    assert not literals.at_most(lit("3", "decimal"), lit("2", "double"))
    assert literals.at_most(ox.Literal("a"), ox.Literal("b"))
