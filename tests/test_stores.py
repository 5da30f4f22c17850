"""The same answers on every store: the whole query library and the reconciliation, embedded vs on disk.

Also: an on-disk store is loaded once and reused (the second open parses nothing), and the bulk
loader behind `kg load --store` gives the same graph as the embedded loader.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg import EvidenceGraph
from kg.store.queries import list_queries, parse_binding


def example_bindings(text: str) -> list[dict]:
    """Bindings from the query header's `# Example: --bind a=b ...` lines."""
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


def query_cases() -> list[tuple[str, str, dict | None]]:
    """(query name, query text, bindings) for every runnable case; None bindings = skip with reason."""
    cases = []
    for nq in list_queries():
        examples = example_bindings(nq.text)
        if not required_parameters(nq):
            cases.append((nq.name, nq.text, {}))
        for i, b in enumerate(examples):
            cases.append((f"{nq.name}[example {i + 1}]", nq.text, b))
        if required_parameters(nq) and not examples:
            cases.append((nq.name, nq.text, None))
    return cases


def answers(store, text: str, bindings: dict) -> list[tuple]:
    """Rows as sorted tuples of N-Triples terms: comparable across stores, order aside."""
    def cell(t) -> str:
        if t is None:
            return ""
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)  # blank node ids are per store

    if re.search(r"^\s*CONSTRUCT\b", _strip_comments(text), re.I | re.M):
        triples = store.construct(text, bindings)
        return sorted((cell(t.subject), cell(t.predicate), cell(t.object)) for t in triples)
    rows = store.select(text, bindings)
    return sorted(tuple(cell(r.get(v)) for v in rows.variables) for r in rows)


def _strip_comments(text: str) -> str:
    return re.sub(r"(?m)#[^\n]*", "", text)


def reconciliation_json(eg: EvidenceGraph) -> str:
    from kg.report.reconciliation import to_json

    return to_json(eg.reconcile(), everything=True)


CASES = query_cases()


@pytest.fixture(scope="module")
def embedded() -> EvidenceGraph:
    """A private embedded graph (the shared `shipped` fixture must not be written to)."""
    eg = EvidenceGraph()
    eg.reconcile()
    return eg


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "oxigraph"
    first = EvidenceGraph(store=path, create=True)  # a missing store is refused unless asked
    assert first.load_report is not None and first.load_report.claims > 0
    triples = len(first.store)
    del first  # release the RocksDB lock before reopening
    import gc

    gc.collect()
    eg = EvidenceGraph(store=path)
    eg.reconcile()
    return {"graph": eg, "triples_at_first_open": triples, "path": path}


def test_second_open_reuses_the_store_without_parsing(on_disk):
    eg = on_disk["graph"]
    assert eg.load_report is None, "the on-disk store was re-parsed although it held the graph"
    assert len(eg.store) >= on_disk["triples_at_first_open"]


def test_query_library_is_not_empty():
    assert len(CASES) >= 5


@pytest.mark.parametrize("name,text,bindings", CASES, ids=[c[0] for c in CASES])
def test_named_query_same_on_disk_and_embedded(name, text, bindings, embedded, on_disk):
    if bindings is None:
        pytest.skip(f"{name} has required parameters and no `# Example:` line to bind them")
    if name.startswith("load-"):
        pytest.skip("the record of a `kg load` is kept by persistent stores only (kg.load.state)")
    assert answers(on_disk["graph"].store, text, bindings) == answers(embedded.store, text, bindings)


def test_reconciliation_json_identical(embedded, on_disk):
    mine = reconciliation_json(on_disk["graph"])
    assert '"groups"' in mine
    assert mine == reconciliation_json(embedded)


def test_bulk_loader_gives_the_embedded_graph(tmp_path, embedded):
    """kg load's native path (syntax check, bulk load, normalise) = the embedded loader's graph."""
    from kg.load.bulk import load_files
    from kg.reconcile.verdicts import RUN_GRAPH
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(tmp_path / "bulk")
    report = load_files(store)
    assert report.triples == len(store) > 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert answers(store, count, {}) == answers(embedded.store, count, {})
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert answers(store, everything, {}) == answers(embedded.store, everything, {})
    assert not store.ask(f"ASK {{ GRAPH <{RUN_GRAPH}> {{ ?s ?p ?o }} }}")


def test_bulk_loader_refuses_bad_turtle_and_keeps_the_store(tmp_path):
    from kg.core.errors import InputError
    from kg.load.bulk import load_files
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(tmp_path / "bulk")
    load_files(store)
    before = len(store)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kg-compute/ontology#> .\nkg:a kg:b .\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.ttl"):
        load_files(store, [bad])
    assert len(store) == before
