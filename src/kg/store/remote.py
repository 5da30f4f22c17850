"""A SPARQL 1.1 server reached over HTTP: the Protocol for queries and updates, the Graph Store
Protocol for bulk writes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import QueryError, StoreError
from kg.store.bindings import with_values
from kg.store.embedded import rows_of
from kg.store.netguard import refuse_network
from kg.store.protocol import DEFAULT_TIMEOUT, Row, Rows
from kg.store.queries import named_query


class RemoteStore:
    """A SPARQL 1.1 server, spoken to only through the standard protocols.

    Queries and updates use the SPARQL 1.1 Protocol; bulk loads use the Graph Store Protocol
    (POST `?default` for the default graph, `?graph=<iri>` for a named one, so the reconciler's
    scratch graph lands where its MOVE expects it). Nothing here is specific to one server.
    """

    def __init__(self, endpoint: str, update_endpoint: str | None = None,
                 store_endpoint: str | None = None, *, timeout: float | None = DEFAULT_TIMEOUT,
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
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query", hint="kg query runs SELECT queries")
        return Rows(rows_of(result), [v.value for v in result.variables])

    def stream(self, query: str, bindings: Mapping[str, object] | None = None
               ) -> Iterator[Row]:
        yield from self.select(query, bindings)

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

    def flush(self) -> None:
        """Every update and Graph Store request is durable when the server answers it."""

    def dump(self) -> bytes:
        triples = self.construct(named_query("all-triples").text)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def __len__(self) -> int:
        rows = self.select(named_query("triple-count").text)
        return int(rows[0]["n"].value) if rows else 0


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
