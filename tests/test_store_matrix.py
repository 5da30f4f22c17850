"""Every command on every store when the store is missing, incomplete, locked, unreachable or slow:
what the user sees, row by row as README.md's Safety section states it (`ROWS` below is that
table; a test checks the README still says the same).

Each row runs every command that reads the graph (validate, query, stats, reconcile, table,
export, import epoch, extract) and, where it applies, kg load and kg add. Servers are real
`oxigraph serve` processes on 127.0.0.1 (kg.store.server), a slow one a loopback server that
trickles its answer. A query given up on an on-disk store ends the process (kg.store.deadline),
so those rows run kg as a real subprocess.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.store.server import OxigraphServer, TricklingServer, free_port, oxigraph_binary

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
MINI = DATA / "grow" / "mini-graph"
ARTICLE = DATA / "grow" / "article.md"
EPOCH = DATA / "grow" / "epoch-sample.csv"


def commands(out: Path) -> dict[str, list[str]]:
    """Every command that reads the graph from a store, with what it needs to run."""
    return {
        "validate": ["validate"],
        "query": ["query", "claims-about", "--bind", "subject=kge:example-model"],
        "stats": ["stats"],
        "reconcile": ["reconcile"],
        "table": ["table"],
        "export": ["export", "--format", "csv", "-o", str(out / "t.csv")],
        "import": ["import", "epoch", str(EPOCH), "--snapshot", "2025-11-03"],
        "extract": ["extract", str(ARTICLE)],
    }


COMMANDS = list(commands(Path("/tmp")))


@dataclass(frozen=True)
class Row:
    store: str  # memory | disk | server
    condition: str  # missing | incomplete | locked | unreachable | slow
    sees: str  # the message every command prints (a regex), as README.md says it
    code: int


ROWS = [
    Row("memory", "missing", r"nope\.ttl: no such file or folder", 2),
    Row("memory", "incomplete", r"bad Turtle: .*nothing was loaded", 2),
    Row("memory", "locked", r"is locked by another `kg add`", 1),
    Row("memory", "unreachable", r"refused to reach the network", 2),
    Row("memory", "slow", r"was stopped after 0\.5 s \(--timeout\)", 2),
    Row("disk", "missing", r"no store at \S+typo.*create one with `kg load --store", 2),
    Row("disk", "incomplete", r"holds an incomplete load: `kg load` started at .* and never "
                              r"finished.*load it again with `kg load --store", 2),
    Row("disk", "locked", r"the store at \S+ is locked: another process has it open", 2),
    Row("disk", "unreachable", r"is not a store folder|is a folder but no Oxigraph store", 2),
    Row("disk", "slow", r"was stopped after 1 s \(--timeout\)", 2),
    Row("server", "missing", r"the server at \S+ holds no graph: nothing was loaded into it.*"
                             r"kg load --endpoint", 2),
    Row("server", "incomplete", r"the server at \S+ holds an incomplete load.*load it again with "
                                r"`kg load --endpoint", 2),
    Row("server", "locked", r"each run writes its own run graph", 0),
    Row("server", "unreachable", r"cannot reach the SPARQL server at \S+: connection refused "
                                 r"\(is the server running, on that port\?\)", 2),
    Row("server", "slow", r"the server at \S+ did not answer within 2 s \(--timeout\)", 2),
]


def test_the_readme_states_every_row():
    """README.md's Safety section is the table: each row's store, condition and message."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Safety"):]
    for row in ROWS:
        line = next((ln for ln in table.splitlines()
                     if ln.startswith(f"| {row.store} | {row.condition} |")), None)
        assert line is not None, f"README.md has no row for {row.store} / {row.condition}"
        assert f"exit {row.code}" in line, line


def run(runner: CliRunner, args: list[str]):
    result = runner.invoke(main, args)
    return result.exit_code, result.output


def expect(row: Row, code: int, output: str, command: str) -> None:
    assert code == row.code, (command, output)
    assert re.search(row.sees, output, re.S), (command, output)
    assert "Traceback" not in output and "internal error" not in output, (command, output)


# ------------------------------------------------------------------ in memory


@pytest.mark.parametrize("command", COMMANDS)
def test_memory_missing(runner, tmp_path, command):
    row = ROWS[0]
    code, output = run(runner, [*commands(tmp_path)[command], "--graph", str(tmp_path / "nope.ttl")])
    expect(row, code, output, command)


def test_memory_incomplete_cannot_happen_a_load_is_all_or_nothing(runner, tmp_path):
    """Every command reads the files itself and loads only when all of them parse."""
    row = ROWS[1]
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kg-compute/ontology#> .\nkg:a kg:b .\n")
    for command, args in commands(tmp_path).items():
        code, output = run(runner, [*args, "--graph", str(MINI), "--graph", str(bad)])
        expect(row, code, output, command)


def test_memory_locked_only_kg_add_waits_for_the_graph_folder(runner, tmp_path):
    import shutil

    from filelock import FileLock

    from kg.ingest.add import LOCK_NAME

    row = ROWS[2]
    graph = tmp_path / "graph"
    shutil.copytree(MINI, graph)
    new = tmp_path / "new.ttl"
    new.write_text((DATA / "bad" / "duplicate-a.ttl").read_text())
    with FileLock(str(graph / LOCK_NAME)):
        code, output = run(runner, ["add", str(new), "--graph-dir", str(graph), "--wait", "0.2"])
        expect(row, code, output, "add")
        code, output = run(runner, ["table", "--graph", str(graph)])  # readers do not wait
        assert code == 0, output


@pytest.mark.parametrize("command", ["validate", "table", "import", "extract"])
def test_memory_unreachable_there_is_no_network_to_reach(runner, tmp_path, command):
    """The embedded store needs nothing; a library that tries the network is refused."""
    row = ROWS[3]
    remote = DATA / "bad" / "remote-imports.ttl"
    code, output = run(runner, [*commands(tmp_path)[command], "--graph", str(MINI), "--graph", str(remote)])
    assert code == 0, output  # owl:imports are never followed
    import socket

    from kg.store.netguard import no_network

    with no_network(), pytest.raises(Exception, match=row.sees):
        socket.create_connection(("127.0.0.1", free_port()), timeout=1)


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_memory_slow(runner, tmp_path):
    row = ROWS[4]
    slow = tmp_path / "slow.rq"
    slow.write_text(SLOW)
    code, output = run(runner, ["query", str(slow), "--graph", str(MINI), "--timeout", "0.5"])
    expect(row, code, output, "query")


# ------------------------------------------------------------------ on disk


@pytest.fixture()
def loaded_store(tmp_path) -> Path:
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["load", "--store", str(store), "--graph", str(MINI)])
    assert result.exit_code == 0, result.output
    return store


def interrupt_load(monkeypatch, cls, args: list[str]) -> None:
    """`kg load` killed midway: the third file's load is interrupted (Ctrl-C, exit 130)."""
    calls = {"n": 0}
    real = cls.load_file

    def flaky(self, path):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, path)

    with monkeypatch.context() as patch:
        patch.setattr(cls, "load_file", flaky)
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 130, result.output


@pytest.mark.parametrize("command", COMMANDS + ["load --sync"])
def test_disk_missing(runner, tmp_path, command):
    row = ROWS[5]
    args = ["load", "--sync"] if command == "load --sync" else commands(tmp_path)[command]
    code, output = run(runner, [*args, "--store", str(tmp_path / "typo")])
    expect(row, code, output, command)
    assert not (tmp_path / "typo").exists()  # nothing created


def test_disk_missing_kg_load_creates_it(runner, tmp_path):
    code, output = run(runner, ["load", "--store", str(tmp_path / "new"), "--graph", str(MINI)])
    assert code == 0 and "loaded" in output


def test_disk_incomplete(runner, tmp_path, monkeypatch):
    from kg.store.embedded import OxigraphStore

    row = ROWS[6]
    store = tmp_path / "store"
    interrupt_load(monkeypatch, OxigraphStore, ["load", "--store", str(store), "--graph", str(MINI)])
    for command, args in commands(tmp_path).items():
        code, output = run(runner, [*args, "--store", str(store)])
        expect(row, code, output, command)
    code, output = run(runner, ["load", "--store", str(store), "--sync"])
    assert code == 2 and "incomplete load, which a sync cannot repair" in output
    code, output = run(runner, ["load", "--store", str(store), "--graph", str(MINI)])  # the repair
    assert code == 0, output
    assert run(runner, ["table", "--store", str(store)])[0] == 0


def test_disk_locked(runner, tmp_path, loaded_store):
    row = ROWS[7]
    holder = subprocess.Popen([sys.executable, "-c", "import pyoxigraph as ox, sys, time\n"
                               f"s = ox.Store({str(loaded_store)!r}); print('open', flush=True)\n"
                               "time.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        for command, args in [*commands(tmp_path).items(), ("load", ["load", "--graph", str(MINI)])]:
            code, output = run(runner, [*args, "--store", str(loaded_store)])
            expect(row, code, output, command)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # an unclosed pipe's ResourceWarning lands in a later test's output


@pytest.mark.parametrize("command", COMMANDS)
def test_disk_unreachable(runner, tmp_path, command):
    """A --store that is a file, or a folder kg did not make: refused, and left untouched."""
    row = ROWS[8]
    for target in (EPOCH, MINI):
        before = sorted(p.name for p in Path(target).parent.iterdir())
        code, output = run(runner, [*commands(tmp_path)[command], "--store", str(target)])
        expect(row, code, output, command)
        assert sorted(p.name for p in Path(target).parent.iterdir()) == before


def test_disk_slow_ends_the_process_at_the_deadline(tmp_path, loaded_store):
    row = ROWS[9]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kg", "query", "-", "--store", str(loaded_store),
                           "--timeout", "1"], input=SLOW, capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    expect(row, done.returncode, done.stderr, "query")
    assert time.monotonic() - started < 30  # the query itself would run for hours


def test_disk_memory_ceiling_ends_the_process(tmp_path, loaded_store):
    done = subprocess.run([sys.executable, "-m", "kg", "query", "-", "--store", str(loaded_store),
                           "--timeout", "0", "--max-memory", "0.2"],
                          input="SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g",
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "stopped at the memory ceiling of 0.2 GB (--max-memory)" in done.stderr


def test_memory_ceiling_in_memory(runner):
    result = runner.invoke(main, ["query", "-", "--graph", str(MINI), "--timeout", "0",
                                  "--max-memory", "0.2"],
                           input="SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g")
    assert result.exit_code == 2, result.output
    assert "stopped at the memory ceiling of 0.2 GB (--max-memory)" in result.output
    assert "memory allocation" not in result.output  # Rust's own complaint stays in the child


# ------------------------------------------------------------------ a server


@pytest.fixture(scope="module")
def servers():
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` server command is not installed (pip install oxigraph)")
    empty, incomplete = OxigraphServer(), OxigraphServer()
    yield {"empty": empty, "incomplete": incomplete}
    empty.stop()
    incomplete.stop()


@pytest.mark.server
@pytest.mark.parametrize("command", COMMANDS)
def test_server_missing(runner, tmp_path, servers, command):
    row = ROWS[10]
    code, output = run(runner, [*commands(tmp_path)[command], "--endpoint", servers["empty"].query_url])
    expect(row, code, output, command)


@pytest.mark.server
def test_server_incomplete(runner, tmp_path, servers, monkeypatch):
    from kg.store.remote import RemoteStore

    row = ROWS[11]
    url = servers["incomplete"].query_url
    interrupt_load(monkeypatch, RemoteStore, ["load", "--endpoint", url, "--graph", str(MINI)])
    for command, args in commands(tmp_path).items():
        code, output = run(runner, [*args, "--endpoint", url])
        expect(row, code, output, command)


@pytest.mark.server
def test_server_locked_never_two_runs_share_a_scratch_graph(tmp_path):
    """A server is never locked by kg; two reconciles at once each write their own run graph
    (they shared one scratch graph before issue 18), and a dead client's partial run is swept
    by the next reconcile."""
    from kg import EvidenceGraph
    from kg.reconcile import pending, runs
    from kg.store.queries import named_query

    row = ROWS[12]
    assert "own run graph" in row.sees
    with OxigraphServer() as server:
        load = CliRunner().invoke(main, ["load", "--endpoint", server.query_url, "--graph", str(MINI)])
        assert load.exit_code == 0, load.output
        eg = EvidenceGraph(endpoint=server.query_url)
        # a client killed mid-write: its process is gone, its half-written run graph is not
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        partial = runs.run_iri(runs.new_run_id())
        eg.store.update(f"""INSERT DATA {{ GRAPH <{partial}> {{ <urn:a> <urn:b> <urn:c> }}
            GRAPH <{pending.REGISTRY}> {{
            <{partial}> <{pending.KG}pendingOwner> "{pending.socket.gethostname()}:{dead.pid}" ;
                        <{pending.KG}pendingSince> "{pending.time.time()!r}" }} }}""")
        procs = [subprocess.Popen([sys.executable, "-m", "kg", "reconcile", "--endpoint",
                                   server.query_url], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(2)]
        for proc in procs:
            _out, err = proc.communicate(timeout=300)  # closes the pipe (no ResourceWarning later)
            assert proc.returncode == 0, err
        assert not eg.store.ask(f"ASK {{ GRAPH <{partial}> {{ ?s ?p ?o }} }}")  # swept
        assert list(eg.store.select(named_query("pending-graphs").text)) == []
        graphs = runs.run_graphs(eg.store)
        assert len(graphs) == 2 and all(complete for _g, complete in graphs)  # one each, whole
        assert runs.current(eg.store) is not None


@pytest.mark.parametrize("command", COMMANDS + ["load"])
def test_server_unreachable(runner, tmp_path, command):
    row = ROWS[13]
    url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    args = ["load"] if command == "load" else commands(tmp_path)[command]
    code, output = run(runner, [*args, "--endpoint", url])
    expect(row, code, output, command)
    assert "HTTPConnectionPool" not in output and "object at 0x" not in output


@pytest.mark.parametrize("command", COMMANDS + ["load"])
def test_server_slow(runner, tmp_path, command):
    row = ROWS[14]
    args = ["load"] if command == "load" else commands(tmp_path)[command]
    with TricklingServer("body", interval=0.2) as slow:
        started = time.monotonic()
        code, output = run(runner, [*args, "--endpoint", slow.query_url, "--timeout", "2"])
        assert time.monotonic() - started < 15
    expect(row, code, output, command)
