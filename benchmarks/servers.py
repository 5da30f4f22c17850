"""Server benchmark: the server pipeline at 100,000 synthetic claims on Oxigraph and on Virtuoso.

One synthetic graph (`kg synth --claims N --seed 7`), then for each server, started on 127.0.0.1
with a fresh database (kg.store.server): `kg load --endpoint`, `kg reconcile --endpoint` and
`kg table --endpoint`, each as its own process under `nice -n 10`, the way a user runs them. Wall
seconds per step, the client's peak memory (max RSS of the kg process: the server's own memory
is not counted) and the exit status; a step that fails is reported with its message, and the
steps after it still run. Both servers are measured in the same run, one after the other, on a
machine shared with other workers, so the ratio between them says more than either figure.

    .venv/bin/python benchmarks/servers.py --claims 100000

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


def run(argv: list[str], timeout: float) -> dict:
    """One kg command as its own process under nice: wall seconds, client peak MB, status."""
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
                    "ok": False, "note": f"stopped after {timeout:g} s"}
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    out.seek(0)
    output = out.read()
    out.close()
    code = os.waitstatus_to_exitcode(status)
    last = output.decode("utf-8", "replace").strip().splitlines()
    note = "" if code == 0 else (last[-1][:300] if last else f"exit {code}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "ok": code == 0, "note": note}


def pipeline(kind: str, graph: Path, timeout: float) -> list[dict]:
    from kg.store.server import OxigraphServer, VirtuosoServer

    rows = []
    started = time.perf_counter()
    server = OxigraphServer() if kind == "oxigraph" else VirtuosoServer(buffers=340_000)
    rows.append({"server": kind, "step": "start (fresh database)", "seconds": time.perf_counter() - started,
                 "peak_mb": None, "ok": True, "note": ""})
    try:
        endpoint = ["--endpoint", server.query_url, "--update-endpoint", server.update_url,
                    "--timeout", "0"]
        steps = [("kg load", [KG, "load", "--graph", str(graph), *endpoint]),
                 ("kg reconcile", [KG, "reconcile", "--format", "json", *endpoint]),
                 ("kg table", [KG, "table", "--format", "csv", *endpoint])]
        for name, argv in steps:
            result = run(argv, timeout)
            rows.append({"server": kind, "step": name, **result})
            print(kind, name, f"{result['seconds']:.1f} s", result["note"], flush=True)
    finally:
        server.stop()
    return rows


def main() -> None:
    import signal

    # a SIGTERM (the benchmark stopped by hand) unwinds, so the server is stopped and removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per step")
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-servers-bench-"))
    try:
        graph = work / "synth"
        synth = run([KG, "synth", "--claims", str(args.claims), "--seed", str(args.seed),
                     "--out", str(graph)], args.timeout)
        print("synth", f"{synth['seconds']:.1f} s", flush=True)
        rows = []
        for kind in args.servers.split(","):
            rows += pipeline(kind, graph, args.timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(rows, args, synth["seconds"])


def write(rows: list[dict], args, synth_seconds: float) -> None:
    def fmt(v, digits=1):
        return "" if v is None else f"{v:.{digits}f}"

    totals = {}
    for r in rows:
        if r["step"].startswith("kg "):
            totals.setdefault(r["server"], [0.0, True])
            totals[r["server"]][0] += r["seconds"]
            totals[r["server"]][1] &= r["ok"]
    lines = [
        "# Servers: the 100k-claim pipeline on Oxigraph and on Virtuoso",
        "",
        f"`python benchmarks/servers.py --claims {args.claims}` on {time.strftime('%Y-%m-%d')}: "
        f"`kg synth --claims {args.claims} --seed {args.seed}` ({synth_seconds:.1f} s), then per "
        "server a fresh database on 127.0.0.1 and `kg load`, `kg reconcile`, `kg table` with "
        "`--endpoint`, each its own process under `nice -n 10`.",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. **The machine was shared with other workers while this ran**: "
        "absolute seconds are noisy; both servers ran in the same session, one after the other.",
        "Peak MB is the kg client process's max RSS; the server's memory is not counted.",
        "",
        "| server | step | seconds | client peak MB | ok | note |",
        "| --- | --- | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        lines.append(f"| {r['server']} | {r['step']} | {fmt(r['seconds'])} | {fmt(r['peak_mb'], 0)} | "
                     f"{'yes' if r['ok'] else 'no'} | {r['note'].replace('|', '/')} |")
    lines += ["", "| server | load + reconcile + table, seconds | every step ok |", "| --- | ---: | --- |"]
    for kind, (total, ok) in totals.items():
        lines.append(f"| {kind} | {total:.1f} | {'yes' if ok else 'no'} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "servers.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print((RESULTS / "servers.md").read_text())


if __name__ == "__main__":
    main()
