"""Every example in a docstring runs, so the examples a reader copies stay true.

Each module of src/kg with a `>>>` example is run through doctest. Examples that open the shipped
graph (`EvidenceGraph()` with no arguments) are handed the session's one shipped graph, already
reconciled, so they take milliseconds, not the seconds of a fresh load and reconciliation; the
example that starts a SPARQL server runs where the `oxigraph` command is installed, as
tests/test_server.py does.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

from conftest import ROOT

SRC = ROOT / "src"
WITH_EXAMPLES = sorted(
    ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
    for path in (SRC / "kg").rglob("*.py") if ">>>" in path.read_text(encoding="utf-8"))


@pytest.fixture()
def one_shipped_graph(monkeypatch, shipped, reconciled):
    """`EvidenceGraph()` (the shipped graph) answers with the session's graph while examples run."""
    import kg.graph

    real = kg.graph.EvidenceGraph

    def evidence_graph(*args, **kwargs):
        return shipped if not args and not kwargs else real(*args, **kwargs)

    monkeypatch.setattr(kg.graph, "EvidenceGraph", evidence_graph)


def test_modules_with_examples_are_found():
    assert {"kg", "kg.graph", "kg.core.quantity", "kg.store.queries"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name, request):
    if name == "kg.store.server":
        from kg.store.server import oxigraph_binary

        if oxigraph_binary() is None:
            pytest.skip("the `oxigraph` server command is not installed (pip install oxigraph)")
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder().find(module)  # found before the shipped graph is shared
    request.getfixturevalue("one_shipped_graph")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0, f"{name} has '>>>' but doctest found no example"
    assert result.failed == 0, f"{result.failed} example(s) in {name} failed (printed above)"
