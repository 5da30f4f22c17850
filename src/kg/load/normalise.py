"""Each claim's stated figure turned into a normalised value, written beside it in the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from kg.core import quantity
from kg.core.errors import QuantityError
from kg.core.vocab import KG, XSD
from kg.load.turtle import LoadReport
from kg.store.protocol import Store
from kg.store.queries import named_query


def normalise(store: Store, report: LoadReport | None = None,
              written: list[ox.Quad] | None = None) -> list[QuantityError]:
    """Give every numeric claim kg:amount / bounds / unit derived from its kg:stated text.

    Claims that already carry a normalised value (written by a curator, an importer or the
    synthetic generator) are left alone. Values that cannot be read are returned, each naming
    its claim and file, never dropped silently. The triples added are also appended to
    `written` when given (kg.load.cache keeps them).
    """
    rows = store.select(named_query("normalise-pending").text)
    problems: list[QuantityError] = []
    quads: list[ox.Quad] = []
    for row in rows:
        claim = row["claim"].value
        unit = row["scoreUnit"] if "scoreUnit" in row else row.get("unit")  # the benchmark's scale
        try:
            q = quantity.parse(row["stated"].value, unit.value if unit is not None else None,
                               dimension=_local(row["dimension"].value) if "dimension" in row
                               else None, claim=claim)
        except QuantityError as exc:
            exc = _explain(exc)
            where = report.where(claim) if report else None
            if where:
                exc.message += f" (in {where})"
            problems.append(exc)
            continue
        quads.extend(value_quads(claim, q))
    if quads:
        store.load(quads)
    if written is not None:
        written.extend(quads)
    return problems


def _explain(exc: QuantityError) -> QuantityError:
    """Say "negative" when the parser only saw no number: no figure kg reads can be below zero.

    kg.core.quantity reads "-5B" as text without a number; the real problem is the sign.
    """
    if exc.reason == "no number found" and re.match(r"\s*[-\u2212]\s*[$\u00a5\u20ac]?\s*\d", exc.text):
        return QuantityError(exc.text, "a negative figure: counts, compute, money and durations "
                             "cannot be below zero", claim=exc.claim,
                             hint="state the magnitude; a decrease belongs in kg:condition")
    return exc


def value_quads(claim: str, q: quantity.Quantity, *, by: str = "kg.quantity") -> Iterable[ox.Quad]:
    """The triples that carry a normalised value on its claim (Wikidata's quantity value, flattened)."""
    s = ox.NamedNode(claim)
    decimal = ox.NamedNode(XSD + "double")
    shape = {"point": "Point", "interval": "Interval", "lower": "LowerBound",
             "upper": "UpperBound"}[q.shape]
    out = [
        ox.Quad(s, ox.NamedNode(KG + "unit"), ox.NamedNode(q.unit)),
        ox.Quad(s, ox.NamedNode(KG + "valueShape"), ox.NamedNode(KG + shape)),
        ox.Quad(s, ox.NamedNode(KG + "normalisedBy"), ox.Literal(by)),
    ]
    if q.amount is not None:
        out.append(ox.Quad(s, ox.NamedNode(KG + "amount"), ox.Literal(repr(float(q.amount)),
                                                                       datatype=decimal)))
    if q.low is not None:
        out.append(ox.Quad(s, ox.NamedNode(KG + "lowerBound"),
                           ox.Literal(repr(float(q.low)), datatype=decimal)))
    if q.high is not None:
        out.append(ox.Quad(s, ox.NamedNode(KG + "upperBound"),
                           ox.Literal(repr(float(q.high)), datatype=decimal)))
    if q.approximate:
        out.append(ox.Quad(s, ox.NamedNode(KG + "approximate"),
                           ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))))
    return out


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
