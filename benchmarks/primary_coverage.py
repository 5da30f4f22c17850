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


def lab_documents(folder: Path) -> set[str]:
    """The documents in graph/primary: the labs' own cards, READMEs, release commits and reports."""
    import rdflib

    docs: set[str] = set()
    doc_class = rdflib.URIRef("https://w3id.org/kg-compute/ontology#Document")
    for path in sorted(folder.glob("*.ttl")):
        g = rdflib.Graph().parse(path, format="turtle")
        docs |= {str(s) for s in g.subjects(rdflib.RDF.type, doc_class)}
    return docs


def _figure(c: dict) -> str:
    value, unit = c.get("value"), (c.get("unit") or "").rsplit("/", 1)[-1]
    if isinstance(value, float) and unit == "CCY_USD":
        return "$" + _figure({"value": value, "unit": "NUM"})
    if isinstance(value, float):
        if unit == "PERCENT" or (unit == "UNITLESS" and value <= 1):
            return f"{value * 100:.4g} %" if value <= 1 else f"{value:.4g} %"
        for size, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
            if abs(value) >= size:
                return f"{value / size:.4g}{word}" + (f" {unit}" if unit not in ("NUM", "") else "")
        return f"{value:.4g}" + (f" {unit}" if unit not in ("NUM", "") else "")
    return str(c.get("stated") or value)


def _names(candidate: dict, only: set[str] | None) -> str:
    return ", ".join(sorted(s.rsplit("/", 1)[-1] for s in candidate.get("sources") or []
                            if only is None or s in only))


def disagreements(graph: list[str] | None, docs: set[str]) -> list[dict]:
    """Statements where a lab document's figure and another source's figure are different
    candidates: what the lab says, what the others say, and what kg chose (from `kg reconcile
    --format json --all`, the reconciler's own answer)."""
    import json
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "kg.cli", "reconcile", "--format", "json", "--all"]
    for g in graph or []:
        cmd += ["--graph", g]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for group in json.loads(out)["groups"]:
        cands = group.get("candidates") or []
        lab = [c for c in cands if set(c.get("sources") or []) & docs]
        other = [c for c in cands if not set(c.get("sources") or []) & docs]
        if not lab or not other:
            continue
        qual = group.get("qualifiers") or {}
        what = group["property_label"]
        if qual.get("benchmark"):
            what += " " + qual["benchmark"].rsplit("/", 1)[-1]
        if qual.get("scope"):
            what += " (" + ", ".join(s.rsplit("#", 1)[-1] for s in qual["scope"]) + ")"
        pref = group.get("preferred") or {}
        rows.append({
            "model": group["subject_label"], "figure": what,
            "lab": "; ".join(f"{_figure(c)} ({_names(c, docs)})" for c in lab),
            "others": "; ".join(f"{_figure(c)} ({_names(c, None)})" for c in other),
            "chose": f"{_figure(pref)}" if pref else "none",
            "how": f"{group['status']}{', ' + group['kind'] if group.get('kind') else ''}",
            "lab_won": bool(pref) and any(c.get("value") == pref.get("value") for c in lab),
        })
    return sorted(rows, key=lambda r: (r["model"], r["figure"]))


def disagreement_markdown(rows: list[dict]) -> str:
    lines = ["| model | figure | lab says | others say | kg chose | verdict |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        chose = r["chose"] + (" (the lab's)" if r["lab_won"] else " (not the lab's)")
        lines.append(f"| {r['model']} | {r['figure']} | {r['lab']} | {r['others']} | {chose} | {r['how']} |")
    won = sum(r["lab_won"] for r in rows)
    lines += ["", f"{len(rows)} statements where a lab document and another source give different "
              f"figures; the lab's figure is preferred in {won}.", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", action="append", help="graph file or folder (default: the shipped graph)")
    ap.add_argument("--open-from", action="append", help="take the open-weights models from this graph")
    ap.add_argument("--label", default="shipped graph")
    # no default file: a bare run once replaced the results file's history with one table
    ap.add_argument("--output", help="also write the text here (e.g. "
                                     "benchmarks/results/primary-coverage.md with --append)")
    ap.add_argument("--append", action="store_true", help="append to the output instead of replacing it")
    ap.add_argument("--disagreements", action="store_true",
                    help="also list the statements where a lab document (graph/primary) and another "
                         "source give different figures, and what kg chose")
    args = ap.parse_args()
    eg = kg.EvidenceGraph(graph=args.graph)
    models = open_models(kg.EvidenceGraph(graph=args.open_from)) if args.open_from else None
    df, names = coverage(eg, models)
    text = markdown(df, args.label, names)
    if args.disagreements:
        folders = [Path(g) for g in args.graph or [str(ROOT / "graph")]]
        docs = set().union(*(lab_documents(f / "primary" if (f / "primary").is_dir() else f)
                             for f in folders if f.is_dir()))
        text += "\n### Where the labs and the other sources disagree\n\n" + disagreement_markdown(
            disagreements(args.graph, docs))
    print(text)
    if not args.output:
        return
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.append and out.exists():
        out.write_text(out.read_text() + "\n" + text)
    else:
        out.write_text(text)


if __name__ == "__main__":
    main()
