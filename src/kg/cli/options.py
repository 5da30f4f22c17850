"""Options every command shares: where the graph lives, and how results are printed.

One decorator each (as sqlite-utils does), so a store flag means the same in every command.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click


def store_options(fn):
    """Where the graph lives: shipped files in memory (default), an on-disk store, or a server."""

    @click.option("--graph", "graph", multiple=True, type=click.Path(path_type=Path),
                  help="Turtle file or folder to read instead of graph/ (repeatable); "
                       "the ontology is always included.")
    @click.option("--store", "store", type=click.Path(path_type=Path),
                  help="On-disk Oxigraph store directory, loaded once and reused.")
    @click.option("--endpoint", help="SPARQL 1.1 query endpoint of a server holding the graph.")
    @click.option("--update-endpoint", help="SPARQL 1.1 update endpoint, if not the query one.")
    @click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
                  help="Seconds before a query is stopped, wall-clock, on every store (0: no limit).")
    @click.option("--max-memory", type=click.FloatRange(min=0), default=None, metavar="GB",
                  help="Memory a query may take before it is stopped, in GB (default: 4, or half "
                       "the machine's memory if less; 0: no limit).")
    @click.option("--allow-network", is_flag=True,
                  help="Permit SERVICE and LOAD in queries (off: kg never fetches by itself).")
    @functools.wraps(fn)
    def wrapper(*args, graph, store, endpoint, update_endpoint, timeout, max_memory, allow_network,
                **kw):
        if endpoint or update_endpoint or allow_network:
            from kg.store.netguard import permit_network

            permit_network()
        kw["open_graph"] = functools.partial(
            open_evidence_graph, graph=graph, store=store, endpoint=endpoint, update_endpoint=update_endpoint,
            timeout=timeout, max_memory=memory_bytes(max_memory), allow_network=allow_network)
        return fn(*args, **kw)

    return wrapper


def output_file(ctx, param, value: Path | None) -> Path | None:
    """A click callback for options naming a file to write: a missing folder is refused before
    any work is done (kg.core.files.check_output), in kg's one-line form."""
    if value is not None and str(value) != "-":
        from kg.core.files import check_output

        check_output(value)
    return value


def output_options(*formats: str, default: str = "table"):
    """One `--format` option shared by every command that prints results."""

    def decorate(fn):
        return click.option("--format", "fmt", type=click.Choice(formats), default=default,
                            show_default=True, help="table for people; the others for machines.")(fn)

    return decorate


def memory_bytes(gigabytes: float | None) -> int:
    """--max-memory in bytes: the default ceiling when not given, 0 (no limit) for 0."""
    from kg.store.deadline import GB, default_memory

    if gigabytes is None:
        return default_memory()
    return int(gigabytes * GB)


def open_evidence_graph(*, graph, store, endpoint, update_endpoint, timeout, max_memory,
                        allow_network):
    from kg.graph import EvidenceGraph

    progress = None
    if sys.stderr.isatty():
        def progress(path: Path) -> None:
            click.echo(f"  read {path}", err=True)
    from kg.store.deadline import guard

    eg = EvidenceGraph(list(graph) or None, store=store, endpoint=endpoint,
                       update_endpoint=update_endpoint, timeout=timeout or None,
                       max_memory=max_memory, allow_network=allow_network, progress=progress)
    guard(eg.store)  # embedded queries stop at --timeout (kg.store.deadline)
    return eg


def claims_progress():
    """A progress line on a terminal for long reconciles; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\r  reconciling: {done:,} of {total:,} claims read", err=True,
                   nl=done >= total)

    return show
