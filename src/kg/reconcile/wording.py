"""Figures and sources as an explanation names them.
"""

from __future__ import annotations

from kg.core.display import format_value
from kg.core.vocab import UNIT
from kg.reconcile.context import Context
from kg.reconcile.model import Candidate


def format_candidate(c: Candidate, unit: str | None = None) -> str:
    if c.value is not None:
        text = format_value(c.value, unit)
        first = c.claims[0] if c.claims else None
        if first is not None and first.converted_from is not None:  # constant dollars, deflated
            stated = format_value(first.converted_from, USD)
            text += (f" (stated as {stated} at {_base_year(first.converted_from.unit)} prices; "
                     f"x{first.factor:.3f} to {first.spend_year} dollars)")
        return text
    return c.display


USD = UNIT + "CCY_USD"


def _base_year(unit: str) -> str:
    """kgu:USD-2023 -> '2023' (the unit's own name says which year's prices)."""
    tail = unit.rsplit("-", 1)[-1]
    return tail if tail.isdigit() else "constant"


def sources_text(c: Candidate, ctx: Context) -> str:
    names = []
    for claim in c.claims:
        doc = ctx.label(claim.document)
        origin = ctx.label(claim.origin) if claim.origin else None
        names.append(f"{doc} citing {origin}" if origin else doc)
    if c.borrowed_from:
        names.insert(0, f"from {ctx.label(c.borrowed_from)}")
    unique = list(dict.fromkeys(names))
    return "; ".join(unique[:3]) + (f"; +{len(unique) - 3} more" if len(unique) > 3 else "")
