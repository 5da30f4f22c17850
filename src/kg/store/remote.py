"""A SPARQL 1.1 server reached over HTTP: the Protocol for queries and updates, the Graph Store
Protocol for bulk writes.
"""

from __future__ import annotations

import io
import itertools
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.core.errors import BRIEF, QueryError, StoreError, brief, visible
from kg.store.bindings import with_values
from kg.store.netguard import refuse_network
from kg.store.protocol import DEFAULT_TIMEOUT, Row, Rows
from kg.store.queries import named_query

# queries of one stream_all kept in flight: two keep a server busy while kg reads the previous
# answer, without one client taking every thread of a shared server
IN_FLIGHT = 2


class RemoteStore:
    """A SPARQL 1.1 server, spoken to only through the standard protocols.

    Queries and updates use the SPARQL 1.1 Protocol; bulk loads use the Graph Store Protocol
    (POST `?default` for the default graph, `?graph=<iri>` for a named one: a run's verdicts go
    straight into the run's own graph, one N-Triples body per batch, nothing copied after).
    Nothing here depends on one server; `bulk_parameters` adds a server's own bulk-load switch
    where one is known (Oxigraph's).
    """

    def __init__(self, endpoint: str, update_endpoint: str | None = None,
                 store_endpoint: str | None = None, *, timeout: float | None = DEFAULT_TIMEOUT,
                 allow_network: bool = False, memory: int | None = None) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or _guess_update_endpoint(endpoint)
        self.store_endpoint = store_endpoint or _guess_store_endpoint(endpoint)
        self.timeout = timeout
        self.memory = memory
        self.allow_network = allow_network
        self.description = f"SPARQL endpoint {endpoint}"
        self.software: str | None = None  # the server's Server header, once it has answered
        self.in_flight = IN_FLIGHT

    def _post(self, url: str, data, content_type: str, accept: str | None = None,
              params: dict | None = None) -> bytes:
        """One request, with --timeout bounding the whole exchange (sending, waiting, reading)
        and --max-memory the answer's size.

        A per-read limit let a server that trickles a byte every half second hold a query for
        ever (issue 18), so the request runs up to its headers in a thread given the deadline,
        and the answer is read as it arrives, the socket's timeout set before every read to what
        is left of the deadline.
        """
        import requests

        headers = {"Content-Type": content_type}
        if accept:
            headers["Accept"] = accept
        started = time.monotonic()
        timeout = self.timeout if self.timeout and self.timeout > 0 else None
        try:
            response = _within(timeout, lambda: requests.post(
                url, data=data, headers=headers, params=params, timeout=timeout, stream=True))
            if response is None:
                raise self._late(url, timeout or 0)
            body = self._read_whole(response, url, started, timeout)
            if self.software is None:
                self.software = response.headers.get("Server", "")
        except requests.Timeout as exc:
            raise self._late(url, timeout or 0) from exc
        except requests.RequestException as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {reason(exc)}",
                             hint="check --endpoint and that the server is running") from exc
        if response.status_code >= 400:
            detail = visible(brief(" ".join(body.decode("utf-8", "replace").split()), 2 * BRIEF))
            kind = QueryError if response.status_code == 400 else StoreError
            raise kind(f"the server at {url} refused the request ({response.status_code}"
                       f"{' ' + response.reason if response.reason else ''}): {detail}")
        return body

    def _read_whole(self, response, url: str, started: float, timeout: float | None) -> bytes:
        chunks: list[bytes] = []
        total = 0
        with response:
            while True:
                if timeout is not None:
                    left = timeout - (time.monotonic() - started)
                    if left <= 0:
                        raise self._late(url, timeout)
                    _socket_timeout(response, left)
                chunk = response.raw.read1(1 << 16, decode_content=True)
                if not chunk:
                    return b"".join(chunks)
                total += len(chunk)
                if self.memory and total > self.memory:
                    raise QueryError(f"the answer from {url} is larger than the memory ceiling "
                                     f"of {self.memory / (1 << 30):g} GB (--max-memory)",
                                     hint="narrow the query (LIMIT caps the answer) or raise "
                                          "--max-memory")
                chunks.append(chunk)

    def _late(self, url: str, timeout: float) -> QueryError:
        return QueryError(f"the server at {url} did not answer within {timeout:g} s (--timeout)",
                          hint="raise --timeout or narrow the query")

    def _query(self, query: str, bindings: Mapping[str, object] | None, accept: str) -> bytes:
        refuse_network(query, self.allow_network)
        text = with_values(query, bindings) if bindings else query
        # the Protocol's URL-encoded POST, which every server takes: Virtuoso 7.2 never answers
        # a query sent as an application/sparql-query body (the request hangs)
        return self._post(self.endpoint, {"query": text}, "application/x-www-form-urlencoded",
                          accept)

    def _solutions(self, query: str, bindings: Mapping[str, object] | None
                   ) -> tuple[list[str], Iterator[tuple]]:
        """The projected variables, and each solution as a tuple of terms in their order (None
        where unbound), parsed as the rows are taken: no dict per row for kg's large queries
        (a million claim facts at 100,000 claims), and no list of them for a stream."""
        return self._parse(self._query(query, bindings, "application/sparql-results+json"))

    def _parse(self, raw: bytes) -> tuple[list[str], Iterator[tuple]]:
        try:
            result = ox.parse_query_results(raw, format=ox.QueryResultsFormat.JSON)
        except MemoryError:  # a value longer than pyoxigraph's parser takes (16 MiB)
            variables, rows = solutions_from_json(raw)
            return variables, (tuple(r.get(v) for v in variables) for r in rows)
        except SyntaxError as exc:
            raise self._not_results(exc) from exc
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query, and the server answered with a boolean",
                             hint="an ASK query answers true or false: use ask()")
        variables = [v.value for v in result.variables]
        return variables, self._tuples(result, raw, variables)

    def _tuples(self, result: ox.QuerySolutions, raw: bytes, variables: list[str]
                ) -> Iterator[tuple]:
        done = 0
        try:
            for solution in result:
                yield tuple(solution)
                done += 1
        except MemoryError:  # a long value further on: the rest from Python's json, same order
            _variables, rows = solutions_from_json(raw)
            for r in rows[done:]:
                yield tuple(r.get(v) for v in variables)
        except SyntaxError as exc:
            raise self._not_results(exc) from exc

    def _not_results(self, exc: SyntaxError) -> StoreError:
        return StoreError(f"the server at {self.endpoint} answered with no SPARQL results "
                          f"JSON ({visible(brief(str(exc)))})",
                          hint="is --endpoint the server's query endpoint?")

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> Rows:
        variables, rows = self._solutions(query, bindings)
        return Rows(_dicts(variables, rows), variables)

    def stream(self, query: str, bindings: Mapping[str, object] | None = None
               ) -> Iterator[Row]:
        variables, rows = self._solutions(query, bindings)
        yield from _dicts(variables, rows)

    def stream_positional(self, query: str, names: Sequence[str]) -> Iterator[tuple]:
        """`stream`, each row a tuple of the `names` variables' terms (None where unbound), as
        the embedded store gives them (kg.store.protocol.stream_positional)."""
        yield from _positional(*self._solutions(query, None), names)

    def stream_all(self, queries: Iterable[str], names: Sequence[str] | None = None
                   ) -> Iterator[Any]:
        """The rows of several SELECTs, query after query, with the next `in_flight` queries
        already sent while this one's rows are read (kg.store.bindings.stream_bound's chunks).

        A server evaluates them on threads of its own while kg parses and folds the rows
        before: the table kept with each run reads a statement's evidence 500 statements a
        query, about 50 queries at 100,000 claims, each a second of the server's time. Rows as
        `stream` gives them, or with `names` as `stream_positional`'s tuples.
        """
        from collections import deque
        from concurrent.futures import Future, ThreadPoolExecutor

        texts = iter(queries)
        accept = "application/sparql-results+json"
        with ThreadPoolExecutor(max_workers=self.in_flight, thread_name_prefix="kg-query") as pool:
            sent: deque[Future[bytes]] = deque(
                pool.submit(self._query, text, None, accept)
                for text in itertools.islice(texts, self.in_flight))
            try:
                while sent:
                    raw = sent.popleft().result()
                    following = next(texts, None)
                    if following is not None:
                        sent.append(pool.submit(self._query, following, None, accept))
                    variables, rows = self._parse(raw)
                    yield from (_positional(variables, rows, names) if names is not None
                                else _dicts(variables, rows))
            finally:
                for future in sent:  # a reader that stops early waits for nothing more
                    future.cancel()

    def ask(self, query: str, bindings: Mapping[str, object] | None = None) -> bool:
        raw = self._query(query, bindings, "application/sparql-results+json")
        try:
            result = ox.parse_query_results(raw, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise StoreError(f"the server at {self.endpoint} answered with no SPARQL results "
                             f"JSON ({visible(brief(str(exc)))})") from exc
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, object] | None = None
                  ) -> list[ox.Triple]:
        raw = self._query(query, bindings, "text/turtle")  # the one graph format every server speaks
        try:
            return [q.triple for q in ox.parse(raw, format=ox.RdfFormat.TURTLE)]
        except MemoryError:  # a value longer than pyoxigraph's parser takes: rdflib has no limit
            return triples_from_rdflib(raw)
        except SyntaxError as exc:
            raise StoreError(f"the server at {self.endpoint} answered with no graph "
                             f"({visible(brief(str(exc)))})") from exc

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

    def load_ntriples(self, data: bytes, graph: str) -> None:
        """N-Triples text kg wrote itself (a run's verdicts) into the named graph `graph`: one
        Graph Store Protocol POST, the body sent as it is (no Python object per triple), the
        server's bulk load where it has one (`bulk_parameters`)."""
        self._post(self.store_endpoint, data, "application/n-triples",
                   params={**_graph_param(graph), **self.bulk_parameters()})

    def load_file(self, path: str | Path) -> None:
        """Stream one Turtle file to the default graph: the server parses it, kg never does."""
        path = Path(path)
        with path.open("rb") as fh:
            self._post(self.store_endpoint, fh, "text/turtle",
                       params={"default": "", **self.bulk_parameters()})

    def bulk_parameters(self) -> dict[str, str]:
        """The URL parameters that make a Graph Store Protocol POST a bulk load on this server.

        Used only for writes kg's own bookkeeping already guards, as the embedded on-disk
        store's bulk loader is: a file of `kg load` (the load record is completed only after
        the last file) and a run's verdicts (a run graph counts only once its type is written
        last; kg.reconcile.pending drops a dead run's). Oxigraph's `no_transaction` (its bulk
        loader) wrote a run's 944,000 verdict triples at 100,000 claims in 22 s instead of
        62 s as one transaction. Any other server gets the standard request. The server is
        known by its `Server` header, asked with an empty ASK if nothing was asked yet.
        """
        if self.software is None:
            self.ask("ASK {}")
        return bulk_switch(self.software or "")

    def flush(self) -> None:
        """Every update and Graph Store request is durable when the server answers it."""

    def dump(self) -> bytes:
        triples = self.construct(named_query("all-triples").text)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def __len__(self) -> int:
        rows = self.select(named_query("triple-count").text)
        return int(rows[0]["n"].value) if rows else 0


def reason(exc: BaseException) -> str:
    """Why a request failed, in words: not the HTTP library's "HTTPConnectionPool(host=...): Max
    retries exceeded ... <urllib3.connection.HTTPConnection object at 0x7f...>" (issue 18)."""
    import socket

    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (is the server running, on that port?)"
        if isinstance(cause, socket.gaierror):
            return "unknown host name"
        if isinstance(cause, ConnectionResetError):
            return "the server closed the connection"
        if isinstance(cause, TimeoutError):
            return "timed out"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
        nested = [a for a in getattr(cause, "args", ()) if isinstance(a, BaseException)]
        inner = getattr(cause, "reason", None)
        cause = (inner if isinstance(inner, BaseException) else None) \
            or (nested[0] if nested else None) or cause.__cause__ or cause.__context__
    text = str(exc)
    if "Connection refused" in text:
        return "connection refused (is the server running, on that port?)"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host name"
    return type(exc).__name__.replace("Error", " error").strip().lower()


def _within(timeout: float | None, send):
    """send() (a request up to its response headers) in a thread given `timeout` seconds: a server
    could trickle its headers too. None when it did not finish; the thread is left to end."""
    if timeout is None:
        return send()
    import threading

    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["response"] = send()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="kg-request", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return None
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["response"]


def _socket_timeout(response, seconds: float) -> None:
    """Bound the next read of a streamed answer by what is left of the deadline."""
    connection = getattr(response.raw, "connection", None) or getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


def solutions_from_json(raw: bytes) -> tuple[list[str], list[Row]]:
    """SPARQL results JSON read by Python's json module: no limit on a value's length."""
    import json

    data = json.loads(raw)
    variables = list(data.get("head", {}).get("vars", []))
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        rows.append({name: _term(cell) for name, cell in binding.items()})
    return variables, rows


def _term(cell: dict):
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in cell:
        return ox.Literal(value, language=cell["xml:lang"])
    if "datatype" in cell:
        return ox.Literal(value, datatype=ox.NamedNode(cell["datatype"]))
    return ox.Literal(value)


def triples_from_rdflib(raw: bytes) -> list[ox.Triple]:
    import rdflib

    graph = rdflib.Graph().parse(data=raw, format="turtle")

    def term(t):
        if isinstance(t, rdflib.URIRef):
            return ox.NamedNode(str(t))
        if isinstance(t, rdflib.BNode):
            return ox.BlankNode(str(t))
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)) if t.datatype else None)

    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in graph]


def bulk_switch(software: str) -> dict[str, str]:
    """A server's own bulk-load parameter, by its `Server` header (RemoteStore.bulk_parameters).

    >>> bulk_switch("Oxigraph/0.5.13"), bulk_switch("Virtuoso/07.20.3240 (Linux)")
    ({'no_transaction': ''}, {})
    """
    return {"no_transaction": ""} if software.lower().startswith("oxigraph/") else {}


def _dicts(variables: list[str], rows: Iterable[tuple]) -> Iterator[Row]:
    """Positional rows as the protocol's dicts (unbound variables left out)."""
    for row in rows:
        yield {n: t for n, t in zip(variables, row, strict=True) if t is not None}


def _positional(variables: list[str], rows: Iterator[tuple], names: Sequence[str]
                ) -> Iterator[tuple]:
    """Rows in the `names` variables' order (None for a variable the query does not project)."""
    if variables == list(names):
        yield from rows
        return
    where = [variables.index(n) if n in variables else None for n in names]
    for row in rows:
        yield tuple(None if i is None else row[i] for i in where)


def _graph_param(name: str | None) -> dict[str, str]:
    """The Graph Store Protocol's way of naming the graph a request is about."""
    return {"default": ""} if name is None else {"graph": name}


def _root_sparql(endpoint: str) -> bool:
    """Virtuoso's one endpoint is /sparql at the root; Fuseki's sit under a dataset (/ds/sparql)."""
    from urllib.parse import urlsplit

    return urlsplit(endpoint).path == "/sparql"


def _guess_update_endpoint(endpoint: str) -> str:
    """Oxigraph and Fuseki both answer updates at /update beside /query or /sparql; Virtuoso at
    its /sparql itself."""
    if _root_sparql(endpoint):
        return endpoint
    for tail in ("/query", "/sparql"):
        if endpoint.endswith(tail):
            return endpoint[: -len(tail)] + "/update"
    return endpoint


def _guess_store_endpoint(endpoint: str) -> str:
    """Oxigraph serves /query, /update and /store; Fuseki /ds/sparql, /ds/update and /ds/data;
    Virtuoso /sparql and /sparql-graph-crud."""
    if _root_sparql(endpoint):
        return endpoint + "-graph-crud"
    for tail, store in (("/query", "/store"), ("/sparql", "/data")):
        if endpoint.endswith(tail):
            return endpoint[: -len(tail)] + store
    return endpoint
