"""`kg review`: walk proposed claims on a terminal, accept, fix or reject each, write reviewed Turtle.

The prompts live here (click); reading proposals, applying corrections and writing the reviewed
file are kg.ingest.review's, shared with the non-interactive path (`kg add --from-review`).
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.grow import source_options
from kg.cli.options import output_file, store_options

ACTIONS = {"a": "accept", "s": "fix subject", "p": "fix property", "v": "fix value", "r": "reject",
           "A": "accept all the rest", "q": "stop (the rest stay unreviewed; nothing is written)"}


def _show(number: int, total: int, p, reviewer) -> None:
    from kg.core.vocab import shorten

    vocab, names = reviewer.vocab, reviewer.resolver
    name = p.subject_label or names.label(p.subject or "") or shorten(p.subject or "?")
    subject = name + (" [new entity]" if p.subject_new else "")
    label = vocab.get(p.property).label or shorten(p.property)
    bench = p.benchmark_label or names.label(p.benchmark or "") or shorten(p.benchmark or "")
    click.echo("")
    click.echo(f"[{number}/{total}] line {p.line}: {p.stated}  ({p.locator})")
    click.echo(f"  evidence: {p.evidence}")
    click.echo(f"  subject:  {subject} ({shorten(p.subject or '')})")
    click.echo(f"  property: {label} ({shorten(p.property)})")
    extras = [f"benchmark {bench}" if p.benchmark else "",
              f"condition {p.condition!r}" if p.condition else "", f"hedge {p.hedge.lower()}",
              f"date {p.value_date}" if p.value_date else ""]
    click.echo("  " + "; ".join(e for e in extras if e))
    if p.decided_by:
        click.echo(f"  decided:  {p.decided_by}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), callback=output_file,
              help="Where to write the reviewed Turtle (default: FILE with .reviewed.ttl).")
@source_options
@store_options
def review(file: Path, output: Path | None, title: str | None, date: str | None,
           publisher: str | None, kind: str | None, url: str | None, version: str | None,
           date_basis: str | None, references: str | None, open_graph) -> None:
    """Review proposed claims one by one: accept, fix subject, property or value, or reject.

    Reads the Turtle (or CSV) `kg extract` wrote, shows each proposal with its evidence and
    how it was decided, and asks what to do. Asks for the document's title, date, publisher
    and kind when the flags do not give them. Writes the accepted claims as reviewed Turtle
    (kg:reviewStatus kg:Reviewed, or kg:Corrected when fixed), ready for `kg add`.

    Example:

        \b
        kg review proposals.ttl -o reviewed.ttl --kind PrimaryReport
    """
    from kg.core.errors import InputError
    from kg.core.files import write_atomic
    from kg.ingest.cues import Vocabulary
    from kg.ingest.resolve import Resolver
    from kg.ingest.review import (
        Reviewer,
        ask_source,
        complete_source,
        read_proposals,
        to_reviewed_turtle,
        unreviewed,
    )

    eg = open_graph()
    vocab = Vocabulary.from_store(eg.store)
    reviewer = Reviewer(Resolver.from_store(eg.store), vocab)
    rs = read_proposals(file)
    rs.source = complete_source(rs.source, title=title, date=date, publisher=publisher, kind=kind,
                                url=url, version=version, date_basis=date_basis, references=references)
    todo = unreviewed(rs)
    click.echo(f"{len(todo)} proposal(s) to review in {file} "
               f"({len(rs.proposals) - len(todo)} already reviewed)")
    click.echo("  " + ", ".join(f"{k} = {v}" for k, v in ACTIONS.items()))
    accept_rest = False
    for number, p in enumerate(todo, start=1):
        if accept_rest:
            p.status = "accept"
            continue
        index = rs.proposals.index(p)
        while p.status == "unreviewed":
            _show(number, len(todo), p, reviewer)
            action = click.prompt("  action", type=click.Choice(list(ACTIONS)), default="a",
                                  show_choices=True)
            try:
                if action in ("s", "p", "v"):  # what extraction proposed, kept as provenance
                    p.proposed_as = p.proposed_as or p.fingerprint()
                if action == "a":
                    p.status = "accept"
                elif action == "r":
                    p.status = "reject"
                elif action == "A":
                    p.status, accept_rest = "accept", True
                elif action == "q":
                    click.echo("stopped: nothing written; run kg review again to continue")
                    return
                elif action == "s":
                    what = reviewer.subject(rs, p, click.prompt("  subject (a name or kge: IRI)"))
                    rs.corrected.add(index)
                    click.echo(f"  subject is now {what}")
                elif action == "p":
                    what = reviewer.property(p, click.prompt("  property (kgp: name)"))
                    rs.corrected.add(index)
                    click.echo(f"  property is now {what}")
                elif action == "v":
                    what = reviewer.value(p, click.prompt("  value as stated", default=p.stated))
                    rs.corrected.add(index)
                    click.echo(f"  value is now {what!r}")
            except InputError as exc:
                click.echo(f"  {exc}")
    rs.source = ask_source(rs.source, click.prompt, interactive=True)
    text, accepted, rejected = to_reviewed_turtle(rs, reviewer)
    target = output or Path(file).with_suffix(".reviewed.ttl")
    write_atomic(target, text)
    click.echo(f"{accepted} accepted, {rejected} rejected: reviewed claims written to {target}")
    click.echo(f"add them with: kg add {target}")
