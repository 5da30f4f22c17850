"""Issue 18, hardening round two: each defect the adversarial round found, with the test that
failed before its fix. The classes behind them have their own files: tests/test_fuzz.py (every
parser of user text), tests/test_injection.py (every output format), tests/test_store_matrix.py
(every command on every store when it is missing, incomplete, locked, unreachable or slow) and
tests/test_options.py (every option of every command is run by some test).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kg.cli.main import main

DATA = Path(__file__).parent / "data"
MINI = DATA / "grow" / "mini-graph"
PREFIXES = """@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix kge: <https://w3id.org/kg-compute/entity/> .
@prefix kgs: <https://w3id.org/kg-compute/source/> .
@prefix kgc: <https://w3id.org/kg-compute/claim/> .
@prefix kgp: <https://w3id.org/kg-compute/prop/> .
@prefix kgu: <https://w3id.org/kg-compute/unit/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def claim(name: str, prop: str, stated: str, extra: str = "") -> str:
    """One claim about the mini graph's example model, read in its example document."""
    return (f"kgc:{name} a kg:Claim ; kg:subject kge:example-model ; kg:property kgp:{prop} ;\n"
            f'    kg:stated "{stated}" ; kg:hedge kg:Stated ; prov:wasDerivedFrom kgs:example-doc ;\n'
            f'    kg:locator "line 1" {extra}.\n')


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, which Python writes but JSON does not have."""
    def refuse(constant: str):
        raise ValueError(f"bare {constant} in JSON")

    return json.loads(text, parse_constant=refuse)


# ------------------------------------------------------------------ 4. impossible values

IMPOSSIBLE = PREFIXES + "".join([
    claim("nan-1", "trainingCompute", "NaN", '; kg:amount "NaN"^^xsd:double ; kg:unit kgu:FLOP '),
    claim("inf-1", "trainingCompute", "INF", '; kg:amount "INF"^^xsd:double ; kg:unit kgu:FLOP '),
    claim("flop-1", "trainingCompute", "3.4e24"),
    claim("share-1", "activeShare", "250%"),
    claim("share-2", "activeShare", "5.5%"),
    claim("score-1", "benchmarkScore", "250%", "; kg:benchmark kge:bench-x "),
    claim("score-2", "benchmarkScore", "71%", "; kg:benchmark kge:bench-x "),
    claim("rating-1", "benchmarkScore", "3206", "; kg:benchmark kge:bench-y "),
]) + ('kge:bench-x a kg:Benchmark ; skos:prefLabel "Bench X" .\n'
      'kge:bench-y a kg:Benchmark ; skos:prefLabel "Bench Y (a rating)" ; kg:scoreUnit kgu:ELO .\n')


@pytest.fixture()
def impossible(tmp_path) -> Path:
    path = tmp_path / "impossible.ttl"
    path.write_text(IMPOSSIBLE, encoding="utf-8")
    return path


def test_nan_inf_and_out_of_range_figures_are_violations(runner, impossible):
    result = runner.invoke(main, ["validate", "--graph", str(MINI), "--graph", str(impossible),
                                  "--format", "json"])
    assert result.exit_code == 1, result.output
    report = strict_json(result.output)
    fired = {(f["shape"].rsplit("/", 1)[-1], f["focus"].rsplit("/", 1)[-1]) for f in report["findings"]}
    assert {("claim-value-finite", "nan-1"), ("claim-value-finite", "inf-1"),
            ("ClaimValueInRange", "share-1"), ("ClaimValueInRange", "score-1")} <= fired
    flagged = {focus for _shape, focus in fired}
    assert not flagged & {"flop-1", "share-2", "score-2", "rating-1"}  # a rating of 3206 is fine
    share = next(f for f in report["findings"] if f["focus"].endswith("share-1"))
    assert "at most 1" in share["message"] and "'250%'" in share["message"]


def test_impossible_values_never_reach_the_table_as_bare_nan_or_agree(runner, impossible):
    table = runner.invoke(main, ["table", "--graph", str(MINI), "--graph", str(impossible),
                                 "--format", "json"])
    assert table.exit_code == 0, table.output
    strict_json(table.output)
    rec = runner.invoke(main, ["reconcile", "--graph", str(MINI), "--graph", str(impossible),
                               "--format", "json", "--all"])
    assert rec.exit_code == 0, rec.output
    groups = strict_json(rec.output)["groups"]
    flop = next(g for g in groups if g["property"].endswith("trainingCompute"))
    values = {c["value"] for c in flop["candidates"]}
    assert values == {3.4e24}, values  # INF agreed with 3.4e24 before; NaN and INF are no figures


def test_add_refuses_impossible_values(runner, tmp_path, impossible):
    graph = tmp_path / "graph"
    shutil.copytree(MINI, graph)
    before = sorted(p.name for p in graph.rglob("*.ttl"))
    for name in ("nan-1", "share-1", "score-1"):
        one = tmp_path / f"{name}.ttl"
        block = next(b for b in IMPOSSIBLE.split("kgc:")[1:] if b.startswith(name))
        bench = 'kge:bench-x a kg:Benchmark ; skos:prefLabel "Bench X" .\n' if "score" in name else ""
        one.write_text(PREFIXES + "kgc:" + block.split("kge:bench-x a")[0] + bench, encoding="utf-8")
        result = runner.invoke(main, ["add", str(one), "--graph-dir", str(graph)])
        assert result.exit_code == 1, result.output
        assert "would not conform" in result.output and "nothing was written" in result.output
    assert sorted(p.name for p in graph.rglob("*.ttl")) == before


# ------------------------------------------------------------------ 1. long figures (the parser)


def test_a_long_figure_in_the_graph_is_one_violation_not_a_hang(runner, tmp_path):
    """"671B" and 100,000 digits made kg validate run past 100 s (issue 18)."""
    long = tmp_path / "long.ttl"
    long.write_text(PREFIXES + claim("long-1", "totalParameters", "671B" + "1" * 100_000),
                    encoding="utf-8")
    result = runner.invoke(main, ["validate", "--graph", str(MINI), "--graph", str(long)])
    assert result.exit_code == 1, result.output[-500:]
    assert "100,004 characters is no figure" in result.output
    assert len(result.output) < 5_000  # the value is shown by its start and length, not whole


# ------------------------------------------------------------------ 8. a 10 MB literal


@pytest.fixture(scope="module")
def big_literal(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.ttl"
    path.write_text(PREFIXES + 'kge:example-model kg:note "' + "x" * 10_000_000 + '" .\n'
                    + claim("big-evidence", "totalParameters", "70B",
                            '; kg:evidence "' + "y" * 10_000_000 + '" '), encoding="utf-8")
    return path


NOTE = "SELECT ?o WHERE { ?s <https://w3id.org/kg-compute/ontology#note> ?o }"


def test_a_10_mb_literal_comes_back_whole_from_every_store(big_literal, tmp_path):
    """"internal error: MemoryError: Reached the buffer maximal size" before (issue 18)."""
    from kg import EvidenceGraph
    from kg.store.server import OxigraphServer, oxigraph_binary

    stores = {"memory": EvidenceGraph([MINI, big_literal]),
              "disk": EvidenceGraph([MINI, big_literal], store=tmp_path / "s", create=True)}
    for name, eg in stores.items():
        rows = eg.store.select(NOTE)
        assert len(rows[0]["o"].value) == 10_000_000, name
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` server command is not installed")
    with OxigraphServer() as server:
        from click.testing import CliRunner

        load = CliRunner().invoke(main, ["load", "--endpoint", server.query_url, "--graph", str(MINI),
                                         "--graph", str(big_literal)])
        assert load.exit_code == 0, load.output
        eg = EvidenceGraph(endpoint=server.query_url)
        assert len(eg.store.select(NOTE)[0]["o"].value) == 10_000_000
        triples = eg.store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . "
                                     "FILTER(?p = <https://w3id.org/kg-compute/ontology#note>) }")
        assert len(triples[0].object.value) == 10_000_000


def test_a_10_mb_literal_through_the_cli_and_validation_is_brief(runner, big_literal):
    result = runner.invoke(main, ["query", "-", "--graph", str(MINI), "--graph", str(big_literal),
                                  "--format", "csv"], input=NOTE)
    assert result.exit_code == 0 and len(result.output) > 10_000_000
    result = runner.invoke(main, ["validate", "--graph", str(MINI), "--graph", str(big_literal)])
    assert "kgsh:claim-evidence" in result.output  # the 10 MB evidence phrase is too long...
    assert len(result.output) < 20_000  # ...and shown by its start and length
    assert "(10,000,000 characters)" in result.output


def test_a_literal_beyond_the_parsers_limit_is_one_message(runner, tmp_path):
    huge = tmp_path / "huge.ttl"
    huge.write_text(PREFIXES + 'kge:example-model kg:note "' + "x" * 20_000_000 + '" .\n',
                    encoding="utf-8")
    result = runner.invoke(main, ["validate", "--graph", str(MINI), "--graph", str(huge)])
    assert result.exit_code == 2 and "longer than 16 MiB" in result.output
    assert "internal error" not in result.output


# ------------------------------------------------------------------ 9. internal errors


@pytest.mark.parametrize("value", ["a>b", "<a}b>", "<http://x/a>b>", "http://x/a}b", "kge:a}b",
                                   '"http://x/{b}"'])
def test_bind_values_with_angle_or_brace_are_never_internal_errors(runner, value):
    result = runner.invoke(main, ["query", "claims-about", "--graph", str(MINI), "--bind",
                                  f"subject={value}"])
    assert "internal error" not in result.output, result.output
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:  # an IRI that is none, or a name no entity has
        assert ("is not a valid IRI" in result.output and "--bind" in result.output
                or "no entity is named" in result.output), result.output


def test_ask_construct_and_describe_print_their_answers(runner):
    ask = runner.invoke(main, ["query", "-", "--graph", str(MINI)], input="ASK { ?s ?p ?o }")
    assert ask.exit_code == 0 and ask.output == "true\n"
    ask_json = runner.invoke(main, ["query", "-", "--graph", str(MINI), "--format", "json"],
                             input="ASK { ?s a <urn:none> }")
    assert json.loads(ask_json.output) == {"head": {}, "boolean": False}
    construct = runner.invoke(main, ["query", "-", "--graph", str(MINI)], input=(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/kg-compute/ontology#Lab> ; ?p ?o }"))
    assert construct.exit_code == 0 and "kge:example-lab" in construct.output
    update = runner.invoke(main, ["query", "-", "--graph", str(MINI)],
                           input="INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert update.exit_code == 2 and "kg query only reads" in update.output


@pytest.mark.server
def test_ask_through_an_endpoint(runner):
    """"internal error" for an ASK query through --endpoint before (issue 18)."""
    from kg.store.server import OxigraphServer, oxigraph_binary

    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` server command is not installed")
    with OxigraphServer() as server:
        assert runner.invoke(main, ["load", "--endpoint", server.query_url, "--graph",
                                    str(MINI)]).exit_code == 0
        for text, expected in (("ASK { ?s ?p ?o }", "true\n"), ("ASK { ?s a <urn:x> }", "false\n")):
            result = runner.invoke(main, ["query", "-", "--endpoint", server.query_url], input=text)
            assert (result.exit_code, result.output) == (0, expected)
        described = runner.invoke(main, ["query", "-", "--endpoint", server.query_url],
                                  input="DESCRIBE <https://w3id.org/kg-compute/entity/example-lab>")
        assert described.exit_code == 0 and "Example Lab" in described.output


# ------------------------------------------------------------------ 12. smaller


def test_a_byte_order_mark_is_named_not_printed(runner, tmp_path):
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + PREFIXES.encode())
    result = runner.invoke(main, ["validate", "--graph", str(MINI), "--graph", str(bom)])
    assert result.exit_code == 2 and "\ufeff" not in result.output
    assert "bom.ttl:1: the file starts with a UTF-8 byte-order mark (U+FEFF)" in result.output
    inner = tmp_path / "inner.ttl"
    inner.write_bytes(PREFIXES.encode() + b"\xef\xbb\xbfkg:a kg:b kg:c .\n")
    result = runner.invoke(main, ["validate", "--graph", str(MINI), "--graph", str(inner)])
    assert result.exit_code == 2 and "\ufeff" not in result.output
    assert "[byte-order mark (U+FEFF)]" in result.output


def test_a_server_error_names_no_http_library_internals(runner):
    from kg.store.server import free_port

    result = runner.invoke(main, ["table", "--endpoint", f"http://127.0.0.1:{free_port()}/query"])
    assert result.exit_code == 2
    assert "connection refused (is the server running, on that port?)" in result.output
    for internal in ("HTTPConnectionPool", "Max retries", "NewConnectionError", "object at 0x"):
        assert internal not in result.output
    result = runner.invoke(main, ["table", "--endpoint", "http://no-such-host.invalid/query"])
    assert result.exit_code == 2 and "unknown host name" in result.output


def test_store_notices_are_one_line_warnings(runner, tmp_path):
    """A store loaded before kg add serves the old graph: said on standard error, and --sync."""
    graph = tmp_path / "graph"
    shutil.copytree(MINI, graph)
    store = tmp_path / "store"
    assert runner.invoke(main, ["load", "--store", str(store), "--graph", str(graph)]).exit_code == 0
    new = tmp_path / "new.ttl"
    new.write_text(PREFIXES + claim("new-1", "totalParameters", "90B"), encoding="utf-8")
    assert runner.invoke(main, ["add", str(new), "--graph-dir", str(graph)]).exit_code == 0
    result = runner.invoke(main, ["table", "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0
    assert re.search(r"kg: warning: the store at \S+ serves the graph as loaded at .*; since then "
                     r"1 file\(s\) added \(new\.ttl\)\. Bring it up to date with `kg load --store "
                     r"\S+ --sync`", result.output), result.output
    synced = runner.invoke(main, ["load", "--store", str(store), "--sync"])
    assert synced.exit_code == 0 and "re-read 1 file(s) (1 file(s) added (new.ttl))" in synced.output
    result = runner.invoke(main, ["table", "--store", str(store), "--format", "csv"])
    assert "warning" not in result.output and ",conflict," in result.output  # 70B against 90B


def test_sync_gives_the_store_a_full_load_gives(tmp_path):
    """Changed, added and removed files: --sync leaves exactly what loading afresh leaves."""
    from kg.load.bulk import load_files, sync_files
    from kg.store.embedded import OxigraphStore

    graph = tmp_path / "graph"
    shutil.copytree(MINI, graph)
    (graph / "gone.ttl").write_text(PREFIXES + claim("gone-1", "totalParameters", "8B"))
    (graph / "kept.ttl").write_text(PREFIXES + claim("kept-1", "activeParameters", "5B")
                                    + 'kge:example-model skos:altLabel "Example" .\n')
    synced = OxigraphStore(tmp_path / "synced", create=True)
    load_files(synced, [graph])
    (graph / "gone.ttl").unlink()
    entities = graph / "entities.ttl"
    entities.write_text(entities.read_text().replace('"70B"', '"75B"').replace(
        '"Example Model"', '"Example Model X"'))
    (graph / "added.ttl").write_text(PREFIXES + claim("added-1", "trainingTokens", "2T"))
    report = sync_files(synced)
    assert sorted(Path(p).name for p in report.synced.changed) == ["entities.ttl"]
    assert [Path(p).name for p in report.synced.added] == ["added.ttl"]
    assert [Path(p).name for p in report.synced.removed] == ["gone.ttl"]
    fresh = OxigraphStore(tmp_path / "fresh", create=True)
    load_files(fresh, [graph])
    def dump(store) -> list[str]:  # blank nodes labelled by content: the stores' ids differ
        import pyoxigraph as ox

        from kg.core.turtle import label_blank_nodes

        triples = [q.triple for q in ox.parse(store.dump(), format=ox.RdfFormat.N_TRIPLES)]
        return sorted(str(t) for t in label_blank_nodes(triples))

    dump_synced = dump(synced)
    assert dump_synced == dump(fresh)
    assert any('"Example"' in line for line in dump_synced)  # kept.ttl's alias survived the entity's rewrite
    assert sync_files(synced).synced.changed == []


def test_an_interrupted_sync_is_an_incomplete_load(tmp_path, monkeypatch):
    from kg.core.errors import StoreError
    from kg.load.bulk import load_files, sync_files
    from kg.load.state import check
    from kg.store.embedded import OxigraphStore

    graph = tmp_path / "graph"
    shutil.copytree(MINI, graph)
    store = OxigraphStore(tmp_path / "store", create=True)
    load_files(store, [graph])
    (graph / "added.ttl").write_text(PREFIXES + claim("added-1", "trainingTokens", "2T"))

    def killed(self, path):
        raise KeyboardInterrupt

    monkeypatch.setattr(OxigraphStore, "load_file", killed)
    with pytest.raises(KeyboardInterrupt):
        sync_files(store)
    with pytest.raises(StoreError, match="incomplete load"):
        check(store, where="the store", repair="kg load --store S")
