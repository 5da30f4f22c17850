"""`kg reconcile` in memory keeps its run's verdicts beside the load cache (kg.reconcile.kept)
instead of writing them into a store that ends with the process; the `kg table` after it loads
them and runs the table's queries over them (no reconciliation), keeps the table, and the next
`kg table` reads that without loading the graph at all. Every table is the one computed from
scratch, byte for byte, and nothing kept for other files or other content ever answers."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg.graph
import kg.reconcile.run
from kg import EvidenceGraph
from kg.cli.main import main
from kg.reconcile import kept
from kg.synth.generator import generate


@pytest.fixture()
def cached(tmp_path, monkeypatch) -> Path:
    """Records in a private folder, for graphs of any size."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    monkeypatch.setenv("KG_LOAD_CACHE_MIN", "0")
    return folder


def refuse(what: str):
    def refused(*_args, **_kwargs):
        raise AssertionError(what)

    return refused


def table(runner, args: list[str], fmt: str = "csv", env: dict | None = None) -> str:
    result = runner.invoke(main, ["table", *args, "--format", fmt], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_kg_reconcile_keeps_its_verdicts_and_kg_table_reads_them_then_its_own_table(
        tmp_path, cached, runner, monkeypatch):
    generate(300, tmp_path / "synth", seed=12)
    args = ["--graph", str(tmp_path / "synth")]
    view = [*args, "--since", "2024", "--columns", "params,flop", "--limit", "5"]
    fresh = {fmt: table(runner, args, fmt, env={"KG_LOAD_CACHE": "0"}) for fmt in ("csv", "md")}
    fresh["view"] = table(runner, view, env={"KG_LOAD_CACHE": "0"})
    plain = runner.invoke(main, ["reconcile", *args, "--all", "--format", "json"],
                          env={"KG_LOAD_CACHE": "0"}).output
    done = runner.invoke(main, ["reconcile", *args, "--all", "--format", "json"])
    assert done.exit_code == 0 and done.output == plain  # the same reconciliation printed
    assert len(list(cached.glob(kept.PATTERN))) == 1 and not list(cached.glob("*.table"))

    with monkeypatch.context() as m:  # the kept verdicts answer: no reconciliation
        m.setattr(kg.reconcile.run, "reconcile", refuse("reconciled although verdicts are kept"))
        assert table(runner, args) == fresh["csv"]
    assert len(list(cached.glob("*.table"))) == 1

    monkeypatch.setattr(kg.graph, "load", refuse("loaded although the table is kept"))
    assert table(runner, args) == fresh["csv"]
    assert table(runner, args, "md") == fresh["md"]
    assert table(runner, view) == fresh["view"]


def test_a_view_that_names_entities_loads_the_graph_and_still_reads_the_kept_table(
        tmp_path, cached, runner):
    generate(200, tmp_path / "synth", seed=14)
    args = ["--graph", str(tmp_path / "synth"), "--country", "Synthland 1"]
    first = table(runner, args)
    assert first == table(runner, args) == table(runner, args, env={"KG_LOAD_CACHE": "0"})


def test_verdicts_kept_for_other_content_never_answer(tmp_path, cached, runner, monkeypatch):
    generate(200, tmp_path / "synth", seed=15)
    args = ["--graph", str(tmp_path / "synth")]
    assert runner.invoke(main, ["reconcile", *args, "--format", "json"]).exit_code == 0
    claims = sorted((tmp_path / "synth").glob("claims-*.ttl"))[0]
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text + "\n# changed\n", encoding="utf-8")
    calls = []
    real = kg.reconcile.run.reconcile

    def counted(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(kg.reconcile.run, "reconcile", counted)
    assert table(runner, args) == table(runner, args, env={"KG_LOAD_CACHE": "0"})
    assert calls  # the changed files were reconciled, not answered from the old run


def test_a_damaged_or_foreign_file_is_ignored(tmp_path, cached, monkeypatch):
    generate(200, tmp_path / "synth", seed=16)
    eg = EvidenceGraph(graph=[tmp_path / "synth"])
    eg.reconcile(to_cache=True)
    from kg.load.content import content_hash

    digest = content_hash(eg.store)
    path = kept.path_for(digest)
    data = path.read_bytes()
    other = EvidenceGraph(graph=[tmp_path / "synth"])
    path.write_bytes(data.replace(digest.encode(), b"sha256:" + b"0" * 64, 1))
    assert kept.load(other.store, digest) is None  # another content's header
    path.write_bytes(data[: len(data) // 2] + b"<broken")
    assert kept.load(other.store, digest) is None  # not N-Quads: nothing loaded
    assert not other.runs()
    path.write_bytes(data)
    run_id = kept.load(other.store, digest)
    assert run_id is not None and [r.id for r in other.runs()] == [run_id]


def test_a_persistent_store_writes_its_run_as_before(tmp_path, cached):
    generate(150, tmp_path / "synth", seed=17)
    eg = EvidenceGraph(graph=[tmp_path / "synth"], store=tmp_path / "store", create=True)
    rec = eg.reconcile(to_cache=True)
    assert eg.has_reconciliation() and eg.runs()[0].id == rec.run_id
    assert not list(cached.glob(kept.PATTERN))


def test_a_lazy_graph_loads_on_first_use_and_answers_as_an_eager_one(tmp_path, cached,
                                                                       monkeypatch):
    generate(150, tmp_path / "synth", seed=18)
    eager = EvidenceGraph(graph=[tmp_path / "synth"])
    lazy = EvidenceGraph(graph=[tmp_path / "synth"], lazy=True)
    assert lazy.load_report is None and not lazy.persistent  # nothing loaded yet
    assert len(lazy.store) == len(eager.store)  # loaded once, on first use
    assert lazy.load_report is not None and lazy.load_report.triples == eager.load_report.triples
    from kg.load.content import content_hash

    assert content_hash(lazy.store) == content_hash(eager.store)  # not chained by a second load
    assert [r.model for r in lazy.capability_table().rows] == \
        [r.model for r in eager.capability_table().rows]
