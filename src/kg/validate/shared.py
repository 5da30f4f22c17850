"""The domain checks' inputs taken from the values validation's survey already read.

The unit-slip check (kg.validate.domain) asks numeric-claims.rq for every claim's subject,
property, amount, unit, stated text and qualifiers: 90,000 rows of ten terms at 100,000 claims,
about 1.5 s of CPU, for values the survey (kg.validate.survey) has just read for the shapes. Built
from the survey they cost a few dictionary lookups per claim. The rows are what the query
answers: only claims typed kg:Claim with a subject, property, amount and unit; a claim with two
values on one of the key's fields would make the query's answer depend on the order the store
returns rows in, so then (None) the query is asked after all.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.core.vocab import KG
from kg.store.protocol import Store, stream_positional
from kg.validate.domain import SLIP_KEY, parse_float
from kg.validate.survey import BLANK_MARK, PathValues, Survey

NUMERIC_PATHS = tuple(ox.NamedNode(KG + name) for name in (*SLIP_KEY, "amount", "stated", "scope"))
_REQUIRED = ("subject", "property", "unit", "amount")


def numeric_claims(survey: Survey, store: Store) -> dict[str, dict] | None:
    """numeric-claims.rq's rows folded as kg.validate.domain.numeric_claims folds them, from
    the survey's values; None when they cannot be told apart from the order of the rows."""
    from kg.store.queries import named_query

    tables = {p.value[len(KG):]: survey.paths.get(p) for p in NUMERIC_PATHS}
    if any(table is None for table in tables.values()):
        return None
    paths: dict[str, PathValues] = {k: v for k, v in tables.items() if v is not None}
    typed_terms = {row[0] for row in stream_positional(store, named_query("claim-iris").text, ("claim",))}
    if BLANK_MARK in typed_terms:  # a blank claim: its id in the query's rows is the store's
        return None
    typed = {term.value for term in typed_terms}
    numeric = typed.intersection(*(paths[k].first.keys() for k in _REQUIRED))
    if any(numeric & paths[k].more.keys() for k in (*SLIP_KEY, "amount", "stated")):
        return None
    # column by column (a dict comprehension each), then one row per claim: a third of the
    # CPU of looking each claim's fields up one by one
    subjects, props, units, marks, chips, baselines = (
        {claim: term.value for claim, term in paths[k].first.items()} for k in SLIP_KEY)
    amounts = {claim: term.value for claim, term in paths["amount"].first.items()}
    stated = {claim: term.value for claim, term in paths["stated"].first.items()}
    scope_one, scope_more = paths["scope"].first, paths["scope"].more
    claims: dict[str, dict] = {}
    for claim in numeric:
        amount = amounts[claim]
        scope = scope_one.get(claim)
        claims[claim] = {
            "key": (subjects[claim], props[claim], units[claim], marks.get(claim), chips.get(claim),
                    baselines.get(claim)),
            "amount": parse_float(amount), "stated": stated.get(claim, amount),
            "scopes": set() if scope is None else {
                scope.value, *(v.value for v in scope_more.get(claim, ()))}}
    return claims
