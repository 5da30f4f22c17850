"""`kg add`: validate before writing, refuse collisions, write atomically, lock against races."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import claim_turtle, copy_mini_graph
from kg.cli.main import main
from kg.core.errors import WriteRefused
from kg.ingest.add import LOCK_NAME, add


@pytest.fixture()
def graph(tmp_path) -> Path:
    return copy_mini_graph(tmp_path)


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


def test_add_merges_and_is_idempotent(graph, tmp_path):
    f = write(tmp_path, "new.ttl", claim_turtle("added-1"))
    result = add(f, graph)
    assert result.target == graph / "added" / "new.ttl" and result.claims == 1
    assert "kgc:added-1" in result.target.read_text()
    again = add(f, graph)
    assert again.unchanged and again.added_triples == 0
    second = add(write(tmp_path, "more.ttl", claim_turtle("added-2", "8B")), graph, into=result.target)
    text = result.target.read_text()
    assert second.added_triples > 0 and "kgc:added-1" in text and "kgc:added-2" in text


def test_collision_is_refused_by_name(graph, tmp_path):
    before = {p: p.read_bytes() for p in graph.rglob("*.ttl")}
    f = write(tmp_path, "clash.ttl", claim_turtle("example-001-params", "80B"))
    with pytest.raises(WriteRefused, match="example-001-params"):
        add(f, graph)
    assert {p: p.read_bytes() for p in graph.rglob("*.ttl")} == before


def test_invalid_merge_is_refused_with_violations(graph, tmp_path):
    f = write(tmp_path, "bad.ttl", claim_turtle("bad-1", subject="kge:no-such-entity"))
    with pytest.raises(WriteRefused, match="would not conform") as exc:
        add(f, graph)
    assert "subject" in str(exc.value)
    assert not (graph / "added").exists()


def test_cli_add_reports_and_refuses(graph, tmp_path, runner):
    ok = runner.invoke(main, ["add", str(write(tmp_path, "c.ttl", claim_turtle("cli-1"))),
                              "--graph-dir", str(graph)])
    assert ok.exit_code == 0 and "1 claim(s)" in ok.output, ok.output
    bad = runner.invoke(main, ["add", str(write(tmp_path, "d.ttl", claim_turtle("example-001-params", "9B"))),
                               "--graph-dir", str(graph)])
    assert bad.exit_code == 1 and "different content" in bad.output
    assert "Example:" in runner.invoke(main, ["add", "--help"]).output
    quiet = runner.invoke(main, ["add", str(write(tmp_path, "e.ttl", claim_turtle("cli-2"))),
                                 "--graph-dir", str(graph), "--no-summary"])
    assert quiet.exit_code == 0 and "1 claim(s)" in quiet.output, quiet.output
    told = runner.invoke(main, ["add", str(write(tmp_path, "f.ttl", claim_turtle("cli-3"))),
                                "--graph-dir", str(graph), "--summary"])
    assert told.exit_code == 0 and len(told.output.splitlines()) > len(quiet.output.splitlines())


def test_a_held_lock_refuses_cleanly(graph, tmp_path):
    from filelock import FileLock

    with FileLock(str(graph / LOCK_NAME)), pytest.raises(WriteRefused, match="locked"):
        add(write(tmp_path, "e.ttl", claim_turtle("locked-1")), graph, wait=0.2)


def test_two_processes_adding_at_once_lose_nothing(graph, tmp_path):
    files = [write(tmp_path, f"p{i}.ttl", claim_turtle(f"proc-{i}", f"{i + 1}B")) for i in range(2)]
    target = graph / "added" / "shared.ttl"
    code = ("import sys; from kg.ingest.add import add; "
            "add(sys.argv[1], sys.argv[2], into=sys.argv[3], wait=120)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(f), str(graph), str(target)],
                              stderr=subprocess.PIPE, text=True) for f in files]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert all(rc == 0 for rc, _ in results), results
    text = target.read_text()
    assert "kgc:proc-0" in text and "kgc:proc-1" in text
