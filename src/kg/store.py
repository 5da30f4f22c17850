"""One query interface, several stores: the same SPARQL text runs embedded, on disk and on a server.

Every module above this one speaks SPARQL through `Store`; none of them knows whether the
triples live in memory (the default: nothing to start, nothing to configure), in an on-disk
Oxigraph directory reused across commands, or on a team's SPARQL 1.1 server. Results come back
as pyoxigraph terms on every store (servers' JSON results are parsed with pyoxigraph too), so
a test can compare stores answer for answer.

Bindings are passed as bindings: pyoxigraph substitutes them natively; for a server they are
serialised as RDF terms into a trailing VALUES clause, never pasted as text into the query.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.netguard import refuse_network

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

    def __len__(self) -> int: ...


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
        return ox.NamedNode(text)
    return ox.Literal(text)


class OxigraphStore:
    """The embedded store: pyoxigraph in memory, or on disk when given a directory.

    Chosen over rdflib's own engine by measurement (benchmarks/README.md): loading and grouping
    a million-triple graph is an order of magnitude faster, and the results are the same SPARQL.
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = DEFAULT_TIMEOUT,
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

    def _run(self, query: str, bindings: Mapping[str, object] | None):
        refuse_network(query, self.allow_network)
        subs = {ox.Variable(k): term(v) for k, v in (bindings or {}).items()}
        try:
            from kg.deadline import query_with_deadline

            if self.path:  # RocksDB's threads do not survive fork(): no deadline on disk stores
                engine = getattr(self._store, "inner", self._store)
                return engine.query(query, substitutions=subs or None)
            # a runaway query is stopped at the store's timeout (kg.deadline forks to do it)
            return query_with_deadline(self._store, query, subs or None, self.timeout)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}",
                             hint="the position is line:column within the query") from exc
        except OSError as exc:
            raise StoreError(f"the store failed while querying: {exc}") from exc

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> Rows:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        return Rows(_rows(result), [v.value for v in result.variables])

    def stream(self, query: str, bindings: Mapping[str, object] | None = None
               ) -> Iterator[Row]:
        """Rows one at a time, straight from the engine: for kg's own large, known-good queries
        (the reconciler's claims), which the per-query deadline would copy through a pipe."""
        refuse_network(query, self.allow_network)
        subs = {ox.Variable(k): term(v) for k, v in (bindings or {}).items()}
        engine = getattr(self._store, "inner", self._store)  # past kg.deadline's guard, if any
        try:
            result = engine.query(query, substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        yield from _rows(result)

    def select_json(self, query: str, bindings: Mapping[str, object] | None = None) -> bytes:
        """W3C SPARQL 1.1 results JSON, straight from the engine."""
        result = self._run(query, bindings)
        return result.serialize(format=ox.QueryResultsFormat.JSON)

    def ask(self, query: str, bindings: Mapping[str, object] | None = None) -> bool:
        return bool(self._run(query, bindings))

    def construct(self, query: str, bindings: Mapping[str, object] | None = None
                  ) -> list[ox.Triple]:
        return list(self._run(query, bindings))

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
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())

    def flush(self) -> None:
        if self.path:
            self._store.flush()

    def __len__(self) -> int:
        return len(self._store)


class RemoteStore:
    """A SPARQL 1.1 server, spoken to only through the standard protocols.

    Queries and updates use the SPARQL 1.1 Protocol; bulk loads use the Graph Store Protocol
    (POST `?default` for the default graph, `?graph=<iri>` for a named one, so the reconciler's
    scratch graph lands where its MOVE expects it). Nothing here is specific to one server.
    """

    def __init__(self, endpoint: str, update_endpoint: str | None = None,
                 store_endpoint: str | None = None, *, timeout: float = DEFAULT_TIMEOUT,
                 allow_network: bool = False) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or _guess_update_endpoint(endpoint)
        self.store_endpoint = store_endpoint or _guess_store_endpoint(endpoint)
        self.timeout = timeout
        self.allow_network = allow_network
        self.description = f"SPARQL endpoint {endpoint}"

    def _post(self, url: str, data, content_type: str, accept: str | None = None,
              params: dict | None = None) -> bytes:
        import requests

        headers = {"Content-Type": content_type}
        if accept:
            headers["Accept"] = accept
        try:
            response = requests.post(url, data=data, headers=headers, params=params,
                                     timeout=self.timeout)
        except requests.Timeout as exc:
            raise QueryError(f"the server at {url} did not answer within {self.timeout:g} s",
                             hint="raise --timeout or narrow the query") from exc
        except requests.RequestException as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}",
                             hint="check --endpoint and that the server is running") from exc
        if response.status_code >= 400:
            detail = response.text.strip().splitlines()[:3]
            kind = QueryError if response.status_code == 400 else StoreError
            raise kind(f"the server at {url} refused the request ({response.status_code}): "
                       + " ".join(detail))
        return response.content

    def _query(self, query: str, bindings: Mapping[str, object] | None, accept: str) -> bytes:
        refuse_network(query, self.allow_network)
        text = with_values(query, bindings) if bindings else query
        return self._post(self.endpoint, text.encode("utf-8"), "application/sparql-query", accept)

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> Rows:
        raw = self._query(query, bindings, "application/sparql-results+json")
        result = ox.parse_query_results(raw, format=ox.QueryResultsFormat.JSON)
        return Rows(_rows(result), [v.value for v in result.variables])

    def stream(self, query: str, bindings: Mapping[str, object] | None = None
               ) -> Iterator[Row]:
        yield from self.select(query, bindings)

    def select_json(self, query: str, bindings: Mapping[str, object] | None = None) -> bytes:
        return self._query(query, bindings, "application/sparql-results+json")

    def ask(self, query: str, bindings: Mapping[str, object] | None = None) -> bool:
        raw = self._query(query, bindings, "application/sparql-results+json")
        return bool(ox.parse_query_results(raw, format=ox.QueryResultsFormat.JSON))

    def construct(self, query: str, bindings: Mapping[str, object] | None = None
                  ) -> list[ox.Triple]:
        raw = self._query(query, bindings, "text/turtle")  # the one graph format every server speaks
        return [q.triple for q in ox.parse(raw, format=ox.RdfFormat.TURTLE)]

    def update(self, update: str) -> None:
        refuse_network(update, self.allow_network)
        self._post(self.update_endpoint, update.encode("utf-8"), "application/sparql-update")

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """One Graph Store Protocol POST per graph the quads name (POST adds; it never replaces)."""
        by_graph: dict[str | None, list[ox.Triple]] = {}
        for q in quads:
            name = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            by_graph.setdefault(name, []).append(q.triple)
        for name, triples in by_graph.items():
            buffer = io.BytesIO()
            ox.serialize(triples, buffer, format=ox.RdfFormat.N_TRIPLES)
            self._post(self.store_endpoint, buffer.getvalue(), "application/n-triples",
                       params=_graph_param(name))

    def load_file(self, path: str | Path) -> None:
        """Stream one Turtle file to the default graph: the server parses it, kg never does."""
        path = Path(path)
        with path.open("rb") as fh:
            self._post(self.store_endpoint, fh, "text/turtle", params={"default": ""})

    def dump(self) -> bytes:
        triples = self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"].value) if rows else 0


def with_rows(query: str, name: str, values: Sequence[object]) -> str:
    """Bind one variable to many values at once (a VALUES block opening WHERE), for batch queries."""
    return with_table(query, {name: values})


# values bound per query by `stream_bound`: Oxigraph joins a VALUES block of a few hundred rows
# by index lookups, but one of thousands took minutes on a million-claim store
VALUES_PER_QUERY = 500


def stream_bound(store: Store, query: str, name: str, values: Sequence[object],
                 per_query: int = VALUES_PER_QUERY) -> Iterator[Row]:
    """The rows of `query` with `name` bound to each of `values`, a few hundred per query."""
    for start in range(0, len(values), per_query):
        yield from store.stream(with_rows(query, name, values[start:start + per_query]))


def with_table(query: str, columns: Mapping[str, Sequence[object]]) -> str:
    """Bind variables to all combinations of their values in ONE VALUES block opening WHERE.

    Terms are serialised by pyoxigraph (escaping included). One block,
    not one per variable: Oxigraph plans a second multi-row VALUES block as a join against a
    scan of the pattern (0.7 s instead of 4 ms for 200 focus nodes at 100,000 claims). And
    VALUES, not pyoxigraph substitutions: Oxigraph plans with a VALUES constant (a target class
    of 50 labs is read as 50 nodes) but applies a substitution only after evaluating the
    pattern with the variable free. On a server VALUES is how bindings travel anyway.
    """
    from itertools import product

    names = list(columns)
    cells = " ".join("(" + " ".join(str(term(v)) for v in row) + ")"
                     for row in product(*(columns[n] for n in names)))
    return _open_where(query, f"VALUES ({' '.join('?' + n for n in names)}) {{ {cells} }}")


def with_values(query: str, bindings: Mapping[str, object]) -> str:
    """Bind variables on a server the standard way: a VALUES block opening the WHERE clause.

    Placed first inside WHERE, the block binds the variables before the group's FILTERs run, as
    pyoxigraph's substitutions do (a trailing VALUES would join only after the filters, so an
    optional parameter read through COALESCE(?model, ...) would filter nothing). Terms are
    serialised by pyoxigraph (escaping included), so a binding can never change the query's shape.
    """
    return with_table(query, {name: [value] for name, value in bindings.items()})


def _rows(result: ox.QuerySolutions) -> Iterator[Row]:
    names = [v.value for v in result.variables]
    for solution in result:  # by position: looking each name up cost a third of a reconcile
        yield {n: t for n, t in zip(names, solution, strict=True) if t is not None}


def _open_where(query: str, block: str) -> str:
    import re

    # blank out comments, strings and IRIs (same length) so only real keywords are found
    masked = re.sub(r'#[^\n]*|"(?:[^"\\]|\\.)*"|<[^>\s]*>',
                    lambda m: " " * len(m.group(0)), query)
    found = re.search(r"\bWHERE\s*\{", masked, re.I)
    if found:
        at = found.end()
        return f"{query[:at]}\n  {block}\n{query[at:]}"
    return f"{query.rstrip()}\n{block}\n"


def _graph_param(name: str | None) -> dict[str, str]:
    """The Graph Store Protocol's way of naming the graph a request is about."""
    return {"default": ""} if name is None else {"graph": name}


def _guess_update_endpoint(endpoint: str) -> str:
    """Oxigraph and Fuseki both answer updates at /update beside /query or /sparql."""
    for tail in ("/query", "/sparql"):
        if endpoint.endswith(tail):
            return endpoint[: -len(tail)] + "/update"
    return endpoint


def _guess_store_endpoint(endpoint: str) -> str:
    """Oxigraph serves /query, /update and /store; Fuseki /ds/sparql, /ds/update and /ds/data."""
    for tail, store in (("/query", "/store"), ("/sparql", "/data")):
        if endpoint.endswith(tail):
            return endpoint[: -len(tail)] + store
    return endpoint

