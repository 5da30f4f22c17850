"""Which subjects must be reconciled together, and how a large graph is cut into batches of them.

A statement is settled with help from other subjects' statements: a relative's preferred value
explains an identity slip (variants, flagship, successor, post-trained or distilled from), the
baseline's figures feed an arithmetic rule (comparedTo), a lab's spend joins its models' scope
comparison (developer), and owl:sameAs aliases are one subject. Subjects connected by those
links form a *family*; a batch is whole families packed up to a claim budget. Each batch can
then be read on its own (its subjects bound a few hundred per query) and reconciled on its own,
so the reconciler never needs every claim of the graph in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.store.protocol import Store
from kg.store.queries import named_query

if TYPE_CHECKING:
    from kg.reconcile.context import Context


def plan(store: Store, ctx: Context, budget: int) -> tuple[list[list[str]], int]:
    """Batches of subjects (whole families, about `budget` claims each) and the claim count.

    A family larger than the budget is a batch of its own: it is never split.
    """
    import networkx as nx

    counts: dict[str, int] = {}
    scoped: set[str] = set()  # subjects with figures that need a scope (a lab's spend)
    # streamed: a row per subject and property (3 M at ten million claims) never held as a list
    for row in store.stream(named_query("claims-per-subject").text):
        subject = row["subject"].value
        counts[subject] = counts.get(subject, 0) + int(row["claims"].value)
        if row["property"].value in ctx.needs_scope:
            scoped.add(subject)
    links = nx.Graph()
    links.add_nodes_from(counts)
    links.add_edges_from(_edges(store, ctx, scoped))
    families = sorted((sorted(s for s in family if s in counts)
                       for family in nx.connected_components(links)), key=lambda f: f[:1])
    batches: list[list[str]] = []
    current: list[str] = []
    size = 0
    for family in filter(None, families):
        claims = sum(counts[s] for s in family)
        if current and size + claims > budget:
            batches.append(current)
            current, size = [], 0
        current.extend(family)
        size += claims
    if current:
        batches.append(current)
    return batches, sum(counts.values())


def _edges(store: Store, ctx: Context, scoped: set[str]) -> Iterator[tuple[str, str]]:
    for node, links in ctx.links.items():
        for _relation, other in links:
            yield node, other
    yield from ctx.same_as.items()
    # a developer's own scoped figures join each of its models' scope comparison
    yield from ((model, lab) for model, lab in ctx.developer.items() if lab in scoped)
    for row in store.stream(named_query("compared-subjects").text):
        yield row["subject"].value, row["baseline"].value
