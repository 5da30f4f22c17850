"""Every option of every command is run by at least one test (issue 18: `kg reconcile --priors`
failed on every store, always, and no test had ever passed it).

The commands and their options come from click itself, so a new option without a test fails
here. An option counts as run when a test's argument list names it together with its command:
a list or tuple literal holding the command's name and the option, or a call whose arguments
do (tests that build argument lists from a table, as tests/test_store_matrix.py does, name the
command and its options in the same literal). The options every store-reading command shares
(`--graph`, `--store`, `--endpoint`, ...) come from one decorator and are checked command by
command too, since each command reads the store its own way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import click

from kg.cli.main import main

TESTS = Path(__file__).resolve().parent


def commands() -> dict[str, click.Command]:
    """'import epoch' -> the command, for every leaf command."""
    found = {}

    def walk(cmd: click.Command, path: list[str]) -> None:
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, path + [name])
        else:
            found[" ".join(path)] = cmd

    walk(main, [])
    return found


def options(cmd: click.Command) -> dict[str, set[str]]:
    """Each option (by its first long name) -> every spelling of it."""
    ctx = click.Context(cmd)
    return {next(o for o in p.opts if o.startswith("--")): set(p.opts + p.secondary_opts)
            for p in cmd.get_params(ctx) if isinstance(p, click.Option)}


def argument_lists() -> list[set[str]]:
    """The string constants of every list, tuple and call in the tests, one set per node; a name
    spread into a list (`*SHARED`) counts with the strings it was assigned at module level."""
    found = []
    for path in TESTS.glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = {target.id: _strings(node.value, {})
                 for node in tree.body if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.List | ast.Tuple | ast.Call):
                items = node.elts if not isinstance(node, ast.Call) else node.args
                strings = set().union(*(_strings(item, named) for item in items)) if items else set()
                for s in list(strings):
                    strings |= set(s.split())  # "load --sync" names a command and its option
                if strings:
                    found.append(strings)
    return found


def _strings(node: ast.AST, named: dict[str, set[str]]) -> set[str]:
    out = set()
    for e in ast.walk(node):
        if isinstance(e, ast.Constant) and isinstance(e.value, str):
            out.add(e.value)
        elif isinstance(e, ast.Name) and e.id in named:
            out |= named[e.id]
    return out


def untested() -> list[str]:
    lists = argument_lists()
    missing = []
    for name, cmd in commands().items():
        words = name.split()
        for option, spellings in options(cmd).items():
            if option == "--help":
                continue
            if not any(set(words) <= strings and spellings & strings for strings in lists):
                missing.append(f"kg {name} {option}")
    return missing


def test_every_option_of_every_command_is_run_by_a_test():
    assert untested() == []


def test_help_of_every_command_runs_and_shows_an_example(runner):
    """Each example line of the docstring is printed as one line (click rewraps a paragraph
    unless it starts with a \\b line, which ran `kg table`'s two examples together)."""
    import inspect

    for name in commands():
        result = runner.invoke(main, [*name.split(), "--help"], terminal_width=80)
        assert result.exit_code == 0 and "Example:" in result.output, name
        command = main
        for word in name.split():
            command = command.commands[word]
        doc = inspect.cleandoc(command.callback.__doc__ or "")
        examples = [line.strip() for line in doc.split("Example:", 1)[-1].splitlines()
                    if line.strip().startswith("kg ")]
        printed = [line.strip() for line in result.output.splitlines()]
        assert examples and all(line in printed for line in examples), (name, examples)


# Every store-reading command once per store with every shared option, and the options no other
# test passes next to its command. "{...}" is filled in at run time (a temporary folder, the
# server's address). Each list names its command, so the check above sees what runs.
MINI = str(TESTS / "data" / "grow" / "mini-graph")
EPOCH = str(TESTS / "data" / "grow" / "epoch-sample.csv")
HARDWARE = str(TESTS / "data" / "grow" / "ml-hardware-sample.csv")
ARTICLE = str(TESTS / "data" / "grow" / "article.md")
SHARED = ["--timeout", "30", "--max-memory", "2", "--allow-network"]
IN_MEMORY = [
    ["validate", "--graph", MINI, *SHARED],
    ["query", "claims-about", "--bind", "subject=kge:example-model", "--graph", MINI, *SHARED],
    ["stats", "--graph", MINI, *SHARED],
    ["reconcile", "--graph", MINI, "--fail-on", "conflict", *SHARED],
    ["table", "--graph", MINI, *SHARED],
    ["table", "--graph", MINI, "--until", "2026", "--limit", "3"],
    ["show", "Example Model", "--graph", MINI, *SHARED],
    ["explain", "Example Model", "params", "--graph", MINI, *SHARED],
    ["export", "--format", "md", "-o", "{out}/t.md", "--graph", MINI, *SHARED],
    ["import", "epoch", EPOCH, "--snapshot", "2025-11-03", "--hardware", HARDWARE, "--graph", MINI,
     *SHARED],
    ["import", "epoch", EPOCH, "--table", "notable-ai-models", "--graph", MINI],
    ["import", "epoch", EPOCH, "--snapshot", "2025-11-03", "--no-summary", "--graph", MINI],
    ["runs", "--graph", MINI, *SHARED],
    ["diff", "2020-01-01", "2030-01-01", "--graph", MINI, *SHARED],
    ["history", "Example Model", "params", "--graph", MINI, *SHARED],
    ["extract", ARTICLE, "--graph", MINI, *SHARED],
    ["extract", ARTICLE, "-o", "{out}/p.ttl", "--subject", "Example Model", "--title", "An article",
     "--date", "2025-01-15", "--publisher", "Example Lab", "--kind", "News", "--graph", MINI],
    ["review", "{out}/p.ttl", "-o", "{out}/r.ttl", "--title", "An article", "--date", "2025-01-15",
     "--publisher", "Example Lab", "--kind", "News", "--graph", MINI, *SHARED],
    ["synth", "--claims", "60", "--seed", "1", "--analyst-cases", "--out", "{out}/synth"],
]
ON_DISK = [
    ["load", "--store", "{store}", "--graph", MINI, *SHARED],
    ["load", "--store", "{store}", "--graph", MINI, "--append"],
    ["validate", "--store", "{store}", *SHARED],
    ["reconcile", "--store", "{store}", *SHARED],
    ["query", "claims-about", "--bind", "subject=kge:example-model", "--store", "{store}", *SHARED],
    ["stats", "--store", "{store}", *SHARED],
    ["table", "--store", "{store}", *SHARED],
    ["table", "--store", "{store}", "--run", "current"],
    ["runs", "--store", "{store}", *SHARED],
    ["diff", "2020-01-01", "current", "--store", "{store}", *SHARED],
    ["history", "Example Model", "params", "--store", "{store}", *SHARED],
    ["show", "Example Model", "--store", "{store}", *SHARED],
    ["explain", "Example Model", "params", "--store", "{store}", *SHARED],
    ["export", "--format", "csv", "-o", "{out}/t.csv", "--store", "{store}", *SHARED],
    ["import", "epoch", EPOCH, "--snapshot", "2025-11-03", "--store", "{store}", *SHARED],
    ["extract", ARTICLE, "-o", "{out}/p.ttl", "--store", "{store}", *SHARED],
    ["review", "{out}/p.ttl", "-o", "{out}/r.ttl", "--kind", "News", "--store", "{store}", *SHARED],
]
ON_A_SERVER = [
    ["load", "--endpoint", "{query}", "--update-endpoint", "{update}", "--graph", MINI, *SHARED],
    ["validate", "--endpoint", "{query}", "--update-endpoint", "{update}", *SHARED],
    ["reconcile", "--endpoint", "{query}", "--update-endpoint", "{update}", *SHARED],
    ["query", "claims-about", "--bind", "subject=kge:example-model", "--endpoint", "{query}",
     "--update-endpoint", "{update}", *SHARED],
    ["stats", "--endpoint", "{query}", "--update-endpoint", "{update}", *SHARED],
    ["table", "--endpoint", "{query}", "--update-endpoint", "{update}", *SHARED],
    ["runs", "--endpoint", "{query}", "--update-endpoint", "{update}", *SHARED],
    ["diff", "2020-01-01", "current", "--endpoint", "{query}", "--update-endpoint", "{update}",
     *SHARED],
    ["history", "Example Model", "params", "--endpoint", "{query}", "--update-endpoint", "{update}",
     *SHARED],
    ["show", "Example Model", "--endpoint", "{query}", "--update-endpoint", "{update}", *SHARED],
    ["explain", "Example Model", "params", "--endpoint", "{query}", "--update-endpoint", "{update}",
     *SHARED],
    ["export", "--format", "json", "-o", "{out}/t.json", "--endpoint", "{query}",
     "--update-endpoint", "{update}", *SHARED],
    ["import", "epoch", EPOCH, "--snapshot", "2025-11-03", "--endpoint", "{query}",
     "--update-endpoint", "{update}", *SHARED],
    ["extract", ARTICLE, "-o", "{out}/p.ttl", "--endpoint", "{query}", "--update-endpoint",
     "{update}", *SHARED],
    ["review", "{out}/p.ttl", "-o", "{out}/r.ttl", "--kind", "News", "--endpoint", "{query}",
     "--update-endpoint", "{update}", *SHARED],
]


def _run_all(runner, runs: list[list[str]], **fill: str) -> None:
    for args in runs:
        filled = [a.format(**fill) if "{" in a else a for a in args]
        # kg review asks, proposal by proposal: accept each (and name the document if asked)
        answers = "a\n" * 40 + "An article\n2025-01-15\nExample Lab\nNews\n"
        result = runner.invoke(main, filled, input=answers if args[0] == "review" else None)
        # reconcile --fail-on conflict exits 1 when there is a conflict: that is the option working
        assert result.exit_code in ((0, 1) if "--fail-on" in args else (0,)), (filled, result.output)
        assert "internal error" not in result.output


def test_every_command_in_memory_with_the_shared_options(runner, tmp_path):
    _run_all(runner, IN_MEMORY, out=str(tmp_path))


def test_every_command_on_disk_with_the_shared_options(runner, tmp_path):
    _run_all(runner, ON_DISK, out=str(tmp_path), store=str(tmp_path / "store"))


def test_every_command_on_a_server_with_the_shared_options(runner, tmp_path):
    import pytest

    from kg.store.server import OxigraphServer, oxigraph_binary

    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` server command is not installed (pip install oxigraph)")
    with OxigraphServer() as server:
        _run_all(runner, ON_A_SERVER, out=str(tmp_path), query=server.query_url,
                 update=server.update_url)
