"""Server benchmark: the server pipeline at 100,000 synthetic claims on Oxigraph and on Virtuoso,
beside the embedded store's (issue 19: the server path within 2x the embedded one).

One synthetic graph (`kg synth --claims N --seed 7`), then for each server, started on 127.0.0.1
with a fresh database (kg.store.server): `kg load --endpoint`, `kg reconcile --endpoint` and
`kg table --endpoint`, each as its own process under `nice -n 10`, the way a user runs them. The
embedded store runs the same commands: in memory (`kg reconcile --graph DIR`, `kg table --graph
DIR`: each loads the files, from the load cache after the first) and on disk (`kg load --store`,
`kg reconcile --store`, `kg table --store`). Wall seconds per step, the client's CPU seconds
(user + system of the kg process), the server's CPU seconds over the step (from /proc), the
client's peak memory and the exit status; a step that fails is reported with its message, and
the steps after it still run. Everything is measured in the same run, one after the other, on a
machine shared with other workers, so the ratios say more than any one figure.

    .venv/bin/python benchmarks/servers.py --claims 100000
    .venv/bin/python benchmarks/servers.py --claims 10000 --stores memory,oxigraph

Writes benchmarks/results/servers.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
KG = str(Path(sys.executable).parent / "kg")
sys.path.insert(0, str(ROOT / "src"))


STORES = ("memory", "disk", "oxigraph", "virtuoso")
SERVER_KINDS = ("oxigraph", "virtuoso")


def process_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) a running process has used so far, from /proc; None when
    unknown (no pid, not Linux)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(argv: list[str], timeout: float, server_pid: int | None = None) -> dict:
    """One kg command as its own process under nice: wall seconds, client CPU seconds and peak
    MB, the server's CPU seconds over the command, status."""
    server_before = process_cpu(server_pid)
    started = time.perf_counter()
    out = tempfile.TemporaryFile()  # noqa: SIM115 - a pipe would fill and stall the command
    proc = subprocess.Popen(["nice", "-n", "10", *argv], stdout=out, stderr=subprocess.STDOUT)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return {"seconds": time.perf_counter() - started, "peak_mb": usage.ru_maxrss / 1024,
                    "cpu": usage.ru_utime + usage.ru_stime, "server_cpu": None,
                    "ok": False, "note": f"stopped after {timeout:g} s"}
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    out.seek(0)
    output = out.read()
    out.close()
    code = os.waitstatus_to_exitcode(status)
    last = output.decode("utf-8", "replace").strip().splitlines()
    note = "" if code == 0 else (last[-1][:300] if last else f"exit {code}")
    server_after = process_cpu(server_pid)
    server_cpu = (server_after - server_before
                  if server_after is not None and server_before is not None else None)
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024,
            "cpu": usage.ru_utime + usage.ru_stime, "server_cpu": server_cpu, "ok": code == 0,
            "note": note}


def pipeline(kind: str, graph: Path, timeout: float, work: Path) -> list[dict]:
    """The three commands on one store: a server (fresh, on 127.0.0.1), or the embedded store
    in memory or on disk."""
    if kind == "memory":
        return steps(kind, [("kg reconcile", ["reconcile", "--format", "json", "--graph", str(graph)]),
                            ("kg table", ["table", "--format", "csv", "--graph", str(graph)])],
                     timeout)
    if kind == "disk":
        where = ["--store", str(work / "store")]
        return steps(kind, [("kg load", ["load", "--graph", str(graph), *where]),
                            ("kg reconcile", ["reconcile", "--format", "json", *where]),
                            ("kg table", ["table", "--format", "csv", *where])], timeout)
    from kg.store.server import OxigraphServer, VirtuosoServer

    started = time.perf_counter()
    server = OxigraphServer() if kind == "oxigraph" else VirtuosoServer(buffers=340_000)
    rows = [{"store": kind, "step": "start (fresh database)", "seconds": time.perf_counter() - started,
             "peak_mb": None, "cpu": None, "server_cpu": None, "ok": True, "note": ""}]
    try:
        endpoint = ["--endpoint", server.query_url, "--update-endpoint", server.update_url,
                    "--timeout", "0"]
        rows += steps(kind, [("kg load", ["load", "--graph", str(graph), *endpoint]),
                             ("kg reconcile", ["reconcile", "--format", "json", *endpoint]),
                             ("kg table", ["table", "--format", "csv", *endpoint])],
                      timeout, server.process.pid)
    finally:
        server.stop()
    return rows


def steps(kind: str, commands: list[tuple[str, list[str]]], timeout: float,
          server_pid: int | None = None) -> list[dict]:
    rows = []
    for name, args in commands:
        result = run([KG, *args], timeout, server_pid)
        rows.append({"store": kind, "step": name, **result})
        server_cpu = result["server_cpu"]
        # everything the results table needs, so a run stopped midway still has its figures
        print(kind, name, f"{result['seconds']:.1f} s, client CPU {result['cpu']:.1f} s, "
              f"server CPU {'-' if server_cpu is None else f'{server_cpu:.1f}'} s, "
              f"peak {result['peak_mb']:.0f} MB", result["note"], flush=True)
    return rows


def main() -> None:
    import signal

    # a SIGTERM (the benchmark stopped by hand) unwinds, so the server is stopped and removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per step")
    parser.add_argument("--stores", default=",".join(STORES),
                        help="memory and disk (the embedded store), oxigraph, virtuoso")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-servers-bench-"))
    try:
        graph = work / "synth"
        synth = run([KG, "synth", "--claims", str(args.claims), "--seed", str(args.seed),
                     "--out", str(graph)], args.timeout)
        print("synth", f"{synth['seconds']:.1f} s", flush=True)
        rows = []
        for kind in args.stores.split(","):
            rows += pipeline(kind, graph, args.timeout, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(rows, args, synth["seconds"])


def totals(rows: list[dict]) -> dict[str, dict]:
    """Per store: the commands' wall, client CPU and server CPU seconds summed, all ok or not."""
    out: dict[str, dict] = {}
    for r in rows:
        if not r["step"].startswith("kg "):
            continue
        t = out.setdefault(r["store"], {"seconds": 0.0, "cpu": 0.0, "server_cpu": 0.0, "ok": True})
        t["seconds"] += r["seconds"]
        t["cpu"] += r["cpu"] or 0.0
        t["server_cpu"] += r["server_cpu"] or 0.0
        t["ok"] &= r["ok"]
    return out


def write(rows: list[dict], args, synth_seconds: float) -> None:
    def fmt(v, digits=1):
        return "" if v is None else f"{v:.{digits}f}"

    summed = totals(rows)
    lines = [
        "# Servers: the 100k-claim pipeline on Oxigraph and on Virtuoso, beside the embedded store",
        "",
        f"`python benchmarks/servers.py --claims {args.claims}` on {time.strftime('%Y-%m-%d')}: "
        f"`kg synth --claims {args.claims} --seed {args.seed}` ({synth_seconds:.1f} s), then per "
        "server a fresh database on 127.0.0.1 and `kg load`, `kg reconcile`, `kg table` with "
        "`--endpoint`; the embedded store in memory (`kg reconcile --graph`, `kg table --graph`) "
        "and on disk (`--store`); each command its own process under `nice -n 10`.",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. **The machine was shared with other workers while this ran**: "
        "absolute seconds are noisy; every store ran in the same session, one after the other.",
        "Client CPU is the kg process's user + system seconds; server CPU the server process's over "
        "the same command; peak MB the kg process's max RSS (the server's memory is not counted).",
        "",
        "| store | step | wall s | client CPU s | server CPU s | client peak MB | ok | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        lines.append(f"| {r['store']} | {r['step']} | {fmt(r['seconds'])} | {fmt(r['cpu'])} | "
                     f"{fmt(r['server_cpu'])} | {fmt(r['peak_mb'], 0)} | "
                     f"{'yes' if r['ok'] else 'no'} | {r['note'].replace('|', '/')} |")
    base = summed.get("memory")
    lines += ["", "| store | commands' wall s | client CPU s | server CPU s | wall / embedded in "
              "memory | every step ok |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for kind, t in summed.items():
        ratio = f"{t['seconds'] / base['seconds']:.2f}x" if base and base["seconds"] else ""
        lines.append(f"| {kind} | {t['seconds']:.1f} | {t['cpu']:.1f} | "
                     f"{fmt(t['server_cpu']) if kind in SERVER_KINDS else ''} | {ratio} | "
                     f"{'yes' if t['ok'] else 'no'} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "servers.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print((RESULTS / "servers.md").read_text())


if __name__ == "__main__":
    main()
