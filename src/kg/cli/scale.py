"""Commands for working at scale: load a graph into a persistent store or a server, and make a
synthetic graph with known truth. Each is a few lines over kg.load.bulk / kg.synth.generator."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import store_options


@click.command("load")
@click.option("--append", is_flag=True,
              help="Add the files to what the store holds instead of replacing it.")
@click.option("--sync", is_flag=True,
              help="Bring the store up to date with the files it was loaded from, re-reading "
                   "only the files changed, added or removed since (after kg add or kg import).")
@store_options
def load_command(append: bool, sync: bool, open_graph) -> None:
    """(Re)load the ontology and the graph (graph/ or --graph) into --store DIR or --endpoint URL.

    The files are syntax-checked first, then loaded natively: Oxigraph's bulk loader on
    disk, Graph Store Protocol POSTs on a server. The store records the load (started, then
    complete, with each file's hash), so later commands refuse a half-finished load and say
    when the files changed since; --sync then re-reads only what changed. A load's own queries
    (normalising values, the record) grow with the graph, so they are not timed unless
    --timeout is given.

    Example:

        \b
        kg load --store ~/.kg/store --graph synth-100k/
    """
    from kg.core.errors import InputError
    from kg.load.bulk import load_files, sync_files
    from kg.store.embedded import OxigraphStore
    from kg.store.remote import RemoteStore

    opts = open_graph.keywords
    # --timeout guards against runaway queries; a load runs none of the user's, and its own take
    # minutes at a million claims (one stopped at 60 s left a 1M load incomplete after 9 minutes)
    source = click.get_current_context().get_parameter_source("timeout")
    timeout = (opts["timeout"] or None) if source is not click.core.ParameterSource.DEFAULT else None
    if sync and (append or opts["graph"]):
        raise InputError("--sync re-reads the files the store was loaded from",
                         hint="use --sync alone, or --graph/--append without it")
    store: OxigraphStore | RemoteStore
    if opts["endpoint"]:
        store = RemoteStore(opts["endpoint"], opts["update_endpoint"], timeout=timeout)
    elif opts["store"]:
        store = OxigraphStore(opts["store"], timeout=timeout, create=not sync)
    else:
        raise InputError("kg load needs --store DIR or --endpoint URL",
                         hint="the embedded store is loaded by every command anyway")
    report = sync_files(store) if sync else load_files(store, list(opts["graph"]) or None,
                                                       replace=not append)
    click.echo(report.summary())

@click.command("synth")
@click.option("--claims", type=click.IntRange(min=1), required=True, help="How many claims.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same graph.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the Turtle, truth.tsv, claims-truth.tsv and synth.json.")
@click.option("--analyst-cases", is_flag=True,
              help="Also basis variants, snapshot revisions and constant-dollar figures.")
def synth_command(claims: int, seed: int, out: Path, analyst_cases: bool) -> None:
    """Write a synthetic graph of N claims with the true value of every statement.

    It passes `kg validate --graph OUT/` and carries the corpus's hard cases (rounding,
    scope variants, projections, copied sources, unit slips, model variants).

    Example:

        \b
        kg synth --claims 100000 --seed 1 --out synth-100k/
    """
    from kg.synth.generator import generate

    report = generate(claims, out, seed=seed, analyst_cases=analyst_cases)
    click.echo(f"wrote {report.claims} claims in {report.statements} statements about "
               f"{report.models} models from {report.documents} documents to {out}/")


