"""The self-contained HTML report: table with footnotes, conflicts with evidence, and a chart.

One file, no network: styles inline, the chart an inline SVG drawn by matplotlib (deterministic:
fixed hash salt, no timestamps), so the same graph gives the same bytes. Everything that came
from data (labels, evidence, titles) is escaped: a label containing `<script>` renders as text.
"""

from __future__ import annotations

import io
import math
from html import escape

from kg.core.quantity import readable_stated
from kg.reconcile.run import Reconciliation
from kg.reconcile.wording import format_candidate, sources_text
from kg.report.table import CAPABILITY_COLUMNS, COLUMNS, COMPUTE_COLUMNS, CapabilityTable, Row

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1200px;
color:#1d1d1f;padding:0 1rem}
h1{font-size:1.6rem} h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.8rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:right;vertical-align:top}
th{background:#f4f4f6} td.model,th.model{text-align:left}
td.conflict{background:#fff4e5} td.missing{color:#aaa;text-align:center}
sup{color:#555;font-size:.72em} .derived{font-style:italic}
.conflict-entry{border-left:4px solid #e8a33d;padding:.3rem .8rem;margin:.8rem 0;background:#fcfcfc}
.candidate{margin:.2rem 0 .2rem 1rem} .preferred{font-weight:600}
.muted{color:#666} figure{margin:1rem 0} figcaption{color:#555;font-size:.9em}
"""


def render(table: CapabilityTable, rec: Reconciliation, scores: list[dict] | None = None, *,
           title: str = "kg: capability vs compute") -> str:
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">{len(table.rows)} models; {len(rec.conflicts)} open conflicts; '
        f"{len(table.footnotes)} sources behind the cells. Every cell is the preferred value of a "
        "reconciled statement; ‡ marks a cell whose statement is in conflict, ≈ a derived value, "
        "— a value no source in the graph states.</p>",
        '<h2 id="chart">Capability vs compute</h2>', _chart(table, scores),
        '<h2 id="table">Reconciled table</h2>', _tables(table),
        '<h2 id="sources">Sources</h2>', _footnotes(table),
        '<h2 id="conflicts">Conflicts</h2>', _conflicts(rec),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _tables(table: CapabilityTable) -> str:
    headers = dict(COLUMNS)
    out = []
    groups: dict[str, list[Row]] = {}
    for r in table.rows:
        groups.setdefault(r.country_label or "Other or unknown", []).append(r)
    for country, rows in groups.items():
        out.append(f"<h3>{escape(country)}</h3>")
        out.append('<table class="capability" data-country="' + escape(country, quote=True) + '">')
        cols = COMPUTE_COLUMNS + CAPABILITY_COLUMNS
        out.append('<thead><tr><th class="model">Model</th><th class="model">Lab</th>' +
                   "".join(f"<th>{escape(headers[c])}</th>" for c in cols) + "</tr></thead><tbody>")
        for r in rows:
            cells = []
            for c in cols:
                cell = r.cells.get(c)
                if cell is None:
                    cells.append('<td class="missing">—</td>')
                    continue
                cls = " ".join(x for x in ("conflict" if cell.status == "conflict" else "",
                                           "derived" if cell.derived else "") if x)
                keys = ",".join(f'<a href="#src-{k}">{k}</a>' for k in cell.sources)
                mark = "‡" if cell.status == "conflict" else ""
                note = f' <a href="#note-{cell.note}">note {cell.note}</a>' if cell.note else ""
                tip = escape(f"confidence {cell.confidence:.2f}", quote=True)
                cells.append(f'<td class="{cls}" title="{tip}">{"≈" if cell.derived else ""}'
                             f"{escape(cell.text)}{mark}<sup>{keys}</sup>{note}</td>")
            out.append(f'<tr data-model="{escape(r.model, quote=True)}"><td class="model">'
                       f'{escape(r.label)}</td><td class="model">{escape(r.lab_label or "")}</td>'
                       + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    if table.notes:
        out.append("<h3>Notes on conflicting cells</h3><ol>")
        out += [f'<li id="note-{i}">{escape(n)}</li>' for i, n in enumerate(table.notes, 1)]
        out.append("</ol>")
    return "\n".join(out)


def _footnotes(table: CapabilityTable) -> str:
    items = "".join(f'<li id="src-{f.key}" value="{f.key}">{escape(f.text)} '
                    f'<span class="muted">{escape(f.source)}</span></li>' for f in table.footnotes)
    return f"<ol>{items}</ol>"


def _conflicts(rec: Reconciliation) -> str:
    ctx = rec.context
    out = []
    for g in rec.conflicts:
        unit = ctx.default_unit.get(g.property)
        out.append(f'<div class="conflict-entry" data-kind="{escape(g.kind or "value", quote=True)}">'
                   f"<strong>{escape(ctx.label(g.subject))} / {escape(ctx.label(g.property))}</strong>"
                   f' <span class="muted">{escape(g.kind or "value")} conflict, confidence '
                   f"{g.confidence:.2f}</span><p>{escape(g.explanation)}</p>")
        for i, c in enumerate(g.candidates):
            evidence = "; ".join(sorted({readable_stated(cl.stated, unit) for cl in c.claims}))
            out.append(f'<div class="candidate{" preferred" if i == 0 else ""}">'
                       f'{"preferred" if i == 0 else "candidate"}: '
                       f'{escape(format_candidate(c, unit))} — score '
                       f"{c.score:.2f} — {escape(sources_text(c, ctx))} — stated as "
                       f"{escape(evidence)}</div>")
        out.append("</div>")
    return "\n".join(out) or "<p>No open conflicts.</p>"


def chart_points(table: CapabilityTable, scores: list[dict] | None = None
                 ) -> tuple[str, list[tuple[str, str, float, float]]]:
    """(benchmark, [(model, country, training FLOP, score %)]) for the benchmark that the most
    models with a training-compute figure share."""
    flop = {r.model: (r, r.cells["training_flop"]) for r in table.rows
            if "training_flop" in r.cells and isinstance(r.cells["training_flop"].value, float | int)}
    by_benchmark: dict[str, list] = {}
    for s in scores or []:
        if s["model"] in flop and s.get("unit", "").endswith(("PERCENT", "UNITLESS")):
            row, cell = flop[s["model"]]
            value = float(s["score"]) * (100 if float(s["score"]) <= 1 else 1)
            by_benchmark.setdefault(s.get("benchmarkLabel") or s["benchmark"], []).append(
                (row.label, row.country_label or "Other", float(cell.value), value))
    if not by_benchmark:
        return "", []
    name = max(sorted(by_benchmark), key=lambda b: len(by_benchmark[b]))
    return name, sorted(by_benchmark[name])


def _chart(table: CapabilityTable, scores: list[dict] | None) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    benchmark, points = chart_points(table, scores)
    if len(points) < 2:
        return ('<p class="muted" data-chart="empty">Too few models have both a training-compute '
                "figure and a shared benchmark score to chart.</p>")
    matplotlib.rcParams["svg.hashsalt"] = "kg"
    matplotlib.rcParams["svg.fonttype"] = "none"
    fig, ax = plt.subplots(figsize=(8, 4.6), dpi=100)
    colours = {"China": "#d62728", "United States": "#1f77b4"}
    for country in sorted({p[1] for p in points}):
        xs = [p[2] for p in points if p[1] == country]
        ys = [p[3] for p in points if p[1] == country]
        ax.scatter(xs, ys, label=country, color=colours.get(country, "#7f7f7f"), s=40, zorder=3)
    for name, _country, x, y in points:
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    frontier = _frontier(points)
    ax.plot([p[0] for p in frontier], [p[1] for p in frontier], linestyle="--", color="#444",
            label="efficiency frontier", zorder=2)
    ax.set_xscale("log")
    ax.set_xlabel("training compute (FLOP, log scale; stated, or 6 x active params x tokens)")
    ax.set_ylabel(f"{benchmark} score (%)")
    ax.grid(True, which="major", alpha=.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return (f'<figure data-chart="capability-vs-compute" data-points="{len(points)}">{svg}'
            f"<figcaption>{escape(benchmark)} against training compute, one point per model, "
            "coloured by the lab's country; the dashed line joins the models no other model beats "
            "with less compute.</figcaption></figure>")


def _frontier(points: list[tuple[str, str, float, float]]) -> list[tuple[float, float]]:
    """Pareto frontier: best score so far as compute grows (less compute and a higher score win)."""
    best = -math.inf
    out = []
    for _name, _c, x, y in sorted(points, key=lambda p: (p[2], -p[3])):
        if y > best:
            out.append((x, y))
            best = y
    return out
