"""`kg add`: validate before writing, refuse collisions, write atomically, lock against races."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli.main import main
from kg.core.errors import WriteRefused
from kg.ingest.add import LOCK_NAME, add

MINI = Path(__file__).parent / "data" / "grow" / "mini-graph"
PREFIXES = """@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix kge: <https://w3id.org/kg-compute/entity/> .
@prefix kgs: <https://w3id.org/kg-compute/source/> .
@prefix kgc: <https://w3id.org/kg-compute/claim/> .
@prefix kgp: <https://w3id.org/kg-compute/prop/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""


def claim(name: str, stated: str = "7B", subject: str = "kge:example-model") -> str:
    return (f"kgc:{name} a kg:Claim ; kg:subject {subject} ; kg:property kgp:totalParameters ;\n"
            f"  kg:stated \"{stated}\" ; kg:hedge kg:Stated ; prov:wasDerivedFrom kgs:example-doc ;\n"
            f"  kg:locator \"line 2\" .\n")


@pytest.fixture()
def graph(tmp_path) -> Path:
    target = tmp_path / "graph"
    shutil.copytree(MINI, target)
    return target


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(PREFIXES + body)
    return path


def test_add_merges_and_is_idempotent(graph, tmp_path):
    f = write(tmp_path, "new.ttl", claim("added-1"))
    result = add(f, graph)
    assert result.target == graph / "added" / "new.ttl" and result.claims == 1
    assert "kgc:added-1" in result.target.read_text()
    again = add(f, graph)
    assert again.unchanged and again.added_triples == 0
    second = add(write(tmp_path, "more.ttl", claim("added-2", "8B")), graph, into=result.target)
    text = result.target.read_text()
    assert second.added_triples > 0 and "kgc:added-1" in text and "kgc:added-2" in text


def test_collision_is_refused_by_name(graph, tmp_path):
    before = {p: p.read_bytes() for p in graph.rglob("*.ttl")}
    f = write(tmp_path, "clash.ttl", claim("example-001-params", "80B"))
    with pytest.raises(WriteRefused, match="example-001-params"):
        add(f, graph)
    assert {p: p.read_bytes() for p in graph.rglob("*.ttl")} == before


def test_invalid_merge_is_refused_with_violations(graph, tmp_path):
    f = write(tmp_path, "bad.ttl", claim("bad-1", subject="kge:no-such-entity"))
    with pytest.raises(WriteRefused, match="would not conform") as exc:
        add(f, graph)
    assert "subject" in str(exc.value)
    assert not (graph / "added").exists()


def test_cli_add_reports_and_refuses(graph, tmp_path, runner):
    ok = runner.invoke(main, ["add", str(write(tmp_path, "c.ttl", claim("cli-1"))),
                              "--graph-dir", str(graph)])
    assert ok.exit_code == 0 and "1 claim(s)" in ok.output, ok.output
    bad = runner.invoke(main, ["add", str(write(tmp_path, "d.ttl", claim("example-001-params", "9B"))),
                               "--graph-dir", str(graph)])
    assert bad.exit_code == 1 and "different content" in bad.output
    assert "Example:" in runner.invoke(main, ["add", "--help"]).output


def test_a_held_lock_refuses_cleanly(graph, tmp_path):
    from filelock import FileLock

    with FileLock(str(graph / LOCK_NAME)), pytest.raises(WriteRefused, match="locked"):
        add(write(tmp_path, "e.ttl", claim("locked-1")), graph, wait=0.2)


def test_two_processes_adding_at_once_lose_nothing(graph, tmp_path):
    files = [write(tmp_path, f"p{i}.ttl", claim(f"proc-{i}", f"{i + 1}B")) for i in range(2)]
    target = graph / "added" / "shared.ttl"
    code = ("import sys; from kg.ingest.add import add; "
            "add(sys.argv[1], sys.argv[2], into=sys.argv[3], wait=120)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(f), str(graph), str(target)],
                              stderr=subprocess.PIPE, text=True) for f in files]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert all(rc == 0 for rc, _ in results), results
    text = target.read_text()
    assert "kgc:proc-0" in text and "kgc:proc-1" in text
