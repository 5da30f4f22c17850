"""Start and stop a local `oxigraph serve` for tests, benchmarks and trying kg against a server.

kg itself needs only the SPARQL 1.1 Protocol and the Graph Store Protocol from a server; this
helper exists so the test suite and the benchmark can exercise that path against a real server
on the loopback interface, with its own data directory and a free port, and always clean up.
"""

from __future__ import annotations

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
