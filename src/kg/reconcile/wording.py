"""Figures and sources as an explanation names them.
"""

from __future__ import annotations

from kg.core.quantity import format_value
from kg.reconcile.context import Context
from kg.reconcile.model import Candidate


def format_candidate(c: Candidate, unit: str | None = None) -> str:
    if c.value is not None:
        return format_value(c.value, unit)
    return c.display


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
