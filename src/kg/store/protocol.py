"""The store protocol every stage speaks: SPARQL in, pyoxigraph terms out, whatever holds the triples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol

import pyoxigraph as ox

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]


class Rows(list):
    """Solutions of a SELECT, remembering the projected variables in the query's order."""

    def __init__(self, rows: Iterable[Row], variables: Sequence[str]) -> None:
        super().__init__(rows)
        self.variables = list(variables)


DEFAULT_TIMEOUT = 60.0


class Store(Protocol):
    """What kg needs from a triple store: SPARQL 1.1 query and update, and a bulk load."""

    description: str

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> Rows: ...

    def stream(self, query: str, bindings: Mapping[str, object] | None = None
               ) -> Iterator[Row]: ...

    def ask(self, query: str, bindings: Mapping[str, object] | None = None) -> bool: ...

    def construct(self, query: str, bindings: Mapping[str, object] | None = None
                  ) -> list[ox.Triple]: ...

    def update(self, update: str) -> None: ...

    def load(self, quads: Iterable[ox.Quad]) -> None: ...

    def dump(self) -> bytes: ...

    def flush(self) -> None:
        """Make what was written durable now (a no-op where every write already is)."""
        ...

    def __len__(self) -> int: ...


def stream_positional(store: Store, query: str, names: Sequence[str]) -> Iterator[tuple]:
    """A SELECT's rows as tuples of the `names` variables' terms (None where unbound), for kg's
    own large queries: a million rows cost a dict each otherwise (2.4 s of CPU for the
    reconciler's claim facts at 100,000 claims). A store that can hand rows over by position
    says so with a `stream_positional` method; any other store's rows are taken apart here."""
    native = getattr(store, "stream_positional", None)
    if native is not None:
        return native(query, names)
    return (tuple(row.get(n) for n in names) for row in store.stream(query))


def term(value: object) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python value as an RDF term: IRIs stay IRIs, everything else becomes a typed literal."""
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if hasattr(value, "n3") and type(value).__name__ == "URIRef":  # rdflib URIRef
        return ox.NamedNode(str(value))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int | float):
        return ox.Literal(value)
    text = str(value)
    if text.startswith(("http://", "https://", "urn:")) and " " not in text:
        try:
            return ox.NamedNode(text)
        except ValueError as exc:  # '>' or '}' in it: no IRI, and no internal error either
            from kg.core.errors import QueryError

            raise QueryError(f"the binding {text!r} is not a valid IRI ({exc})",
                             hint="pass a pyoxigraph Literal to bind it as text") from None
    return ox.Literal(text)
