"""Concurrent writers with real processes: each add either lands or is refused aloud, none is lost.

tests/test_add.py shows two adds both succeeding when they can wait; here the other outcome (a
lock held too long: refused with a clear message, nothing written) and a crowd of writers where
every outcome is checked against the file, plus a writer killed mid-write.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, claim_turtle, copy_mini_graph


@pytest.fixture()
def graph(tmp_path) -> Path:
    return copy_mini_graph(tmp_path)


def _file(tmp_path: Path, i: int) -> Path:
    path = tmp_path / f"crowd-{i}.ttl"
    path.write_text(claim_turtle(f"crowd-{i}", f"{i + 1}B", locator=f"line {i + 1}"))
    return path


def _kg(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli.main", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


HOLD = ("import sys, time; from filelock import FileLock; lock = FileLock(sys.argv[1]); "
        "lock.acquire(); print('held', flush=True); time.sleep(float(sys.argv[2]))")


def test_a_writer_that_cannot_get_the_lock_is_refused_and_writes_nothing(graph, tmp_path):
    from kg.ingest.add import LOCK_NAME

    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(graph / LOCK_NAME), "30"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = {p: p.read_bytes() for p in graph.rglob("*.ttl")}
        waiting = _kg("add", str(_file(tmp_path, 0)), "--graph-dir", str(graph), "--wait", "0.5")
        out, err = waiting.communicate(timeout=120)
        assert waiting.returncode == 1, (out, err)
        assert "is locked by another `kg add`" in err and "nothing was written" in err
        assert "Traceback" not in err
        assert {p: p.read_bytes() for p in graph.rglob("*.ttl")} == before
    finally:
        holder.kill()
        holder.wait()
    # the lock dies with its holder: the same add now goes through
    retry = _kg("add", str(_file(tmp_path, 0)), "--graph-dir", str(graph), "--wait", "10")
    out, err = retry.communicate(timeout=120)
    assert retry.returncode == 0, err
    assert "kgc:crowd-0" in (graph / "added" / "crowd-0.ttl").read_text()


def test_a_crowd_of_writers_loses_nothing(graph, tmp_path):
    """Four adds into one file at once, short waits: each lands or says it was refused."""
    target = graph / "added" / "crowd.ttl"
    procs = [_kg("add", str(_file(tmp_path, i)), "--graph-dir", str(graph), "--into", str(target),
                 "--wait", "3") for i in range(4)]
    outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    text = target.read_text() if target.exists() else ""
    for i, (code, out, err) in enumerate(outcomes):
        assert "Traceback" not in err
        if code == 0:
            assert f"kgc:crowd-{i} " in text, (i, out, err)
        else:
            assert code == 1 and "is locked" in err, (i, code, err)
            assert f"kgc:crowd-{i} " not in text
    assert any(code == 0 for code, _, _ in outcomes)


KILLED = """
import os, sys, time
import kg.core.files
real = os.replace
def slow(src, dst):
    print("writing", flush=True)
    time.sleep(60)
    real(src, dst)
os.replace = slow
from kg.ingest.add import add
add(sys.argv[1], sys.argv[2], into=sys.argv[3], wait=30)
"""


def test_a_writer_killed_mid_write_leaves_the_file_as_it_was(graph, tmp_path):
    from kg.ingest.add import add

    target = graph / "added" / "kept.ttl"
    add(_file(tmp_path, 0), graph, into=target)
    before = {p: p.read_bytes() for p in graph.rglob("*.ttl")}
    writer = subprocess.Popen([sys.executable, "-c", KILLED, str(_file(tmp_path, 1)), str(graph),
                               str(target)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert writer.stdout.readline().strip() == "writing"  # the new bytes are in a temporary file
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert {p: p.read_bytes() for p in graph.rglob("*.ttl")} == before
    # the killed writer's lock is gone with it, and its temporary file is never read as graph
    started = time.monotonic()
    add(_file(tmp_path, 2), graph, into=target, wait=5)
    assert time.monotonic() - started < 5
    assert "kgc:crowd-2 " in target.read_text() and "kgc:crowd-1 " not in target.read_text()
