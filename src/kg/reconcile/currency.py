"""Constant dollars into nominal dollars, so a cost in Epoch's 2023 USD is compared with the same
cost stated in the dollars of the year it was spent.

The price index is data (`ontology/deflators.ttl`, read through `queries/deflators.rq`):
``nominal(year) = constant(base year) x index(year) / index(base year)``. The spend year is the
year the figure holds for: its `kg:asOf`, else the subject's release year as its claims state
it (a training run is paid for before the release), else the year of the document. A year past
the table's last is converted at the last year's index, and the note says so. Converted claims
keep the value they stated (`converted_from`) and the factor, so the explanation shows both and
a table column never mixes constant and nominal dollars. A converted value's band is widened by
the index's `kg:conversionTolerance`: which index and which month a source converted at moves
a figure by a percent or two, which is no disagreement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kg.core import quantity
from kg.core.vocab import KGP, UNIT
from kg.reconcile.statement import Claim
from kg.store.protocol import Store
from kg.store.queries import named_query

NOMINAL_USD = UNIT + "CCY_USD"


@dataclass
class Deflators:
    units: dict[str, tuple[int, str]] = field(default_factory=dict)  # unit -> (base year, index)
    index: dict[str, dict[int, float]] = field(default_factory=dict)  # index -> year -> value
    tolerance: dict[str, float] = field(default_factory=dict)  # index -> share a conversion may be off

    def factor(self, unit: str, year: int) -> tuple[float, int] | None:
        """What a value in `unit` is multiplied by to give dollars of `year` (or of the table's
        last year, returned beside it, when `year` is past it)."""
        if unit not in self.units:
            return None
        base, index = self.units[unit]
        table = self.index.get(index, {})
        if base not in table or not table:
            return None
        used = min(max(year, min(table)), max(table))
        return table[used] / table[base], used


def load_deflators(store: Store) -> Deflators:
    out = Deflators()
    for row in store.select(named_query("deflators").text):
        index = row["index"].value
        out.units[row["unit"].value] = (int(row["baseYear"].value[:4]), index)
        out.index.setdefault(index, {})[int(row["year"].value[:4])] = float(row["value"].value)
        if "tolerance" in row:
            out.tolerance[index] = float(row["tolerance"].value)
    return out


def to_nominal(claims: Iterable[Claim], deflators: Deflators,
               canonical=lambda s: s) -> None:
    """Convert every constant-dollar claim in place to nominal dollars of its spend year."""
    claims = list(claims)
    if not deflators.units or not any(c.value is not None and c.value.unit in deflators.units
                                      for c in claims):
        return
    years = release_years(claims, canonical)
    for c in claims:
        if c.value is None or c.value.unit not in deflators.units:
            continue
        year = _year(c.as_of) or years.get(canonical(c.subject)) or _year(c.document_date)
        if year is not None:
            _convert(c, c.value, year, deflators)


def respend(claims: Iterable[Claim], deflators: Deflators, releases: dict[str, str],
            canonical=lambda s: s) -> bool:
    """Convert again, at the subject's reconciled release year, the constant-dollar claims that
    state no `kg:asOf`: before reconciling, their year was read from a vote of the subject's
    release-date claims, which a wrong or projected date can sway; the reconciled release date
    is the one every other timing judgement uses. True when a value changed (its statement's
    candidates need building again)."""
    changed = False
    for c in claims:
        if c.converted_from is None or c.as_of:
            continue
        year = _year(releases.get(canonical(c.subject)))
        if year is None:
            continue
        before = c.value
        _convert(c, c.converted_from, year, deflators)
        changed |= c.value != before
    return changed


def _convert(c: Claim, stated: quantity.Quantity, year: int, deflators: Deflators) -> None:
    """Put the claim's stated constant-dollar value into nominal dollars of `year`."""
    found = deflators.factor(stated.unit, year)
    if found is None:
        return
    factor, used = found
    slack = deflators.tolerance.get(deflators.units[stated.unit][1], 0.0)
    c.converted_from = stated
    c.factor = round(factor, 6)
    c.value = replace(stated, amount=_times(stated.amount, factor),
                      low=_times(stated.low, factor * (1 - slack)),
                      high=_times(stated.high, factor * (1 + slack)), unit=NOMINAL_USD)
    c.spend_year = used


def release_years(claims: Iterable[Claim], canonical=lambda s: s) -> dict[str, int]:
    """Each subject's release year as its own release-date claims state it most often (the
    earliest on a tie): enough to date a training run's spending without reconciling first."""
    votes: dict[str, Counter] = {}
    for c in claims:
        if c.property == KGP + "releaseDate" and c.date:
            year = _year(c.date)
            if year:
                votes.setdefault(canonical(c.subject), Counter())[year] += 1
    return {s: min(v, key=lambda y: (-v[y], y)) for s, v in votes.items()}


def _times(v: float | None, factor: float) -> float | None:
    return None if v is None else v * factor


def _year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None

