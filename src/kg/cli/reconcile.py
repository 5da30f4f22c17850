"""`kg reconcile`: the conflicts, explained and ranked."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import (
    as_of_option,
    claims_progress,
    echo_stream,
    output_file,
    output_options,
    store_options,
)


@click.command()
@click.option("--all", "everything", is_flag=True,
              help="Include agreeing statements and single claims, not only comparisons.")
@click.option("--output", type=click.Path(path_type=Path), callback=output_file,
              help="Write the reconciliation (ranks, preferred values, the run) as Turtle.")
@click.option("--fail-on", type=click.Choice(["conflict"]),
              help="Exit 1 when any conflict is found (default: conflicts are findings).")
@click.option("--subject", help="One entity's statements, as the full run settles them (IRI, "
              "prefix:name, label or alias: 'DeepSeek-V4').")
@click.option("--priors", type=click.Path(exists=True, path_type=Path),
              help="Scoring priors to use instead of ontology/priors.ttl.")
@as_of_option
@store_options
@output_options("table", "md", "json")
def reconcile(everything: bool, output: Path | None, fail_on: str | None, subject: str | None,
              priors: Path | None, as_of: str | None, open_graph, fmt: str) -> None:
    """Find conflicting claims, explain them, and rank them by source quality.

    Worst conflicts first; --format json gives every compared group (see README for the
    format). Exit 0 when it ran, 1 with --fail-on conflict and conflicts, 2 on errors.
    Each run is kept in the store (`kg runs`, `kg diff`); a full one becomes the current run,
    an --as-of one (the evidence known on that date) does not.

    Example:

        \b
        kg reconcile --format json --output out/reconciliation.ttl
        kg reconcile --subject DeepSeek-V4
    """
    from kg.core.errors import ConflictsFound
    from kg.core.files import atomic_file
    from kg.reconcile.verdicts import write_turtle
    from kg.report.reconciliation import write_json, write_text

    eg = open_graph()
    if priors:
        eg.use_priors(priors)
    subject_iri = eg.resolve(subject) if subject else None  # kg.store.names.resolve_entity
    # in memory, the verdicts are kept for the next command instead of written into a store
    # that ends with this process (kg.reconcile.kept); on disk or a server they are the run
    rec = eg.reconcile(subject=subject_iri, progress=claims_progress(), as_of=as_of,
                       to_cache=True)
    if output:  # written as it is serialised, renamed into place when whole (issue 19)
        with atomic_file(output) as handle:
            write_turtle(rec, handle)
    if fmt == "json":  # written group by group as it is encoded (issue 19)
        echo_stream(lambda write: write_json(rec, write, everything=everything))
    else:  # section by section, a big run's statements read from disk (kg.reconcile.settled)
        echo_stream(lambda write: write_text(rec, write, everything=everything,
                                             markdown=fmt == "md"))
    conflicts = sum(rec.conflict_kinds.values())  # counted as settled: no second pass over them
    if fail_on == "conflict" and conflicts:
        raise ConflictsFound(f"{conflicts} conflict(s) found")
