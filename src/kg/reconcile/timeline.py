"""Figures that were replaced: a database's later snapshot revising its earlier one, and a text
that orders two figures in time ("a shift from presumption of denial to case-by-case review").

Both are one curator's (or one author's) own account of a change, so the earlier figure is
superseded rather than outvoted: it no longer counts as support for its value, and the
difference is a revision over time (kind temporal, explained), never corroboration from two
sources nor a contradiction between them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.reconcile.statement import Claim


def superseded(claims: Iterable[Claim]) -> dict[str, list[str]]:
    """Claim IRI -> the IRIs of the claims that replaced it, within one statement.

    A database's claims from an older snapshot are replaced by its newest snapshot's claims of
    the same statement; a claim a text says was replaced (`kg:supersedes`) by the one that
    replaced it.
    """
    claims = list(claims)
    out: dict[str, list[str]] = {}
    present = {c.iri for c in claims}
    for c in claims:
        for old in sorted(c.supersedes & present):
            out.setdefault(old, []).append(c.iri)
    by_database: dict[str, list[tuple[str, Claim]]] = defaultdict(list)  # (snapshot date, claim)
    for c in claims:
        if c.database and c.document_date:
            by_database[c.database].append((c.document_date, c))
    for snapshots in by_database.values():
        newest = max(day for day, _ in snapshots)
        latest = sorted(c.iri for day, c in snapshots if day == newest)
        for day, c in snapshots:
            if day < newest:
                out.setdefault(c.iri, []).extend(latest)
    return {k: sorted(set(v)) for k, v in sorted(out.items())}
