"""Start and stop a local SPARQL server (`oxigraph serve`, or OpenLink Virtuoso) for tests,
benchmarks and trying kg against a server.

kg itself needs only the SPARQL 1.1 Protocol and the Graph Store Protocol from a server; these
helpers exist so the test suite and the benchmarks can exercise that path against real servers
on the loopback interface, each with its own data directory and a free port, and always clean up.
Two servers, because "any conforming SPARQL 1.1 server" is only a claim while one is tested.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.core.errors import StoreError


def oxigraph_binary() -> str | None:
    """The `oxigraph` command from the PyPI package: beside this Python first, then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """A running `oxigraph serve`; use as a context manager so it is stopped and its data removed.

    Example:
        >>> from kg import EvidenceGraph
        >>> from kg.store.remote import RemoteStore
        >>> with OxigraphServer() as server:   # a fresh, empty server: `kg load --endpoint` fills it
        ...     len(RemoteStore(server.query_url))
        0
    """

    def __init__(self, location: str | Path | None = None, *, startup_timeout: float = 20.0) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise StoreError("the oxigraph command is not installed",
                             hint="pip install oxigraph (the server, not pyoxigraph)")
        self._own_dir = location is None
        self.location = Path(location) if location else Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server)
        self.process = subprocess.Popen(
            [binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=self._log, stderr=subprocess.STDOUT)
        try:
            self._wait(startup_timeout)
        except BaseException:
            self.stop()
            raise

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                raise StoreError("oxigraph serve exited at start: "
                                 + self._log.read().decode("utf-8", "replace")[-500:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise StoreError(f"oxigraph serve did not listen on port {self.port} within {timeout:g} s")

    def stop(self) -> None:
        """Stop the server (gently, then by force) and remove the data directory it was given."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        if self._own_dir:
            shutil.rmtree(self.location, ignore_errors=True)

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def virtuoso_binary() -> str | None:
    """Virtuoso's server (`virtuoso-t`, Debian's virtuoso-opensource package) on PATH."""
    return shutil.which("virtuoso-t")


def virtuoso_isql() -> str | None:
    """Virtuoso's SQL client: Debian names it isql-vt (unixODBC's `isql` is another program)."""
    return shutil.which("isql-vt")


# Virtuoso's own default graph is the union of every graph it holds, so the run graphs kg writes
# beside the evidence would show through every query of the default graph. The test server
# names one graph as the /sparql endpoint's default (for queries, updates and the Graph Store
# Protocol's ?default alike), which gives kg the SPARQL 1.1 dataset it expects.
VIRTUOSO_DEFAULT_GRAPH = "urn:kg:default-graph"

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 2G
ThreadsPerQuery = 2
TransactionAfterImageLimit = 2000000000
MaxSortedTopRows = 1000000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 8
ServerThreads = 8
MaxKeepAlives = 8
KeepAliveTimeout = 10
EnabledGzipContent = 0
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""

# what the server's start-up runs as dba: SPARQL 1.1 Update and the Graph Store Protocol on
# /sparql and /sparql-graph-crud (Virtuoso ships them read-only), the endpoint's default graph,
# and a new random dba password (the database's built-in one is public knowledge)
_VIRTUOSO_SETUP = """\
GRANT SPARQL_UPDATE TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";
GRANT EXECUTE ON DB.DBA.L_O_LOOK TO "SPARQL";
DELETE FROM DB.DBA.SYS_SPARQL_HOST WHERE SH_HOST = '*';
INSERT INTO DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI) VALUES ('*', '{graph}');
USER_SET_PASSWORD ('dba', '{password}');
"""


class VirtuosoServer:
    """A running OpenLink Virtuoso (`virtuoso-t`) with a database of its own; use as a context
    manager so it is stopped and its database removed.

    Same interface as OxigraphServer. Queries and updates go to /sparql, the Graph Store Protocol
    to /sparql-graph-crud (what RemoteStore guesses for a root /sparql endpoint). A fresh database
    takes about ten seconds to create, so tests start one per session. `buffers` is Virtuoso's
    page cache in 8 KB pages (30,000: 240 MB, plenty for the test graphs; the benchmark gives more).

    Example (skipped as a doctest: it needs virtuoso-opensource, which the server tests use):
        >>> from kg.store.remote import RemoteStore
        >>> with VirtuosoServer() as server:  # doctest: +SKIP
        ...     len(RemoteStore(server.query_url, server.update_url))
        0
    """

    def __init__(self, location: str | Path | None = None, *, startup_timeout: float = 90.0,
                 buffers: int = 30_000) -> None:
        binary, isql = virtuoso_binary(), virtuoso_isql()
        if binary is None or isql is None:
            raise StoreError("Virtuoso is not installed (no virtuoso-t or isql-vt on PATH)",
                             hint="apt-get install virtuoso-opensource")
        self._isql = isql
        self._own_dir = location is None
        self.location = Path(location) if location else Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
        self.location.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.sql_port = free_port()
        while self.sql_port == self.port:
            self.sql_port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.password = "dba"
        ini = self.location / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(dir=self.location, sql_port=self.sql_port,
                                            http_port=self.port, buffers=buffers,
                                            dirty=buffers * 3 // 4), encoding="utf-8")
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server)
        self.process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)], cwd=self.location,
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            self._wait(startup_timeout)
            password = secrets.token_hex(12)
            self.sql(_VIRTUOSO_SETUP.format(graph=VIRTUOSO_DEFAULT_GRAPH, password=password))
            self.password = password
        except BaseException:
            self.stop()
            raise

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def update_url(self) -> str:
        return self.base + "/sparql"

    @property
    def store_url(self) -> str:
        return self.base + "/sparql-graph-crud"

    def sql(self, script: str, timeout: float = 120.0) -> str:
        """Run SQL statements as dba through isql; a statement that fails raises StoreError."""
        done = subprocess.run(
            [self._isql, f"127.0.0.1:{self.sql_port}", "dba", self.password, "VERBOSE=OFF",
             "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT"],
            input=script, capture_output=True, text=True, timeout=timeout)
        out = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in out:
            raise StoreError("Virtuoso refused the set-up statements: " + out.strip()[-500:])
        return out

    def _wait(self, timeout: float) -> None:
        """The HTTP listener comes up last, after the database is created and checkpointed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                raise StoreError("virtuoso-t exited at start: "
                                 + self._log.read().decode("utf-8", "replace")[-500:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise StoreError(f"Virtuoso did not listen on port {self.port} within {timeout:g} s")

    def stop(self) -> None:
        """Stop the server and remove its database. Nothing is kept, so no checkpoint is waited
        for: a SIGTERM first, a SIGKILL after a few seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        if self._own_dir:
            shutil.rmtree(self.location, ignore_errors=True)

    def __enter__(self) -> VirtuosoServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class TricklingServer:
    """A loopback HTTP server that answers every request one byte every `interval` seconds, for
    testing that `--timeout` bounds a whole exchange (issue 18: a per-read limit never fired).

    `where` is "body" (headers at once, then the body trickles) or "headers" (the status line and
    headers trickle too). The answer is a SPARQL results JSON that never ends. Use as a context
    manager; it listens on 127.0.0.1 only.
    """

    def __init__(self, where: str = "body", interval: float = 0.5) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        slow = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                        b"Connection: close\r\n\r\n")
                body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b" " * 10_000_000
                try:
                    if where == "headers":
                        self._trickle(head + body)
                    else:
                        self.wfile.write(head)
                        self.wfile.flush()
                        self._trickle(body)
                except OSError:
                    return  # the client gave up: the point of the test

            def _trickle(self, data: bytes) -> None:
                for i in range(len(data)):
                    if slow._stopped.is_set():
                        return
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                    time.sleep(interval)

            def log_message(self, *args) -> None:
                pass

        self._stopped = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.query_url = f"http://127.0.0.1:{self.port}/query"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> TricklingServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
