"""The README is tested like code: its set-up commands, its command list and its notebook example."""

from __future__ import annotations

import re

from conftest import ROOT
from kg.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_readme_opens_with_exactly_two_setup_commands():
    first = re.search(r"```\w*\n(.*?)```", README, re.S).group(1)
    lines = [line for line in first.splitlines() if line.strip()]
    assert len(lines) == 2
    install_and_run, install_and_test = lines
    assert "pip install" in install_and_run and install_and_run.rstrip().endswith("kg table")
    assert install_and_test == "bash scripts/test.sh"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test.sh" in ci
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "pip install" in script and "pytest" in script and "chromium" in script


def test_every_command_in_the_readme_exists_and_has_an_example(runner):
    named = set(re.findall(r"^\| `kg (\w+)", README, re.M))
    assert {"table", "reconcile", "validate", "query", "export", "import", "extract", "add"} <= named
    for command in sorted(named | {"queries", "stats"}):
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0, f"kg {command} --help failed"
        assert "Example:" in result.output, f"kg {command} --help has no Example:"


def test_notebook_example_runs():
    block = code_blocks("python")[0]
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    df = namespace["df"]
    assert "DeepSeek-V3" in set(df.model)
    assert namespace["rec"].conflicts
    assert len(namespace["g"]) > 1000


def test_every_named_query_in_the_readme_exists():
    from kg.store.queries import list_queries

    known = {q.name for q in list_queries()}
    paragraph = README[README.index("Named queries"):README.index("## Growing the graph")]
    mentioned = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", paragraph))
    assert mentioned, "the README lists the named queries"
    assert mentioned <= known, f"the README names queries that do not exist: {mentioned - known}"


def _code_map() -> str:
    return README[README.index("## Code map"):README.index("## Tests and benchmarks")]


def test_the_code_map_names_every_module_and_only_modules_that_exist():
    """The README's code map stays true: each module under src/kg appears, and nothing else."""
    package = ROOT / "src" / "kg"
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if p.name != "__init__.py" or p.parent == package}
    named = {m for m in re.findall(r"`([\w/]+\.py)`", _code_map()) if not m.startswith("tests/")}
    assert modules - named == set(), f"modules missing from the README's code map: {modules - named}"
    assert named - modules == set(), f"the code map names modules that do not exist: {named - modules}"
    subpackages = {p.parent.relative_to(package).as_posix() + "/" for p in package.rglob("__init__.py")
                   if p.parent != package}
    headed = set(re.findall(r"\*\*([\w/]+/)\*\*", _code_map()))
    assert subpackages == headed, "each subpackage has its own heading in the code map"


def test_the_code_map_states_the_layer_rule_the_contract_enforces():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    stated = re.search(r"`cli` → .*`core`", _code_map()).group(0).replace("`", "")
    assert [s.strip() for s in stated.split("→")] == [
        " | ".join(part.removeprefix("kg.") for part in layer.split(" | ")) for layer in layers]


def test_every_source_path_the_readme_names_exists():
    for path in re.findall(r"`(src/kg/[\w/.]*)`", README):
        assert (ROOT / path).exists(), f"the README names {path}, which does not exist"
