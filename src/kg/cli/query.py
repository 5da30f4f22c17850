"""`kg query`, `kg queries`, `kg stats`: asking the graph questions in SPARQL."""

from __future__ import annotations

import click

from kg.cli.options import output_options, store_options


@click.command()
@click.argument("query")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind a query variable: <iri>, prefix:name, a number or a string.")
@click.option("--reconcile", "reconcile", is_flag=True,
              help="Reconcile first if the store holds no reconciliation, and write it there "
                   "(any query; without it only a query whose header says '# Needs: "
                   "reconciliation' gets one, and only in memory).")
@store_options
@output_options("table", "csv", "tsv", "json", "md")
def query(query: str, binds: tuple[str, ...], reconcile: bool, open_graph, fmt: str) -> None:
    """Run a named query (see `kg queries`), a .rq file, or - for standard input.

    --format json is the W3C SPARQL 1.1 results JSON format. A query only reads: on --store or
    --endpoint, a query that needs verdicts the store lacks is refused (exit 2) unless
    --reconcile asks for them.

    Example:

        kg query claims-about --bind subject=kge:deepseek-v3 --format csv
    """
    from kg.store.queries import parse_binding, resolve
    from kg.store.results import write_rows

    nq = resolve(query)
    bindings = dict(parse_binding(b) for b in binds)
    # without the flag, the query's own header decides (EvidenceGraph.select)
    rows = open_graph().select(nq, bindings, reconcile=True if reconcile else None)
    click.echo(write_rows(rows, fmt, title=nq.name), nl=False)


@click.command()
def queries() -> None:
    """List the named queries and what each answers.

    Example:

        kg queries
    """
    from kg.store.queries import list_queries

    for nq in list_queries():
        click.echo(f"{nq.name}\n    {nq.answers}\n    parameters: {nq.parameters or 'none'}")


@click.command()
@store_options
@output_options("table", "csv", "json", "md")
def stats(open_graph, fmt: str) -> None:
    """Claims per document: how much of each source is in the graph.

    Example:

        kg stats --format csv > coverage.csv
    """
    from kg.core.tabular import write_frame

    click.echo(write_frame(open_graph().stats(), fmt, title="Claims per document"), nl=False)
