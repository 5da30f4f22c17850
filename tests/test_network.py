"""kg reaches no network by itself: proved with an audit hook over the whole pipeline, and with a
local listener for what runs in Rust (pyoxigraph's SERVICE and LOAD), out of Python's sight."""

from __future__ import annotations

import contextlib
import shutil
import socket
import sys
import threading

import pytest

from conftest import BAD, GROW
from conftest import MINI_GRAPH as MINI
from kg.cli.main import main
from kg.core.errors import KgError, QueryError

# the events Python raises before any socket, DNS lookup or URL is opened (PEP 578)
NETWORK_EVENTS = {"socket.connect", "socket.connect_ex", "socket.getaddrinfo", "socket.gethostbyname",
                  "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto",
                  "socket.sendmsg", "urllib.Request", "http.client.connect"}
_watch = {"on": False, "seen": []}


def _hook(event, args):
    if _watch["on"] and event in NETWORK_EVENTS:
        if event.startswith("socket.") and args and isinstance(args[0], socket.socket) \
                and args[0].family == getattr(socket, "AF_UNIX", None):
            return
        _watch["seen"].append((event, repr(args)[:120]))
        raise ConnectionRefusedError(f"test_network: {event} attempted")


sys.addaudithook(_hook)  # cannot be removed; it only acts while a test switches it on


@pytest.fixture()
def offline():
    _watch["seen"] = []
    _watch["on"] = True
    yield _watch["seen"]
    _watch["on"] = False


def test_the_hook_sees_python_network_access(offline):
    """The proof is only as good as the hook: it must catch urllib, sockets and DNS."""
    import urllib.request

    with pytest.raises(ConnectionRefusedError):
        urllib.request.urlopen("http://example.invalid/x.ttl", timeout=1)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert {e for e, _ in offline} >= {"urllib.Request", "socket.getaddrinfo"}


def test_the_whole_pipeline_opens_no_connection(offline, tmp_path, runner):
    """load (with a remote owl:imports), validate, reconcile, table, exports, extract, import, add."""
    from kg.graph import EvidenceGraph
    from kg.ingest.add import add
    from kg.ingest.epoch import import_epoch
    from kg.ingest.extract import extract_file, to_turtle_text
    from kg.ingest.resolve import Resolver
    from kg.report.exports import export_bytes

    eg = EvidenceGraph([MINI, BAD / "remote-imports.ttl"])
    assert eg.validate().conforms
    eg.reconcile()
    eg.capability_table()
    for fmt in ("html", "ttl", "jsonld", "csv", "json", "md", "xlsx", "claimreview"):
        assert export_bytes(eg, fmt)
    resolver = Resolver.from_store(eg.store)
    assert to_turtle_text(extract_file(GROW / "article.md", resolver))
    assert import_epoch(GROW / "epoch-sample.csv", resolver, snapshot="2025-11-03").claims
    graph = tmp_path / "graph"
    shutil.copytree(MINI, graph)
    claim = tmp_path / "c.ttl"
    claim.write_text((BAD / "duplicate-a.ttl").read_text())
    assert add(claim, graph).claims == 1
    out = tmp_path / "out"
    out.mkdir()  # kg refuses to create folders for its outputs, as the shell does
    for args in (["validate"], ["reconcile", "--output", str(out / "r.ttl")], ["table"],
                 ["export", "--format", "html", "-o", str(out / "r.html")],
                 ["export", "--format", "ttl", "-o", str(out / "r.ttl")],
                 ["extract", str(GROW / "article.html")],
                 ["import", "epoch", str(GROW / "epoch-sample.csv"), "--snapshot", "2025-11-03",
                  "--output", str(out / "e.ttl")],
                 ["query", "claims-about", "--bind", "subject=kge:example-model"]):
        result = runner.invoke(main, [*args, "--graph", str(MINI), "--graph",
                                      str(BAD / "remote-imports.ttl")])
        assert result.exit_code == 0, (args, result.output)
    assert offline == []


@pytest.mark.parametrize("name", ["remote-context.jsonld", "external-entity.rdf"])
def test_formats_that_could_fetch_are_refused_unread(offline, runner, name):
    result = runner.invoke(main, ["validate", "--graph", str(MINI), "--graph", str(BAD / name)])
    assert result.exit_code == 2 and "kg reads Turtle (.ttl) only" in result.output
    assert offline == []


def test_the_cli_itself_refuses_python_network_access(runner, monkeypatch):
    """kg.store.netguard: inside a command, a library that tried to fetch would fail with a clear error."""
    import kg.graph
    from kg.core.errors import NetworkRefused
    from kg.store.netguard import no_network, offline

    with no_network():
        assert offline()
        with pytest.raises(NetworkRefused, match="kg works offline"):
            socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert not offline()

    def fetching_validate(self, **_options):
        import urllib.request

        urllib.request.urlopen("http://example.invalid/shapes.ttl", timeout=1)

    monkeypatch.setattr(kg.graph.EvidenceGraph, "validate", fetching_validate)
    result = runner.invoke(main, ["validate", "--graph", str(MINI)])
    assert result.exit_code == 2 and "refused to reach the network" in result.output
    assert "http://example.invalid/shapes.ttl" in result.output


# ------------------------------------------------------------------ SERVICE and LOAD (native code)


class Listener:
    """A local TCP server counting connections: the canary for what Rust code would open."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener():
    server = Listener()
    yield server
    server.close()


def test_service_and_load_never_connect_unless_allowed(listener):
    from kg.store.deadline import run_with_deadline
    from kg.store.embedded import OxigraphStore

    url = f"http://127.0.0.1:{listener.port}/sparql"
    service = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    store = OxigraphStore()
    with pytest.raises(QueryError, match="SERVICE"):
        store.select(service)
    with pytest.raises(QueryError, match="LOAD"):
        store.update(f"LOAD <{url}>")
    assert listener.connections == 0
    # the control: allowed, pyoxigraph really connects, so the canary would have seen it
    allowed = OxigraphStore(allow_network=True)
    with contextlib.suppress(KgError, OSError, RuntimeError):
        run_with_deadline(allowed.select, service, timeout=10)
    assert listener.connections >= 1


def test_network_keywords_are_found_only_as_keywords():
    from kg.store.netguard import network_keyword

    assert network_keyword("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }") == "SERVICE"
    assert network_keyword("select * where { service silent <http://x> { ?s ?p ?o } }") == "SERVICE"
    assert network_keyword("LOAD <http://x/data.ttl> INTO GRAPH <http://g>") == "LOAD"
    assert network_keyword("PREFIX kg: <https://w3id.org/kg-compute/ontology#>\nload <http://x>") == "LOAD"
    for harmless in ("SELECT * WHERE { <https://w3id.org/kg-compute/claim/load-x> ?p ?o }",
                     "PREFIX kgc: <https://w3id.org/kg-compute/claim/>\nSELECT * { kgc:load-x ?p ?o }",
                     "SELECT ?load ?service WHERE { ?load ?p ?service }",
                     'SELECT * WHERE { ?s ?p "SERVICE and LOAD" }',
                     "# SERVICE <http://x> in a comment\nSELECT * { ?s ?p ?o }",
                     "SELECT * { ?s <http://x/#service> ?o }",
                     "SELECT * { ?s ?p 'LOAD' }"):
        assert network_keyword(harmless) is None, harmless


def test_store_accepts_iris_containing_load():
    from kg.store.embedded import OxigraphStore

    OxigraphStore().select("SELECT * WHERE { <https://w3id.org/kg-compute/claim/load-x> ?p ?o }")
