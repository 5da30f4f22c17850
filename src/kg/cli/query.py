"""`kg query`, `kg queries`, `kg stats`: asking the graph questions in SPARQL."""

from __future__ import annotations

import click

from kg.cli.options import output_options, store_options


@click.command()
@click.argument("query")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind a query variable: <iri>, prefix:name, a number or a string.")
@store_options
@output_options("table", "csv", "tsv", "json", "md")
def query(query: str, binds: tuple[str, ...], open_graph, fmt: str) -> None:
    """Run a named query (see `kg queries`), a .rq file, or - for standard input.

    --format json is the W3C SPARQL 1.1 results JSON format. ASK prints true or false,
    CONSTRUCT and DESCRIBE print Turtle (JSON-LD with --format json).

    Example:

        kg query claims-about --bind subject=kge:deepseek-v3 --format csv
    """
    from kg.store.queries import parse_binding, query_form, resolve
    from kg.store.results import write_boolean, write_rows, write_triples

    nq = resolve(query)
    bindings = dict(parse_binding(b) for b in binds)
    eg = open_graph()
    if "kg-compute/run/reconciliation" in nq.text:
        eg.ensure_reconciled()
    form = query_form(nq.text)
    if form == "ASK":
        click.echo(write_boolean(eg.store.ask(nq.text, bindings), fmt), nl=False)
    elif form in ("CONSTRUCT", "DESCRIBE"):
        click.echo(write_triples(eg.store.construct(nq.text, bindings), fmt), nl=False)
    elif form != "SELECT":
        from kg.core.errors import QueryError

        raise QueryError(f"{nq.name} is a SPARQL update ({form}); kg query only reads",
                         hint="kg query runs SELECT, ASK, CONSTRUCT and DESCRIBE queries")
    else:
        rows = eg.store.select(nq.text, bindings)
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
