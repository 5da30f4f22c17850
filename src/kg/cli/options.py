"""Options every command shares: where the graph lives, and how results are printed.

One decorator each (as sqlite-utils does), so a store flag means the same in every command.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

# The graphs a `kg` process opened, held until it ends (kg.cli.main.run: the process then exits
# without freeing them); None under CliRunner and in a notebook, where nothing is held.
KEPT_UNTIL_EXIT: list | None = None


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


# progress lines only for slow work: a command that answers in a few seconds writes nothing to
# standard error unless something is wrong
PROGRESS_AFTER = 3.0


def open_evidence_graph(*, graph, store, endpoint, update_endpoint, timeout, max_memory,
                        allow_network, lazy: bool = False):
    """The EvidenceGraph the options name; `lazy`: an in-memory graph loads its files on first
    use (kg table: a table kept for the files is then read without loading them)."""
    import time

    from kg.graph import EvidenceGraph

    progress = None
    if sys.stderr.isatty():
        start = time.monotonic()

        def progress(path: Path) -> None:
            if time.monotonic() - start > PROGRESS_AFTER:
                click.echo(f"  read {path}", err=True)
    # every query stops at --timeout and --max-memory, on every store (kg.store.deadline)
    eg = EvidenceGraph(list(graph) or None, store=store, endpoint=endpoint,
                       update_endpoint=update_endpoint, timeout=timeout or None,
                       max_memory=max_memory, allow_network=allow_network, progress=progress,
                       lazy=lazy)
    if KEPT_UNTIL_EXIT is not None:
        KEPT_UNTIL_EXIT.append(eg)
    return eg


def claims_progress():
    """A progress line on a terminal for slow reconciles; nothing when stderr is piped."""
    import time

    if not sys.stderr.isatty():
        return None
    start = time.monotonic()
    shown = False

    def show(done: int, total: int) -> None:
        nonlocal shown
        if shown or time.monotonic() - start > PROGRESS_AFTER:
            shown = True
            click.echo(f"\r  reconciling: {done:,} of {total:,} claims read", err=True,
                       nl=done >= total)

    return show


def as_of_option(fn):
    """`--as-of DATE`: the view from the evidence known on that date (kg.reconcile.runs)."""
    return click.option(
        "--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
        help="Reconcile only the evidence known on that date (a source's publication or "
             "snapshot date); the sources' reliabilities are learned from it too.")(fn)
def terminal_width() -> int | None:
    """The terminal's full width when standard output is one; None when piped (layouts then use
    a fixed 100 columns, so files and pipes get the same bytes on every machine)."""
    import shutil

    if not sys.stdout.isatty():
        return None
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def echo_long(text: str) -> None:
    """Print `text`; through a pager (click's: $PAGER, else less) when standard output is a
    terminal and the text is taller than it. Piped output is never paged."""
    import shutil

    if sys.stdout.isatty() and sys.stdin.isatty() and \
            text.count("\n") > shutil.get_terminal_size((100, 24)).lines - 2:
        click.echo_via_pager(text)
    else:
        click.echo(text, nl=False)
