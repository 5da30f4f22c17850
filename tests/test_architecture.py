"""The package's shape is a promise: stages import only downward, no module circles, no private
helper reached across modules. `lint-imports` checks the layers (pyproject.toml); these tests
check what a layers contract cannot."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kg"
STAGES = ("core", "store", "load", "validate", "reconcile", "ingest", "report", "synth", "cli")


@pytest.fixture(scope="module")
def imports() -> grimp.ImportGraph:
    return grimp.build_graph("kg")  # every import statement, inside functions too


def test_no_import_circle_between_modules(imports):
    g = nx.DiGraph()
    for module in imports.modules:
        for other in imports.find_modules_directly_imported_by(module):
            g.add_edge(module, other)
    # a package's __init__ re-exporting its own modules is not a circle worth the name
    g.remove_edges_from([(a, b) for a, b in g.edges if b.startswith(a + ".")])
    cycles = list(nx.simple_cycles(g))
    assert cycles == [], cycles


def test_the_layers_contract_holds():
    from importlinter.cli import lint_imports

    assert lint_imports() == 0


def test_every_module_lives_in_a_stage():
    loose = sorted(p.name for p in SRC.glob("*.py")
                   if p.name not in ("__init__.py", "__main__.py", "graph.py"))
    assert loose == [], f"modules outside a stage package: {loose}"
    assert {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(STAGES)


def test_no_private_name_is_imported_from_another_module():
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                found += [f"{path.relative_to(SRC)}: {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []
