"""Slipped magnitude words: "284M" written for 284B. The same digits a factor of a thousand apart
are one figure with a magnitude word slipped in one of the texts, not two estimates; which
magnitude is right is what a careful analyst reads off the rest of the graph ("284 million
parameters for a frontier model? every other model here is in the billions").

The model of the data is the distribution of each property's figures across the whole graph
(log10 of every stated amount, per property and unit, gathered while the sources' record is
read, so a batch sees the whole graph's figures). For two candidates whose ratio is a power of
the magnitude step (`kg:MagnitudeSlipStep`, 1000: thousand, million, billion, trillion) within
their precision, the one in a region of the distribution where the property's figures are rare
(fewer than 1/`kg:MagnitudeOdds` as many figures nearby as near the other) is read as the slip:
its claims count `kg:MagnitudeSlip` as much, and the explanation says why. With too few figures
of the property (`kg:MagnitudeMinFigures`) nothing is decided: the two stay a plain
contradiction, settled by their sources. The numbers are priors (ontology/priors.ttl).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from kg.core import display
from kg.reconcile import scoring
from kg.reconcile.context import Context
from kg.reconcile.model import Candidate, Group
from kg.reconcile.weighing import score_group

WINDOW = 0.25  # decades either side of a figure that count as "near" it (a factor of ~1.8)
RATIO_SLACK = 0.01  # as kg.reconcile.basis: a step matches when inside the ratio's band, +1 %


@dataclass
class Magnitudes:
    """log10 of every positive amount stated for a property in a unit, across the graph."""

    logs: dict[tuple[str, str], array] = field(default_factory=dict)
    _sorted: set[tuple[str, str]] = field(default_factory=set)

    def add(self, prop: str, unit: str, amount: float) -> None:
        if amount > 0 and math.isfinite(amount):
            self.logs.setdefault((prop, unit), array("d")).append(math.log10(amount))
            self._sorted.discard((prop, unit))

    def figures(self, prop: str, unit: str) -> int:
        return len(self.logs.get((prop, unit), ()))

    def near(self, prop: str, unit: str, amount: float) -> int:
        """How many of the property's figures lie within WINDOW decades of `amount`."""
        key = (prop, unit)
        values = self.logs.get(key)
        if not values or amount <= 0:
            return 0
        if key not in self._sorted:
            self.logs[key] = values = array("d", sorted(values))
            self._sorted.add(key)
        x = math.log10(amount)
        return bisect_right(values, x + WINDOW) - bisect_left(values, x - WINDOW)


def collect(claims, magnitudes: Magnitudes) -> None:
    """Add each numeric claim's amount to the model (its value after any currency conversion)."""
    for c in claims:
        v = c.value
        if v is not None and v.amount is not None:
            magnitudes.add(c.property, v.unit, v.amount)


def check(groups: list[Group], magnitudes: Magnitudes, ctx: Context, priors: scoring.Priors,
          trust: dict[str, float]) -> None:
    """Mark the likely slip of each pair of candidates a magnitude word apart; rescore."""
    if not magnitudes.logs:
        return
    step = priors.weight("MagnitudeSlipStep")
    odds = priors.weight("MagnitudeOdds")
    least = priors.weight("MagnitudeMinFigures")
    weight = priors.weight("MagnitudeSlip")
    for g in groups:
        numeric = [c for c in g.candidates if c.value is not None and c.value.amount
                   and not c.borrowed_from]
        if len(numeric) < 2:
            continue
        changed = False
        for i, a in enumerate(numeric):
            for b in numeric[i + 1:]:
                slip = _slip(a, b, g.property, step, odds, least, magnitudes)
                if slip is None or slip.penalty < 1.0 or slip.doubt > 0:
                    continue
                right, wrong = (a, b) if slip is b else (b, a)
                unit = ctx.default_unit.get(g.property)
                slip.penalty *= weight
                slip.note = (f"the digits of {_fmt(right, unit)} with a magnitude word "
                             f"{_times_text(wrong, right)}: a likely slip, since "
                             f"{ctx.label(g.property)} figures in the graph are rarely near "
                             f"{_fmt(wrong, unit)} and often near {_fmt(right, unit)}")
                changed = True
        if changed:
            score_group(g, ctx, priors, trust)


def _slip(a: Candidate, b: Candidate, prop: str, step: float, odds: float, least: float,
          magnitudes: Magnitudes) -> Candidate | None:
    """The candidate of the two that is the slipped magnitude, or None."""
    va, vb = a.value, b.value
    if va is None or vb is None or va.unit != vb.unit or va.amount is None or vb.amount is None:
        return None
    al, ah = va.band()
    bl, bh = vb.band()
    if min(al, bl) <= 0 or math.isinf(ah) or math.isinf(bh):
        return None
    low, high = bl / ah, bh / al  # b / a as far as the precision allows
    k = round(math.log(max(vb.amount, 1e-300) / va.amount, step)) if va.amount > 0 else 0
    if k == 0 or not (low * (1 - RATIO_SLACK) <= step ** k <= high * (1 + RATIO_SLACK)):
        return None
    if magnitudes.figures(prop, va.unit) < least:
        return None
    na = magnitudes.near(prop, va.unit, va.amount)
    nb = magnitudes.near(prop, vb.unit, vb.amount)
    if (na + 1) >= odds * (nb + 1):
        return b
    if (nb + 1) >= odds * (na + 1):
        return a
    return None


def _fmt(c: Candidate, unit: str | None) -> str:
    return display.format_value(c.value, unit) if c.value is not None else c.display


def _times_text(wrong: Candidate, right: Candidate) -> str:
    ratio = (wrong.value.amount or 0) / (right.value.amount or 1) if wrong.value and right.value \
        else 1.0
    return f"{ratio:.0f}x too large" if ratio >= 1 else f"{1 / ratio:.0f}x too small"
