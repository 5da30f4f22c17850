"""The report's charts: training compute over time, and capability against training compute.

What an analyst puts on a slide: every model of the table that has both figures is a point
(China and the United States in their own colours, every other country in grey), a hollow
point is a derived compute figure (6 x active parameters x tokens), an orange ring a value
whose statement is in conflict. The frontier (the largest run so far, per country, over time;
the best score for the compute, against compute) is drawn only where a series has enough points
to mean one (`MIN_FRONTIER_POINTS`). Labels go where they do not cover another label or point,
most telling first (frontier, conflicts, the largest runs); every point also names itself on
hover and links to its table row.

Inline SVG drawn by matplotlib: the hash salt is fixed per figure and no date is written, so the
same graph gives the same bytes. Label placement measures text with matplotlib's own font
metrics, so it is deterministic too.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from dataclasses import dataclass, field
from html import escape
from itertools import zip_longest

from kg.core.vocab import KG, UNIT
from kg.report.columns import format_cell
from kg.report.table import CapabilityTable, Row

# a frontier of fewer points says nothing: two models are a line, not a frontier
MIN_FRONTIER_POINTS = 8
# a capability panel needs this many models with a compute figure and a score
MIN_PANEL_POINTS = 3
MAX_PANELS = 4
MAX_LABELS = 32
MAX_LABELS_OVER_TIME = 22

GROUPS = ("China", "United States", "Other")
COLOURS = {"China": "#c62828", "United States": "#1565c0", "Other": "#9e9e9e"}
CONFLICT_COLOUR = "#ef8a00"


@dataclass(frozen=True)
class Point:
    row: int            # index of the model's row in the table (the point links to it)
    model: str
    label: str
    group: str          # "China", "United States" or "Other"
    x: float
    y: float
    derived: bool       # the compute figure is 6 x active params x tokens, not stated
    conflict: bool      # a figure behind the point is in conflict
    tip: str            # what the point says on hover


@dataclass
class Panel:
    key: str
    title: str
    points: list[Point] = field(default_factory=list)


@dataclass
class ChartData:
    over_time: list[Point]
    capability: list[Panel]
    left_out: dict[str, int]   # benchmarks scored for too few models with compute to chart


def group_of(row: Row) -> str:
    return row.country_label if row.country_label in ("China", "United States") else "Other"


def parse_date(text: object) -> datetime.date | None:
    """'2024-12-26', '2026-04' (mid-month) or '2025' (mid-year); anything else is no date."""
    found = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(text or ""))
    if not found:
        return None
    year, month, day = found.group(1), found.group(2), found.group(3)
    try:
        if day:
            return datetime.date(int(year), int(month), int(day))
        if month:
            return datetime.date(int(year), int(month), 15)
        return datetime.date(int(year), 7, 1)
    except ValueError:
        return None


def percent(score: float, unit: str | None) -> float:
    """A score as a percentage: kg stores some as fractions (0.806) and some as points (76.8),
    both UNITLESS; the table reads them the same way."""
    if unit == UNIT + "PERCENT":
        return score
    return score * 100 if score <= 1.0 else score


def chart_data(table: CapabilityTable, scores: list[dict] | None = None) -> ChartData:
    """The points of both charts, from the table (compute, dates) and `benchmark-scores`."""
    flop: dict[str, tuple[int, Row, float]] = {}  # model -> (row index, row, training FLOP)
    over_time = []
    for i, row in enumerate(table.rows):
        cell = row.cells.get("training_flop")
        if cell is None or not isinstance(cell.value, float | int) or cell.value <= 0:
            continue
        flop[row.model] = (i, row, float(cell.value))
        released = row.cells.get("release_date")
        day = parse_date(released.value) if released else None
        if released is None or day is None:
            continue
        conflict = cell.status == "conflict" or released.status == "conflict"
        over_time.append(Point(
            i, row.model, row.label, group_of(row), _date_number(day), float(cell.value),
            cell.derived, conflict, _tip(row, f"released {released.text}", cell)))

    by_benchmark: dict[str, list[Point]] = {}
    for s in scores or []:
        if s.get("model") not in flop or s.get("score") is None:
            continue
        if s.get("unit") not in (UNIT + "UNITLESS", UNIT + "PERCENT"):
            continue
        i, row, compute = flop[s["model"]]
        cell = row.cells["training_flop"]
        name = s.get("benchmarkLabel") or str(s.get("benchmark", "")).rsplit("/", 1)[-1]
        value = percent(float(s["score"]), s.get("unit"))
        conflict = cell.status == "conflict" or s.get("status") == KG + "Conflict"
        by_benchmark.setdefault(name, []).append(Point(
            i, row.model, row.label, group_of(row), compute, value, cell.derived,
            conflict, _tip(row, f"{name} {value:.1f}%", cell)))
    panels: list[Panel] = []
    left_out: dict[str, int] = {}
    # a benchmark with a score above 100 is not a percentage (a rating): not on a % axis
    usable = {b: pts for b, pts in by_benchmark.items() if all(p.y <= 100 for p in pts)}
    for name in sorted(usable, key=lambda b: (-len(usable[b]), b)):
        pts = sorted(usable[name], key=lambda p: (p.x, p.label))
        if len(pts) >= MIN_PANEL_POINTS and len(panels) < MAX_PANELS:
            panels.append(Panel(f"b{len(panels)}", name, pts))
        else:
            left_out[name] = len(pts)
    return ChartData(sorted(over_time, key=lambda p: (p.x, p.label)), panels, left_out)


def _tip(row: Row, what: str, flop_cell) -> str:
    lab = f"{row.lab_label}, " if row.lab_label else ""
    country = row.country_label or "country unknown"
    mark = "≈" if flop_cell.derived else ""
    derived = " (derived: 6 x active params x tokens)" if flop_cell.derived else ""
    conflict = "; ‡ in conflict" if flop_cell.status == "conflict" else ""
    return (f"{row.label} ({lab}{country}): {mark}{format_cell('training_flop', flop_cell.value, None)}"
            f" FLOP{derived}, {what}{conflict}")


def _date_number(day: datetime.date) -> float:
    import matplotlib.dates as mdates

    return float(mdates.date2num(day))


# ---------------------------------------------------------------- frontiers


def record_frontier(points: list[Point]) -> list[Point]:
    """The points that set a new compute record when they appeared (time on x, compute on y)."""
    best, out = 0.0, []
    for p in sorted(points, key=lambda p: (p.x, -p.y, p.label)):
        if p.y > best:
            out.append(p)
            best = p.y
    return out


def pareto_frontier(points: list[Point]) -> list[Point]:
    """The points no other point beats with less compute (compute on x, score on y)."""
    best, out = float("-inf"), []
    for p in sorted(points, key=lambda p: (p.x, -p.y, p.label)):
        if p.y > best:
            out.append(p)
            best = p.y
    return out


# ---------------------------------------------------------------- drawing


def render_charts(data: ChartData) -> str:
    """Both figures as HTML (inline SVG with captions), or a sentence where there is too little."""
    parts = []
    if len(data.over_time) >= 2:
        parts.append(_figure_over_time(data.over_time))
    else:
        parts.append('<p class="muted" data-chart="empty">Too few models have both a release date '
                     "and a training-compute figure to chart.</p>")
    if data.capability:
        parts.append(_figure_capability(data.capability, data.left_out))
    else:
        parts.append('<p class="muted" data-chart="empty">Too few models have both a '
                     "training-compute figure and a benchmark score to chart capability "
                     "against compute.</p>")
    return "\n".join(parts)


def zoom_start(points: list[Point]) -> float | None:
    """Where the race starts: 1 January of the year of the first Chinese or US run of at least
    1e23 FLOP (Epoch AI's "large-scale" line). A chart of every model since the 1950s squeezes
    the years that matter into a corner; when that start leaves out a tenth of the points or
    more, the chart shows those years large and the whole history beside them."""
    import matplotlib.dates as mdates

    large = [p.x for p in points if p.group != "Other" and p.y >= 1e23]
    if not large:
        return None
    start = float(mdates.date2num(datetime.date(mdates.num2date(min(large)).year, 1, 1)))
    before = sum(1 for p in points if p.x < start)
    return start if before * 10 >= len(points) else None


def _figure_over_time(points: list[Point]) -> str:
    import matplotlib.dates as mdates

    plt = _pyplot()
    start = zoom_start(points)
    with _svg_context("time"):
        if start is None:
            fig, ax = plt.subplots(figsize=(10, 5.8), dpi=100)
            whole = None
        else:
            fig, (ax, whole) = plt.subplots(1, 2, figsize=(11, 5.8), dpi=100,
                                            gridspec_kw={"width_ratios": [3.1, 1]})
        fig.subplots_adjust(left=0.075, right=0.985, top=0.92, bottom=0.19, wspace=0.16)
        shown = [p for p in points if start is None or p.x >= start]
        _scatter(ax, shown, "tz" if whole is not None else "t")
        drawn = []
        for group in ("United States", "China"):
            series = [p for p in points if p.group == group]
            if len(series) < MIN_FRONTIER_POINTS:
                continue
            drawn.append(group)
            for target, clip in ((ax, start), (whole, None)):
                if target is None:
                    continue
                xs, ys = _steps(record_frontier(series), max(p.x for p in series), clip)
                target.plot(xs, ys, drawstyle="steps-post", color=COLOURS[group], lw=1.3,
                            alpha=.85, zorder=2,
                            label=f"{group}: largest run so far" if target is ax else "_")
        for target in (ax, whole):
            if target is None:
                continue
            target.set_yscale("log")
            locator = mdates.AutoDateLocator(minticks=3, maxticks=9 if target is ax else 4)
            target.xaxis.set_major_locator(locator)
            target.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            target.grid(True, which="major", alpha=.3)
        lo, hi = min(p.x for p in shown), max(p.x for p in shown)
        ax.set_xlim(lo - (hi - lo) * 0.03, hi + (hi - lo) * 0.1)  # room to name the latest
        ax.set_ylabel("training compute (FLOP, log scale)")
        since = "" if start is None else f" since {mdates.num2date(start).year}"
        ax.set_title(f"Training compute of AI models{since}: {_counts(shown)}", fontsize=11,
                     loc="left")
        if whole is not None:
            _scatter(whole, points, "t", small=True)
            whole.axvspan(start, max(p.x for p in points) + 200, color="#ffe9a8", alpha=.45,
                          zorder=1, lw=0)
            whole.set_title(f"All {len(points)} models", fontsize=9, loc="left")
            whole.tick_params(labelsize=7)
        legend = _legend(fig, ax, shown, 0.065)
        fig.text(0.075, 0.012, "Source: kg reconciled graph. Hollow: derived compute (6 x active "
                 "parameters x tokens); orange ring: a figure in conflict (‡); steps: a country's "
                 "largest training run so far." + ("" if whole is None else
                                                    "\nRight: the whole history, with the years "
                                                    "on the left shaded."),
                 fontsize=7.5, color="#555", va="bottom")
        fig.canvas.draw()
        _place_labels(fig, ax, shown, _priority_over_time(points, drawn, start), legend,
                      limit=MAX_LABELS_OVER_TIME)
        svg = _svg(fig, points)
        plt.close(fig)
    frontier = ("; the steps are " + " and ".join(f"{g}'s" for g in drawn) +
                " largest training run so far" if drawn else
                f"; no frontier drawn: fewer than {MIN_FRONTIER_POINTS} models per country")
    zoomed = ("" if start is None else
              f" The large panel shows the {len(shown)} models released since "
              f"{mdates.num2date(start).year}, the small one all of them.")
    return (f'<figure data-chart="compute-over-time" data-points="{len(points)}">{svg}'
            f"<figcaption>Training compute against release date for the {len(points)} models with "
            f"both figures, coloured by the lab's country{escape(frontier)}.{zoomed} Hover a "
            "point for its figures; click it to go to its row.</figcaption></figure>")


def _steps(front: list[Point], last: float, clip: float | None) -> tuple[list[float], list[float]]:
    """A record line as steps; clipped at `clip`, it starts there at the record of that day."""
    xs = [p.x for p in front] + [last]
    ys = [p.y for p in front] + [front[-1].y]
    if clip is None:
        return xs, ys
    before = [y for x, y in zip(xs, ys, strict=True) if x < clip]
    keep = [(x, y) for x, y in zip(xs, ys, strict=True) if x >= clip]
    if before:
        keep.insert(0, (clip, before[-1]))
    return [x for x, _ in keep], [y for _, y in keep]


def _figure_capability(panels: list[Panel], left_out: dict[str, int]) -> str:
    plt = _pyplot()
    cols = 1 if len(panels) == 1 else 2
    rows = (len(panels) + cols - 1) // cols
    with _svg_context("capability"):
        fig, axes = plt.subplots(rows, cols, figsize=(10, 1.2 + 3.9 * rows), dpi=100,
                                 sharex=True, squeeze=False)
        height = 1.2 + 3.9 * rows
        fig.subplots_adjust(left=0.08, right=0.98, top=1 - 0.45 / height,
                            bottom=0.95 / height, hspace=0.28, wspace=0.18)
        flat = [ax for line in axes for ax in line]
        everything = [p for panel in panels for p in panel.points]
        for ax, panel in zip(flat, panels, strict=False):
            _scatter(ax, panel.points, panel.key)
            if len(panel.points) >= MIN_FRONTIER_POINTS:
                front = pareto_frontier(panel.points)
                ax.plot([p.x for p in front], [p.y for p in front], linestyle="--",
                        color="#444", lw=1, zorder=2, label="best score for the compute")
            ax.set_xscale("log")
            ax.set_title(f"{panel.title}: {_counts(panel.points)}", fontsize=10, loc="left")
            ax.set_ylabel("score (%)")
            ax.grid(True, which="major", alpha=.3)
            ax.margins(x=0.12, y=0.12)
        for ax in flat[len(panels):]:
            ax.set_visible(False)
        for ax in flat[max(0, len(panels) - cols):len(panels)]:
            ax.set_xlabel("training compute (FLOP, log scale)")
            ax.xaxis.set_tick_params(labelbottom=True)
        legend = _legend(fig, flat[0], everything, 0.12 / height)
        fig.canvas.draw()
        for ax, panel in zip(flat, panels, strict=False):
            _place_labels(fig, ax, panel.points, _priority_capability(panel.points), legend)
        svg = _svg(fig, everything)
        plt.close(fig)
    names = ", ".join(escape(p.title) for p in panels)
    rest = "; ".join(f"{escape(name)} ({n})" for name, n in sorted(left_out.items()))
    more = (f" Also scored, for too few models with a compute figure to chart: {rest}." if rest
            else "")
    frontier = any(len(p.points) >= MIN_FRONTIER_POINTS for p in panels)
    line = ("the dashed line joins the models no other beats with less compute" if frontier else
            f"no frontier drawn: fewer than {MIN_FRONTIER_POINTS} models per benchmark")
    titles = escape(json.dumps([p.title for p in panels], ensure_ascii=False), quote=True)
    return (f'<figure data-chart="capability-vs-compute" data-points='
            f'"{sum(len(p.points) for p in panels)}" data-panels="{len(panels)}" '
            f'data-benchmarks="{titles}">{svg}'
            f"<figcaption>Benchmark score against training compute, one panel per benchmark with "
            f"at least {MIN_PANEL_POINTS} models that have both ({names}); {line}.{more}"
            "</figcaption></figure>")


def _counts(points: list[Point]) -> str:
    n = {g: sum(1 for p in points if p.group == g) for g in GROUPS}
    parts = [f"{n['China']} Chinese", f"{n['United States']} US"]
    if n["Other"]:
        parts.append(f"{n['Other']} other")
    return ", ".join(parts) + " models"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _svg_context(salt: str):
    import matplotlib

    return matplotlib.rc_context({"svg.hashsalt": f"kg-{salt}", "svg.fonttype": "none",
                                  "font.family": "DejaVu Sans", "font.size": 9})


def _scatter(ax, points: list[Point], key: str, *, small: bool = False) -> None:
    """One collection per (country, stated or derived), each point a link to its table row;
    the collection's id (`points-<panel>-<group>-<stated|derived>`) lets a test count them."""
    for group in ("Other", "United States", "China"):
        colour = COLOURS[group]
        big = group != "Other"
        for derived in (False, True):
            pts = [p for p in points if p.group == group and p.derived == derived]
            if not pts:
                continue
            kind = "derived" if derived else "stated"
            size = (10 if big else 5) if small else (30 if big else 14)
            coll = ax.scatter([p.x for p in pts], [p.y for p in pts], s=size,
                              c="white" if derived else colour,
                              edgecolors=colour if derived else "white",
                              linewidths=1.3 if derived else (0.2 if small else 0.5),
                              alpha=1 if big else .6, zorder=4 if big else 3)
            coll.set_gid(f"points-{key}-{_slug(group)}-{kind}")
            coll.set_urls([f"#row-{p.row}" for p in pts])
    ringed = [p for p in points if p.conflict]
    if ringed:
        ring = ax.scatter([p.x for p in ringed], [p.y for p in ringed], s=40 if small else 120,
                          facecolors="none",
                          edgecolors=CONFLICT_COLOUR, linewidths=1.8, zorder=5)
        ring.set_gid(f"conflicts-{key}")
        ring.set_urls([f"#row-{p.row}" for p in ringed])


def _legend(fig, ax, points: list[Point], y: float):
    """One legend row under the charts, where it hides no point."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", color=COLOURS[g], markersize=6,
                      label={"Other": "other countries"}.get(g, g))
               for g in GROUPS if any(p.group == g for p in points)]
    if any(p.derived for p in points):
        handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="white",
                              markeredgecolor="#555", markersize=6, label="≈ derived compute"))
    if any(p.conflict for p in points):
        handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="none",
                              markeredgecolor=CONFLICT_COLOUR, markeredgewidth=1.8, markersize=9,
                              label="‡ in conflict"))
    handles += [h for h in ax.get_lines() if not h.get_label().startswith("_")]
    return fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.07, y),
                      ncol=len(handles), fontsize=7.5, frameon=False, handletextpad=0.3,
                      columnspacing=1.2)


def _priority_over_time(points: list[Point], frontier_groups: list[str],
                        start: float | None = None) -> list[Point]:
    """Which points to name first: record-setting runs (latest first), conflicts, then the
    largest runs of China and the US, then the rest by size; only points on or after `start`."""
    records = {g: list(reversed(record_frontier([q for q in points if q.group == g])))
               for g in frontier_groups}
    first = [p for pair in zip_longest(*records.values()) for p in pair if p is not None]
    if start is not None:
        points = [p for p in points if p.x >= start]
        first = [p for p in first if p.x >= start]
    conflicts = [p for p in points if p.conflict]
    main = sorted((p for p in points if p.group != "Other"), key=lambda p: (-p.y, p.label))
    rest = sorted((p for p in points if p.group == "Other"), key=lambda p: (-p.y, p.label))
    return list(dict.fromkeys(first + conflicts + main + rest))


def _priority_capability(points: list[Point]) -> list[Point]:
    return list(dict.fromkeys([p for p in points if p.conflict] +
                              sorted(points, key=lambda p: (-p.y, p.label))))


def _offsets():
    """Where a label may go, nearest first: beside the point, then further out in eight
    directions (with a thin line back to the point)."""
    out: list[tuple[float, float, str, str]] = [
        (5, 3, "left", "bottom"), (5, -3, "left", "top"), (-5, 3, "right", "bottom"),
        (-5, -3, "right", "top")]
    for r in (14, 24, 36):
        for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1), (0, -1), (1, 0), (-1, 0)):
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
            out.append((dx * r, dy * r * 0.8, ha, va))
    return out


_OFFSETS = _offsets()


def _place_labels(fig, ax, points: list[Point], order: list[Point], legend=None, *,
                  limit: int = MAX_LABELS) -> int:
    """Greedy placement: a label goes at the first offset where it covers no placed label, no
    other point of China or the US and stays inside the axes; a label that fits nowhere is left
    out (its point still names itself on hover)."""
    import numpy as np
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [legend.get_window_extent(renderer).padded(3)] if legend is not None else []
    centres = ax.transData.transform(np.array([[p.x, p.y] for p in points])) if points else []
    marks = np.array([c for c, p in zip(centres, points, strict=True) if p.group != "Other"]
                     ).reshape(-1, 2)
    placed = 0
    for p in order[:limit * 3]:
        if placed >= limit:
            break
        text = p.label + (" ‡" if p.conflict else "")
        own = ax.transData.transform((p.x, p.y))
        for dx, dy, ha, va in _OFFSETS:
            far = abs(dx) > 6 or abs(dy) > 6
            t = ax.annotate(text, (p.x, p.y), xytext=(dx, dy), textcoords="offset points",
                            ha=ha, va=va, fontsize=7.5, zorder=6, color="#222",
                            bbox=dict(boxstyle="square,pad=0.05", fc="white", ec="none", alpha=.75),
                            arrowprops=dict(arrowstyle="-", color="#888", lw=.6, shrinkA=1,
                                            shrinkB=3) if far else None)
            t.update_positions(renderer)
            box = Text.get_window_extent(t, renderer)  # the words alone, not the leader line
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                      and box.y1 <= frame.y1)
            others = marks[np.any(marks != own, axis=1)] if len(marks) else marks
            # no other point under the words, and (beside its point, with no leader line) no
            # other point nearer to them than their own: a reader must not misattribute them
            gap = _distance(others, box) if len(others) else np.array([np.inf])
            mine = float(_distance(np.array([own]), box)[0])
            covers = bool(np.any(gap < 4)) or (not far and bool(np.any(gap < mine + 4)))
            if inside and not covers and not any(box.overlaps(o) for o in taken):
                taken.append(box.padded(3))  # words never touch: "DeepSeek-V2Yi-Lightning"
                placed += 1
                break
            t.remove()
    return placed


def _distance(xy, box):
    """Distance of each point (display coordinates) to a box; 0 inside it."""
    import numpy as np

    dx = np.maximum(np.maximum(box.x0 - xy[:, 0], 0), xy[:, 0] - box.x1)
    dy = np.maximum(np.maximum(box.y0 - xy[:, 1], 0), xy[:, 1] - box.y1)
    return np.hypot(dx, dy)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _svg(fig, points: list[Point]) -> str:
    """The figure as SVG text: points' links made in-page (no new tab) and given a hover title."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    tips: dict[str, list[str]] = {}
    for p in points:
        tips.setdefault(f"#row-{p.row}", [])
        if p.tip not in tips[f"#row-{p.row}"]:
            tips[f"#row-{p.row}"].append(p.tip)

    def link(match: re.Match) -> str:
        href = match.group(1)
        title = escape("\n".join(tips.get(href, [])))
        return f'<a xlink:href="{href}"><title>{title}</title>'

    return re.sub(r'<a xlink:href="(#row-\d+)" target="_blank">', link, svg)
