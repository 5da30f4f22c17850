"""`EvidenceGraph`: the one library object a notebook or the CLI works through.

It owns the choice of store (embedded by default, an on-disk Oxigraph directory, or a SPARQL
server) and the one-way flow: load, validate, reconcile, query, export. Each step is a method
returning plain results (pandas DataFrames, dataclasses, rdflib graphs) so a notebook user gets
the same answers the CLI prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.core.errors import QueryError
from kg.load.run import load
from kg.load.turtle import LoadReport, parse_file
from kg.store.embedded import OxigraphStore
from kg.store.graphs import clear_default, drop_graph, move_graph
from kg.store.protocol import DEFAULT_TIMEOUT, Rows, Store
from kg.store.queries import NamedQuery, named_query, named_update, resolve, with_prefixes
from kg.store.remote import RemoteStore

if TYPE_CHECKING:
    import pandas as pd
    import rdflib

    from kg.reconcile.run import Reconciliation
    from kg.store.names import NameIndex
    from kg.validate.findings import ValidationReport


class EvidenceGraph:
    """The evidence graph on one store.

    Example:
        >>> from kg import EvidenceGraph
        >>> eg = EvidenceGraph()            # the shipped graph, in memory
        >>> eg.validate().conforms
        True
    """

    def __init__(self, graph: Sequence[str | Path] | None = None, *,
                 store: str | Path | None = None, endpoint: str | None = None,
                 update_endpoint: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                 allow_network: bool = False, max_memory: int | None = None,
                 create: bool = False, progress: Callable[[Path], None] | None = None) -> None:
        self.graph_paths = list(graph) if graph else None
        self.timeout = timeout
        if max_memory is None:  # every query gets a memory ceiling unless told 0 (kg.store.deadline)
            from kg.store.deadline import default_memory

            max_memory = default_memory()
        self._progress = progress
        self.load_report: LoadReport | None = None
        self._reconciliation: Reconciliation | None = None
        self._names: NameIndex | None = None
        # a persistent store must be one kg loaded completely (kg.load.state): a mistyped --store
        # is refused, not created; `create=True` (a notebook's first use) creates and loads it
        if endpoint:
            self.store: Store = RemoteStore(endpoint, update_endpoint, timeout=timeout,
                                            allow_network=allow_network, memory=max_memory)
            self._check_store(f"the server at {endpoint}", f"kg load --endpoint {endpoint}", create)
        elif store:
            self.store = OxigraphStore(store, timeout=timeout, allow_network=allow_network,
                                       memory=max_memory, create=create)
            self._check_store(f"the store at {store}", f"kg load --store {store}", create)
        else:
            self.store = OxigraphStore(timeout=timeout, allow_network=allow_network,
                                       memory=max_memory)
            self.load()

    def _check_store(self, where: str, repair: str, create: bool) -> None:
        """Refuse a missing or half-loaded store; warn when its files changed since the load."""
        import warnings

        from kg.load.state import StoreNotice, check, has_data, sources_of

        if create and not has_data(self.store):
            self.load()
            return
        state, note = check(self.store, where=where, repair=repair)
        if note:
            warnings.warn(note, StoreNotice, stacklevel=3)
        if self.graph_paths and state.status and sources_of(self.graph_paths) != state.sources:
            warnings.warn(f"--graph is not read: {where} serves what `kg load` put in it "
                          f"({', '.join(state.sources)})", StoreNotice, stacklevel=3)

    # ------------------------------------------------------------------ load
    def load(self, paths: Sequence[str | Path] | None = None, *, replace: bool = False
             ) -> LoadReport:
        """Parse the Turtle files (all of them, before touching the store) and load them; a
        persistent store records the load (kg.load.state)."""
        if replace:
            clear_default(self.store)
        self.load_report = load(self.store, paths or self.graph_paths,
                                progress=self._progress, record=self.persistent)
        self._reconciliation = None
        self._names = None
        return self.load_report

    # ------------------------------------------------------------------ validate
    def validate(self, only: str | Path | None = None, *, engine: str = "sparql"
                 ) -> ValidationReport:
        """SHACL over the whole graph, or (`only`) over the nodes one file defines.

        `engine="sparql"` runs the shapes as queries on the store (kg.validate.constraints); "pyshacl"
        is the reference engine, for cross-checking (slow on large graphs).
        """
        from kg.validate.run import nodes_defined_in, validate

        focus = nodes_defined_in(Path(only)) if only is not None else None
        return validate(self.store, self.load_report, focus=focus, engine=engine)

    # ------------------------------------------------------------------ query
    def query(self, query: str | NamedQuery, bindings: Mapping[str, object] | None = None, *,
              reconcile: bool | None = None) -> pd.DataFrame:
        """Run a named query, a .rq file or SPARQL text; answer as a DataFrame of plain values.

        Bindings may name entities: `{"subject": "DeepSeek V3"}` for a parameter the query's
        header declares as an IRI (kg.store.names); a required parameter left out is a
        QueryError, a bound IRI the graph does not have is a warning (Python's `warnings`).
        `reconcile` as in `select`.
        """
        import warnings

        import pandas as pd

        from kg.store.results import to_python

        nq = query if isinstance(query, NamedQuery) else _as_query(query)
        bound, notes = self.bind(nq, bindings or {})
        for note in notes:
            warnings.warn(note, stacklevel=2)
        rows = self.select(nq, bound, reconcile=reconcile)
        columns = rows.variables
        return pd.DataFrame([{c: to_python(r.get(c)) for c in columns} for r in rows],
                            columns=columns)

    def select(self, query: str | NamedQuery, bindings: Mapping[str, object] | None = None, *,
               reconcile: bool | None = None) -> Rows:
        """Run a SELECT (named, a .rq file or text); answer as rows of pyoxigraph terms.

        Only a query whose header says `# Needs: reconciliation` is given verdicts, and never
        because of what its text mentions, so reading is never a hidden write. With
        `reconcile=None` (the default) such a query reads the store's reconciliation; when
        there is none, one is run first in memory (nothing outlives the process), while on
        disk or a server a QueryError says how to get one: writing verdicts there is
        `kg reconcile`'s job, or the caller's explicit `reconcile=True`, which runs one first
        for any query. `reconcile=False` never reconciles.
        """
        nq = query if isinstance(query, NamedQuery) else _as_query(query)
        if reconcile or (reconcile is None and nq.needs_reconciliation and not self.persistent):
            self.ensure_reconciled()
        elif nq.needs_reconciliation and not self.has_reconciliation():
            raise QueryError(
                f"query {nq.name} needs a reconciliation and the store holds none",
                hint="run `kg reconcile` on the same store first, or ask for one now "
                     "(kg query --reconcile; EvidenceGraph.query(..., reconcile=True))")
        return self.store.select(nq.text, bindings)

    @property
    def persistent(self) -> bool:
        """True when the store outlives this process (a --store directory or a server)."""
        return not (isinstance(self.store, OxigraphStore) and self.store.path is None)

    def bind(self, nq: NamedQuery, values: Mapping[str, object]) -> tuple[dict, list[str]]:
        """`values` as the query's bindings (names resolved, parameters checked) and warnings."""
        from kg.store.names import bind_parameters

        named = any(isinstance(v, str) for v in values.values())  # the index only when needed
        return bind_parameters(self.store, nq, values, index=self.names() if named else None)

    # ------------------------------------------------------------------ names
    def names(self) -> NameIndex:
        """Every labelled node by its names, read once per loaded graph (kg.store.names)."""
        from kg.store.names import NameIndex

        if self._names is None:
            self._names = NameIndex.from_store(self.store)
        return self._names

    def resolve(self, name: str, *, classes: Sequence[str] = (), what: str = "entity") -> str:
        """The IRI `name` means: an IRI, `kge:deepseek-v3`, or a label or alias ("DeepSeek V3").

        Unknown or ambiguous names raise kg.core.errors.UnknownName with the nearest names.
        """
        return self.names().resolve(name, classes=classes, what=what, store=self.store)


    def stats(self) -> pd.DataFrame:
        """Claims per document, so a reviewer sees how much of each source was curated."""
        return self.query(named_query("claims-per-document"))

    # ------------------------------------------------------------------ reconcile
    def reconcile(self, *, write: bool = True, **options) -> Reconciliation:
        """Reconcile, then (by default) store the verdicts in their own named graph.

        Verdicts are written batch by batch as the reconciler settles them (`kg.reconcile.families`), into
        a scratch graph moved over the old one in one SPARQL update, so a failed run leaves the
        previous reconciliation in place; on disk (where that costs minutes) and into a fresh
        in-memory store, straight into place (see below). Options go to
        `kg.reconcile.run.reconcile` (`keep=False` keeps only counts in memory, for a million claims).
        """
        from kg.reconcile import pending
        from kg.reconcile.run import reconcile
        from kg.reconcile.verdicts import RUN_GRAPH, run_quads, verdict_quads

        if not write:
            self._reconciliation = reconcile(self.store, **options)
            return self._reconciliation
        # on disk a MOVE (or DROP) of a large graph costs minutes (41 s per million verdict
        # triples): there the old verdicts are dropped first and the new ones bulk-loaded
        # straight into place. The run node goes in last, so an interrupted write is seen as no
        # reconciliation and the next command that needs verdicts reconciles again. On servers
        # (which others read while kg writes) and in memory when verdicts exist, they go to a
        # scratch graph moved over the old one in one update: a failed run leaves the store as
        # it was. A fresh in-memory store has nothing to keep: its first verdicts go straight
        # in (the MOVE would copy them all: 3 s at 100k claims) and a failure drops them again.
        in_place = isinstance(self.store, OxigraphStore) and (
            self.store.path is not None
            or not self.store.ask(named_query("reconciliation-graph-exists").text))
        # each run writes to a scratch graph of its own (kg.reconcile.pending), never shared
        target = RUN_GRAPH if in_place else pending.claim(self.store)
        drop_graph(self.store, target)

        also = options.pop("on_batch", None)  # a caller's own use of each batch (scoring)

        def write_batch(groups, scope_findings, run_id: str) -> None:
            self.store.load(verdict_quads(groups + scope_findings, run_id, target))
            if also:
                also(groups, scope_findings, run_id)

        try:
            self._reconciliation = reconcile(self.store, on_batch=write_batch, **options)
            self.store.load(run_quads(self._reconciliation.run, target))
        except BaseException:
            self._reconciliation = None
            if in_place:
                drop_graph(self.store, target)
            else:
                pending.release(self.store, target)
            raise
        if in_place:
            self.store.flush()  # on disk: make the verdicts durable before the command returns
        else:
            move_graph(self.store, target, RUN_GRAPH)
            pending.release(self.store, target)
        return self._reconciliation

    def capability_table(self, *, model: str | Sequence[str] | None = None,
                         lab: str | Sequence[str] | None = None,
                         country: str | Sequence[str] | None = None, since: str | None = None,
                         until: str | None = None, columns: str | Sequence[str] | None = None,
                         limit: int | None = None, min_figures: int = 0):
        """The reconciled capability-vs-compute table (kg.report.table.CapabilityTable),
        reconciling first if the store holds no verdicts yet (with --store or --endpoint,
        `kg reconcile` refreshes them). The filters are those of `table`."""
        from kg.report.table import TableView, capability_table, column_keys

        def many(value) -> list[str]:
            return [value] if isinstance(value, str) else list(value or [])

        view = TableView(
            models=[self.resolve(m, classes=["Model"], what="model") for m in many(model)],
            labs=[self.resolve(x, classes=["Organisation"], what="lab") for x in many(lab)],
            countries=[self.resolve(c, classes=["Country"], what="country")
                       for c in many(country)],
            since=_date_text(since, "since"), until=_date_text(until, "until"),
            columns=column_keys(many(columns)), limit=limit, min_figures=min_figures)
        self.ensure_reconciled()  # a store that already holds verdicts (kg reconcile) is used as is
        return capability_table(self.store, view)

    def table(self, **filters) -> pd.DataFrame:
        """The table as a DataFrame: values, units, confidence, status and sources as columns.

        Filters (all optional, combined with "and"): `model`, `lab`, `country` (a name, IRI or
        prefixed name, or a list of them), `since`, `until` (release date, "2024" or "2024-06"
        or "2024-06-30", inclusive), `columns` (names or keys: ["params", "MMLU"]), `limit`
        (the N most recently released models), `min_figures` (leave out models known only
        from an imported database that have fewer of the table's figures).

            >>> eg = EvidenceGraph()
            >>> df = eg.table(country="China", since="2025", columns=["params", "active", "tokens"])
            >>> set(df.country) == {"China"}
            True
        """
        return self.capability_table(**filters).to_frame()

    # ------------------------------------------------------------------ one model, one cell
    def card(self, name: str):
        """One entity's card (kg.report.card.Card): every reconciled statement about it."""
        from kg.report.card import model_card

        model = self._entity(name)
        self.ensure_reconciled()
        return model_card(self.store, model, self.names().label(model))

    def show(self, name: str) -> pd.DataFrame:
        """A model's card as a DataFrame: one row per statement (property and qualifiers), with
        its preferred value, confidence, status, conflict kind, sources and losing values.

            >>> card = EvidenceGraph().show("DeepSeek V3")
            >>> "total parameters" in set(card.property_label)
            True
        """
        return self.card(name).to_frame()

    def explain(self, name: str, prop: str) -> dict:
        """One cell explained: the statement(s) of `prop` about the model `name`, each with every
        candidate value (winner first), its score and the factors behind it, every claim with
        its evidence phrase, locator and document, and the reconciliation run.

        `prop` is a table column ("params", "MMLU", "price in"), a property ("total
        parameters", kgp:trainingCost) or a benchmark variant ("MMLU chat"). As a DataFrame:
        `kg.report.card.explanation_frame(eg.explain(...))`.
        """
        from kg.report.card import explain

        model = self._entity(name)
        groups = self._statements(model, prop)
        return explain(self.store, self._scored(), groups)

    def _entity(self, name: str) -> str:
        """A model if the name names one, else any entity (a lab, a chip, a country)."""
        from kg.core.errors import UnknownName

        try:
            return self.resolve(name, classes=["Model"], what="model")
        except UnknownName:
            return self.resolve(name)

    def _statements(self, model: str, prop: str) -> list[str]:
        """The reconciled statements (group IRIs) `prop` names for `model`: a table column's
        cell (the one the table shows), or every statement of a property or a benchmark."""
        import pyoxigraph as ox

        from kg.core.errors import KgError
        from kg.report.table import COLUMNS, column_keys
        from kg.store.results import to_python

        self.ensure_reconciled()
        label = self.names().label(model)
        try:
            keys = column_keys([prop])
        except KgError:
            keys = []
        if len(keys) == 1:
            for r in self.store.select(named_query("capability-table").text,
                                       {"model": ox.NamedNode(model)}):
                if to_python(r["column"]) == keys[0]:
                    return [r["group"].value]
            raise KgError(f"{label} has no {dict(COLUMNS)[keys[0]]} cell: no source in the graph "
                          "states it", hint=f"kg show {shorten_name(label)} lists what the graph "
                                            "knows about it")
        iri = self.resolve(prop, classes=["FigureProperty", "Benchmark"],
                           what="property, benchmark or table column")
        rows = self.query(named_query("model-card"), {"model": ox.NamedNode(model)})
        if len(rows):
            rows = rows[(rows["property"] == iri) | (rows["benchmark"] == iri)]
        groups = list(dict.fromkeys(rows["group"])) if len(rows) else []
        if not groups:
            raise KgError(f"no statement about {label} on {self.names().label(iri)}",
                          hint=f"kg show {shorten_name(label)} lists what the graph knows about it")
        return groups

    def _scored(self) -> Reconciliation:
        """A reconciliation with its candidates' scores in memory (the store keeps verdicts, not
        scores): the one this object ran, or a new one, not written, on a persistent store."""
        rec = self._reconciliation
        if rec is None or not rec.complete:
            self.ensure_reconciled()
            rec = self._reconciliation
        if rec is None or not rec.complete:
            rec = self.reconcile(write=False)
        return rec

    def use_priors(self, path: str | Path) -> None:
        """Replace the scoring priors with the user's file (same shape as ontology/priors.ttl)."""
        quads = parse_file(Path(path))
        self.store.update(named_update("clear-priors").text)
        self.store.load(quads)
        self._reconciliation = None

    def has_reconciliation(self) -> bool:
        """True when this object ran one, or the store holds a complete one (its run node is
        written last: verdicts without it are an interrupted write)."""
        return (self._reconciliation is not None
                or self.store.ask(named_query("reconciliation-complete").text))

    def ensure_reconciled(self) -> None:
        """Queries over the verdicts need a reconciliation in the store; run one if none is there."""
        if not self.has_reconciliation():
            # a store that outlives the process keeps the verdicts: Python keeps only counts
            self.reconcile(keep=not self.persistent)

    @property
    def reconciliation(self) -> Reconciliation:
        """The latest reconciliation, run on first use: the table and exports need one."""
        if self._reconciliation is None or not self._reconciliation.complete:
            return self.reconcile()
        return self._reconciliation

    def rdf(self) -> rdflib.Graph:
        """Everything in the store (curated claims plus any reconciliation) as an rdflib Graph."""
        import rdflib

        graph = rdflib.Graph()
        graph.parse(data=self.store.dump(), format="nt")
        from kg.core.vocab import PREFIXES

        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        return graph


def _as_query(text: str) -> NamedQuery:
    if "\n" in text or text.lstrip().upper().startswith(("SELECT", "PREFIX", "ASK", "CONSTRUCT")):
        return NamedQuery.of("<text>", None, with_prefixes(text))
    return resolve(text)


def _date_text(value: object, what: str) -> str | None:
    """A release-date bound as ISO text: "2024", "2024-06", "2024-06-30" or a date object."""
    import datetime
    import re

    from kg.core.errors import KgError

    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise KgError(f"--{what} {text!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return text


def shorten_name(label: str) -> str:
    """A label as a shell argument: quoted when it has spaces."""
    return f'"{label}"' if " " in label else label
