"""A normalised figure written back for people: in the unit its property prefers, with K/M/B/T
or powers of ten, "~" where the source was approximate, a range as people write one; and a
database's machine number ("148000000000000.0") written readably.

Split from kg.core.quantity (which reads figures); what is written here parses back to the
same value (tests/test_fuzz.py holds the round trip).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from kg.core.units import unit_factor
from kg.core.vocab import KGU, UNIT

if TYPE_CHECKING:
    from kg.core.quantity import Quantity


def format_value(q: Quantity, unit: str | None = None) -> str:
    """Write a normalised value back for people, in the unit the property prefers."""
    display = unit or q.unit
    suffix = None
    if display == UNIT + "PERCENT" and q.unit == UNIT + "UNITLESS" and _points(q):
        display, suffix = q.unit, ""  # points out of 100 ("88.5" on a card): not 8,850%
    factor = unit_factor(q.unit, display)
    if factor is None:  # another scale (an Elo rating, a score out of 10): keep its own unit
        display, factor, suffix = q.unit, 1.0, None
    suffix = _SUFFIX.get(display, "") if suffix is None else suffix

    def one(v: float | None, with_unit: bool = True) -> str:
        if v is None:
            return "?"
        return human_figure(v / factor, display) + (suffix if with_unit else "")

    if q.shape == "interval":  # the unit once, after the range, as people write "3-6 months"
        return f"{one(q.low, False)}–{one(q.high)}"
    if q.shape == "upper":
        return f"≤ {one(q.high)}"
    if q.shape == "lower":
        return f"≥ {one(q.low)}"
    return ("~" if q.approximate else "") + one(q.amount)


def _points(q: Quantity) -> bool:
    """A score a source gave as points ("88.5", read unitless because its property is a Score),
    not a fraction: its value is the number as written, and above one."""
    try:
        written = float((q.text or "").replace(",", "").lstrip("~").strip())
    except ValueError:
        return False
    return q.center is not None and abs(q.center) > 1 and math.isclose(q.center, written)


_MACHINE_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")


def readable_stated(stated: str | None, unit: str | None = None) -> str:
    """A figure as its source stated it, unless that is a machine's number: a database export's
    "148000000000000.0" or "3.63631e+2" is written for people ("148T", "363.6"); "2,788K
    GPU-hours" or "~$5.6M" stay as written. Only for display: the claim keeps the original."""
    text = (stated or "").strip()
    if not _MACHINE_NUMBER.match(text):
        return stated or ""
    digits = text.lstrip("-").split(".")[0]
    if "e" not in text.lower() and not text.endswith(".0") and len(digits) <= 6 and \
            len(text.partition(".")[2]) <= 3:
        return text  # a number a person wrote ("88.5", "2048")
    v = float(text)
    if (unit in (UNIT + "PERCENT", UNIT + "UNITLESS") or unit is None) and abs(v) < 1e5:
        return f"{v:.4g}"
    return human_figure(v, unit or "") + _SUFFIX.get(unit or "", "")


_SUFFIX = {
    UNIT + "PERCENT": "%", UNIT + "UNITLESS": "x", KGU + "GPU-HR": " GPU-h",
    KGU + "FLOP": " FLOP", UNIT + "HR": " h", UNIT + "MO": " months", UNIT + "YR": " years",
    UNIT + "DAY": " days", KGU + "USD-PER-MegaTOK": "/M tok", UNIT + "GigaBYTE-PER-SEC": " GB/s",
    UNIT + "GigaW": " GW", KGU + "FLOP-PER-SEC": " FLOP/s", UNIT + "CCY_CNY": " CNY",
    UNIT + "GigaBYTE": " GB", UNIT + "BYTE": " bytes", UNIT + "W": " W",
    UNIT + "BYTE-PER-SEC": " bytes/s", UNIT + "WK": " weeks",
    KGU + "INDEX-POINT": " index points", KGU + "ELO": " Elo", KGU + "OUT-OF-10": " (out of 10)",
}
# shares and multiples read better as "27880x" than "27.88Kx"; percent is already scaled
_NO_MAGNITUDE = {UNIT + "PERCENT", UNIT + "UNITLESS", KGU + "INDEX-POINT", KGU + "ELO",
                 KGU + "OUT-OF-10"}


def human_figure(v: float, unit: str) -> str:
    """Four significant digits with K/M/B/T, or scientific notation beyond T: parse reads both back."""
    money = unit in (UNIT + "CCY_USD", KGU + "USD-PER-MegaTOK")
    sign = "$" if money else ""
    a = abs(v)
    rounded = float(f"{v:.4g}")  # four significant digits first, so the text settles in one pass
    if unit in _NO_MAGNITUDE and 1e4 <= a < 1e15 and rounded.is_integer():
        return f"{sign}{rounded:,.0f}"  # "1,000,000x" reads (and parses) better than "1e+06x"
    if a < 1e5 and float(v).is_integer():
        return f"{sign}{v:,.0f}"  # 2,048 GPUs, not 2.048K; 14,800 not 14.8K
    if unit in _NO_MAGNITUDE or a >= 1e15:
        return f"{sign}{v:.4g}".replace("e+", "e")  # 3.4e24, not 3.4e+24
    for scale, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if a >= scale:
            return f"{sign}{v / scale:.4g}{word}"
    return f"{sign}{v:.4g}"
