"""`kg runs`, `kg diff`, `kg history`: what the evidence said on a date, what changed between two
reconciliations, and every figure's timeline. Thin commands over kg.reconcile.runs,
kg.report.changes and kg.report.timeline."""

from __future__ import annotations

import click

from kg.cli.options import output_options, store_options


@click.command("runs")
@click.option("--prune", "keep", type=click.IntRange(min=0), default=None, metavar="KEEP",
              help="Drop all but the newest KEEP runs (the current run is always kept) and "
                   "any run interrupted while writing.")
@store_options
@output_options("table", "csv", "json", "md")
def runs_command(keep: int | None, open_graph, fmt: str) -> None:
    """The reconciliation runs the store keeps, newest first; --prune KEEP drops old ones.

    Each `kg reconcile` (and each as-of view) is a run kept in a named graph of its own; the
    current run is the one `kg table` and the verdict queries read. Runs live as long as the
    store: in memory (no --store or --endpoint) there is only this command's run.

    Example:

        \b
        kg runs --store ~/.kg/store --prune 5
    """
    import pandas as pd

    from kg.core.tabular import write_frame

    eg = open_graph()
    if keep is not None:
        dropped = eg.prune_runs(keep)
        click.echo(f"dropped {len(dropped)} run graph(s); kept the newest {keep} and the current run",
                   err=True)
    rows = [{"id": r.id, "started": r.started[:19].replace("T", " "),
             "cutoff": r.cutoff or "", "claims": r.claims, "statements": r.statements,
             "conflicts": r.conflicts, "current": "yes" if r.current else "",
             "content hash": (r.content_hash or "")[7:19]} for r in eg.runs()]
    frame = pd.DataFrame(rows, columns=["id", "started", "cutoff", "claims", "statements",
                                        "conflicts", "current", "content hash"])
    click.echo(write_frame(frame, fmt, title="Reconciliation runs"), nl=False)


@click.command("diff")
@click.argument("a")
@click.argument("b")
@store_options
@output_options("table", "md", "json")
def diff_command(a: str, b: str, open_graph, fmt: str) -> None:
    """What changed between two reconciliations: A and B are dates (the as-of view then), run
    ids (`kg runs`; also `current`, `previous`, a unique prefix) or files saved with
    `kg reconcile --format json`.

    Lists new and dropped statements, preferred values that changed (old -> new, and why: a
    new source, a snapshot revision, a reliability that moved, a conflict resolved or opened),
    conflicts opened and closed, and the table cells that changed. --format json is described
    in the README.

    Example:

        \b
        kg diff 2025-06-30 2026-05-31 --format md
    """
    report = open_graph().diff(a, b)
    if fmt == "json":
        click.echo(report.to_json(), nl=False)
    else:
        click.echo(report.to_text(markdown=fmt == "md"), nl=False)


@click.command("history")
@click.argument("subject")
@click.argument("property")
@store_options
@output_options("table", "md", "json")
def history_command(subject: str, property: str, open_graph, fmt: str) -> None:  # noqa: A002
    """One figure's timeline: every claim by the date it became known, with its source, and
    the preferred value as of each of those dates (and now).

    SUBJECT and PROPERTY are IRIs, prefixed names or labels ("DeepSeek-R1", "training
    compute"). A source's date is its publication date (a database's snapshot date); estimated
    dates are used and marked.

    Example:

        \b
        kg history "DeepSeek-R1" "training compute"
    """
    timeline = open_graph().history(subject, property)
    if fmt == "json":
        click.echo(timeline.to_json(), nl=False)
    else:
        click.echo(timeline.to_text(markdown=fmt == "md"), nl=False)
