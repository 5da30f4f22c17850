"""The embedded store: pyoxigraph in memory (the default) or in an on-disk directory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import QueryError, StoreError
from kg.store.netguard import refuse_network
from kg.store.protocol import DEFAULT_TIMEOUT, Row, Rows, term


class OxigraphStore:
    """The embedded store: pyoxigraph in memory, or on disk when given a directory.

    Chosen over rdflib's own engine by measurement (benchmarks/README.md): loading and grouping
    a million-triple graph is an order of magnitude faster, and the results are the same SPARQL.
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float | None = DEFAULT_TIMEOUT,
                 allow_network: bool = False) -> None:
        self.path = Path(path) if path else None
        try:
            self._store = ox.Store(str(path)) if path else ox.Store()
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}",
                             hint="is another kg process using it? Oxigraph allows one writer") from exc
        self.timeout = timeout
        self.allow_network = allow_network
        self.description = f"oxigraph store at {path}" if path else "embedded in-memory store"

    def _run(self, query: str, bindings: Mapping[str, object] | None
             ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]:
        refuse_network(query, self.allow_network)
        subs = _substitutions(bindings)
        try:
            from kg.store.deadline import query_with_deadline

            if self.path:  # RocksDB's threads do not survive fork(): no deadline on disk stores
                return self._store.query(query, substitutions=subs or None)
            # a runaway query is stopped at the store's timeout (kg.store.deadline forks to do it)
            return query_with_deadline(self._store, query, subs or None, self.timeout)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}",
                             hint="the position is line:column within the query") from exc
        except OSError as exc:
            raise StoreError(f"the store failed while querying: {exc}") from exc
        except RuntimeError as exc:
            # pyoxigraph substitutes only variables the SELECT projects; a parameter the query
            # does not return (a user's query, a card filtered by ?model) is bound as VALUES
            if subs and "projection" in str(exc):
                from kg.store.bindings import with_values

                return self._run(with_values(query, dict(bindings or {})), None)
            raise

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> Rows:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        return Rows(rows_of(result), [v.value for v in result.variables])

    def stream(self, query: str, bindings: Mapping[str, object] | None = None
               ) -> Iterator[Row]:
        """Rows one at a time, straight from the engine: for kg's own large, known-good queries
        (the reconciler's claims), which the per-query deadline would copy through a pipe."""
        refuse_network(query, self.allow_network)
        subs = _substitutions(bindings)
        try:
            result = self._store.query(query, substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        yield from rows_of(result)

    def ask(self, query: str, bindings: Mapping[str, object] | None = None) -> bool:
        return bool(self._run(query, bindings))

    def construct(self, query: str, bindings: Mapping[str, object] | None = None
                  ) -> list[ox.Triple]:
        result = self._run(query, bindings)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        return list(result)

    def update(self, update: str) -> None:
        refuse_network(update, self.allow_network)
        try:
            self._store.update(update)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"the store failed while updating: {exc}") from exc

    def load(self, quads: Iterable[ox.Quad]) -> None:
        self._store.bulk_extend(quads) if self.path else self._store.extend(quads)

    def load_file(self, path: str | Path) -> None:
        """Load one Turtle file natively, without turning its triples into Python objects.

        On disk this is Oxigraph's bulk loader (a million claims in a minute, memory flat);
        in memory a plain transactional load. Check the syntax first (kg load does): a bulk load
        is not transactional.
        """
        path = Path(path)
        try:
            if self.path:
                self._store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                                      base_iri=path.resolve().as_uri(), to_graph=ox.DefaultGraph())
            else:
                self._store.load(path=str(path), format=ox.RdfFormat.TURTLE,
                                 base_iri=path.resolve().as_uri(), to_graph=ox.DefaultGraph())
        except SyntaxError as exc:
            raise StoreError(f"{path}: bad Turtle: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot load {path} into the store: {exc}") from exc

    def dump(self) -> bytes:
        out = io.BytesIO()  # into a buffer: the answer is bytes, never the stub's "maybe None"
        self._store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        return out.getvalue()

    def flush(self) -> None:
        if self.path:
            self._store.flush()

    def __len__(self) -> int:
        return len(self._store)


def _substitutions(bindings: Mapping[str, object] | None
                   ) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
    """A caller's bindings as pyoxigraph substitutions (terms, never pasted text)."""
    return {ox.Variable(k): term(v) for k, v in (bindings or {}).items()}


def rows_of(result: ox.QuerySolutions) -> Iterator[Row]:
    names = [v.value for v in result.variables]
    for solution in result:  # by position: looking each name up cost a third of a reconcile
        yield {n: t for n, t in zip(names, solution, strict=True) if t is not None}
