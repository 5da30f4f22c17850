"""kg: an evidence graph for the AI compute race.

Every figure is a claim with provenance; kg validates the graph with SHACL, reconciles
conflicting claims, and emits a reconciled capability-vs-compute table. Notebook use:

    >>> import kg
    >>> eg = kg.EvidenceGraph()         # the shipped graph, in memory; eg.rdf() is an rdflib Graph
    >>> df = eg.table()                 # pandas DataFrame, one row per model (kg.table() in one go)
    >>> "DeepSeek-V3" in set(df.model)
    True

Heavy modules load on first use so `kg --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["EvidenceGraph", "table", "reconcile", "validate", "query", "__version__"]

if TYPE_CHECKING:
    from kg.graph import EvidenceGraph


def __getattr__(name: str) -> Any:
    if name == "EvidenceGraph":
        from kg.graph import EvidenceGraph

        return EvidenceGraph
    raise AttributeError(name)


_TABLE_FILTERS = ("model", "lab", "country", "since", "until", "columns", "limit", "min_figures")


def table(**kwargs: Any):
    """The reconciled capability-vs-compute table as a pandas DataFrame.

    Filters as in `EvidenceGraph.table` (model, lab, country, since, until, columns, limit,
    min_figures); every other keyword opens the graph (graph, store, endpoint, ...):

        >>> import kg
        >>> df = kg.table(country="China", since="2025-01", columns="params,active,tokens")
        >>> sorted(set(df.country)) == ["China"] and {"total_params", "active_params"} <= set(df.columns)
        True
    """
    from kg.graph import EvidenceGraph

    filters = {k: kwargs.pop(k) for k in _TABLE_FILTERS if k in kwargs}
    return EvidenceGraph(**kwargs).table(**filters)


def reconcile(**kwargs: Any):
    from kg.graph import EvidenceGraph

    return EvidenceGraph(**kwargs).reconcile()


def validate(**kwargs: Any):
    from kg.graph import EvidenceGraph

    return EvidenceGraph(**kwargs).validate()


def query(name: str, bindings: dict | None = None, **kwargs: Any):
    from kg.graph import EvidenceGraph

    return EvidenceGraph(**kwargs).query(name, bindings)
