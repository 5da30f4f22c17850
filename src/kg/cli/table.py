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
              type=click.Choice(["csv", "md", "json", "xlsx", "ttl", "jsonld", "html",
                                 "claimreview"]),
              help="csv/md/json/xlsx: the table (xlsx adds the conflicts and their candidates); "
                   "ttl/jsonld: the reconciled graph; html: the self-contained report; "
                   "claimreview: schema.org ClaimReview JSON-LD, one review per ranked claim.")
@click.option("--output", "-o", required=True, callback=output_file,
              help="File to write (atomically: a failure leaves the old file), or - for "
                   "standard output (xlsx only when it is not a terminal).")
def export(open_graph, fmt: str, output: str) -> None:
    """Export the reconciled table, graph, report or claim reviews; same graph, same bytes.

    Example:

        kg export --format html -o report.html
        kg export --format csv -o - | head
        kg export --format claimreview -o reviews.jsonld
    """
    from kg.report.exports import BINARY_FORMATS, export_bytes, export_to

    if output == "-":
        import sys

        stdout = sys.stdout.buffer
        if fmt in BINARY_FORMATS and stdout.isatty():
            raise click.UsageError(f"{fmt} is binary and standard output is a terminal: redirect "
                                   f"it (kg export --format {fmt} -o - > table.{fmt}) or give "
                                   f"-o FILE.{fmt}")
        stdout.write(export_bytes(open_graph(), fmt))
        stdout.flush()
        return
    export_to(open_graph(), fmt, Path(output))
    click.echo(f"wrote {output}", err=True)


def _width() -> int:
    import shutil

    return max(80, min(shutil.get_terminal_size((100, 24)).columns, 200))
