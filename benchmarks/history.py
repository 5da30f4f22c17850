"""History benchmark: what the history features cost at 100,000 synthetic claims.

1. An as-of reconciliation against a plain one on the same evidence (embedded store): the plain
   run, the as-of run with a cut-off after every source (so it reads exactly the same claims)
   and an as-of run at the median source date (half the evidence), interleaved, each several
   times. The claim-facts query's cut-off test is the only extra work.
2. Re-reconciling on an on-disk store: `kg load --store`, a first reconcile, then a second one
   that keeps the first run (nothing is deleted first), against the cost of dropping a run's
   graph (what every re-reconcile paid before runs were kept).
3. `kg diff` of two runs on the same on-disk store: two full runs (no change) and an as-of run
   against a full run (many changes), each with the table cells compared (inside the store:
   queries/run-difference.rq, then only what moved is read).
4. `kg explain` on the on-disk store: one model's scores from the current run's reliabilities.

Wall and CPU seconds are both reported: other workers share the machine's two cores, so the CPU
time of the process is the fairer comparison. Writes benchmarks/results/history.md.

    .venv/bin/python benchmarks/history.py --claims 100000
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def timed(fn):
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def median_date(eg, at: float = 0.5) -> str:
    """The claims' known-since day at the quantile `at` (0.5: half the evidence known)."""
    from kg.store.queries import named_query

    days = sorted(r["day"].value for r in eg.store.select(named_query("known-since").text)
                  if "day" in r)
    return days[min(len(days) - 1, int(len(days) * at))]


def as_of_vs_plain(data: Path, repeats: int) -> list[dict]:
    from kg import EvidenceGraph

    eg = EvidenceGraph([data], timeout=None)
    middle = median_date(eg)
    late = median_date(eg, 0.99)  # nearly every claim read, the cut-off filter paid in full
    cases = (("plain", None), ("as of 2100-01-01 (every source known)", "2100-01-01"),
             (f"as of {late} (99th-percentile source date: the filter applied)", late),
             (f"as of {middle} (median source date)", middle))
    rows: dict[str, list] = {name: [] for name, _c in cases}
    claims: dict[str, int] = {}
    for _ in range(repeats):
        for name, cutoff in cases:
            rec, wall, cpu = timed(lambda c=cutoff: eg.reconcile(write=False, as_of=c, keep=False))
            rows[name].append((wall, cpu))
            claims[name] = rec.claims
    return [{"case": name, "claims": claims[name],
             "wall": min(w for w, _c in runs), "cpu": min(c for _w, c in runs),
             "wall_median": statistics.median(w for w, _c in runs),
             "cpu_median": statistics.median(c for _w, c in runs), "runs": len(runs)}
            for name, runs in rows.items()]


class _Printed(list):
    """A list that prints each row added: a run cut short still says what it measured."""

    def append(self, row) -> None:
        print(row, flush=True)
        super().append(row)


def on_disk(data: Path) -> tuple[list[dict], list[dict]]:
    from kg import EvidenceGraph
    from kg.load.bulk import load_files
    from kg.reconcile import runs
    from kg.store.embedded import OxigraphStore

    out = _Printed()
    diffs = _Printed()
    with tempfile.TemporaryDirectory(prefix="kg-history-bench-") as tmp:
        def bulk_load():
            store = OxigraphStore(Path(tmp) / "store")
            return load_files(store, [data])  # the store closes when it goes out of scope

        report, wall, cpu = timed(bulk_load)
        out.append({"case": "kg load --store", "wall": wall, "cpu": cpu,
                    "note": f"{report.triples:,} triples"})
        gc.collect()
        # no per-query deadline: on a shared machine a 100k-claim scan can pass 60 s of wall time
        eg = EvidenceGraph(store=Path(tmp) / "store", timeout=None)
        first, wall, cpu = timed(lambda: eg.reconcile(keep=False))
        out.append({"case": "first reconcile (writes run 1, points at it)", "wall": wall, "cpu": cpu,
                    "note": f"{first.claims:,} claims, {first.statements:,} statements"})
        second, wall, cpu = timed(lambda: eg.reconcile(keep=False))
        out.append({"case": "re-reconcile (writes run 2 beside run 1; nothing deleted)",
                    "wall": wall, "cpu": cpu, "note": "the pointer moves in one update"})
        cutoff = median_date(eg)
        third, wall, cpu = timed(lambda: eg.reconcile(keep=False, as_of=cutoff))
        out.append({"case": f"as-of reconcile at {cutoff} (run 3, not current)", "wall": wall,
                    "cpu": cpu, "note": f"{third.claims:,} claims known then"})
        triples = int(eg.store.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{runs.run_iri(first.run_id)}> {{ ?s ?p ?o }} }}"
        )[0]["n"].value)
        df, wall, cpu = timed(lambda: eg.table())
        out.append({"case": "kg table from the current run (same content: no reconcile)",
                    "wall": wall, "cpu": cpu, "note": f"{len(eg.runs())} runs kept"})
        model = df[df.total_params.notna()].model_iri.iloc[0]
        _, wall, cpu = timed(lambda: eg.explain(model, "params"))
        out.append({"case": "kg explain MODEL params (scores from the current run's reliabilities)",
                    "wall": wall, "cpu": cpu,
                    "note": "one family settled again; before: a full reconcile, not written"})
        from kg.report.changes import diff

        for label, a, b in (("two full runs, same evidence", first.run_id, second.run_id),
                            (f"as-of run ({cutoff}) against the full run", third.run_id,
                             second.run_id)):
            report, wall, cpu = timed(lambda a=a, b=b: diff(eg, a, b))
            c = report.counts
            diffs.append({"case": label, "wall": wall, "cpu": cpu,
                          "note": (f"{c['new_statements']:,} new, {c['dropped_statements']:,} "
                                   f"dropped, {c['changed_values']:,} values changed, "
                                   f"{c['conflicts_opened']:,} conflicts opened, "
                                   f"{c['cells_changed']:,} cells changed")})
        _, wall, cpu = timed(lambda: runs.drop(eg.store, first.run_id) or eg.store.flush())
        out.append({"case": "DROP of one run's graph (what re-reconciling paid first, before)",
                    "wall": wall, "cpu": cpu, "note": f"{triples:,} verdict triples"})
    return out, diffs


def write(path: Path, claims: int, asof: list[dict], disk: list[dict], diffs: list[dict]) -> None:
    import pyoxigraph

    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    lines = [f"# History at {claims:,} synthetic claims",
             "",
             f"Machine: {cores} cores, Python {platform.python_version()}, pyoxigraph "
             f"{pyoxigraph.__version__}; `kg synth --claims {claims} --seed 1`. Other workers shared "
             "the cores: CPU seconds (this process) are the fairer comparison, wall seconds are "
             "what a user waited. Produced by `benchmarks/history.py`.",
             "",
             "## As-of reconciliation against a plain one (embedded store, verdicts not written)",
             "",
             "| case | claims read | CPU s (best) | CPU s (median) | wall s (best) | runs |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in asof:
        lines.append(f"| {r['case']} | {r['claims']:,} | {r['cpu']:.1f} | {r['cpu_median']:.1f} | "
                     f"{r['wall']:.1f} | {r['runs']} |")
    plain = next(r for r in asof if r["case"] == "plain")
    same = next(r for r in asof if r["case"].startswith("as of 2100"))
    filtered = next(r for r in asof if "99th" in r["case"])
    lines += ["", f"Same evidence: the as-of run costs {same['cpu'] / plain['cpu']:.2f}x the plain "
              f"one in CPU ({same['cpu']:.1f} s against {plain['cpu']:.1f} s, best of "
              f"{plain['runs']}); with the cut-off filter applied to {filtered['claims']:,} claims, "
              f"{filtered['cpu'] / plain['cpu']:.2f}x ({filtered['cpu']:.1f} s).", "",
              "## Re-reconciling on an on-disk store (runs kept, nothing deleted first)", "",
              "| step | CPU s | wall s | note |", "| --- | ---: | ---: | --- |"]
    for r in disk:
        lines.append(f"| {r['case']} | {r['cpu']:.1f} | {r['wall']:.1f} | {r['note']} |")
    lines += ["", "## `kg diff` of two runs on the same on-disk store", "",
              "| runs compared | CPU s | wall s | what it found |", "| --- | ---: | ---: | --- |"]
    for r in diffs:
        lines.append(f"| {r['case']} | {r['cpu']:.1f} | {r['wall']:.1f} | {r['note']} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", type=Path, help="a `kg synth` folder to use instead of a new one")
    parser.add_argument("--out", type=Path, default=RESULTS / "history.md")
    parser.add_argument("--as-of-results", type=Path,
                        help="JSON of part 1 from an earlier run (printed first): measure the rest")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-history-synth-") as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "synth"
            subprocess.run([sys.executable, "-m", "kg", "synth", "--claims", str(args.claims),
                            "--seed", "1", "--out", str(data)], check=True, capture_output=True)
        if args.as_of_results:
            import json

            asof = json.loads(args.as_of_results.read_text(encoding="utf-8"))
        else:
            asof = as_of_vs_plain(data, args.repeats)
        print(asof, flush=True)
        disk, diffs = on_disk(data)
        print(disk, diffs, flush=True)
    write(args.out, args.claims, asof, disk, diffs)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
