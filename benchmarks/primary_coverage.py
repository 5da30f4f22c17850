"""How many filled table cells rest on a primary source, per column, for open-weights models.

A cell rests on a primary source when one of the preferred claims of its reconciled statement was
read in a document of kind kg:PrimaryReport (a lab's own model card, README or technical report).
A model counts as open-weights when the graph has an open-weights claim that is true or a licence
claim for it (queries/cells-by-source-kind.rq decides, per model).

    .venv/bin/python benchmarks/primary_coverage.py                      # the shipped graph
    .venv/bin/python benchmarks/primary_coverage.py --graph /tmp/old/graph --label before \\
        --open-from graph/ --output /tmp/before.md

--open-from takes the open-weights set from another graph, so that two graphs are compared on the
same models (a graph with fewer licence claims would otherwise count fewer models). Uses only
kg's public API: kg.EvidenceGraph, .table(), .query().
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import kg

ROOT = Path(__file__).resolve().parent.parent
QUERY = ROOT / "queries" / "cells-by-source-kind.rq"
PRIMARY = "https://w3id.org/kg-compute/ontology#PrimaryReport"
COLUMNS = ["release_date", "total_params", "active_params", "training_tokens", "gpu_hours",
           "training_flop", "final_run_cost", "mmlu", "gpqa_diamond", "swe_bench_verified",
           "price_in", "price_out"]


def open_models(eg: kg.EvidenceGraph) -> set[str]:
    eg.table()  # runs the reconciliation the query reads
    rows = eg.query(str(QUERY))
    return set(rows.loc[rows["openWeights"] == "open", "model"])


def coverage(eg: kg.EvidenceGraph, models: set[str] | None) -> tuple[pd.DataFrame, list[str]]:
    table = eg.table()
    rows = eg.query(str(QUERY))
    if models is None:
        models = set(rows.loc[rows["openWeights"] == "open", "model"])
    if "rank" in rows:  # a score column shows one variant per model: the lowest rank it has
        shown = rows.groupby(["model", "column"])["rank"].transform("min")
        rows = rows[rows["rank"].isna() | (rows["rank"] == shown)]
    on_primary = rows[rows["kind"] == PRIMARY]
    primary = set(zip(on_primary["model"], on_primary["column"], strict=True))
    table = table[table["model_iri"].isin(models)]
    out = []
    for col in COLUMNS:
        # a filled cell: a stated value, not one derived by arithmetic (≈ cells have no claims)
        filled = table[table[col].notna() & (table[f"{col}_derived"] != True)]  # noqa: E712
        on_primary = sum((iri, col) in primary for iri in filled["model_iri"])
        out.append({"column": col, "open-weights models": len(table), "filled": len(filled),
                    "on a primary source": on_primary})
    df = pd.DataFrame(out)
    return df, sorted(table["model"])


def markdown(df: pd.DataFrame, label: str, models: list[str]) -> str:
    filled, prim = int(df["filled"].sum()), int(df["on a primary source"].sum())
    share = f"{100 * prim / filled:.0f} %" if filled else "n/a"
    lines = [f"### {label}", "", "| column | filled cells | on a primary source |", "| --- | ---: | ---: |"]
    lines += [f"| {r.column} | {r.filled} | {r._4} |" for r in df.itertuples()]
    lines += [f"| **total** | **{filled}** | **{prim}** ({share}) |", "",
              f"{len(models)} open-weights models: {', '.join(models)}.", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", action="append", help="graph file or folder (default: the shipped graph)")
    ap.add_argument("--open-from", action="append", help="take the open-weights models from this graph")
    ap.add_argument("--label", default="shipped graph")
    ap.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "primary-coverage.md"))
    ap.add_argument("--append", action="store_true", help="append to the output instead of replacing it")
    args = ap.parse_args()
    eg = kg.EvidenceGraph(graph=args.graph)
    models = open_models(kg.EvidenceGraph(graph=args.open_from)) if args.open_from else None
    df, names = coverage(eg, models)
    text = markdown(df, args.label, names)
    print(text)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.append and out.exists():
        out.write_text(out.read_text() + "\n" + text)
    else:
        out.write_text(text)


if __name__ == "__main__":
    main()
