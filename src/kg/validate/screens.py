"""What the survey's values prove about the domain checks SHACL cannot state.

Three of kg.validate.domain's checks are one query each that joins every claim with its
property, unit and figures (queries/negative-values.rq, check-value-in-range.rq,
check-value-fits-property.rq): about 3 s of CPU together at 100,000 claims, to find, on most
graphs, nothing. The survey (kg.validate.survey) has read those values already; with the rules
read as data (the properties' dimensions and base units, the ranges), a few lookups per claim
prove that no claim can fail a check, and then its query is not asked. Like the survey, a screen
errs one way only: it looks at every subject with a kg:property (a superset of the claims), at
every combination of a claim's values, and a figure whose number kg.validate.literals is not
sure of is not cleared. When a screen cannot clear a check, the check's own query decides.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.core.vocab import KG, XSD
from kg.store.protocol import Store, stream_positional
from kg.validate import literals
from kg.validate.survey import BLANK_MARK, PathValues, Survey

_P = {name: ox.NamedNode(KG + name) for name in (
    "property", "unit", "amount", "lowerBound", "upperBound", "valueText", "valueDate",
    "valueEntity", "valueBoolean")}
SCREEN_PATHS = tuple(_P.values())
FIGURES = ("amount", "lowerBound", "upperBound")
_UNITLESS = ox.NamedNode("http://qudt.org/vocab/unit/UNITLESS")
_ENTITY, _CLAIM = ox.NamedNode(KG + "Entity"), ox.NamedNode(KG + "Claim")


def _tables(survey: Survey) -> dict[str, PathValues] | None:
    found = {name: survey.paths.get(path) for name, path in _P.items()}
    return None if any(t is None for t in found.values()) else found  # type: ignore[return-value]


def no_negative_values(survey: Survey) -> bool:
    """True when no figure on any subject is below zero for certain (negative-values.rq would
    find nothing whatever the claim's dimension)."""
    tables = _tables(survey)
    if tables is None:
        return False
    return all(literals.non_negative(value) for name in FIGURES for value in tables[name].distinct())


def all_in_range(survey: Survey, store: Store) -> bool:
    """True when every figure of every subject with a property lies within the ranges of its
    property and unit (check-value-in-range.rq would find nothing)."""
    from kg.store.queries import named_query

    tables = _tables(survey)
    if tables is None:
        return False
    ranges: dict[object, list[tuple[str, ox.Literal]]] = defaultdict(list)
    for node, low, high, percent in stream_positional(
            store, named_query("value-ranges").text, ("node", "min", "max", "maxPercent")):
        if node == BLANK_MARK:  # a range on a blank node: which claims it binds, the query knows
            return False
        if low is not None:
            ranges[node].append(("minInclusive", low))
        if high is not None:
            ranges[node].append(("maxInclusive", high))
        if percent is not None:  # ?value > ?maxPercent / 100, for a figure in unit:UNITLESS
            share = literals.number(percent)
            if share is None:
                return False
            ranges[node].append(("maxPercent", ox.Literal(
                f"{share / 100:.12f}", datatype=ox.NamedNode(XSD + "decimal"))))
    if not ranges:
        return True
    properties, units = tables["property"], tables["unit"]
    for claim in properties.first:
        units_of = units.of(claim)
        if not units_of:
            continue  # the query joins kg:unit: a claim without one is not checked
        limits = [limit for node in (*properties.of(claim), *units_of) for limit in ranges.get(node, ())]
        if not limits:
            continue
        unitless = _UNITLESS in units_of
        for name in FIGURES:
            for value in tables[name].of(claim):
                for component, bound in limits:
                    if component == "maxPercent":
                        if unitless and not literals.certainly("maxInclusive", value, bound):
                            return False
                    elif not literals.certainly(component, value, bound):
                        return False
    return True


def values_fit(survey: Survey, store: Store) -> bool:
    """True when every claim's value fits its property's dimension (the six kinds of misfit
    check-value-fits-property.rq looks for: a unit the dimension does not store, no value, no
    date, no entity, no text, no yes/no)."""
    from kg.store.queries import named_query

    tables = _tables(survey)
    if tables is None:
        return False
    dimensions: dict[object, set] = defaultdict(set)
    base: dict[ox.NamedNode, set] = defaultdict(set)
    for prop, dimension, unit in stream_positional(
            store, named_query("property-dimensions").text, ("property", "dimension", "baseUnit")):
        if BLANK_MARK in (prop, dimension, unit):
            return False
        dimensions[prop].add(dimension)
        if unit is not None:
            base[dimension].add(unit)
    known = survey.instances(_ENTITY)
    # the claims (kg:Claim and its subclasses: a superset of the query's), not the ontology's
    # own nodes with a kg:property (the arithmetic rules, say)
    claims = survey.targets(_CLAIM)
    if claims is None:
        return False
    properties = tables["property"]
    for claim in claims.intersection(properties.first):
        for prop in properties.of(claim):
            for dimension in dimensions.get(prop, ()):
                if not _fits(claim, dimension, base.get(dimension), tables, known):
                    return False
    return True


def _fits(claim: str, dimension: ox.NamedNode, stored: set | None,
          tables: dict[str, PathValues], known: frozenset) -> bool:
    """The six branches of check-value-fits-property.rq, each on its own as the query's UNION."""
    if stored:
        units = tables["unit"].of(claim)
        if any(unit not in stored for unit in units):
            return False
        if not units and claim not in tables["valueText"].first:
            return False
    kind = dimension.value[len(KG):] if dimension.value.startswith(KG) else None
    if kind == "DateValue" and claim not in tables["valueDate"].first:
        return False
    if kind == "EntityValue" and not any(isinstance(e, ox.NamedNode) and e in known
                                         for e in tables["valueEntity"].of(claim)):
        return False
    if kind == "TextValue" and claim not in tables["valueText"].first:
        return False
    return kind != "BooleanValue" or any(
        isinstance(b, ox.Literal) and b.datatype.value == XSD + "boolean"
        for b in tables["valueBoolean"].of(claim))
