"""Whole-graph housekeeping on any store: empty the default graph, drop or move a named graph.

SPARQL 1.1 Update's graph management (CLEAR, DROP, MOVE) takes no variables, so the graph's IRI
cannot travel as a binding the way every query parameter does (kg.store.bindings). These are the
only updates kg writes as text, and each names one of kg's own graphs: the IRI is checked and
written by pyoxigraph (a NamedNode cannot hold `>`, spaces or braces), never pasted from a user.
"""

from __future__ import annotations

from kg.store.protocol import Store


def clear_default(store: Store) -> None:
    """Empty the default graph (the curated claims and the ontology); named graphs stay."""
    store.update("CLEAR SILENT DEFAULT")


def drop_graph(store: Store, iri: str) -> None:
    """Remove the named graph `iri` whole; nothing happens when there is none."""
    store.update(f"DROP SILENT GRAPH {_graph(iri)}")


def move_graph(store: Store, source: str, target: str) -> None:
    """Replace the named graph `target` by `source` in one update (`source` is gone after)."""
    store.update(f"MOVE SILENT GRAPH {_graph(source)} TO {_graph(target)}")


def _graph(iri: str) -> str:
    """`<iri>` as pyoxigraph writes it; a ValueError for anything that is not an IRI."""
    import pyoxigraph as ox

    return str(ox.NamedNode(iri))
