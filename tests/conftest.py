"""Shared fixtures and helpers: the shipped graph loaded once, the data folders, a CLI runner, the
Turtle every test that writes a claim starts from, and the query cases every store must answer alike.

Test files import the helpers (`from conftest import ...`) instead of copying prefix blocks and
fixture builders, so a change to the claim pattern is made once.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "bad"
GROW = DATA / "grow"
MINI_GRAPH = GROW / "mini-graph"  # a small graph folder: the target of `kg add` tests
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

TURTLE_PREFIXES = """@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix kge: <https://w3id.org/kg-compute/entity/> .
@prefix kgs: <https://w3id.org/kg-compute/source/> .
@prefix kgc: <https://w3id.org/kg-compute/claim/> .
@prefix kgp: <https://w3id.org/kg-compute/prop/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""

# a model whose label is markup, with one claim: every export must show it as text
HOSTILE_MODEL = TURTLE_PREFIXES + """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kge:evil a kg:Model ; skos:prefLabel "<script>window.pwned=1</script>Evil" ; kg:developer kge:deepseek .
kgc:evil-1 a kg:Claim ; kg:subject kge:evil ;
    kg:property kgp:totalParameters ; kg:stated "7B" ; kg:hedge kg:Stated ;
    prov:wasDerivedFrom kgs:corpus-000 ; kg:locator "test" .
"""


def claim_turtle(name: str, stated: str = "7B", *, subject: str = "kge:example-model",
                 locator: str = "line 2", prefixes: bool = True) -> str:
    """One total-parameters claim about `subject` from the mini graph's example document."""
    body = (f"kgc:{name} a kg:Claim ; kg:subject {subject} ; kg:property kgp:totalParameters ;\n"
            f"  kg:stated \"{stated}\" ; kg:hedge kg:Stated ; prov:wasDerivedFrom kgs:example-doc ;\n"
            f"  kg:locator \"{locator}\" .\n")
    return TURTLE_PREFIXES + body if prefixes else body


def copy_mini_graph(tmp_path: Path) -> Path:
    """A private copy of the mini graph folder (tests that add to a graph must not share one)."""
    target = tmp_path / "graph"
    shutil.copytree(MINI_GRAPH, target)
    return target


def fixture_path(*parts: str) -> Path:
    return DATA.joinpath(*parts)


def group_of(rec, subject: str, prop: str):
    """The reconciled statement about entity `subject` (local name) and property `prop`."""
    from kg.core.vocab import KGE, KGP

    return next(g for g in rec.groups if g.subject == KGE + subject and g.property == KGP + prop)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session", autouse=True)
def private_load_cache(tmp_path_factory):
    """The load cache (kg.load.cache) in the session's own folder, never the user's
    ~/.cache: a test that loads a big graph must not leave records behind."""
    import os

    before = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))
    yield
    if before is None:
        os.environ.pop("KG_CACHE_DIR", None)
    else:
        os.environ["KG_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def shipped():
    """The shipped graph in the embedded store, loaded once for the whole run."""
    from kg import EvidenceGraph

    return EvidenceGraph()


@pytest.fixture(scope="session")
def reconciled(shipped):
    """The shipped graph's reconciliation (computed once; tests must not mutate it)."""
    return shipped.reconciliation


# the SPARQL servers every server test runs on (tests/test_server.py): kg claims to need nothing
# but the SPARQL 1.1 Protocol and Graph Store Protocol, which only holds while more than one is tested
SERVERS = ("oxigraph", "virtuoso")


@pytest.fixture(scope="session", params=SERVERS)
def sparql_server(request):
    """Each server, running on 127.0.0.1 with its own temporary database, started once per session
    (a fresh Virtuoso database takes about ten seconds) and stopped and removed at the end."""
    from kg.store.server import (
        OxigraphServer,
        VirtuosoServer,
        oxigraph_binary,
        virtuoso_binary,
        virtuoso_isql,
    )

    if request.param == "oxigraph":
        if oxigraph_binary() is None:
            pytest.skip("the `oxigraph` server command is not installed (pip install oxigraph)")
        srv = OxigraphServer()
    else:
        if virtuoso_binary() is None or virtuoso_isql() is None:
            pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; "
                        "scripts/test.sh installs it)")
        srv = VirtuosoServer()
    srv.kind = request.param
    yield srv
    srv.stop()
    assert srv.process.poll() is not None and not srv.location.exists(), \
        f"the {request.param} server was not stopped and removed"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the corpus is not at {CORPUS}: these checks read the source documents")
    return CORPUS


# ---------------------------------------------------------------- the same answers on every store


def example_bindings(text: str) -> list[dict]:
    """Bindings from the query header's `# Example: --bind a=b ...` lines."""
    from kg.store.queries import parse_binding

    found = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*Example:\s*(.*)", line)
        if m:
            found.append(dict(parse_binding(b) for b in re.findall(r"--bind\s+(\S+)", m.group(1))))
    return found


def required_parameters(nq) -> bool:
    text = nq.parameters.lower()
    return bool(text) and not text.startswith("none") and "required" in text


# queries about a persistent store's own records (what `kg load` loaded, the scratch graphs of
# reconciles), which an in-memory store never keeps: tests/test_queries.py runs them on a store
STORE_RECORDS = {"load-state", "load-files-defining", "load-file-subjects", "pending-graphs"}


def query_cases() -> list[tuple[str, str, dict]]:
    """(case name, query text, bindings) for every named query: unbound when nothing is required,
    and once per `# Example:` line (a query with required parameters must have one)."""
    from kg.store.queries import list_queries

    cases = []
    for nq in list_queries():
        if re.search(r"(?m)^#\s*Differs by store:", nq.text):
            continue  # each store's own run ids and times (queries/runs.rq): nothing to compare
        if nq.name in STORE_RECORDS:
            continue
        examples = example_bindings(nq.text)
        if not required_parameters(nq):
            cases.append((nq.name, nq.text, {}))
        for i, b in enumerate(examples):
            cases.append((f"{nq.name}[example {i + 1}]", nq.text, b))
    return cases


def answers(store, text: str, bindings: dict) -> list[tuple]:
    """Rows as sorted tuples of N-Triples terms: comparable across stores, order aside."""
    import pyoxigraph as ox

    def cell(t) -> str:
        if t is None:
            return ""
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)  # blank node ids are per store

    code = re.sub(r"(?m)#[^\n]*", "", text)
    if re.search(r"^\s*CONSTRUCT\b", code, re.I | re.M):
        triples = store.construct(text, bindings)
        return sorted((cell(t.subject), cell(t.predicate), cell(t.object)) for t in triples)
    if re.search(r"^\s*ASK\b", code, re.I | re.M):
        return [(str(store.ask(text, bindings)),)]
    rows = store.select(text, bindings)
    return sorted(tuple(cell(r.get(v)) for v in rows.variables) for r in rows)


def reconciliation_json(eg) -> str:
    from kg.report.reconciliation import to_json

    return to_json(eg.reconcile(), everything=True)


# ---------------------------------------------------------------- Virtuoso's literal forms

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD_NS + t for t in ("double", "float", "decimal", "integer", "int", "long", "boolean")}


def value_form(cell: str):
    """An N-Triples cell as ("num", value) for numbers and booleans, else ("term", text): the two
    differences of form, not of value, that Virtuoso 7.2 has (README, Stores):

    - booleans: Virtuoso answers "1"/"0" for stored xsd:boolean values, and "1"/"0" typed
      xsd:integer for EXISTS and comparisons: both read as 1 and 0 here, like true and false;
    - numbers: Virtuoso writes a double in its SPARQL results with about 6 significant digits
      ("0.133333" for 0.13333333333333333, virtuoso-opensource issue 1006) and may answer a
      whole double as a decimal; numbers are compared by value, within a relative 1e-5.
    """
    import re as _re

    m = _re.fullmatch(r'"(.*)"\^\^<(.+)>', cell, _re.S)
    if not m or m.group(2) not in _NUMERIC:
        return ("term", cell)
    text = m.group(1)
    if text in ("true", "false"):
        return ("num", 1.0 if text == "true" else 0.0)
    try:
        return ("num", float(text))
    except ValueError:
        return ("term", cell)


def same_values(mine: list[tuple], theirs: list[tuple], rel: float = 1e-5) -> bool:
    """Whether two answers hold the same rows, numbers within `rel` (see value_form)."""
    import math

    a = sorted(tuple(value_form(c) for c in row) for row in mine)
    b = sorted(tuple(value_form(c) for c in row) for row in theirs)
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if len(x) != len(y):
            return False
        for (kx, vx), (ky, vy) in zip(x, y, strict=True):
            if kx != ky:
                return False
            if kx == "num" and not math.isclose(vx, vy, rel_tol=rel, abs_tol=1e-9):
                return False
            if kx == "term" and vx != vy:
                return False
    return True


def close_json(mine, theirs, rel: float = 1e-5) -> bool:
    """Two parsed JSON documents equal but for floats within `rel`."""
    import math

    if isinstance(mine, float) or isinstance(theirs, float):
        return (isinstance(mine, (int, float)) and isinstance(theirs, (int, float))
                and math.isclose(mine, theirs, rel_tol=rel, abs_tol=1e-9))
    if isinstance(mine, list) and isinstance(theirs, list):
        return len(mine) == len(theirs) and all(close_json(x, y, rel)
                                                for x, y in zip(mine, theirs, strict=True))
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return mine.keys() == theirs.keys() and all(close_json(mine[k], theirs[k], rel) for k in mine)
    return mine == theirs
