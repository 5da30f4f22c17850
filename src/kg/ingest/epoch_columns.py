"""What the Epoch importer reads, as the ontology states it (ontology/epoch-columns.ttl).

Epoch renames, adds and drops columns between snapshots, and each figure column's meaning (its
property, unit, scope, what a zero means) is domain knowledge a curator should be able to change
without touching Python: a renamed column is one more `skos:altLabel` in Turtle. So the tables,
their figure columns and the meaning of their rating words live in the ontology, read here by
three named queries, from a store (the graph being imported into, which may extend the
ontology) or from the shipped ontology file alone.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from kg.core.vocab import KG, KGP
from kg.store.protocol import Store
from kg.store.queries import named_query


@dataclass(frozen=True)
class Figure:
    """One figure column: the names it has gone by (its label first), and the claim it becomes."""

    names: tuple[str, ...]
    prop: str                       # kgp: local name
    what: str                       # claim IRI suffix
    unit: str
    scope: str | None = None        # kg: local name
    condition: str | None = None
    factor: float = 1.0             # to the unit (MW -> W)
    zero_means_unknown: bool = False

    @property
    def column(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class TableSpec:
    """One importable table: its command-line name, claim IRI key, title and row kind."""

    key: str
    short: str
    title: str
    kind: str          # models | hardware | clusters


@dataclass
class EpochColumns:
    """Tables, figure and record columns per row kind, and rating words per rating column."""

    tables: dict[str, TableSpec] = field(default_factory=dict)
    figures: dict[str, list[Figure]] = field(default_factory=dict)
    records: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # kind -> label -> names
    hedges: dict[str, dict[str, str]] = field(default_factory=dict)    # column -> word -> hedge
    statuses: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> word -> status

    @classmethod
    def from_store(cls, store: Store) -> EpochColumns:
        found = cls()
        for row in store.select(named_query("epoch-tables").text):
            spec = TableSpec(row["key"].value, row["claimKey"].value, row["title"].value,
                             row["rowKind"].value)
            found.tables[spec.key] = spec
        columns: dict[str, dict] = {}
        for row in store.select(named_query("epoch-columns").text):
            iri = row["column"].value
            entry = columns.setdefault(iri, {"row": row, "former": []})
            if "formerName" in row and row["formerName"].value not in entry["former"]:
                entry["former"].append(row["formerName"].value)
        by_kind: dict[str, list[tuple[int, Figure]]] = defaultdict(list)
        for entry in columns.values():
            row = entry["row"]
            names = (row["label"].value, *sorted(entry["former"]))
            figure = Figure(
                names, _local(row["property"].value, KGP), row["claimKey"].value,
                row["unit"].value,
                _local(row["scope"].value, KG) if "scope" in row else None,
                row["condition"].value if "condition" in row else None,
                float(row["factor"].value) if "factor" in row else 1.0,
                "zeroMeansUnknown" in row and row["zeroMeansUnknown"].value == "true")
            by_kind[row["rowKind"].value].append((int(row["rank"].value), figure))
        found.figures = {kind: [f for _, f in sorted(pairs, key=lambda p: p[0])]
                         for kind, pairs in by_kind.items()}
        named: dict[str, tuple[str, int, str, list[str]]] = {}
        for row in store.select(named_query("epoch-records").text):
            kind, rank, label = row["rowKind"].value, int(row["rank"].value), row["label"].value
            record = named.setdefault(row["column"].value, (kind, rank, label, []))
            if "formerName" in row and row["formerName"].value not in record[3]:
                record[3].append(row["formerName"].value)
        for kind, _rank, label, former in sorted(named.values(), key=lambda e: (e[0], e[1])):
            found.records.setdefault(kind, {})[label] = (label, *sorted(former))
        for row in store.select(named_query("epoch-ratings").text):
            column, word = row["column"].value, row["word"].value.casefold()
            if "hedge" in row:
                found.hedges.setdefault(column, {})[word] = _local(row["hedge"].value, KG)
            if "status" in row:
                found.statuses.setdefault(column, {})[word] = _local(row["status"].value, KG)
        return found

    @classmethod
    def from_ontology(cls) -> EpochColumns:
        """The shipped ontology's columns (for callers without a store at hand)."""
        return _shipped()

    def of(self, kind: str) -> list[Figure]:
        return self.figures.get(kind, [])

    def records_of(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Record columns of a row kind: the label code reads it by -> every name it may have."""
        return self.records.get(kind, {})

    def hedge(self, column: str, word: str, default: str = "Estimated") -> str:
        return self.hedges.get(column, {}).get(word.strip().casefold(), default)

    def status(self, column: str, word: str) -> str | None:
        return self.statuses.get(column, {}).get(word.strip().casefold())


def _local(iri: str, namespace: str) -> str:
    return iri[len(namespace):] if iri.startswith(namespace) else iri


@functools.lru_cache(maxsize=1)
def _shipped() -> EpochColumns:
    from kg.core.resources import ONTOLOGY
    from kg.load.turtle import parse_file
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore()
    store.load(list(parse_file(ONTOLOGY / "epoch-columns.ttl")))
    return EpochColumns.from_store(store)
