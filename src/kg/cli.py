"""The `kg` command: a thin layer over `kg.EvidenceGraph`; each command is a few lines.

Exit codes follow pySHACL: 0 ran (and conforms), 1 findings that fail (violations, or conflicts
with `--fail-on conflict`, or a write refused to keep the graph intact), 2 could not run (bad
input: unreadable or malformed Turtle, an ill-typed literal, a claim IRI defined twice with
different content, a non-Turtle file; a bad or runaway query; an unreachable store; a file that
cannot be written), 130 interrupted. Every error is one message naming the file, line or node,
never a traceback (set KG_DEBUG=1 to see one for an internal error).

kg works offline: without `--endpoint` or `--allow-network` a command refuses SPARQL SERVICE
and LOAD and any socket or URL a library might open (kg.netguard). Embedded queries stop at
`--timeout` (kg.deadline). Heavy libraries are imported inside commands so `kg --help` starts fast.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from kg.errors import KgError


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
                  help="Seconds before a query is stopped (0: no limit).")
    @click.option("--allow-network", is_flag=True,
                  help="Permit SERVICE and LOAD in queries (off: kg never fetches by itself).")
    @functools.wraps(fn)
    def wrapper(*args, graph, store, endpoint, update_endpoint, timeout, allow_network, **kw):
        if endpoint or update_endpoint or allow_network:
            from kg.netguard import permit_network

            permit_network()
        kw["open_graph"] = functools.partial(
            _open, graph=graph, store=store, endpoint=endpoint, update_endpoint=update_endpoint,
            timeout=timeout, allow_network=allow_network)
        return fn(*args, **kw)

    return wrapper


def output_options(*formats: str, default: str = "table"):
    """One `--format` option shared by every command that prints results."""

    def decorate(fn):
        return click.option("--format", "fmt", type=click.Choice(formats), default=default,
                            show_default=True, help="table for people; the others for machines.")(fn)

    return decorate


def _open(*, graph, store, endpoint, update_endpoint, timeout, allow_network):
    from kg.graph import EvidenceGraph

    progress = None
    if sys.stderr.isatty():
        def progress(path: Path) -> None:
            click.echo(f"  read {path}", err=True)
    from kg.deadline import guard

    eg = EvidenceGraph(list(graph) or None, store=store, endpoint=endpoint,
                       update_endpoint=update_endpoint, timeout=timeout or None,
                       allow_network=allow_network, progress=progress)
    guard(eg.store)  # embedded queries stop at --timeout (kg.deadline)
    return eg


def _claims_progress():
    """A progress line on a terminal for long reconciles; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\r  reconciling: {done:,} of {total:,} claims read", err=True,
                   nl=done >= total)

    return show


class KgGroup(click.Group):
    """Turns every error into one clear message and the documented exit code, never a traceback.

    KgError carries its own code; an OS error (a file that cannot be read or written, a full
    disk) is bad input or environment, 2; anything else is a bug in kg, reported as such in one
    line with the way to see the traceback. The whole command runs offline unless a store
    option permits the network (kg.netguard).
    """

    def invoke(self, ctx):
        import os

        from kg.netguard import no_network

        try:
            with no_network():
                return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kg: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("kg: interrupted; files are written atomically, so none is half-written",
                       err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `kg table | head`: the reader left, nothing to report
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            if os.environ.get("KG_DEBUG"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"kg: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)
        except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback by default
            if os.environ.get("KG_DEBUG"):
                raise
            click.echo(f"kg: internal error, please report it: {type(exc).__name__}: {exc}\n"
                       "  hint: set KG_DEBUG=1 to see the traceback", err=True)
            ctx.exit(2)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: an evidence graph for the AI compute race.

    Every figure is a claim with its source; kg validates the graph with SHACL, reconciles
    conflicting claims and prints a reconciled capability-vs-compute table.

    Example:

        kg table
    """


@main.command()
@click.option("--only", "only", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Validate only the nodes this Turtle file defines, each with its neighbourhood "
                   "(incremental: fast on a large graph).")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: the shapes as queries on the store; pyshacl: the reference engine (slow).")
@store_options
@output_options("table", "json")
def validate(only: Path | None, engine: str, open_graph, fmt: str) -> None:
    """Validate graph + ontology against the SHACL shapes.

    Exit 0 when the graph conforms, 1 on violations, 2 when it could not run.

    Example:

        kg validate --graph graph/ --graph my-claims.ttl --only my-claims.ttl
    """
    from kg.report_text import validation_text

    eg = open_graph()
    report = eg.validate(only=only, engine=engine)
    if fmt == "json":
        import json

        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(validation_text(report))
    if not report.conforms:
        sys.exit(1)


@main.command()
@store_options
@output_options("table", "csv", "json", "md")
def stats(open_graph, fmt: str) -> None:
    """Claims per document: how much of each source is in the graph.

    Example:

        kg stats --format csv > coverage.csv
    """
    from kg.export import write_frame

    click.echo(write_frame(open_graph().stats(), fmt, title="Claims per document"), nl=False)


@main.command()
@click.argument("query")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind a query variable: <iri>, prefix:name, a number or a string.")
@store_options
@output_options("table", "csv", "tsv", "json", "md")
def query(query: str, binds: tuple[str, ...], open_graph, fmt: str) -> None:
    """Run a named query (see `kg queries`), a .rq file, or - for standard input.

    --format json is the W3C SPARQL 1.1 results JSON format.

    Example:

        kg query claims-about --bind subject=kge:deepseek-v3 --format csv
    """
    from kg.export import write_rows
    from kg.queries import parse_binding, resolve

    nq = resolve(query)
    bindings = dict(parse_binding(b) for b in binds)
    eg = open_graph()
    if "kg-compute/run/reconciliation" in nq.text:
        eg.ensure_reconciled()
    rows = eg.store.select(nq.text, bindings)
    click.echo(write_rows(rows, fmt, title=nq.name), nl=False)


@main.command()
@click.option("--all", "everything", is_flag=True,
              help="Include agreeing statements and single claims, not only comparisons.")
@click.option("--output", type=click.Path(path_type=Path),
              help="Write the reconciliation (ranks, preferred values, the run) as Turtle.")
@click.option("--fail-on", type=click.Choice(["conflict"]),
              help="Exit 1 when any conflict is found (default: conflicts are findings).")
@click.option("--subject", help="Reconcile one entity only (IRI or prefix:name).")
@click.option("--priors", type=click.Path(exists=True, path_type=Path),
              help="Scoring priors to use instead of ontology/priors.ttl.")
@store_options
@output_options("table", "md", "json")
def reconcile(everything: bool, output: Path | None, fail_on: str | None, subject: str | None,
              priors: Path | None, open_graph, fmt: str) -> None:
    """Find conflicting claims, explain them, and rank them by source quality.

    Worst conflicts first; --format json gives every compared group (see README for the
    format). Exit 0 when it ran, 1 with --fail-on conflict and conflicts, 2 on errors.

    Example:

        kg reconcile --format json --output out/reconciliation.ttl
    """
    from kg import reconcile_report as report
    from kg.errors import ConflictsFound
    from kg.export import write_atomic
    from kg.queries import parse_binding

    eg = open_graph()
    if priors:
        eg.use_priors(priors)
    subject_iri = parse_binding(f"s={subject}")[1].value if subject else None
    rec = eg.reconcile(subject=subject_iri, progress=_claims_progress())
    if output:
        write_atomic(output, report.to_turtle(rec))
    if fmt == "json":
        click.echo(report.to_json(rec, everything=everything), nl=False)
    else:
        click.echo(report.to_text(rec, everything=everything, markdown=fmt == "md"), nl=False)
    if fail_on == "conflict" and rec.conflicts:
        raise ConflictsFound(f"{len(rec.conflicts)} conflict(s) found")


@main.command()
def queries() -> None:
    """List the named queries and what each answers.

    Example:

        kg queries
    """
    from kg.queries import list_queries

    for nq in list_queries():
        click.echo(f"{nq.name}\n    {nq.answers}\n    parameters: {nq.parameters or 'none'}")


def _register_extensions() -> None:
    """Commands that live beside their library module (cli_<area>.py), each a few lines."""
    import importlib

    for name in ("kg.cli_grow", "kg.cli_scale", "kg.cli_table"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(main, store_options=store_options, output_options=output_options)


_register_extensions()

if __name__ == "__main__":  # pragma: no cover
    main()
