"""`kg table` (the main job) and `kg export`: thin commands over kg.table and kg.report.exports."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import as_of_option, output_file, output_options, store_options


@click.command()
@click.option("--model", "models", multiple=True, metavar="NAME",
              help="Only this model (name, alias, IRI or prefix:name; repeatable).")
@click.option("--lab", "labs", multiple=True, metavar="NAME", help="Only this lab's models (repeatable).")
@click.option("--country", "countries", multiple=True, metavar="NAME",
              help="Only models from labs in this country: China, US, ... (repeatable).")
@click.option("--since", metavar="DATE", help="Released on or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", metavar="DATE", help="Released on or before: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--columns", "columns", multiple=True, metavar="A,B,...",
              help="Only these columns, by name: params, active, tokens, gpu-hours, flop, cost, "
                   "mmlu, gpqa, swe-bench, price-in, price-out, released.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="The N most recently released models.")
@click.option("--all", "everything", is_flag=True,
              help="Every model, also those known only from an imported database with few figures.")
@store_options
@output_options("table", "csv", "md", "json")
@click.option("--width", type=int, default=None,
              help="Width for the people's table (default: the terminal's, or 100 when piped).")
@as_of_option
@click.option("--run", "run", metavar="ID", default=None,
              help="Show a run the store keeps (`kg runs`: an id, a prefix or `previous`).")
def table(models, labs, countries, since, until, columns, limit, everything: bool, open_graph,
          fmt: str, width: int | None, as_of: str | None, run: str | None) -> None:
    """The reconciled capability-vs-compute table, Chinese and US models side by side.

    Runs the reconciliation, then the named query capability-table; every cell is the
    preferred value with footnote keys to its sources; ‡ marks a conflict, ≈ a derived value;
    units are in the headers. For people (table, md), when no filter is given, models known
    only from an imported database are shown when they have at least 4 of the table's figures
    (a line says how many were left out; --all shows them); csv, json and any filtered view
    hold every model the filters keep. Long output goes through a pager on a terminal. With
    --as-of DATE, the table a careful analyst could have written that day (the evidence known
    then); with --run, a run the store keeps. A store whose content has not changed since its
    current run answers from that run without reconciling again.

    Example:

        \b
        kg table --country China --since 2025 --columns params,active,tokens,flop
        kg table --as-of 2026-04-01 --format csv > table-april.csv
    """
    import sys

    from kg.cli.options import echo_long, echo_stream, terminal_width
    from kg.report.columns import MIN_FIGURES_IMPORTED
    from kg.report.layout import STREAMED, write_table, write_table_to

    eg = open_graph(lazy=True)  # a table kept for these files is read without loading them
    people = fmt in ("table", "md")
    # the readable default is for the whole table: a person who narrows it sees every match
    narrowed = models or labs or countries or since or until or limit
    min_figures = 0 if everything or narrowed or not people else MIN_FIGURES_IMPORTED
    capability = eg.capability_table(model=models, lab=labs, country=countries, since=since,
                                     until=until, columns=columns, limit=limit,
                                     min_figures=min_figures, as_of=as_of, run=run)
    if fmt in STREAMED and not sys.stdout.isatty():  # written row by row (issue 19)
        echo_stream(lambda write: write_table_to(capability, fmt, write))
        return
    echo_long(write_table(capability, fmt, width=width or terminal_width()))


@click.command()
@store_options
@click.option("--format", "fmt", required=True,
              type=click.Choice(["csv", "md", "json", "xlsx", "ttl", "jsonld", "html",
                                 "claimreview"]),
              help="csv/md/json/xlsx: the table (xlsx adds the conflicts and their candidates); "
                   "ttl/jsonld: the reconciled graph; html: the self-contained report; "
                   "claimreview: schema.org ClaimReview JSON-LD, one review per ranked claim.")
@click.option("--output", "-o", required=True, callback=output_file,
              help="File to write (atomically: a failure leaves the old file), or - for "
                   "standard output (xlsx only when it is not a terminal).")
@as_of_option
def export(open_graph, fmt: str, output: str, as_of: str | None) -> None:
    """Export the reconciled table, graph, report or claim reviews; same graph, same bytes.

    With --as-of DATE every format but claimreview shows the reconciliation of the evidence
    known that day.

    Example:

        \b
        kg export --format html -o report.html
        kg export --format csv -o - | head
        kg export --format claimreview -o reviews.jsonld
    """
    from kg.report.exports import (
        BINARY_FORMATS,
        STREAMED_FORMATS,
        export_bytes,
        export_to,
        write_export,
    )

    if output == "-":
        import sys

        stdout = sys.stdout.buffer
        if fmt in BINARY_FORMATS and stdout.isatty():
            raise click.UsageError(f"{fmt} is binary and standard output is a terminal: redirect "
                                   f"it (kg export --format {fmt} -o - > table.{fmt}) or give "
                                   f"-o FILE.{fmt}")
        if fmt in STREAMED_FORMATS:  # written as it is made (issue 19)
            write_export(open_graph(), fmt, stdout, as_of=as_of)
        else:
            stdout.write(export_bytes(open_graph(), fmt, as_of=as_of))
        stdout.flush()
        return
    export_to(open_graph(), fmt, Path(output), as_of=as_of)
    click.echo(f"wrote {output}", err=True)
