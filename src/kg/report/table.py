"""The reconciled capability-vs-compute table: one row per model, each cell traceable to sources.

The numbers come from SPARQL (`queries/capability-table.rq` over the reconciliation graph, and
`queries/cell-evidence.rq` for the claims that won and lost); this module only arranges them:
it picks the columns, numbers the sources as footnotes, marks conflicts and derived values, and
writes the "6 x active parameters x tokens" estimate where no training compute is stated, so
that a reader can tell a stated figure from an inferred one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from kg.core.vocab import KGU, UNIT
from kg.store.protocol import Store
from kg.store.queries import named_query
from kg.store.results import as_text, to_python

# (key, header for people, header for machines)
COLUMNS: list[tuple[str, str]] = [
    ("release_date", "Released"),
    ("total_params", "Total params"),
    ("active_params", "Active params"),
    ("training_tokens", "Train tokens"),
    ("gpu_hours", "GPU-hours"),
    ("training_flop", "Train FLOP"),
    ("final_run_cost", "Final-run cost"),
    ("mmlu", "MMLU"),
    ("gpqa_diamond", "GPQA Diamond"),
    ("swe_bench_verified", "SWE-bench Verified"),
    ("price_in", "$/M tokens in"),
    ("price_out", "$/M tokens out"),
]
COMPUTE_COLUMNS = [c for c, _ in COLUMNS[:7]]
CAPABILITY_COLUMNS = [c for c, _ in COLUMNS[7:]]
CONFLICT_MARK = "‡"
DERIVED_MARK = "≈"


@dataclass
class Cell:
    column: str
    value: float | str | None
    unit: str | None
    text: str
    confidence: float
    status: str
    kind: str | None = None
    group: str | None = None
    sources: list[int] = field(default_factory=list)
    losers: list[str] = field(default_factory=list)
    derived: bool = False
    note: int | None = None  # number of the conflict note explaining this cell

    @property
    def display(self) -> str:
        mark = CONFLICT_MARK if self.status == "conflict" else ""
        prefix = DERIVED_MARK if self.derived else ""
        keys = f" [{','.join(str(k) for k in self.sources)}]" if self.sources else ""
        return f"{prefix}{self.text}{mark}{keys}"


@dataclass
class Row:
    model: str
    label: str
    lab: str | None
    lab_label: str | None
    country: str | None
    country_label: str | None
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class Footnote:
    key: int
    source: str
    text: str


@dataclass
class CapabilityTable:
    rows: list[Row]
    footnotes: list[Footnote]
    notes: list[str]

    def to_frame(self):
        """Plain values with confidence, status and source keys in extra columns (for machines)."""
        import pandas as pd

        records = []
        for row in self.rows:
            rec: dict[str, object] = {"model": row.label, "model_iri": row.model,
                                      "lab": row.lab_label, "country": row.country_label}
            for key, _ in COLUMNS:
                cell = row.cells.get(key)
                rec[key] = cell.value if cell else None
                rec[f"{key}_unit"] = cell.unit if cell else None
                rec[f"{key}_confidence"] = round(cell.confidence, 4) if cell else None
                rec[f"{key}_status"] = cell.status if cell else None
                rec[f"{key}_derived"] = cell.derived if cell else None
                rec[f"{key}_sources"] = (" ".join(self.footnotes[k - 1].source for k in cell.sources)
                                         if cell else None)
            records.append(rec)
        return pd.DataFrame(records)


def capability_table(store: Store) -> CapabilityTable:
    """Build the table from a store that already holds a reconciliation.

    Both queries are kg's own and large (a row per cell, a row per claim), so their rows are
    streamed (`Store.stream`) rather than collected and copied through the embedded store's
    deadline process; the claims are read only for the statements that made it into a cell.
    """
    rows: dict[str, Row] = {}
    kept: list[Cell] = []  # in the query's order, which numbers the footnotes
    for r in store.stream(named_query("capability-table").text):
        model, column = r["model"].value, r["column"].value  # an IRI and a plain string
        row = rows.get(model)
        if row is not None and column in row.cells:
            continue  # several statements fit (input price vs cache-miss): the surest came first
        v = {k: to_python(t) for k, t in r.items()}
        if row is None:
            row = rows[model] = Row(model, str(v["modelLabel"]), as_text(v.get("lab")),
                                    as_text(v.get("labLabel")), as_text(v.get("country")),
                                    as_text(v.get("countryLabel")))
        cell = row.cells[column] = _cell(column, v)
        kept.append(cell)

    evidence = _evidence(store, {c.group for c in kept})
    footnote_keys: dict[str, int] = {}
    footnotes: list[Footnote] = []
    notes: list[str] = []

    def key_for(source: str, text: str) -> int:
        if source not in footnote_keys:
            footnote_keys[source] = len(footnotes) + 1
            footnotes.append(Footnote(len(footnotes) + 1, source, text))
        return footnote_keys[source]

    for cell in kept:
        won, lost = evidence.get(cell.group or "", ([], []))
        cell.sources = sorted({key_for(doc, text) for doc, text, _short, _stated in won})
        cell.losers = _losers(lost)
    for row in rows.values():
        _derive_flop(row)
        for column, _ in COLUMNS:
            shown = row.cells.get(column)
            if shown and shown.status == "conflict":
                notes.append(f"{row.label}, {dict(COLUMNS)[column]}: {shown.text} preferred "
                             f"(confidence {shown.confidence:.2f}, {shown.kind or 'value'} conflict); "
                             f"lost: {'; '.join(shown.losers) or 'see kg reconcile'}")
                shown.note = len(notes)
    ordered = sorted(rows.values(), key=lambda r: (_country_order(r.country_label), r.lab_label or "",
                                                   r.label))
    return CapabilityTable(ordered, footnotes, notes)


_EVIDENCE_FIELDS = ("document", "stated", "file", "title", "kind", "date", "originTitle")


def _evidence(store: Store, groups: set[str | None]) -> dict[str, tuple[list, list]]:
    """group -> (winning (document, description, short name, stated), losing ...), for `groups`.

    The query has a row per claim; rows of statements outside the table are skipped before any
    conversion, and a source's description is worked out once, not once per claim.
    """
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound

    out: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    described: dict[tuple, tuple[str, str]] = {}
    wanted = [ox.NamedNode(g) for g in sorted(g for g in groups if g)]
    # the table's statements bound a few hundred at a time: the whole query sorts every claim
    # of every statement first (minutes at a million claims), a bound one looks up its own
    for r in stream_bound(store, named_query("cell-evidence").text, "group", wanted):
        group = r["group"].value
        v = {k: to_python(r[k]) for k in _EVIDENCE_FIELDS if k in r}
        source = (v["document"], v.get("file"), v.get("title"), v.get("kind"), v.get("date"),
                  v.get("originTitle"))
        names = described.get(source)
        if names is None:
            names = described[source] = (_describe(v), _short(v))
        target = out[group][0 if r["role"].value == "preferred" else 1]
        target.append((v["document"], names[0], names[1], v.get("stated")))
    return out


def _losers(lost: list) -> list[str]:
    """Losing values, each once, with the short names of the sources that stated it."""
    by_value: dict[str, set[str]] = defaultdict(set)
    for _doc, _text, short, stated in lost:
        by_value[stated or "?"].add(short)
    return [f"{value} ({', '.join(sorted(names))})" for value, names in sorted(by_value.items())]


def _short(v: dict) -> str:
    if v.get("file"):
        return f"corpus {v['file'][:3]}"
    return v.get("title") or v["document"].rsplit("/", 1)[-1]


def _describe(v: dict) -> str:
    name = f"corpus {v['file'][:3]}" if v.get("file") else (v.get("title") or v["document"])
    kind = (v.get("kind") or "").rsplit("#", 1)[-1]
    parts = [name]
    if v.get("title") and v.get("file"):
        parts.append(f"“{v['title']}”")
    if kind:
        parts.append(_KIND_WORDS.get(kind, kind))
    if v.get("date"):
        parts.append(str(v["date"]))
    if v.get("originTitle"):
        parts.append(f"citing {v['originTitle']}")
    return ", ".join(parts)


_KIND_WORDS = {"PrimaryReport": "primary report", "OfficialRecord": "official record",
               "CuratedDatabase": "curated database", "AnalystFirm": "analyst firm", "News": "news",
               "Newsletter": "newsletter", "ResearchNote": "research note",
               "AISynthesis": "AI-generated synthesis", "SocialPost": "social post"}


def _cell(column: str, v: dict) -> Cell:
    status = (v.get("status") or "").rsplit("#", 1)[-1].lower()
    kind = (v.get("kind") or "").rsplit("#", 1)[-1].replace("Conflict", "").lower() or None
    confidence = float(v.get("confidence") or 0.0)
    if column == "release_date":
        value = v.get("date") or v.get("stated")
        return Cell(column, value, None, str(value), confidence, status, kind, v["group"])
    amount = v.get("amount")
    if amount is None and v.get("low") is not None and v.get("high") is not None:
        amount = (v["low"] + v["high"]) / 2
    unit = v.get("unit")
    text = format_cell(column, amount, unit, v)
    if column == "gpu_hours" and v.get("chipLabel"):
        text += f" {v['chipLabel'].replace('NVIDIA ', '')}"
    return Cell(column, amount if amount is not None else v.get("stated"), unit, text, confidence,
                status, kind, v["group"])


def format_cell(column: str, amount: float | None, unit: str | None, v: dict | None = None) -> str:
    """Compact, unambiguous figures: 671B, 14.8T, 2.79M, 3.3e24, $5.6M, 88.5%, $0.27."""
    if amount is None:
        return (v or {}).get("stated") or ""
    if unit == UNIT + "UNITLESS" and column in ("mmlu", "gpqa_diamond", "swe_bench_verified"):
        return f"{amount * 100:.1f}%" if amount <= 1.0 else f"{amount:g}"
    if column == "training_flop" or unit == KGU + "FLOP":
        return f"{amount:.2g}".replace("e+", "e")
    money = unit in (UNIT + "CCY_USD", KGU + "USD-PER-MegaTOK")
    sign = "$" if money else ""
    if unit == KGU + "USD-PER-MegaTOK":
        return f"${amount:.3g}"
    for scale, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= scale:
            return f"{sign}{amount / scale:.4g}{word}"
    return f"{sign}{amount:.4g}"


def _derive_flop(row: Row) -> None:
    """6 x active parameters x training tokens, marked derived, where no FLOP figure is stated."""
    if "training_flop" in row.cells:
        return
    active, tokens = row.cells.get("active_params"), row.cells.get("training_tokens")
    if not active or not tokens or not isinstance(active.value, float | int) or \
            not isinstance(tokens.value, float | int):
        return
    flop = 6.0 * float(active.value) * float(tokens.value)
    if not math.isfinite(flop):
        return
    row.cells["training_flop"] = Cell(
        "training_flop", flop, KGU + "FLOP", format_cell("training_flop", flop, KGU + "FLOP"),
        min(active.confidence, tokens.confidence), "agree", None, None,
        sorted(set(active.sources) | set(tokens.sources)), derived=True)


def _country_order(label: str | None) -> tuple[int, str]:
    order = {"China": 0, "United States": 1}
    return (order.get(label or "", 2), label or "")

