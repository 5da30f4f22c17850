"""The `kg` command: a thin layer over `kg.EvidenceGraph`; each command is a few lines.

Exit codes follow pySHACL: 0 ran (and conforms), 1 findings that fail (violations, or conflicts
with `--fail-on conflict`, or a write refused to keep the graph intact), 2 could not run (bad
input: unreadable or malformed Turtle, an ill-typed literal, a claim IRI defined twice with
different content, a non-Turtle file; a bad or runaway query; an unreachable store; a file that
cannot be written), 130 interrupted. Every error is one message naming the file, line or node,
never a traceback (set KG_DEBUG=1 to see one for an internal error).

kg works offline: without `--endpoint` or `--allow-network` a command refuses SPARQL SERVICE
and LOAD and any socket or URL a library might open (kg.store.netguard). Embedded queries stop at
`--timeout` (kg.store.deadline). Heavy libraries are imported inside commands so `kg --help` starts fast.
"""

from __future__ import annotations

import sys
import warnings

import click

from kg.core.errors import KgError


class KgGroup(click.Group):
    """Turns every error into one clear message and the documented exit code, never a traceback.

    KgError carries its own code; an OS error (a file that cannot be read or written, a full
    disk) is bad input or environment, 2; anything else is a bug in kg, reported as such in one
    line with the way to see the traceback. The whole command runs offline unless a store
    option permits the network (kg.store.netguard).
    """

    def invoke(self, ctx):
        import gc
        import os

        from kg.store.netguard import no_network

        # a command holds millions of small objects it never frees in cycles (quads, claims,
        # statements): the collector's default (a pass every 700 allocations, each walking the
        # young objects) cost about a fifth of `kg reconcile` and `kg table` at 100,000 claims
        # (benchmarks/results/profile-100k.md); rarer passes, same results
        gc.set_threshold(200_000, 50, 1000)

        try:
            with no_network(), warnings.catch_warnings():
                warnings.simplefilter("always")
                warnings.filterwarnings("ignore", category=DeprecationWarning)
                warnings.showwarning = _one_line_warning
                return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kg: {exc}", err=True)
            _end_if_a_query_runs_on(exc.exit_code)
            ctx.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("kg: interrupted; files are written atomically, so none is half-written",
                       err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `kg table | head`: the reader left, nothing to report
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            if os.environ.get("KG_DEBUG"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"kg: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)
        except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback by default
            if os.environ.get("KG_DEBUG"):
                raise
            click.echo(f"kg: internal error, please report it: {type(exc).__name__}: {exc}\n"
                       "  hint: set KG_DEBUG=1 to see the traceback", err=True)
            ctx.exit(2)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings (a store whose files changed, a limit a platform cannot keep) as one line."""
    click.echo(f"kg: warning: {message}", err=True)


def _end_if_a_query_runs_on(code: int) -> None:
    """A query on an on-disk store given up at --timeout or --max-memory runs on in Rust, which
    nothing can interrupt: ending the process is what stops it (kg.store.deadline)."""
    import os

    from kg.store.deadline import abandoned

    if abandoned():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg", prog_name="kg")
def main() -> None:
    """kg: an evidence graph for the AI compute race.

    Every figure is a claim with its source; kg validates the graph with SHACL, reconciles
    conflicting claims and prints a reconciled capability-vs-compute table.

    Example:

        \b
        kg table
    """


def _add_commands() -> None:
    """Each command lives in the module for its area, defined at module level."""
    from kg.cli import card, grow, history, query, reconcile, review, scale, table, validate

    for command in (validate.validate, query.stats, query.query, reconcile.reconcile, query.queries,
                    table.table, card.show, card.explain, table.export, grow.import_group,
                    grow.extract, review.review, grow.add, scale.load_command, scale.synth_command,
                    history.runs_command, history.diff_command, history.history_command):
        main.add_command(command)


_add_commands()


def run() -> None:
    """The `kg` console command: `main`, then the process ends without freeing what the command
    built. At 100,000 claims an in-memory command holds millions of Python objects and a store
    of 1.6 M quads; freeing them one by one at exit cost about a twentieth of `kg reconcile`
    (benchmarks/results/profile-100k.md), for memory the operating system takes back at once.
    Output is flushed first; a process that opened an on-disk store ends normally, so RocksDB
    closes as it expects. Tests call `main` through CliRunner and keep the ordinary teardown."""
    import contextlib
    import os

    from kg.cli import options

    options.KEPT_UNTIL_EXIT = []
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    status = code if isinstance(code, int) else (0 if code is None else 1)
    if isinstance(code, str):
        click.echo(code, err=True)
    embedded = sys.modules.get("kg.store.embedded")  # not imported: no store was opened
    if embedded is not None and embedded.opened_on_disk():
        sys.exit(status)
    with contextlib.suppress(BrokenPipeError):  # `kg table | head`: the reader left
        sys.stdout.flush()
    with contextlib.suppress(BrokenPipeError, ValueError):  # closed on a broken pipe above
        sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
