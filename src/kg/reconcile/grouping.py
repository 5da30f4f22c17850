"""Claims into statements, and a statement's claims into candidate values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.core.vocab import KG
from kg.reconcile import statement as claims_mod
from kg.reconcile.context import Context
from kg.reconcile.model import Candidate, Group
from kg.reconcile.statement import Claim, StatementKey

PROJECTED = KG + "Projected"

# ---------------------------------------------------------------- grouping


def group_claims(claims: Iterable[Claim], ctx: Context) -> list[Group]:
    """Statements from claims; a chip left out is a wildcard, a scope only where the property
    says what an unscoped figure means."""
    by_key: dict[StatementKey, list[Claim]] = defaultdict(list)
    for c in claims:
        # a projected inference cost is the launch price to come: it sits beside that price
        prop = ctx.projection_of.get(c.property) if c.hedge == PROJECTED else None
        by_key[claims_mod.statement_key(c, ctx.canonical(c.subject), prop)].append(c)
    merged: dict[StatementKey, list[Claim]] = {}
    resolved: dict[StatementKey, StatementKey] = {}
    siblings: dict[tuple, list[StatementKey]] = defaultdict(list)  # one block: any scope, chip
    for key in by_key:
        siblings[key.block].append(key)
    # most specific statements first, so a vaguer one sees where the others already went
    for key in sorted(by_key, key=lambda k: ((not k.scopes) + (k.chip is None), key_order(k))):
        target = _wildcard_target(key, siblings[key.block], resolved,
                                  unscoped_means=ctx.unscoped_means.get(key.property))
        resolved[key] = target
        merged.setdefault(target, []).extend(by_key[key])
    groups = []
    for key in sorted(merged, key=key_order):
        qualifiers = {k: v for k, v in (("benchmark", key.benchmark),
                                        ("compared_to", key.compared_to),
                                        ("scope", sorted(key.scopes) or None),
                                        ("chip", key.chip)) if v}
        groups.append(Group(key.subject, key.property, qualifiers, merged[key]))
    return groups


def _wildcard_target(key: StatementKey, keys: Iterable[StatementKey],
                     resolved: dict[StatementKey, StatementKey], *,
                     unscoped_means: str | None = None) -> StatementKey:
    """A statement that leaves out the chip joins the one statement that states it, when exactly
    one does; with several, it stays apart rather than guess. Statements that already joined
    another count as that one (a chip-only figure merged into chip + scope).

    A statement without a scope joins a scoped one only where the property says what an
    unscoped figure means (`kg:unscopedMeans`: GPU-hours stated without a stage are the whole
    run's), and only a statement of that scope: two figures of one row of one database (Epoch's
    training compute and its finetune compute) never land in one statement."""
    no_chip = key.chip is None
    no_scope = not key.scopes and unscoped_means is not None
    if not (no_chip or no_scope):
        return key
    fits = {resolved.get(k, k) for k in keys if k != key and k.block == key.block
            and (k.scopes == key.scopes or (no_scope and unscoped_means in k.scopes))
            and (k.chip == key.chip or no_chip)}
    fits.discard(key)
    return next(iter(fits)) if len(fits) == 1 else key


def key_order(key: tuple) -> tuple:
    """A total order over statement keys and blocks (None and sets made comparable)."""
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
    # a value as stated leads its cluster before one converted from constant dollars
    for c in sorted(claims, key=lambda c: (c.converted_from is not None, precision(c),
                                           -len(c.date or ""), c.iri)):
        if not c.has_value:
            continue
        for cand in out:
            if cand.agrees(c):
                cand.claims.append(c)
                break
        else:
            out.append(Candidate(c.value, c.display_value(), [c]))
    return out
