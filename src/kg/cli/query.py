"""`kg query`, `kg queries`, `kg stats`: asking the graph questions in SPARQL."""

from __future__ import annotations

import click

from kg.cli.options import echo_long, echo_stream, output_options, store_options, terminal_width


@click.command()
@click.argument("query")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind a query parameter: <iri>, prefix:name, a number, a \"string\", or, "
                   "for a parameter that takes an entity, its name (--bind subject=\"DeepSeek V3\").")
@click.option("--reconcile", "reconcile", is_flag=True,
              help="Reconcile first if the store holds no reconciliation, and write it there "
                   "(any query; without it only a query whose header says '# Needs: "
                   "reconciliation' gets one, and only in memory).")
@store_options
@output_options("table", "csv", "tsv", "json", "md")
def query(query: str, binds: tuple[str, ...], reconcile: bool, open_graph, fmt: str) -> None:
    """Run a named query (see `kg queries`), a .rq file, or - for standard input.

    Files and standard input may use kg's prefixes (kg:, kge:, kgp:, kgs:, kgc:, kgu:, prov:,
    skos:, dcterms:, xsd:, rdfs:, owl:, ...) without declaring them. A named query's required
    parameters must be bound; a bound IRI the graph does not have is a warning.

    --format json is the W3C SPARQL 1.1 results JSON format. ASK prints true or false,
    CONSTRUCT and DESCRIBE print Turtle (JSON-LD with --format json). A query only reads: on --store or
    --endpoint, a query that needs verdicts the store lacks is refused (exit 2) unless
    --reconcile asks for them. A query over the verdicts reads the current run; --bind run=ID
    reads another (`kg runs`).

    Example:

        \b
        kg query claims-about --bind subject="DeepSeek V3" --format csv
    """
    import sys

    from kg.store.queries import query_form, resolve, split_binding
    from kg.store.results import STREAMED, write_boolean, write_rows, write_rows_to, write_triples

    nq = resolve(query)
    values = dict(split_binding(b) for b in binds)
    eg = open_graph()
    bindings, warnings = eg.bind(nq, values)
    for warning in warnings:
        click.echo(f"kg: warning: {warning}", err=True)
    form = query_form(nq.text)
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        from kg.core.errors import QueryError

        raise QueryError(f"{nq.name} is a SPARQL update ({form}); kg query only reads",
                         hint="kg query runs SELECT, ASK, CONSTRUCT and DESCRIBE queries")
    if form != "SELECT":  # ASK and graph queries answer in their own shape
        if reconcile:
            eg.ensure_reconciled()
        if form == "ASK":
            click.echo(write_boolean(eg.store.ask(nq.text, bindings), fmt), nl=False)
        else:
            click.echo(write_triples(eg.store.construct(nq.text, bindings), fmt), nl=False)
        return
    # without --reconcile, the query's own header decides (EvidenceGraph.select)
    rows = eg.select(nq, bindings, reconcile=True if reconcile else None)
    if fmt in STREAMED and not sys.stdout.isatty():  # written row by row (issue 19)
        echo_stream(lambda write: write_rows_to(rows, fmt, write))
        return
    echo_long(write_rows(rows, fmt, title=nq.name, width=terminal_width()))


@click.command()
@click.option("--internal", is_flag=True,
              help="Also describe the queries kg itself runs (validator, reconciler, loader).")
def queries(internal: bool) -> None:
    """List the named queries and what each answers: first those meant for analysts.

    Example:

        \b
        kg queries
    """
    import textwrap

    from kg.store.queries import list_queries

    found = list_queries()
    mine = [q for q in found if q.audience != "internal"]
    theirs = [q for q in found if q.audience == "internal"]

    def describe(nq) -> str:
        wrap = textwrap.TextWrapper(width=96, initial_indent="    ", subsequent_indent="    ")
        params = "; ".join(f"?{p.name} ({'required' if p.required else 'optional'}) "
                           f"{p.description}".rstrip() for p in nq.declared) or "none"
        return "\n".join([nq.name, wrap.fill(nq.answers),
                          wrap.fill("parameters: " + params)])

    out = ["Queries for analysts (kg query NAME [--bind var=value]):", ""]
    out += [describe(q) for q in mine]
    if internal:
        out += ["", "Queries kg runs itself (validator, reconciler, loader):", ""]
        out += [describe(q) for q in theirs]
    else:
        out += ["", f"{len(theirs)} more are run by kg itself (validator, reconciler, loader): "
                    "kg queries --internal"]
    echo_long("\n".join(out) + "\n")


@click.command()
@store_options
@output_options("table", "csv", "json", "md")
def stats(open_graph, fmt: str) -> None:
    """Claims per document: how much of each source is in the graph.

    Example:

        \b
        kg stats --format csv > coverage.csv
    """
    from kg.core.tabular import write_frame

    echo_long(write_frame(open_graph().stats(), fmt, title="Claims per document",
                          width=terminal_width()))
