"""`kg table` (the main job) and `kg export`: thin commands over kg.table and kg.report.exports."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import as_of_option, output_options, store_options


@click.command()
@store_options
@output_options("table", "csv", "md", "json")
@click.option("--width", type=int, default=None,
              help="Terminal width for the people's table (default: the terminal's, or 100).")
@as_of_option
@click.option("--run", "run", metavar="ID", default=None,
              help="Show a run the store keeps (`kg runs`: an id, a prefix or `previous`).")
def table(open_graph, fmt: str, width: int | None, as_of: str | None, run: str | None) -> None:
    """The reconciled capability-vs-compute table, Chinese and US models side by side.

    Runs the reconciliation (or reads the current run, when the store holds one made from
    the same content), then the named query capability-table; every cell is the preferred
    value with footnote keys to its sources; ‡ marks a conflict, ≈ a derived value. With
    --as-of DATE, the table a careful analyst could have written that day.

    Example:

        kg table --as-of 2026-04-01 --format csv > table-april.csv
    """
    from kg.report.layout import write_table

    eg = open_graph()
    click.echo(write_table(eg.capability_table(as_of=as_of, run=run), fmt,
                           width=width or _width()), nl=False)

@click.command()
@store_options
@click.option("--format", "fmt", required=True,
              type=click.Choice(["csv", "md", "json", "xlsx", "ttl", "jsonld", "html"]),
              help="csv/md/json/xlsx: the table; ttl/jsonld: the reconciled graph; "
                   "html: the self-contained report.")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="File to write (written atomically: a failure leaves the old file).")
@as_of_option
def export(open_graph, fmt: str, output: Path, as_of: str | None) -> None:
    """Export the reconciled table, graph or HTML report; same graph, byte-identical files.

    With --as-of DATE every format shows the reconciliation of the evidence known that day.

    Example:

        kg export --format html -o report.html
    """
    from kg.report.exports import export_to

    export_to(open_graph(), fmt, output, as_of=as_of)
    click.echo(f"wrote {output}", err=True)


def _width() -> int:
    import shutil

    return max(80, min(shutil.get_terminal_size((100, 24)).columns, 200))
