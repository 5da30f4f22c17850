"""Are the verdicts right, and does `confidence` mean what it says?

Generates synthetic graphs with the analyst's cases (`kg.synth.generator`, analyst_cases=True:
basis variants, snapshot revisions, constant dollars, on top of rounding, scopes, projections,
copied rumours, unit and identity slips), reconciles each, and compares every statement's
preferred value with the truth written beside the graph. Reports accuracy by kind of verdict and
by case, accuracy on contested statements (more than one candidate value), and the calibration
of `confidence`: a reliability table (statements binned by confidence, the share right in each)
and the expected calibration error, ECE = sum over bins of (n_bin / n) * |accuracy - confidence|.

    .venv/bin/python benchmarks/calibration.py                       # 3 seeds x 10,000 claims, ~2 min
    .venv/bin/python benchmarks/calibration.py --claims 3000 --seeds 1
    .venv/bin/python benchmarks/calibration.py --fit --seeds 11 12 13  # refit the map
    .venv/bin/python benchmarks/calibration.py --seeds 21 22 23 --tuned-on 11 12 13 \
        --notes benchmarks/results/calibration-notes.md       # the results file

`--fit` reconciles without the calibration map and fits it (logistic regression of "right" on
logit(raw confidence), with a shift for contested statements): the four numbers to put in
ontology/priors.ttl. Fit on seeds other than the ones the report is made on.

Writes benchmarks/results/calibration.md.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from kg import EvidenceGraph
from kg.synth.generator import generate
from kg.synth.truth import is_true_value, read_truth

BINS = 10
RESULTS = Path(__file__).resolve().parent / "results" / "calibration.md"


def verdicts(claims: int, seed: int, *, raw: bool = False) -> list[dict]:
    """One row per statement that has a truth: its confidence, kind, cases, and whether right."""
    with tempfile.TemporaryDirectory(prefix="kg-calibration-") as tmp:
        out = Path(tmp)
        generate(claims, out, seed=seed, analyst_cases=True)
        truth = read_truth(out)
        cases: dict[str, set[str]] = {}
        knowable: dict[str, bool] = {}
        with (out / "truth.tsv").open(encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                cells = line.rstrip("\n").split("\t")
                cases[cells[0]] = set(filter(None, cells[8].split(",")))
                knowable[cells[0]] = len(cells) < 10 or cells[9] == "1"
        eg = EvidenceGraph(graph=[out])
        if raw:  # the raw confidence, to fit the map on
            eg.store.update("PREFIX kg: <https://w3id.org/kg-compute/ontology#>\n"
                            "DELETE { ?n kg:weight ?w } WHERE { ?n kg:weight ?w "
                            "FILTER STRSTARTS(STR(?n), STR(kg:Calibration)) }")
        rec = eg.reconcile(write=False)
    rows = []
    for g in rec.groups:
        scope = g.qualifiers.get("scope")
        key = (g.subject, g.property, scope[0] if scope and len(scope) == 1 else None,
               g.qualifiers.get("benchmark"), g.qualifiers.get("chip"))
        if key not in truth:
            continue
        sid, true = truth[key]
        kind = f"{g.kind} {g.resolution or ''}".strip() if g.kind else "agree"
        rows.append({"confidence": float(g.confidence), "right": is_true_value(g.preferred, true),
                     "contested": len(g.candidates) > 1, "kind": kind,
                     "status": str(g.status), "cases": cases.get(sid) or {"plain"},
                     "knowable": knowable.get(sid, True)})
    return rows


def reliability(rows: list[dict]) -> tuple[float, list[tuple[float, float, int, float, float]]]:
    """ECE and the table: (low, high, n, mean confidence, accuracy) per non-empty bin."""
    bins: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        bins[min(int(r["confidence"] * BINS), BINS - 1)].append(r)
    table, ece = [], 0.0
    for b in sorted(bins):
        members = bins[b]
        conf = sum(r["confidence"] for r in members) / len(members)
        acc = sum(r["right"] for r in members) / len(members)
        ece += len(members) / len(rows) * abs(acc - conf)
        table.append((b / BINS, (b + 1) / BINS, len(members), conf, acc))
    return ece, table


def share(rows: list[dict]) -> str:
    return f"{sum(r['right'] for r in rows) / len(rows):.3f}" if rows else "—"


def report(rows: list[dict], claims: int, seeds: list[int], seconds: float,
           tuned_on: list[int] | None = None) -> str:
    contested = [r for r in rows if r["contested"]]
    knowable = [r for r in contested if r["knowable"]]
    ece, table = reliability(rows)
    ece_c, table_c = reliability(contested) if contested else (float("nan"), [])
    tuned = (f" The reconciler was tuned on seeds {' '.join(map(str, tuned_on))}; these seeds "
             "were not looked at while tuning." if tuned_on else "")
    out = ["# Calibration of the reconciler's verdicts", "",
           f"`benchmarks/calibration.py --claims {claims} --seeds {' '.join(map(str, seeds))}`: "
           f"synthetic graphs with the analyst's cases (`kg synth` generator, analyst_cases=True), "
           f"{len(rows)} statements with a known truth, {len(contested)} of them contested (more "
           f"than one candidate value), {len(contested) - len(knowable)} of those with no claim "
           f"stating the true value on the statement's basis (truth.tsv's `knowable`: every "
           f"source wrong, or only a launch-discount price); {seconds:.0f} s on a machine shared "
           f"with other workers.{tuned}", "",
           "| measure | value | target |", "| --- | --- | --- |",
           f"| accuracy, every statement | {share(rows)} | |",
           f"| accuracy, contested statements | {share(contested)} | > 0.95 |",
           f"| accuracy, contested statements whose truth a claim states | {share(knowable)} | |",
           f"| expected calibration error of `confidence`, every statement | {ece:.3f} | < 0.05 |",
           f"| expected calibration error, contested statements | {ece_c:.3f} | |", "",
           "## Accuracy by kind of verdict", "",
           "| kind (resolution) | statements | contested | accuracy | contested accuracy | "
           "contested, truth stated |",
           "| --- | --- | --- | --- | --- | --- |"]
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    for kind, members in sorted(by_kind.items()):
        c = [r for r in members if r["contested"]]
        out.append(f"| {kind} | {len(members)} | {len(c)} | {share(members)} | {share(c)} | "
                   f"{share([r for r in c if r['knowable']])} |")
    out += ["", "## Accuracy by case the generator planted", "",
            "| case | statements | accuracy | contested accuracy | contested, truth stated |",
            "| --- | --- | --- | --- | --- |"]
    by_case: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        for case in r["cases"]:
            by_case[case].append(r)
    for case, members in sorted(by_case.items()):
        c = [r for r in members if r["contested"]]
        out.append(f"| {case} | {len(members)} | {share(members)} | {share(c)} | "
                   f"{share([r for r in c if r['knowable']])} |")
    for title, tab in (("every statement", table), ("contested statements", table_c)):
        out += ["", f"## Reliability table, {title}", "",
                "| confidence | statements | mean confidence | share right | gap |",
                "| --- | --- | --- | --- | --- |"]
        out += [f"| {lo:.1f}–{hi:.1f} | {n} | {conf:.3f} | {acc:.3f} | {acc - conf:+.3f} |"
                for lo, hi, n, conf, acc in tab]
    return "\n".join(out) + "\n"


def fit(rows: list[dict]) -> list[float]:
    """Logistic regression (Newton's method) of right ~ a + b*x + contested*(c + d*x), x = logit(raw)."""
    import numpy as np

    def logit(p: float) -> float:
        p = min(max(p, 0.01), 0.99)
        return math.log(p / (1 - p))

    x = np.array([[1.0, logit(r["confidence"]), float(r["contested"]),
                   float(r["contested"]) * logit(r["confidence"])] for r in rows])
    y = np.array([float(r["right"]) for r in rows])
    w = np.zeros(4)
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        hessian = -(x.T * (p * (1 - p))) @ x - 1e-6 * np.eye(4)
        w = w - np.linalg.solve(hessian, x.T @ (y - p))
    return [round(float(v), 4) for v in w]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--fit", action="store_true", help="fit the calibration map instead")
    parser.add_argument("--tuned-on", type=int, nargs="*", default=None,
                        help="the seeds the reconciler was tuned on, named in the report")
    parser.add_argument("--notes", type=Path, default=None,
                        help="a Markdown file appended to the report (what changed and why)")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.fit:
        a, b, c, d = fit([r for seed in args.seeds for r in verdicts(args.claims, seed, raw=True)])
        print(f"kg:CalibrationIntercept {a} ; kg:CalibrationSlope {b} ; "
              f"kg:CalibrationContestedIntercept {c} ; kg:CalibrationContestedSlope {d}")
        return
    rows = [r for seed in args.seeds for r in verdicts(args.claims, seed)]
    text = report(rows, args.claims, args.seeds, time.perf_counter() - start, args.tuned_on)
    if args.notes:
        text += "\n" + args.notes.read_text(encoding="utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
