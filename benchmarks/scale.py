"""Scale benchmark: load, validate, reconcile, table and a heavy named query on synthetic graphs of
1k..1M claims, on the embedded store, an on-disk store and a real Oxigraph server.

Each step runs in its own subprocess; its wall time is measured inside (the step alone) and its
peak memory is the subprocess's max RSS (os.wait4), which for the embedded store includes the
load every command pays. Median of 3 runs up to 10,000 claims, 1 run above. Writes
benchmarks/results/scale.md and scale.csv.

The `cli` steps are what a user meets (issue 19): `kg validate`, `kg reconcile`, `kg table`, each
the real command in a process of its own, timed from outside (start-up and, embedded, the load
included), with its CPU seconds beside the wall time (on a shared machine the CPU figure and the
ratio to the bare baseline of the same run are the steady ones). On a persistent store `kg
table` is run twice: after `kg reconcile` it answers from the current run without reconciling.

Servers are classes with `query_url`, `update_url` and `stop()` (kg.store.server.OxigraphServer):
`--server NAME=module:Class` adds a store row per server, e.g. a Virtuoso class beside Oxigraph's.

    .venv/bin/python benchmarks/scale.py --sizes 1000,10000,100000
    .venv/bin/python benchmarks/scale.py --sizes 100000 --steps cli --stores embedded,disk,server
    .venv/bin/python benchmarks/scale.py --sizes 1000000 --stores disk --steps query --append
    .venv/bin/python benchmarks/scale.py --server virtuoso=kg.store.virtuoso:VirtuosoServer \
        --stores embedded,server,virtuoso --steps cli --sizes 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
HEAVY_QUERY = "claims-per-document"
# store kinds that are servers: name -> "module:Class" (query_url, update_url, stop())
SERVERS = {"server": "kg.store.server:OxigraphServer"}
CLI_STEPS = ("validate", "reconcile", "table")
MARKER = "<!-- targets: written by hand, kept when the rows are rewritten -->"


# ---------------------------------------------------------------- steps (run in a subprocess)

def _graph(kind: str, data: str, where: str | None):
    from kg import EvidenceGraph

    if kind == "embedded":
        return EvidenceGraph([data])
    if kind == "disk":
        return EvidenceGraph([data], store=where)
    query_url, update_url = where.split(" ")
    return EvidenceGraph(endpoint=query_url, update_endpoint=update_url, timeout=3600)


def step(name: str, kind: str, data: str, where: str | None) -> dict:
    out: dict = {}
    if name == "baseline":
        import pyoxigraph as ox

        t = time.perf_counter()
        store = ox.Store()
        for path in sorted(Path(data).glob("*.ttl")):
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        rows = list(store.query(
            "PREFIX kg: <https://w3id.org/kg-compute/ontology#> SELECT ?s ?p (COUNT(?c) AS ?n) "
            "WHERE { ?c kg:subject ?s ; kg:property ?p } GROUP BY ?s ?p"))
        out["seconds"] = time.perf_counter() - t
        out["groups"] = len(rows)
        return out
    if name == "load":
        t = time.perf_counter()
        if kind == "embedded":
            _graph(kind, data, where)
        else:
            from kg.load.bulk import load_files
            from kg.store.embedded import OxigraphStore
            from kg.store.remote import RemoteStore

            store = (OxigraphStore(where) if kind == "disk"
                     else RemoteStore(*where.split(" "), timeout=3600))
            load_files(store, [data])
        out["seconds"] = time.perf_counter() - t
        return out
    if name == "pipeline":
        t = time.perf_counter()
        parts = {}
        eg = _graph(kind, data, where)
        parts["load" if kind == "embedded" else "open"] = time.perf_counter() - t
        from kg.synth.truth import Scorer

        scorer = Scorer(data)
        for part, work in (("validate", eg.validate),
                           ("reconcile", lambda: eg.reconcile(
                               keep=False, on_batch=lambda groups, scope, run: scorer.add(groups))),
                           ("table", eg.table)):
            t1 = time.perf_counter()
            work()
            parts[part] = time.perf_counter() - t1
        out["seconds"] = time.perf_counter() - t
        a = scorer.accuracy.to_dict()
        out["parts"] = ", ".join(f"{k} {v:.1f} s" for k, v in parts.items()) + (
            f"; accuracy {a['reconciler']} vs majority {a['majority']}")
        return out
    t0 = time.perf_counter()
    eg = _graph(kind, data, where)
    out["open_seconds"] = time.perf_counter() - t0
    t = time.perf_counter()
    if name == "validate":
        report = eg.validate()
        out["conforms"] = report.conforms
    elif name == "reconcile":
        from kg.synth.truth import Scorer

        # verdicts written batch by batch, only counts kept in memory (what `kg table --store`
        # runs); each batch is scored against the synthetic truth as it is settled
        scorer = Scorer(data)
        eg.reconcile(keep=False, on_batch=lambda groups, scope, run: scorer.add(groups))
        out["seconds"] = time.perf_counter() - t
        out["accuracy"] = scorer.accuracy.to_dict()
        return out
    elif name == "table":
        if kind == "embedded":  # nothing persists between embedded commands: reconcile first
            eg.reconcile(keep=False)
        t = time.perf_counter()
        eg.table()  # on disk and servers: the verdicts the reconcile step wrote
    elif name == "query":
        from kg.store.queries import named_query

        out["rows"] = len(eg.store.select(named_query(HEAVY_QUERY).text))
    out["seconds"] = time.perf_counter() - t
    return out


# ---------------------------------------------------------------- the driver

def run_step(name: str, kind: str, data: Path, where: str | None) -> dict:
    cmd = [sys.executable, __file__, "_step", name, kind, str(data), where or "-"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    stdout = proc.stdout.read()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        return {"error": stderr.decode(errors="replace").strip().splitlines()[-1:]}
    result = json.loads(stdout.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


def store_args(kind: str, data: Path, where: str | None) -> list[str]:
    """The options naming the store on a `kg` command line."""
    if kind == "embedded":
        return ["--graph", str(data)]
    if kind == "disk":
        return ["--store", str(where)]
    query_url, update_url = str(where).split(" ")
    return ["--endpoint", query_url, "--update-endpoint", update_url]


def run_cli(args: list[str]) -> dict:
    """One `kg` command in a process of its own: wall seconds from outside, CPU seconds and peak
    RSS from os.wait4 (the process and the children it waited for)."""
    kg = Path(sys.executable).parent / "kg"
    t = time.perf_counter()
    proc = subprocess.Popen([str(kg), *args, "--timeout", "0"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, cwd=ROOT)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: findings (violations, conflicts), the command ran
        return {"error": stderr.decode(errors="replace").strip().splitlines()[-1:]}
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024}


def cli_rows(n: int, kind: str, data: Path, where: str | None, baseline_s: float) -> list[dict]:
    """`kg validate`, `kg reconcile`, `kg table` as a user runs them, each its own process; on a
    persistent store a second `kg table`, which answers from the current run."""
    names = list(CLI_STEPS) + (["table"] if kind != "embedded" else [])
    rows, total = [], 0.0
    for i, name in enumerate(names):
        args = [name, *store_args(kind, data, where)]
        if name != "validate":
            args += ["--format", "json" if name == "reconcile" else "csv"]
        r = run_cli(args)
        label = f"kg {name}" + (" (current run)" if i == 3 else "")
        row = {"claims": n, "store": kind, "step": label, "runs": 1, **r}
        if "error" in r:
            row["note"] = str(r.pop("error"))
        elif i < 3:
            total += r["seconds"]
            row["note"] = f"{r['seconds'] / baseline_s:.1f}x the bare baseline"
        rows.append(row)
        print(json.dumps(row), flush=True)
    rows.append({"claims": n, "store": kind, "step": "kg validate + reconcile + table",
                 "runs": 1, "seconds": total,
                 "note": f"{total / baseline_s:.1f}x the bare baseline of the same run"})
    print(json.dumps(rows[-1]), flush=True)
    return rows


def start_server(kind: str):
    """A server of `kind` (SERVERS), started empty, and the `where` its steps are given."""
    import importlib

    module, _, cls = SERVERS[kind].partition(":")
    server = getattr(importlib.import_module(module), cls)()
    return server, f"{server.query_url} {server.update_url}"


def machine() -> dict:
    import pyoxigraph
    import pyshacl
    import rdflib

    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem = next((int(line.split()[1]) // 1024 for line in meminfo if line.startswith("MemTotal")), None)
    return {"nproc": os.cpu_count(), "memory_mb": mem, "python": platform.python_version(),
            "platform": platform.platform(), "pyoxigraph": pyoxigraph.__version__,
            "rdflib": rdflib.__version__, "pyshacl": pyshacl.__version__,
            "oxigraph_server": subprocess.run([str(Path(sys.executable).parent / "oxigraph"), "--version"],
                                              capture_output=True, text=True).stdout.strip()}


def benchmark(sizes: list[int], stores: list[str], work: Path, done=None,
              only: tuple[str, ...] = ("pipeline", "cli", "query"), seed: int = 1) -> list[dict]:
    """Run every size on every store; `done(rows)` is called after each size (results so far)."""
    from kg.synth.generator import generate

    rows = []
    for n in sizes:
        data = work / f"synth-{n}"
        t = time.perf_counter()
        generate(n, data, seed=seed)
        synth_s = time.perf_counter() - t
        runs = 3 if n <= 10_000 else 1
        base = [run_step("baseline", "embedded", data, None) for _ in range(runs)]
        baseline_s = statistics.median(b["seconds"] for b in base)
        rows.append({"claims": n, "store": "-", "step": "synth", "seconds": synth_s, "peak_mb": None,
                     "runs": 1})
        rows.append({"claims": n, "store": "bare pyoxigraph", "step": "load + group-by",
                     "seconds": baseline_s, "peak_mb": max(b["peak_mb"] for b in base), "runs": runs})
        for row in rows[-2:]:  # printed like every row, so --rows-from can rebuild a cut-short run
            print(json.dumps(row), flush=True)
        for kind in stores:
            server, where = start_server(kind) if kind in SERVERS else (None, None)
            where = where or (str(work / f"disk-{n}") if kind == "disk" else None)
            try:
                steps = [s for s in ("load", "cli", "validate", "reconcile", "table", "query")
                         if s in only or s == "load"]
                end_to_end = 0.0
                for name in steps:
                    if name == "cli":
                        rows.extend(cli_rows(n, kind, data, where, baseline_s))
                        continue
                    # a store's one-off load is slow and steady: one run is enough
                    repeat = 1 if name == "load" and kind != "embedded" else runs
                    results = [run_step(name, kind, data, where) for _ in range(repeat)]
                    ok = [r for r in results if "seconds" in r]
                    row = {"claims": n, "store": kind, "step": name, "runs": len(ok),
                           "seconds": statistics.median(r["seconds"] for r in ok) if ok else None,
                           "peak_mb": max(r["peak_mb"] for r in ok) if ok else None}
                    if ok and "open_seconds" in ok[0]:
                        row["open_seconds"] = statistics.median(r["open_seconds"] for r in ok)
                    if not ok:
                        row["note"] = results[0].get("skipped") or str(results[0].get("error"))
                    if ok and "accuracy" in ok[0]:
                        a = ok[0]["accuracy"]
                        row["note"] = (f"accuracy {a['reconciler']} vs majority {a['majority']}; contested "
                                       f"{a['contested_reconciler']} vs {a['contested_majority']}; copied "
                                       f"{a['by_case'].get('copied-rumour', {}).get('reconciler')} vs "
                                       f"{a['by_case'].get('copied-rumour', {}).get('majority')}")
                    if name == "reconcile" and kind != "embedded":
                        row["note"] = ("a re-run beside the pipeline's run, which is kept (nothing "
                                       "is dropped first); " + row.get("note", ""))
                    rows.append(row)
                    if name == "load" and "pipeline" in only:  # it leaves verdicts behind
                        pipeline_row(n, kind, data, where, runs if kind == "embedded" else 1, rows,
                                     baseline_s)
                    if row["seconds"] is not None:
                        end_to_end += row["seconds"] + (row.get("open_seconds") or 0)
                    print(json.dumps(row), flush=True)
                if {"validate", "reconcile", "table", "query"} & set(only):
                    rows.append({"claims": n, "store": kind, "step": "end to end (as run)",
                                 "runs": runs, "seconds": end_to_end, "peak_mb": None,
                                 "note": "sum of the steps above, each in its own process"})
                    print(json.dumps(rows[-1]), flush=True)
            finally:
                if server:
                    server.stop()
        if done:
            done(rows)
    return rows


def pipeline_row(n: int, kind: str, data: Path, where: str | None, runs: int, rows: list[dict],
                 baseline_s: float) -> None:
    """The target's own measure: load, validate, reconcile and table in one process (a notebook,
    or `kg validate` then `kg table`); on disk and servers the store's one-off load is the load
    step, added in. Run on a store that holds no verdicts yet, like a first `kg table`."""
    piped = [run_step("pipeline", kind, data, where) for _ in range(runs)]
    ok = [r for r in piped if "seconds" in r]
    if not ok:
        return
    loaded = 0.0 if kind == "embedded" else next(
        (r["seconds"] for r in rows if r.get("claims") == n and r.get("store") == kind
         and r.get("step") == "load"), 0.0) or 0.0
    total = statistics.median(r["seconds"] for r in ok) + loaded
    rows.append({"claims": n, "store": kind, "step": "pipeline (one process)", "runs": len(ok),
                 "seconds": total, "peak_mb": max(r["peak_mb"] for r in ok),
                 "note": f"{total / baseline_s:.1f}x the bare pyoxigraph baseline; " + ok[0]["parts"]})
    print(json.dumps(rows[-1]), flush=True)


def earlier_rows(append: bool) -> list[dict]:
    csv_path = RESULTS / "scale.csv"
    if not (append and csv_path.exists()):
        return []
    with csv_path.open() as fh:
        return list(csv.DictReader(fh))


def write(rows: list[dict], info: dict, old: list[dict]) -> None:
    """Markdown and CSV of earlier rows (with --append) plus this run's, rewritten after each size."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    fields = ["claims", "store", "step", "seconds", "cpu_seconds", "open_seconds", "peak_mb",
              "runs", "note"]
    csv_path = RESULTS / "scale.csv"
    with csv_path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(old + rows)
    all_rows = old + rows

    def fmt(v, digits=1):
        if v in (None, ""):
            return ""
        return f"{float(v):.{digits}f}"

    lines = ["# Scale benchmark results", "",
             "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), "",
             "Seconds are the step alone (median of the runs); `open` is opening the store, and for the",
             "embedded store loading the graph, which every command pays. `kg ...` rows are the",
             "command in its own process, timed from outside; CPU s is its user + system time.",
             "Peak MB is the step's subprocess max RSS.", "",
             "| claims | store | step | seconds | CPU s | open s | peak MB | runs | note |",
             "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in all_rows:
        lines.append(f"| {int(r['claims']):,} | {r['store']} | {r['step']} | {fmt(r.get('seconds'), 2)} | "
                     f"{fmt(r.get('cpu_seconds'), 1)} | {fmt(r.get('open_seconds'), 2)} | "
                     f"{fmt(r.get('peak_mb'), 0)} | {r.get('runs', '')} | {r.get('note') or ''} |")
    # what follows the marker (the targets, met or not, and the notes on a run) is written by
    # hand and kept when the rows are rewritten
    md = RESULTS / "scale.md"
    kept = md.read_text().split(MARKER, 1)[1] if md.exists() and MARKER in md.read_text() else "\n"
    md.write_text("\n".join(lines) + "\n\n" + MARKER + kept)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_step":
        _, _, name, kind, data, where = sys.argv
        print(json.dumps(step(name, kind, data, None if where == "-" else where)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--stores", default="embedded,disk,server")
    parser.add_argument("--append", action="store_true", help="keep earlier rows in the results")
    parser.add_argument("--steps", default="pipeline,cli,query",
                        help="after the load: pipeline (validate, reconcile, table in one "
                             "process), cli (each `kg` command in its own process), validate, "
                             "reconcile, table (library calls, one process each), query")
    parser.add_argument("--server", action="append", default=[], metavar="NAME=MODULE:CLASS",
                        help="another server to measure as store NAME (a class with query_url, "
                             "update_url and stop(), started empty), e.g. "
                             "virtuoso=kg.store.virtuoso:VirtuosoServer")
    parser.add_argument("--work", type=Path, help="where synthetic graphs and stores go (temporary)")
    parser.add_argument("--rows-from", type=Path,
                        help="rebuild the results from the JSON rows an interrupted run printed")
    parser.add_argument("--seed", type=int, default=1, help="kg synth's seed")
    parser.add_argument("--results", type=Path, help="write scale.md and scale.csv here instead")
    args = parser.parse_args()
    if args.results:
        global RESULTS
        RESULTS = args.results
    info, old = machine(), earlier_rows(args.append)
    if args.rows_from:
        rows = [json.loads(line) for line in args.rows_from.read_text().splitlines()
                if line.startswith("{")]
        write(rows, info, old)
        return
    for spec in args.server:
        name, _, target = spec.partition("=")
        SERVERS[name] = target
    sizes = [int(s) for s in args.sizes.split(",")]
    stores = args.stores.split(",")
    with tempfile.TemporaryDirectory(prefix="kg-scale-", dir=args.work) as work:
        benchmark(sizes, stores, Path(work), done=lambda rows: write(rows, info, old),
                  only=tuple(args.steps.split(",")), seed=args.seed)


if __name__ == "__main__":
    main()
