"""Claims into statements, and a statement's claims into candidate values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.reconcile import statement as claims_mod
from kg.reconcile.context import Context
from kg.reconcile.model import Candidate, Group
from kg.reconcile.statement import Claim

# ---------------------------------------------------------------- grouping


def group_claims(claims: Iterable[Claim], ctx: Context) -> list[Group]:
    """Statements from claims; a chip, or a scope where scope is optional, left out is a wildcard."""
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for c in claims:
        by_key[claims_mod.statement_key(c, ctx.canonical(c.subject))].append(c)
    merged: dict[tuple, list[Claim]] = {}
    resolved: dict[tuple, tuple] = {}
    siblings: dict[tuple, list[tuple]] = defaultdict(list)  # same subject, property, benchmark, baseline
    for key in by_key:
        siblings[key[:4]].append(key)
    # most specific statements first, so a vaguer one sees where the others already went
    for key in sorted(by_key, key=lambda k: ((k[4] == frozenset()) + (k[5] is None), key_order(k))):
        target = _wildcard_target(key, siblings[key[:4]], resolved,
                                  scope_optional=key[1] not in ctx.needs_scope,
                                  unscoped_means=ctx.unscoped_means.get(key[1]))
        resolved[key] = target
        merged.setdefault(target, []).extend(by_key[key])
    groups = []
    for key in sorted(merged, key=key_order):
        subject, prop, bench, base, scopes, chip = key
        qualifiers = {k: v for k, v in (("benchmark", bench), ("compared_to", base),
                                        ("scope", sorted(scopes) or None), ("chip", chip)) if v}
        groups.append(Group(subject, prop, qualifiers, merged[key]))
    return groups


def _wildcard_target(key: tuple, keys: Iterable[tuple], resolved: dict[tuple, tuple], *,
                     scope_optional: bool, unscoped_means: str | None = None) -> tuple:
    """A statement that leaves out the chip (or an optional scope) joins the one statement that
    states it, when exactly one does; with several, it stays apart rather than guess. Statements
    that already joined another count as that one (a chip-only figure merged into chip + scope).

    Where the property says what an unscoped figure means (`kg:unscopedMeans`: GPU-hours stated
    without a stage are the whole run's), an unscoped figure joins the one statement of that
    scope even when statements of other scopes (pre-training alone) exist beside it."""
    no_chip, no_scope = key[5] is None, not key[4] and scope_optional
    if not (no_chip or no_scope):
        return key
    fits = {resolved.get(k, k) for k in keys if k != key and k[:4] == key[:4]
            and (k[4] == key[4] or (no_scope and not key[4]))
            and (k[5] == key[5] or no_chip)}
    fits.discard(key)
    if len(fits) > 1 and no_scope and unscoped_means:
        fits = {k for k in fits if unscoped_means in k[4]}
    return next(iter(fits)) if len(fits) == 1 else key


def key_order(key: tuple) -> tuple:
    return tuple(sorted(x) if isinstance(x, frozenset) else (x or "") for x in key)


NON_NUMERIC = {"TextValue", "EntityValue", "DateValue", "BooleanValue"}


def is_description(c: Claim) -> bool:
    """Words standing in for a figure ('significantly lower', 'on par'): recorded, not compared."""
    return c.value is None and c.text is not None and c.dimension not in NON_NUMERIC


def candidates_for(claims: list[Claim]) -> list[Candidate]:
    """Cluster agreeing values, most precise first, so rounding never splits a value.

    Descriptions in words of a numeric property are left out: two phrasings are not two values.
    """
    claims = [c for c in claims if not is_description(c)]
    def precision(c: Claim) -> float:
        if c.value is None:
            return 0.0
        low, high = c.value.band()
        return high - low if high != float("inf") and low != float("-inf") else float("inf")

    out: list[Candidate] = []
    for c in sorted(claims, key=lambda c: (precision(c), -len(c.date or ""), c.iri)):
        if not c.has_value:
            continue
        for cand in out:
            if cand.agrees(c):
                cand.claims.append(c)
                break
        else:
            out.append(Candidate(c.value, c.display_value(), [c]))
    return out
