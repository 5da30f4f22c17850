"""`kg show` (one model's card) and `kg explain` (one cell): the questions after the table."""

from __future__ import annotations

import click

from kg.cli.options import echo_long, output_options, store_options, terminal_width


@click.command()
@click.argument("model")
@store_options
@output_options("table", "md", "csv", "json")
@click.option("--width", type=int, default=None,
              help="Width for people (default: the terminal's, or 100 when piped).")
def show(model: str, open_graph, fmt: str, width: int | None) -> None:
    """One model's card: every figure the graph holds about it, each with its preferred value,
    confidence, conflict (and the values that lost) and sources.

    MODEL is a name or alias ("DeepSeek V3", deepseek-v3), an IRI or a prefixed name; case,
    spaces and punctuation do not matter. An unknown name lists the nearest ones.

    Example:

        \b
        kg show "DeepSeek V3"
    """
    from kg.report.card import write_card

    eg = open_graph()
    echo_long(write_card(eg.card(model), fmt, width=width or terminal_width()))


@click.command()
@click.argument("model")
@click.argument("prop", metavar="PROPERTY")
@store_options
@output_options("table", "md", "json")
@click.option("--width", type=int, default=None,
              help="Width for people (default: the terminal's, or 100 when piped).")
def explain(model: str, prop: str, open_graph, fmt: str, width: int | None) -> None:
    """One cell explained: the value kg preferred and the ones that lost, each claim's evidence
    phrase and locator, the factors of each score, and the reconciliation run.

    PROPERTY is a table column (params, active, tokens, gpu-hours, flop, cost, mmlu, gpqa,
    swe-bench, price-in, price-out, released), a property ("total parameters") or a benchmark
    variant ("MMLU chat"). Both arguments accept names, IRIs and prefixed names.

    Example:

        \b
        kg explain deepseek-v4 params
    """
    from kg.report.card import write_explanation

    eg = open_graph()
    echo_long(write_explanation(eg.explain(model, prop), fmt, width=width or terminal_width()))
