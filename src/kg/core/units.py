"""kg's units: the unit IRIs the graph uses, the pint expression of each, the one base unit a
dimension's values are stored in, and conversions between them.

pint does the converting (a registry of kg's units only: the default one reads "T" as tesla);
this module keeps the tables. Split from kg.core.quantity, which reads figures in words.
"""

from __future__ import annotations

from functools import lru_cache

from kg.core.errors import QuantityError
from kg.core.vocab import KGU, UNIT

# unit IRI -> pint expression; ontology/units.ttl declares the same IRIs (a test keeps them equal)
UNIT_PINT: dict[str, str] = {
    UNIT + "NUM": "count",
    UNIT + "PERCENT": "percent",
    UNIT + "UNITLESS": "dimensionless",
    UNIT + "HR": "hour",
    UNIT + "DAY": "day",
    UNIT + "WK": "week",
    UNIT + "MO": "month",
    UNIT + "YR": "year",
    UNIT + "CCY_USD": "USD",
    UNIT + "CCY_CNY": "CNY",
    UNIT + "GigaBYTE-PER-SEC": "GB/s",
    UNIT + "GigaW": "GW",
    UNIT + "GigaBYTE": "GB",
    KGU + "GPU-HR": "gpu_hour",
    KGU + "FLOP": "FLOP",
    KGU + "FLOP-PER-SEC": "FLOP/s",
    KGU + "USD-PER-MegaTOK": "USD/Mtok",
    UNIT + "BYTE-PER-SEC": "byte/second",
    UNIT + "W": "watt",
    UNIT + "BYTE": "byte",
    KGU + "INDEX-POINT": "index_point",
    KGU + "ELO": "elo",
    KGU + "OUT-OF-10": "score10",
}

# normalised values are stored in one base unit per dimension
BASE_UNITS: dict[str, str] = {
    "[count]": UNIT + "NUM",
    "": UNIT + "UNITLESS",
    "[time]": UNIT + "HR",
    "[currency_usd]": UNIT + "CCY_USD",
    "[currency_cny]": UNIT + "CCY_CNY",
    "[information] / [time]": UNIT + "BYTE-PER-SEC",
    "[power]": UNIT + "W",
    "[information]": UNIT + "BYTE",
    "[gpu_time]": KGU + "GPU-HR",
    "[flop]": KGU + "FLOP",
    "[flop] / [time]": KGU + "FLOP-PER-SEC",
    "[currency_usd] / [count]": KGU + "USD-PER-MegaTOK",
    "[index_point]": KGU + "INDEX-POINT",
    "[elo]": KGU + "ELO",
    "[score10]": KGU + "OUT-OF-10",
}
BASE_PINT: dict[str, str] = {
    UNIT + "NUM": "count", UNIT + "UNITLESS": "dimensionless", UNIT + "HR": "hour",
    UNIT + "CCY_USD": "USD", UNIT + "CCY_CNY": "CNY", UNIT + "BYTE-PER-SEC": "byte/second",
    UNIT + "W": "watt", UNIT + "BYTE": "byte", KGU + "GPU-HR": "gpu_hour", KGU + "FLOP": "FLOP",
    KGU + "FLOP-PER-SEC": "FLOP/s", KGU + "USD-PER-MegaTOK": "USD/Mtok",
    KGU + "INDEX-POINT": "index_point", KGU + "ELO": "elo", KGU + "OUT-OF-10": "score10",
}

_DEFINITIONS = """
kilo- = 1e3 = k-
mega- = 1e6 = M-
giga- = 1e9 = G-
tera- = 1e12 = T-
peta- = 1e15 = P-
exa- = 1e18 = E-
count = [count]
token = count
Mtok = 1e6 * count
percent = 0.01 = pct
hour = [time] = h = hr
minute = hour / 60
second = minute / 60 = s
day = 24 * hour
week = 7 * day
month = 365.25 / 12 * day
year = 365.25 * day
dollar = [currency_usd] = USD
yuan = [currency_cny] = CNY
FLOP = [flop]
gpu_hour = [gpu_time]
byte = [information] = B
watt = [power] = W
index_point = [index_point]
elo = [elo]
score10 = [score10]
"""


@lru_cache(maxsize=1)
def registry():  # -> pint.UnitRegistry, imported lazily: `kg --help` must start fast
    """A small registry with only kg's units: the default one would read 'T' as tesla."""
    import pint

    ureg: pint.UnitRegistry = pint.UnitRegistry(None)
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


def base_unit_of(unit_iri: str | None) -> str | None:
    """The unit kg stores values of this unit's dimension in (percent -> unitless, month -> hour)."""
    expr = UNIT_PINT.get(unit_iri or "")
    if expr is None:
        return unit_iri
    ureg = registry()
    unit = ureg.dimensionless if expr == "dimensionless" else ureg.Unit(expr)
    return BASE_UNITS.get(dimension_key(unit), unit_iri)


@lru_cache(maxsize=1024)
def unit_factor(from_iri: str, to_iri: str) -> float | None:
    """How many base units make one display unit (1 for identical units; None for units of
    different kinds, such as an Elo rating and a percentage). Kept per pair of units: the unit
    tables are constants, and a reconciliation asks for the same few pairs 100,000 times (each
    a pint conversion, about a second of CPU at 100,000 claims)."""
    if from_iri == to_iri:
        return 1.0
    ureg = registry()
    src = BASE_PINT.get(from_iri) or UNIT_PINT.get(from_iri)
    dst = UNIT_PINT.get(to_iri) or BASE_PINT.get(to_iri)
    if not src or not dst:
        return 1.0
    try:
        return float(ureg.Quantity(1, dst).to(src).magnitude)
    except Exception:  # incompatible units: the caller shows the value in its own unit
        return None


def to_base(value: float, unit) -> float:
    ureg = registry()
    dims = dimension_key(unit)
    base = BASE_PINT[BASE_UNITS[dims]]
    target = ureg.dimensionless if base == "dimensionless" else ureg.Unit(base)
    return float(ureg.Quantity(value, unit).to(target).magnitude)


def base_iri(unit, original: str, claim: str | None) -> str:
    dims = dimension_key(unit)
    if dims not in BASE_UNITS:
        raise QuantityError(original, f"kg has no base unit for {dims}", claim=claim)
    return BASE_UNITS[dims]


def dimension_key(unit) -> str:
    d = unit.dimensionality
    if not d:
        return ""
    num = " * ".join(k for k, v in sorted(d.items()) if v > 0)
    den = " * ".join(k for k, v in sorted(d.items()) if v < 0)
    return f"{num} / {den}" if den else num
