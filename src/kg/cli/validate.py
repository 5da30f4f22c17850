"""`kg validate`: the SHACL shapes and domain checks over graph + ontology."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from kg.cli.options import output_options, store_options


@click.command()
@click.option("--only", "only", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Validate only the nodes this Turtle file defines, each with its neighbourhood "
                   "(incremental: fast on a large graph).")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: the shapes as queries on the store; pyshacl: the reference engine (slow).")
@store_options
@output_options("table", "json")
def validate(only: Path | None, engine: str, open_graph, fmt: str) -> None:
    """Validate graph + ontology against the SHACL shapes.

    Exit 0 when the graph conforms, 1 on violations, 2 when it could not run. With --only and
    no --graph, the file is validated against the shipped graph (graph/ plus the file).

    Example:

        \b
        kg validate --graph graph/ --graph my-claims.ttl --only my-claims.ttl
    """
    from kg.validate.text import validation_text

    opts = open_graph.keywords
    if only is not None and not (opts["store"] or opts["endpoint"]):
        # --only FILE validates that file against the graph: read it too if --graph does not
        from kg.core.files import inside
        from kg.core.resources import GRAPH

        graph = [Path(g) for g in opts["graph"]] or [GRAPH]
        if not any(only.resolve() == g.resolve() or (g.is_dir() and inside(only, g)) for g in graph):
            open_graph = functools.partial(open_graph, graph=tuple(graph) + (only,))
    eg = open_graph()
    report = eg.validate(only=only, engine=engine)
    if fmt == "json":
        from kg.core.tabular import json_text

        click.echo(json_text(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(validation_text(report))
    if not report.conforms:
        sys.exit(1)
