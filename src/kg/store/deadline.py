"""Stop a runaway SPARQL query at a wall-clock deadline and a memory ceiling, on every store.

pyoxigraph has no query timeout, and a query running in Rust cannot be interrupted from Python:
a cartesian product over a small graph would hold the terminal for hours and take the machine's
memory with it (issue 18 saw 6.4 GB). How each store is bounded:

- **in memory**: the query runs in a forked child that inherits the store (copy-on-write,
  nothing reloaded). The child's address space is capped (`setrlimit(RLIMIT_AS)`: what it has
  plus the ceiling), it serialises its answer and streams it back through a pipe; the parent
  waits on the pipe with the deadline, reads at most the ceiling, and kills the child at either
  limit. Fork costs about a millisecond per query on the shipped graph.
- **on disk**: RocksDB's threads do not survive a fork, so the query runs in a thread (pyoxigraph
  releases the GIL while it evaluates) and the caller waits with the deadline, watching the
  process's resident memory. At either limit the caller gets a QueryError and the query is
  *abandoned*: Rust cannot be interrupted, so it runs on until the process ends. The CLI ends the
  process right after printing the error (`abandoned()`); a notebook keeps running and is told so.
- **a server**: kg.store.remote bounds the whole exchange (not each read) and the answer's size.

Where a platform cannot honour a limit (no fork, no /proc), `limits_note` says so before the
first query, once. Syntax and other errors raised in a child come back as the same exception.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from kg.core.errors import QueryError

HAS_DEADLINE = hasattr(os, "fork")
HAS_MEMORY_LIMIT = HAS_DEADLINE and sys.platform.startswith("linux")
_HEADER = struct.Struct("!Q")
T = TypeVar("T")
_warned: set[str] = set()
_abandoned: list[threading.Thread] = []

GB = 1 << 30


def default_memory() -> int:
    """The memory ceiling a query gets unless told otherwise: 4 GB, or half the machine's RAM if
    that is less (bytes)."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 4 * GB
    return min(4 * GB, physical // 2)


def limits_note(on_disk: bool, timeout: float | None, memory: int | None) -> str | None:
    """What a store cannot honour on this platform, said before it starts (None: everything)."""
    if on_disk and (timeout or memory):
        if not HAS_MEMORY_LIMIT and memory:
            return ("this platform cannot measure a query's memory: queries on the on-disk store "
                    "run without a memory ceiling")
        return None
    if (timeout or memory) and not HAS_DEADLINE:
        return "this platform has no fork(): SPARQL queries in memory run without a time or memory limit"
    if memory and not HAS_MEMORY_LIMIT:
        return "this platform cannot cap a process's memory: queries in memory run without a ceiling"
    return None


def _warn_once(note: str | None) -> None:
    if note and note not in _warned:
        _warned.add(note)
        warnings.warn(note, RuntimeWarning, stacklevel=3)


def abandoned() -> bool:
    """True when a query on an on-disk store was given up at a limit and still runs in a thread:
    the CLI then ends the process, which is the only way to stop it."""
    return any(t.is_alive() for t in _abandoned)


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


def _stopped(what: str, timeout: float) -> QueryError:
    return QueryError(f"{what} was stopped after {timeout:g} s (--timeout)",
                      hint="narrow the query (a missing join makes a cartesian product) "
                           "or raise --timeout")


def _too_big(what: str, memory: int) -> QueryError:
    return QueryError(f"{what} was stopped at the memory ceiling of {memory / GB:g} GB "
                      "(--max-memory)",
                      hint="narrow the query (a missing join makes a cartesian product; LIMIT "
                           "caps the answer) or raise --max-memory")


def run_with_deadline(fn: Callable[..., T], *args: Any, timeout: float | None,
                      memory: int | None = None, what: str = "the query", **kwargs: Any) -> T:
    """fn(*args, **kwargs) in a forked child, its (picklable) result returned; killed at `timeout`
    seconds or when it (or its answer) outgrows `memory` bytes.

    Raises QueryError at either limit. No limit (None or <= 0 for both) means no fork. The child
    must not write to the parent's files: it only computes and returns.
    """
    timeout = timeout if timeout and timeout > 0 else None
    memory = memory if memory and memory > 0 else None
    if timeout is None and memory is None:
        return fn(*args, **kwargs)
    if not HAS_DEADLINE:
        _warn_once(limits_note(False, timeout, memory))
        return fn(*args, **kwargs)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
        os.close(read_fd)
        code = 0
        try:
            _quiet()  # an allocation failing under the cap makes Rust print a backtrace
            if memory and HAS_MEMORY_LIMIT:
                _cap_address_space(memory)
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
        deadline = time.monotonic() + timeout if timeout else None
        data = _read_until(read_fd, deadline, memory + _HEADER.size if memory else None)
    except TimeoutError:
        _kill(pid)
        raise _stopped(what, timeout or 0) from None
    except MemoryError:
        _kill(pid)
        raise _too_big(what, memory or 0) from None
    finally:
        os.close(read_fd)
    status = _reap(pid)
    if len(data) < _HEADER.size or len(data) != _HEADER.size + _HEADER.unpack_from(data)[0]:
        if memory and status is not None and os.WIFSIGNALED(status):
            raise _too_big(what, memory)  # Rust aborts when an allocation fails under the cap
        raise QueryError(f"{what} failed: the process running it died without an answer",
                         hint="the machine may be out of memory; narrow the query")
    ok, value = pickle.loads(data[_HEADER.size:])
    if not ok:
        if memory and value.kind == "MemoryError":
            raise _too_big(what, memory)
        value.reraise()
    return value


def _quiet() -> None:
    """The child's standard error goes nowhere, and no fault handler writes a traceback: every
    failure comes back through the pipe (an allocation failing under the cap is an abort)."""
    import faulthandler

    faulthandler.disable()
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass


def _cap_address_space(memory: int) -> None:
    """Let this (forked) process grow by at most `memory` bytes of address space."""
    import resource

    try:
        with open("/proc/self/statm") as handle:
            mapped = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return
    limit = mapped + memory
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class Solutions:
    """SELECT solutions read back from a child or a thread: the variables and rows of terms, which
    kg.store.embedded reads exactly as pyoxigraph's QuerySolutions."""

    def __init__(self, variables: Sequence[str], rows: list[tuple]) -> None:
        import pyoxigraph as ox

        self.variables = [ox.Variable(v) for v in variables]
        self.rows = rows

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)


# a row longer than this goes back as pickled terms: pyoxigraph's parsers stop at 16 MiB per token
_TEXT_LIMIT = 8 << 20


def _answer(store, query: str, substitutions) -> tuple[str, object]:
    """Evaluate and serialise: TSV for solutions (the fastest exact format pyoxigraph reads),
    N-Triples for graphs, pickled terms when a single value is too long for its parsers."""
    import pyoxigraph as ox

    result = store.query(query, substitutions=substitutions)
    if isinstance(result, ox.QueryBoolean):
        return "boolean", bool(result)
    if isinstance(result, ox.QueryTriples):
        triples = list(result)
        raw = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        if _longest_line(raw) > _TEXT_LIMIT:
            return "triples", triples
        return "n-triples", raw
    variables = [v.value for v in result.variables]
    rows = [tuple(solution) for solution in result]
    return "rows", (variables, rows)


def _longest_line(raw: bytes) -> int:
    longest, start = 0, 0
    while start < len(raw):
        end = raw.find(b"\n", start)
        end = len(raw) if end < 0 else end
        longest = max(longest, end - start)
        start = end + 1
    return longest


def _solutions_text(store, query: str, substitutions) -> tuple[str, object]:
    """In the child: solutions as TSV when every row is short enough for the parser."""
    import pyoxigraph as ox

    result = store.query(query, substitutions=substitutions)
    if isinstance(result, ox.QuerySolutions):
        raw = result.serialize(format=ox.QueryResultsFormat.TSV) or b""
        if _longest_line(raw) <= _TEXT_LIMIT:
            return "tsv", raw
        return _answer(store, query, substitutions)  # again, as terms (rare: a huge literal)
    if isinstance(result, ox.QueryBoolean):
        return "boolean", bool(result)
    triples = list(result)
    raw = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return ("n-triples", raw) if _longest_line(raw) <= _TEXT_LIMIT else ("triples", triples)


def _decode(kind: str, value: Any):
    """What the child or thread answered, as the caller's result: solutions, a bool, triples."""
    import pyoxigraph as ox

    if kind == "tsv":
        return ox.parse_query_results(value, format=ox.QueryResultsFormat.TSV)
    if kind in ("boolean", "triples"):
        return value
    if kind == "n-triples":
        return [q.triple for q in ox.parse(value, format=ox.RdfFormat.N_TRIPLES)]
    variables, rows = value
    return Solutions(variables, rows)


def query_with_deadline(store, query: str, substitutions: Mapping | None, timeout: float | None,
                        memory: int | None = None):
    """`store.query(...)` on an in-memory pyoxigraph Store, stopped at the limits.

    Returns pyoxigraph QuerySolutions (or kg's Solutions for rows holding a value longer than
    pyoxigraph's parsers take), a bool for ASK, or a list of Triples for CONSTRUCT and DESCRIBE.
    """
    if (not timeout or timeout <= 0) and not memory or not HAS_DEADLINE:
        _warn_once(limits_note(False, timeout, memory))
        return _decode(*_answer(store, query, substitutions))
    kind, value = run_with_deadline(_solutions_text, store, query, substitutions, timeout=timeout,
                                    memory=memory)
    return _decode(kind, value)


def query_in_thread(store, query: str, substitutions: Mapping | None, timeout: float | None,
                    memory: int | None = None, what: str = "the query"):
    """`store.query(...)` on an on-disk store, in a thread the caller stops waiting for at the
    deadline or when the process's resident memory grows by more than `memory` bytes.

    Same result types as query_with_deadline. A query given up on runs on (Rust cannot be
    interrupted); `abandoned()` reports it so the CLI can end the process.
    """
    timeout = timeout if timeout and timeout > 0 else None
    memory = memory if memory and memory > 0 and HAS_MEMORY_LIMIT else None
    if timeout is None and memory is None:
        return _decode(*_answer(store, query, substitutions))
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = _answer(store, query, substitutions)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    baseline = _resident() if memory else 0
    started = time.monotonic()
    worker.start()
    while worker.is_alive():
        worker.join(0.05)
        if not worker.is_alive():
            break
        if timeout is not None and time.monotonic() - started > timeout:
            _abandoned.append(worker)
            raise _abandon(_stopped(what, timeout))
        if memory is not None and _resident() - baseline > memory:
            _abandoned.append(worker)
            raise _abandon(_too_big(what, memory))
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return _decode(*outcome["value"])  # type: ignore[misc]


def _abandon(error: QueryError) -> QueryError:
    error.hint = (error.hint or "") + ("; on an on-disk store a query cannot be interrupted, only "
                                       "its process ended: a kg command ends at once, a notebook's "
                                       "query runs on until the kernel restarts")
    return error


def _resident() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_until(fd: int, deadline: float | None, most: int | None) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if most is not None and total > most:
            raise MemoryError
        chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> int | None:
    with contextlib.suppress(ChildProcessError):
        return os.waitpid(pid, 0)[1]
    return None
