"""Runs being written, announced, and the sweeping up of dead runs' partial graphs.

Each reconciliation writes its verdicts into a graph of its own (kg.reconcile.runs), so two
reconciles on one server never share one (issue 18 found a shared scratch graph that the first
run's MOVE took half-written from the second). A client killed mid-write still leaves its
partial graph behind, and nothing else would remove it until `kg runs --prune`. So a run
announces its graph in a small registry graph, with its host, process and start time, before it
writes, and withdraws the announcement when it is done; every run first drops the graphs of
runs that are over: a process on this host that no longer exists, or a run older than a day (a
process on another host kg cannot see). A run still being written elsewhere is left alone.
"""

from __future__ import annotations

import os
import socket
import time

import pyoxigraph as ox

from kg.core.vocab import KG, KGR

REGISTRY = KGR + "reconciliation-pending"
STALE_AFTER = 24 * 3600.0  # seconds: a run elsewhere this old is taken for dead

_OURS: set[str] = set()  # this process's runs still writing



def claim(store, graph: str) -> str:
    """Announce `graph` as being written by this process; leftovers of dead runs go first."""
    sweep(store)
    host, pid = socket.gethostname(), os.getpid()
    store.load([ox.Quad(ox.NamedNode(graph), ox.NamedNode(KG + "pendingOwner"),
                        ox.Literal(f"{host}:{pid}"), ox.NamedNode(REGISTRY)),
                ox.Quad(ox.NamedNode(graph), ox.NamedNode(KG + "pendingSince"),
                        ox.Literal(repr(time.time())), ox.NamedNode(REGISTRY))])
    _OURS.add(graph)
    return graph


def release(store, graph: str, *, keep: bool = False) -> None:
    """Withdraw the announcement; without `keep` (a failed or dead run) drop the graph too."""
    from kg.store.bindings import with_rows
    from kg.store.graphs import drop_graph
    from kg.store.queries import named_update

    if not keep:
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
