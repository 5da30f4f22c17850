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


def table(**kwargs: Any):
    """The reconciled capability-vs-compute table as a pandas DataFrame (see EvidenceGraph)."""
    from kg.graph import EvidenceGraph

    return EvidenceGraph(**kwargs).table()


def reconcile(**kwargs: Any):
    from kg.graph import EvidenceGraph

    return EvidenceGraph(**kwargs).reconcile()


def validate(**kwargs: Any):
    from kg.graph import EvidenceGraph

    return EvidenceGraph(**kwargs).validate()


def query(name: str, bindings: dict | None = None, **kwargs: Any):
    from kg.graph import EvidenceGraph

    return EvidenceGraph(**kwargs).query(name, bindings)
