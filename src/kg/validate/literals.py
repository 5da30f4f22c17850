"""A value's kind and number, decided in Python only where the answer is certain.

The survey (kg.validate.survey) proves constraints cannot fail from the values themselves. The
store decides a literal's kind with the expression in queries/shacl-value-kinds.rq (its datatype
and whether its lexical form is well-typed) and compares numbers with SPARQL's rules; this module
answers the same questions for the common, unambiguous cases (a plain decimal number, a date in
the query's own pattern, a string) and says None for anything else: an odd numeric subtype, INF,
a dateTime. None never clears a constraint, so the store's own query then decides: a wrong
answer here could hide a violation, a missing one only costs a query.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import lru_cache

import pyoxigraph as ox

from kg.core.vocab import RDF, XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_STRINGS = frozenset({XSD + "string", RDF + "langString"})
# the datatypes shacl-value-kinds.rq tests with isNumeric (every other numeric subtype: unknown here)
_NUMERIC = frozenset(XSD + n for n in (
    "double", "integer", "decimal", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte"))
# the datatypes the query checks some other way (a cast or a pattern): certain only for xsd:date
_CHECKED = frozenset(XSD + n for n in ("boolean", "date", "dateTime", "time"))
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DOUBLE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
# queries/shacl-value-kinds.rq's pattern for xsd:date, anchored the same way (fullmatch, no `$`
# before a trailing newline)
_DATE = re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?")
_DIGITS = 18  # the store's integers are 64-bit, its decimals 18 digits either side of the point
_FORMS = {XSD + "integer": _INTEGER, XSD + "decimal": _DECIMAL, XSD + "double": _DOUBLE}


def kind(value: Term) -> str | None:
    """The kind shacl-value-kinds.rq gives the value ("IRI", "Literal <datatype>[ ill-typed]"),
    or None when this module cannot be sure of it."""
    if isinstance(value, ox.NamedNode):
        return "IRI"
    if isinstance(value, ox.BlankNode):
        return "BlankNode"
    datatype = value.datatype.value
    if datatype in _STRINGS:
        return "Literal " + datatype
    if datatype in _NUMERIC:
        return "Literal " + datatype if number(value) is not None else None
    if datatype in _CHECKED:
        if datatype == XSD + "date":
            return "Literal " + datatype + ("" if _DATE.fullmatch(value.value) else " ill-typed")
        if datatype == XSD + "boolean" and value.value in ("true", "false", "1", "0"):
            return "Literal " + datatype
        return None
    return "Literal " + datatype  # the query checks no other datatype's lexical form


@lru_cache(maxsize=1 << 18)
def number(value: Term) -> int | float | None:
    """An xsd:integer (exactly), xsd:decimal or xsd:double literal in plain decimal notation as a
    number; None for anything else (other types, INF, NaN, an ill-typed or out-of-range form)."""
    if not isinstance(value, ox.Literal):
        return None
    datatype, text = value.datatype.value, value.value
    form = _FORMS.get(datatype)
    if form is None or not form.fullmatch(text):
        return None
    if datatype == XSD + "integer":
        return int(text) if len(text.lstrip("+-")) <= _DIGITS else None
    if datatype == XSD + "decimal" and len(text) > 2 * _DIGITS:
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def certainly(component: str, value: Term, bound: Term) -> bool:
    """Whether the value certainly meets the range component (minInclusive ...) against bound."""
    order = _order(value, bound)
    if order is None:
        return False
    return {"minInclusive": order >= 0, "maxInclusive": order <= 0,
            "minExclusive": order > 0, "maxExclusive": order < 0}.get(component, False)


def clear_of(component: str, value: float, bound: float) -> bool:
    """Whether a number meets a range component by more than the margin _order leaves to the
    store: true for the smallest (or largest) of a path's numbers means true for every one."""
    margin = 1e-9 * max(abs(value), abs(bound))
    if component.startswith("min"):
        return value > bound + margin
    return value < bound - margin


def at_most(value: Term, other: Term) -> bool:
    """Whether `value <= other` certainly holds as shacl-less-than-or-equals.rq compares them:
    two numbers (see _order), or two xsd:string texts (code point order in both)."""
    if isinstance(value, ox.Literal) and isinstance(other, ox.Literal) and (
            value.datatype.value == XSD + "string" == other.datatype.value):
        return value.value <= other.value
    order = _order(value, other)
    return order is not None and order <= 0


def _order(a: Term, b: Term) -> int | None:
    """-1, 0 or 1 as the store orders two numbers, or None when that is not certain here.

    Two integers or two doubles compare exactly as the store holds them; any other mix goes
    through a conversion whose last bit this module does not promise to match, so numbers
    within a billionth of each other are left to the store."""
    x, y = number(a), number(b)
    if x is None or y is None:
        return None
    assert isinstance(a, ox.Literal) and isinstance(b, ox.Literal)
    if a.datatype == b.datatype and a.datatype.value in (XSD + "integer", XSD + "double"):
        return (x > y) - (x < y)
    fx, fy = float(x), float(y)
    margin = 1e-9 * max(abs(fx), abs(fy))
    if fx < fy - margin:
        return -1
    if fx > fy + margin:
        return 1
    # a figure on its bound (a share of 0.0 against a minimum of 0, 1.0 against 1.0): whole
    # numbers every number type holds exactly compare exactly
    wx, wy = _whole(a), _whole(b)
    return None if wx is None or wy is None else (wx > wy) - (wx < wy)


def _whole(term: ox.Literal) -> int | None:
    """The literal's value if it is a whole number below 2**53 (exact as an integer, a decimal
    and a double alike), else None."""
    value = number(term)
    if value is None:
        return None
    if term.datatype.value == XSD + "decimal":
        exact = Fraction(term.value)
        return int(exact) if exact.denominator == 1 and abs(exact) < 2**53 else None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if abs(value) < 2**53 else None


def non_negative(value: Term) -> bool:
    """Whether the value is certainly a number that is not below zero (a sign survives every
    conversion between the number types)."""
    found = number(value)
    return found is not None and found >= 0
