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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from kg.core.display import readable_stated
from kg.core.vocab import KGU, UNIT
from kg.report.columns import (
    COLUMNS,
    CONFLICT_MARK,
    DERIVED_MARK,
    SCORE_COLUMNS,
    format_cell,
)
from kg.store.protocol import Store
from kg.store.queries import named_query
from kg.store.results import as_text, to_python


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
    variant: str | None = None    # a score column's variant tag ("chat", "base"), if not plain
    benchmark: str | None = None  # the benchmark (variant) node a score is on
    benchmark_label: str | None = None

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
    imported_from: str | None = None  # the import source that minted the model's node, if any

    @property
    def released(self) -> str | None:
        cell = self.cells.get("release_date")
        return str(cell.value) if cell and cell.value else None

    def figures(self) -> int:
        """How many of the table's figures a source states for this model (derived ones and the
        release date aside)."""
        return sum(1 for k, c in self.cells.items() if k != "release_date" and not c.derived)


@dataclass
class Footnote:
    key: int
    source: str
    text: str


@dataclass
class CapabilityTable:
    rows: list[Row]
    footnotes: list[Footnote]
    notes: list[str]       # conflict notes, numbered; a conflicting cell points at its own
    columns: list[str] = field(default_factory=lambda: [k for k, _ in COLUMNS])
    remarks: list[str] = field(default_factory=list)  # what a reader should know about the rows
    left_out: int = 0      # rows the view left out (TableView.min_figures)

    def to_frame(self):
        """Plain values with confidence, status and source keys in extra columns (for machines)."""
        import pandas as pd

        records = []
        for row in self.rows:
            rec: dict[str, object] = {"model": row.label, "model_iri": row.model,
                                      "lab": row.lab_label, "country": row.country_label}
            for key in self.columns:
                cell = row.cells.get(key)
                rec[key] = cell.value if cell else None
                rec[f"{key}_unit"] = cell.unit if cell else None
                rec[f"{key}_confidence"] = round(cell.confidence, 4) if cell else None
                rec[f"{key}_status"] = cell.status if cell else None
                rec[f"{key}_derived"] = cell.derived if cell else None
                rec[f"{key}_sources"] = (" ".join(self.footnotes[k - 1].source for k in cell.sources)
                                         if cell else None)
                if key in SCORE_COLUMNS:
                    rec[f"{key}_variant"] = cell.benchmark if cell else None
            records.append(rec)
        return pd.DataFrame(records)


@dataclass
class TableView:
    """Which rows and columns of the table to show; the defaults show everything.

    Models, labs and countries are IRIs (EvidenceGraph.table resolves names); `since` and
    `until` bound the release date (YYYY, YYYY-MM or YYYY-MM-DD, inclusive; a model without a
    release date is left out when either is given); `columns` are keys of COLUMNS; `limit`
    keeps the most recently released models; `min_figures` leaves out models known only from
    an imported database (their node was minted by an importer) that have fewer of the table's
    figures, and the table counts them in `left_out`.
    """

    models: Sequence[str] = ()
    labs: Sequence[str] = ()
    countries: Sequence[str] = ()
    since: str | None = None
    until: str | None = None
    columns: Sequence[str] = ()
    limit: int | None = None
    min_figures: int = 0


@dataclass
class TableData:
    """What the table is built from, before any view: every cell's converted query row
    (`records`: model, column, values, in the capability-table query's order, the first row of
    each cell), each statement's winning and losing sources (`evidence`: group -> (won, lost),
    each a (document, description, short name, stated) entry) and the closed models without a
    lab card (`closed`). Read from the store by `table_data`, or from the copy a run keeps
    (kg.report.snapshot), which is what makes `kg table` on an unchanged store fast."""

    records: list[tuple[str, str, dict]]
    evidence: dict[str, tuple[list, list]]
    closed: set[str]


def table_data(store: Store, run: str | None = None) -> TableData:
    """The whole table's data for `run` (its IRI, else the current run): what a run keeps so
    later tables need no query but one (kg.report.snapshot)."""
    records = list(_cell_records(store, run))
    evidence = _evidence(store, {v["group"] for _m, _c, v in records}, run)
    models = sorted({m for m, _c, _v in records})
    return TableData(records, dict(evidence), _closed_among(store, models))


def capability_table(store: Store | None, view: TableView | None = None, run: str | None = None,
                     data: TableData | None = None) -> CapabilityTable:
    """Build the table from a store that already holds a reconciliation run: `run` (its IRI), or
    the current run the control graph points to.

    Both queries are kg's own and large (a row per cell, a row per claim), so their rows are
    streamed (`Store.stream`) rather than collected and copied through the embedded store's
    deadline process; the claims are read only for the cells shown, so footnotes number only
    the sources of what the reader sees. With `data` (the run's kept table data, read by
    kg.report.snapshot) no query runs: the same rows, evidence and closed models, so the same
    table, byte for byte. A view of named models reads its few rows from the store.
    """
    view = view or TableView()
    if data is not None and view.models:
        data = None  # a model's rows are a cheap bound query, in the order that query gives
    if data is not None:
        rows, cells = _rows_of(data.records)
    elif store is None:
        raise ValueError("capability_table needs a store or the table's data")
    else:
        rows, cells = _read_cells(store, run, view.models)

    shown, left_out = _select_rows(list(rows.values()), view)
    columns = [k for k, _ in COLUMNS if not view.columns or k in view.columns]
    wanted = set(columns)
    if "training_flop" in wanted:  # a derived FLOP figure rests on these two cells' sources
        wanted |= {"active_params", "training_tokens"}
    in_view = {id(c) for row in shown for k, c in row.cells.items() if k in wanted}
    kept = [c for c in cells if id(c) in in_view]

    if data is not None:
        evidence = data.evidence
    else:
        assert store is not None  # refused above: no data and no store
        evidence = _evidence(store, {c.group for c in kept}, run)
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
        cell.losers = _losers(lost, cell.unit)
    headers = dict(COLUMNS)
    for row in shown:
        _derive_flop(row)
        row.cells = {k: c for k, c in row.cells.items() if k in columns}
        for column in columns:
            conflicted = row.cells.get(column)
            if conflicted and conflicted.status == "conflict":
                notes.append(f"{row.label}, {headers[column]}: {conflicted.text} preferred "
                             f"(confidence {conflicted.confidence:.2f}, "
                             f"{conflicted.kind or 'value'} conflict); "
                             f"lost: {'; '.join(conflicted.losers) or 'see kg reconcile'}")
                conflicted.note = len(notes)
    ordered = sorted(shown, key=lambda r: (_country_order(r.country_label), r.lab_label or "",
                                           r.label))
    table = CapabilityTable(ordered, footnotes, notes, columns, left_out=left_out)
    table.remarks = _remarks(store, table, data.closed if data is not None else None)
    return table


def _select_rows(rows: list[Row], view: TableView) -> tuple[list[Row], int]:
    """The rows the view keeps, and how many `min_figures` left out."""
    labs, countries = set(view.labs), set(view.countries)
    since = _date_bounds(view.since)[0] if view.since else None
    until = _date_bounds(view.until)[1] if view.until else None
    shown = []
    for row in rows:
        if labs and row.lab not in labs:
            continue
        if countries and row.country not in countries:
            continue
        if since or until:
            released = row.released
            if not released:
                continue
            first, last = _date_bounds(released)
            if (since and last < since) or (until and first > until):
                continue
        shown.append(row)
    left_out = 0
    if view.min_figures:
        kept = [r for r in shown if not r.imported_from or r.figures() >= view.min_figures]
        left_out, shown = len(shown) - len(kept), kept
    if view.limit is not None and len(shown) > view.limit:
        latest = sorted(shown, key=lambda r: (r.released or "", r.label), reverse=True)
        shown = latest[:max(view.limit, 0)]
    return shown, left_out


def _date_bounds(text: str) -> tuple[str, str]:
    """The first and last day an ISO date of any precision spans: '2024' is 2024-01-01..2024-12-31."""
    import calendar
    import re

    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(text))
    if not m:
        return str(text), str(text)
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def _remarks(store: Store | None, table: CapabilityTable, closed_models: set[str] | None = None
             ) -> list[str]:
    """Notes on the rows as a whole: which variant a score column shows, closed models
    (`closed_models`: the kept table data's, else asked of the store)."""
    out = []
    for column in SCORE_COLUMNS:
        variants: dict[str, set[str]] = defaultdict(set)
        for row in table.rows:
            cell = row.cells.get(column)
            if cell and cell.variant:
                variants[cell.variant].add(cell.benchmark_label or cell.variant)
        if variants:
            which = "; ".join(f"“{tag}” = {', '.join(sorted(labels))}"
                              for tag, labels in sorted(variants.items()))
            out.append(f"{dict(COLUMNS)[column]}: the score on the benchmark as the source names "
                       f"it; where a model has none, the lab card's variant, tagged ({which}).")
    if closed_models is None:
        closed_models = _closed_among(store, sorted({r.model for r in table.rows})) \
            if store is not None else set()
    closed = [r for r in table.rows if r.model in closed_models]
    if closed:
        keys = sorted({k for r in closed for c in r.cells.values() for k in c.sources})
        names = ", ".join(r.label for r in closed)
        on = f" (sources [{', '.join(map(str, keys))}])" if keys else ""
        out.append(f"{names}: closed models; their labs publish no model card with these "
                   f"figures, so their cells rest on databases and the corpus{on}, not on the "
                   "lab's own statement.")
    return out


def _closed_among(store: Store, models: Sequence[str]) -> set[str]:
    """The models (of `models`) the graph marks closed (open weights false) and no lab card
    speaks for: queries/closed-models.rq for the whole graph, one pass whatever the number of
    models (model-access.rq bound to every model of the table, batch by batch, took minutes at
    a million claims on disk)."""
    wanted = set(models)
    return {r["model"].value for r in store.stream(named_query("closed-models").text)
            if r["model"].value in wanted}


def table_cells(store: Store, run: str | None = None, models: Sequence[str] = ()
                ) -> dict[str, Row]:
    """The table's rows and cells (values, status, statement) without their sources: what
    `kg diff` compares between two runs, at the cost of one query (with `models`, only their
    rows: the models whose statements moved)."""
    rows, _kept = _read_cells(store, run, models)
    for row in rows.values():
        _derive_flop(row)
    return rows


def _read_cells(store: Store, run: str | None, models: Sequence[str] = ()
                ) -> tuple[dict[str, Row], list[Cell]]:
    """Every cell of the run's table (or of `models`' rows), in the query's order."""
    return _rows_of(_cell_records(store, run, models))


def _cell_records(store: Store, run: str | None, models: Sequence[str] = ()
                  ) -> Iterator[tuple[str, str, dict]]:
    """(model, column, converted row) for each cell, the query's first row of each."""
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound

    query = named_query("capability-table").text
    fixed = {"run": [ox.NamedNode(run)]} if run else None
    if models:
        stream = stream_bound(store, query, "model", [ox.NamedNode(m) for m in models], fixed=fixed)
    else:
        stream = store.stream(_for_run(query, run))
    seen: set[tuple[str, str]] = set()
    for r in stream:
        model, column = r["model"].value, r["column"].value  # an IRI and a plain string
        if (model, column) in seen:
            continue  # several statements fit (input price vs cache-miss, variants): the first
        seen.add((model, column))
        yield model, column, {k: to_python(t) for k, t in r.items()}


def _rows_of(records: Iterable[tuple[str, str, dict]]) -> tuple[dict[str, Row], list[Cell]]:
    """Rows and cells from cell records, the cells in the records' order (which numbers the
    footnotes)."""
    rows: dict[str, Row] = {}
    cells: list[Cell] = []
    for model, column, v in records:
        row = rows.get(model)
        if row is None:
            row = rows[model] = Row(model, str(v["modelLabel"]), as_text(v.get("lab")),
                                    as_text(v.get("labLabel")), as_text(v.get("country")),
                                    as_text(v.get("countryLabel")),
                                    imported_from=as_text(v.get("importedFrom")))
        cell = row.cells[column] = _cell(column, v)
        cells.append(cell)
    return rows, cells


_EVIDENCE_FIELDS = ("document", "stated", "file", "title", "kind", "date", "dateBasis", "added",
                    "originTitle")


def _for_run(query: str, run: str | None) -> str:
    """The query with ?run bound to one run's IRI (a VALUES block); unbound, it reads the
    current run through the pointer."""
    if run is None:
        return query
    import pyoxigraph as ox

    from kg.store.bindings import with_table

    return with_table(query, {"run": [ox.NamedNode(run)]})


def _evidence(store: Store, groups: set[str | None], run: str | None = None
              ) -> dict[str, tuple[list, list]]:
    """group -> (winning (document, description, short name, stated), losing ...), for `groups`.

    Two queries, not one: the claims of the statements (queries/cell-sources.rq), then each
    document's description once (queries/document-descriptions.rq). cell-evidence.rq joins the
    six document fields to every claim, which on a store on disk was half the evidence's time
    (14 s -> 7.7 s at 100,000 claims), and a source's description is worked out once.
    """
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound

    out: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    documents: dict[str, dict] = {}
    described: dict[tuple, tuple[str, str]] = {}
    wanted = [ox.NamedNode(g) for g in sorted(g for g in groups if g)]
    # the table's statements bound a few hundred at a time: the whole query sorts every claim
    # of every statement first (minutes at a million claims), a bound one looks up its own
    fixed = {"run": [ox.NamedNode(run)]} if run else None
    rows = stream_bound(store, named_query("cell-sources").text, "group", wanted, fixed=fixed)
    for chunk in _chunks(rows, _DOCUMENTS_PER_READ):
        _describe_documents(store, {r["document"].value for r in chunk} - documents.keys(),
                            documents)
        for r in chunk:
            v = {**documents[r["document"].value],
                 **{k: to_python(t) for k, t in r.items() if k in _EVIDENCE_FIELDS}}
            source = (v["document"], v.get("file"), v.get("title"), v.get("kind"), v.get("date"),
                      v.get("dateBasis") is not None, v.get("added"), v.get("originTitle"))
            names = described.get(source)
            if names is None:
                names = described[source] = (_describe(v), _short(v))
            target = out[r["group"].value][0 if r["role"].value == "preferred" else 1]
            target.append((v["document"], names[0], names[1], v.get("stated")))
    return out


_DOCUMENTS_PER_READ = 5000  # claim rows read before their new documents are described


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _describe_documents(store: Store, new: set[str], into: dict[str, dict]) -> None:
    """Each of the `new` documents' fields (the first row of each, as cell-evidence.rq's first
    row for a claim carried them), into `into`."""
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound

    query = named_query("document-descriptions").text
    for r in stream_bound(store, query, "document", [ox.NamedNode(d) for d in sorted(new)]):
        document = r["document"].value
        if document not in into:
            into[document] = {k: to_python(t) for k, t in r.items() if k in _EVIDENCE_FIELDS}
    for document in new:  # bound, the query has a row for every document, fields or not
        into.setdefault(document, {"document": document})


def _losers(lost: list, unit: str | None = None) -> list[str]:
    """Losing values, each once, as people read them, with the short names of their sources."""
    by_value: dict[str, set[str]] = defaultdict(set)
    for _doc, _text, short, stated in lost:
        by_value[readable_stated(stated, unit) or "?"].add(short)
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
    if v.get("date"):  # an estimated date is used, and said to be one (kg:dateBasis)
        parts.append(str(v["date"]) + (" (estimated)" if v.get("dateBasis") else ""))
    elif v.get("added"):  # undated: known since `kg add` took it in
        parts.append(f"added {v['added']}")
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
    if column in SCORE_COLUMNS and amount is not None and unit == UNIT + "UNITLESS" and amount > 1:
        amount = amount / 100  # "88.5" on a card is 88.5 %: one scale per column, a fraction
    text = format_cell(column, amount, unit, v)
    if column == "gpu_hours" and v.get("chipLabel"):
        text += f" {v['chipLabel'].replace('NVIDIA ', '')}"
    variant = v.get("variant")
    if variant:
        text += f" {variant}"
    return Cell(column, amount if amount is not None else v.get("stated"), unit, text, confidence,
                status, kind, v["group"], variant=variant, benchmark=v.get("benchmark"),
                benchmark_label=v.get("benchmarkLabel"))


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



