"""Scratch graphs for verdicts being written, one per run, and the sweeping up of dead runs' ones.

On a server (and in memory when verdicts exist) a reconciliation writes its verdicts to a scratch
graph and MOVEs it over the old verdicts in one update, so readers never see half a run. Issue 18
found two faults in the single shared scratch graph it used: two reconciles on one server wrote
into the same graph (and the first MOVE took the second's half-written verdicts), and a client
killed mid-write left the scratch graph on the server for good. So each run gets its own graph,
`<run/reconciliation-pending/HOST-PID-TIME>`, announced in a small registry graph before it is
written; every run first drops the scratch graphs of runs that are over: a process on this host
that no longer exists, or a run older than a day (a process on another host kg cannot see).
"""

from __future__ import annotations

import os
import socket
import time
import uuid

import pyoxigraph as ox

from kg.core.vocab import KG, KGR, RUN_GRAPH

REGISTRY = KGR + "reconciliation-pending"
PREFIX = RUN_GRAPH + "-pending/"
STALE_AFTER = 24 * 3600.0  # seconds: a run elsewhere this old is taken for dead

_OURS: set[str] = set()  # this process's runs still writing



def claim(store) -> str:
    """A scratch graph of this run's own, registered; leftovers of dead runs are dropped first."""
    sweep(store)
    host, pid = socket.gethostname(), os.getpid()
    graph = f"{PREFIX}{host}-{pid}-{uuid.uuid4().hex[:12]}"
    store.load([ox.Quad(ox.NamedNode(graph), ox.NamedNode(KG + "pendingOwner"),
                        ox.Literal(f"{host}:{pid}"), ox.NamedNode(REGISTRY)),
                ox.Quad(ox.NamedNode(graph), ox.NamedNode(KG + "pendingSince"),
                        ox.Literal(repr(time.time())), ox.NamedNode(REGISTRY))])
    _OURS.add(graph)
    return graph


def release(store, graph: str) -> None:
    """Drop the scratch graph (after its MOVE, or after a failure) and its registry entry."""
    from kg.store.bindings import with_rows
    from kg.store.graphs import drop_graph
    from kg.store.queries import named_update

    drop_graph(store, graph)
    store.update(with_rows(named_update("release-pending").text, "graph", [ox.NamedNode(graph)]))
    _OURS.discard(graph)


def sweep(store) -> list[str]:
    """Drop the scratch graphs of runs that are over; return them."""
    dropped = []
    from kg.store.queries import named_query

    for row in store.select(named_query("pending-graphs").text):
        owner, since = row["owner"].value, row["since"].value
        graph = row["graph"].value
        if graph in _OURS or _alive(owner, since):
            continue
        release(store, graph)
        dropped.append(graph)
    return dropped


def _alive(owner: str, since: str) -> bool:
    host, _, pid = owner.rpartition(":")
    try:
        started = float(since)
    except ValueError:
        return False
    if time.time() - started > STALE_AFTER:
        return False
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's run: only its age can tell
    if int(pid) == os.getpid():
        return False  # this process's, and not among its runs still writing (_OURS)
    return _exists(int(pid))


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
