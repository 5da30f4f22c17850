"""`kg table` (the main job) and `kg export`: thin commands over kg.table and kg.report.exports."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import output_file, output_options, store_options


@click.command()
@store_options
@output_options("table", "csv", "md", "json")
@click.option("--width", type=int, default=None,
              help="Terminal width for the people's table (default: the terminal's, or 100).")
def table(open_graph, fmt: str, width: int | None) -> None:
    """The reconciled capability-vs-compute table, Chinese and US models side by side.

    Runs the reconciliation, then the named query capability-table; every cell is the
    preferred value with footnote keys to its sources; ‡ marks a conflict, ≈ a derived value.

    Example:

        kg table --format csv > table.csv
    """
    from kg.report.layout import write_table

    eg = open_graph()
    click.echo(write_table(eg.capability_table(), fmt, width=width or _width()), nl=False)

@click.command()
@store_options
@click.option("--format", "fmt", required=True,
              type=click.Choice(["csv", "md", "json", "xlsx", "ttl", "jsonld", "html"]),
              help="csv/md/json/xlsx: the table; ttl/jsonld: the reconciled graph; "
                   "html: the self-contained report.")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True, callback=output_file,
              help="File to write (written atomically: a failure leaves the old file).")
def export(open_graph, fmt: str, output: Path) -> None:
    """Export the reconciled table, graph or HTML report; same graph, byte-identical files.

    Example:

        kg export --format html -o report.html
    """
    from kg.report.exports import export_to

    export_to(open_graph(), fmt, output)
    click.echo(f"wrote {output}", err=True)


def _width() -> int:
    import shutil

    return max(80, min(shutil.get_terminal_size((100, 24)).columns, 200))
