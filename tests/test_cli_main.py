"""The `kg` process as a shell runs it (kg.cli.main.run): an in-memory command ends without
freeing what it built, so its output must be complete, flushed and its exit code the documented
one; a process that opened an on-disk store ends normally."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

GRAPH = ROOT / "graph"


def kg(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT, **kw)


def test_output_is_complete_and_the_same_as_through_the_library(runner):
    from kg.cli.main import main

    done = kg("reconcile", "--format", "json", "--graph", str(GRAPH))
    assert done.returncode == 0, done.stderr
    through = runner.invoke(main, ["reconcile", "--format", "json", "--graph", str(GRAPH)])
    assert done.stdout == through.stdout
    assert done.stdout.endswith("}\n")


def test_exit_codes_are_kept():
    missing = kg("validate", "--graph", str(ROOT / "tests" / "data" / "no-such-folder"))
    assert missing.returncode == 2
    assert "no such file or folder" in missing.stderr
    bad = kg("validate", "--graph", str(ROOT / "tests" / "data" / "bad" / "syntax-error.ttl"))
    assert bad.returncode == 2 and "syntax-error.ttl" in bad.stderr
    conflicts = kg("reconcile", "--fail-on", "conflict", "--graph", str(GRAPH))
    assert conflicts.returncode == 1 and "conflict(s) found" in conflicts.stderr


def test_a_reader_that_leaves_early_ends_it_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "reconcile", "--graph", str(GRAPH)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0
    assert b"Traceback" not in err and b"internal error" not in err


@pytest.mark.parametrize("command", [["table", "--format", "csv"], ["runs"]])
def test_a_store_on_disk_is_closed_and_opens_again(tmp_path, command):
    store = str(tmp_path / "store")
    loaded = kg("load", "--store", store, "--graph", str(GRAPH))
    assert loaded.returncode == 0, loaded.stderr
    first = kg(*command, "--store", store)
    again = kg(*command, "--store", store)  # a store left locked or damaged would refuse this
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert first.stdout == again.stdout and first.stdout
