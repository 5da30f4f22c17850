"""Stop a runaway SPARQL query on the embedded store at a deadline.

pyoxigraph has no query timeout, and a query running in Rust cannot be interrupted from Python:
a cartesian product over a small graph would hold the terminal for hours. So the query runs in
a forked child that inherits the in-memory store (copy-on-write, nothing reloaded), serialises
its answer and streams it back through a pipe; the parent waits on the pipe with the deadline
and kills the child when it passes. Fork costs about a millisecond per query on the shipped
graph, so every query can go through it.

Where there is no fork (Windows), queries run in-process with no timeout; `HAS_DEADLINE` says
which, and `run_with_deadline` warns once so nobody believes a limit is enforced when it is not.
Syntax and other errors raised in the child come back as the same exception, so callers catch
what they would catch without the deadline.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from kg.core.errors import QueryError

HAS_DEADLINE = hasattr(os, "fork")
_HEADER = struct.Struct("!Q")
T = TypeVar("T")
_warned = False


class _Failure:
    """An exception raised in the child, carried back by type name and message if unpicklable."""

    def __init__(self, exc: BaseException) -> None:
        try:
            pickle.dumps(exc)
            self.exc: BaseException | None = exc
        except Exception:  # noqa: BLE001 - anything unpicklable is rebuilt from its text
            self.exc = None
        self.kind = type(exc).__name__
        self.text = str(exc)

    def reraise(self) -> None:
        if self.exc is not None:
            raise self.exc
        raise RuntimeError(f"{self.kind}: {self.text}")


def run_with_deadline(fn: Callable[..., T], *args: Any, timeout: float | None,
                      what: str = "the query", **kwargs: Any) -> T:
    """fn(*args, **kwargs) in a forked child, its (picklable) result returned; killed at `timeout`.

    Raises QueryError when the deadline passes. `timeout` None or <= 0 means no limit (and no
    fork). The child must not write to the parent's files: it only computes and returns.
    """
    global _warned
    if not timeout or timeout <= 0:
        return fn(*args, **kwargs)
    if not HAS_DEADLINE:
        if not _warned:
            warnings.warn("this platform has no fork(): SPARQL queries on the embedded store run "
                          "without a timeout", RuntimeWarning, stacklevel=2)
            _warned = True
        return fn(*args, **kwargs)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
        os.close(read_fd)
        code = 0
        try:
            try:
                payload = pickle.dumps((True, fn(*args, **kwargs)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                payload = pickle.dumps((False, _Failure(exc)), protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(write_fd, _HEADER.pack(len(payload)) + payload)
        except BaseException:  # noqa: BLE001 - the parent reports a child that died
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        data = _read_until(read_fd, time.monotonic() + timeout)
    except TimeoutError:
        _kill(pid)
        raise QueryError(f"{what} was stopped after {timeout:g} s (--timeout)",
                         hint="narrow the query (a missing join makes a cartesian product) "
                              "or raise --timeout") from None
    finally:
        os.close(read_fd)
    _reap(pid)
    if len(data) < _HEADER.size or len(data) != _HEADER.size + _HEADER.unpack_from(data)[0]:
        raise QueryError(f"{what} failed: the process running it died without an answer",
                         hint="the machine may be out of memory; narrow the query")
    ok, value = pickle.loads(data[_HEADER.size:])
    if not ok:
        value.reraise()
    return value


def query_with_deadline(store, query: str, substitutions: Mapping | None, timeout: float | None):
    """`store.query(...)` on a pyoxigraph Store, stopped at the deadline; same result types back.

    The child serialises solutions and booleans as SPARQL results JSON and graphs as N-Triples;
    the parent parses them with pyoxigraph, so callers get QuerySolutions, QueryBoolean or a
    list of Triples exactly as they would from the store.
    """
    import pyoxigraph as ox

    if not timeout or timeout <= 0 or not HAS_DEADLINE:
        return run_with_deadline(store.query, query, substitutions=substitutions, timeout=timeout)
    kind, raw = run_with_deadline(_query_bytes, store, query, substitutions, timeout=timeout)
    if kind == "triples":
        return [q.triple for q in ox.parse(raw, format=ox.RdfFormat.N_TRIPLES)]
    return ox.parse_query_results(raw, format=ox.QueryResultsFormat.JSON)


def _query_bytes(store, query: str, substitutions) -> tuple[str, bytes]:
    import pyoxigraph as ox

    result = store.query(query, substitutions=substitutions)
    if isinstance(result, ox.QueryTriples):
        return "triples", result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
    return "results", result.serialize(format=ox.QueryResultsFormat.JSON) or b""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_until(fd: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
