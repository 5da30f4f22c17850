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
from kg.store.graphs import clear_default
from kg.store.protocol import DEFAULT_TIMEOUT, Rows, Store
from kg.store.queries import NamedQuery, named_query, named_update, resolve, with_prefixes
from kg.store.remote import RemoteStore

if TYPE_CHECKING:
    import pandas as pd
    import rdflib

    from kg.reconcile.run import Reconciliation
    from kg.reconcile.runs import RunInfo
    from kg.report.changes import ChangeReport
    from kg.report.table import TableData
    from kg.report.timeline import Timeline
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
                 create: bool = False, progress: Callable[[Path], None] | None = None,
                 lazy: bool = False) -> None:
        self.graph_paths = list(graph) if graph else None
        self.timeout = timeout
        if max_memory is None:  # every query gets a memory ceiling unless told 0 (kg.store.deadline)
            from kg.store.deadline import default_memory

            max_memory = default_memory()
        self._progress = progress
        self.load_report: LoadReport | None = None
        self._reconciliation: Reconciliation | None = None
        self._plain = True  # this object's reconciliation used no caller's reliabilities
        self._names: NameIndex | None = None
        self._store: Store | None = None
        self._memory: dict | None = None  # how to open the in-memory store, when it is one
        # a persistent store must be one kg loaded completely (kg.load.state): a mistyped --store
        # is refused, not created; `create=True` (a notebook's first use) creates and loads it
        if endpoint:
            self._store = RemoteStore(endpoint, update_endpoint, timeout=timeout,
                                            allow_network=allow_network, memory=max_memory)
            self._check_store(f"the server at {endpoint}", f"kg load --endpoint {endpoint}", create)
        elif store:
            self._store = OxigraphStore(store, timeout=timeout, allow_network=allow_network,
                                       memory=max_memory, create=create)
            self._check_store(f"the store at {store}", f"kg load --store {store}", create)
        else:  # `lazy`: loaded on first use, so a table kept for the files needs no load
            self._memory = {"timeout": timeout, "allow_network": allow_network,
                            "memory": max_memory}
            if not lazy:
                self._open()

    @property
    def store(self) -> Store:
        """The store; an in-memory one is made and its files loaded on first use when the
        graph was opened `lazy` (`kg table`: a table kept for the files is read without it)."""
        return self._open()

    def _open(self) -> Store:
        """The store, made and loaded now if it is an in-memory one not made yet."""
        if self._store is None:
            self._store = OxigraphStore(**(self._memory or {}))
            self.load()
        return self._store

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
        persistent store records the load (kg.load.state), and every store the files' content
        hash (kg.load.content): a run made from other content is then not taken for this
        content's reconciliation."""
        from kg.load.content import files_digest, of_digests, record

        if replace:
            clear_default(self.store)
        fresh = not self.persistent and not replace and self.load_report is None
        self.load_report = load(self.store, paths or self.graph_paths, progress=self._progress,
                                record=self.persistent, cache=fresh)
        report = self.load_report
        record(self.store, of_digests(report.digests) if report.digests
               else files_digest(report.files), append=not replace)
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

        The verdicts read are a run's (kg.reconcile.runs): the current run, or the one bound as
        `run` (its id, a unique prefix, `previous`, or its IRI; `kg runs` lists them). Bindings
        travel as one VALUES block opening WHERE, as on a server: pyoxigraph's own substitutions
        leave a parameter unbound inside FILTERs, so an optional one tested with BOUND() (the
        ?cutoff of known-since.rq) would filter nothing.
        """
        import pyoxigraph as ox

        from kg.reconcile import runs
        from kg.store.bindings import with_table

        nq = query if isinstance(query, NamedQuery) else _as_query(query)
        values = dict(bindings or {})
        asked = values.pop("run", None)
        if asked is not None:
            values["run"] = ox.NamedNode(runs.resolve(self.store, str(getattr(asked, "value", asked))).iri)
        elif reconcile or (reconcile is None and nq.needs_reconciliation and not self.persistent):
            run_id = self.ensure_reconciled()
            if nq.needs_reconciliation:
                values["run"] = ox.NamedNode(runs.run_iri(run_id))
        elif nq.needs_reconciliation:
            current = runs.current(self.store) if reconcile is None else None
            if current is None and reconcile is None:
                raise QueryError(
                    f"query {nq.name} needs a reconciliation and the store holds none",
                    hint="run `kg reconcile` on the same store first, or ask for one now "
                         "(kg query --reconcile; EvidenceGraph.query(..., reconcile=True))")
            if current is not None:
                values["run"] = ox.NamedNode(current.iri)
        text = with_table(nq.text, {k: [v] for k, v in values.items()}) if values else nq.text
        return self.store.select(text)

    @property
    def persistent(self) -> bool:
        """True when the store outlives this process (a --store directory or a server)."""
        return self._memory is None

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

    def known_since(self, subject: str | None = None, prop: str | None = None,
                    as_of: object = None) -> pd.DataFrame:
        """When each claim became known (queries/known-since.rq): its source's publication date,
        a database's snapshot date, or the day a reviewer added an undated document; estimated
        dates are used and flagged (basis "estimated")."""
        from kg.reconcile.runs import cutoff_literal, parse_cutoff

        bindings: dict[str, object] = {}
        if subject:
            bindings["subject"] = subject
        if prop:
            bindings["property"] = prop
        cutoff = parse_cutoff(as_of)
        if cutoff:
            bindings["cutoff"] = cutoff_literal(cutoff)
        return self.query(named_query("known-since"), bindings)

    # ------------------------------------------------------------------ reconcile
    def reconcile(self, *, write: bool = True, as_of: object = None, **options) -> Reconciliation:
        """Reconcile, then (by default) keep the verdicts as a run of their own.

        `as_of` (a date or YYYY-MM-DD) reconciles the evidence known on that date only
        (kg.reconcile.run.reconcile): a model announced later has no statement, a figure revised
        later keeps the value it had, and the sources' reliabilities are learned from that
        evidence too.

        Each run's verdicts go batch by batch (`kg.reconcile.families`) into a named graph of
        their own, then its description (kg.reconcile.runs), its type last; a full-evidence run
        then becomes the current one by moving the one pointer in the control graph. Nothing is
        deleted first (on disk that cost 41 s per 100,000 claims); a failed run's partial graph
        is dropped and the pointer stays on the previous run. An as-of run, or one subject's
        (`subject=`), never becomes current; a subject's run is not written at all (it is not
        the graph's reconciliation). Options go to `kg.reconcile.run.reconcile` (`keep=False`
        keeps only counts in memory, for a million claims).
        """
        import datetime as dt

        import pyoxigraph as ox

        import kg
        from kg.load.content import content_hash
        from kg.reconcile import pending, runs
        from kg.reconcile.run import reconcile
        from kg.reconcile.verdicts import run_quads, verdict_nquads

        cutoff = runs.parse_cutoff(as_of)
        if options.pop("to_cache", False) and write and cutoff is None \
                and not options.get("subject") and options.get("trust") is None \
                and self._caches_tables():
            from kg.reconcile.kept import reconcile_and_keep

            rec = reconcile_and_keep(self.store, version=kg.__version__, **options)
            self._reconciliation, self._plain = rec, True
            return rec
        if not write or options.get("subject"):
            rec = reconcile(self.store, as_of=cutoff, **options)
            if cutoff is None and not options.get("subject"):
                self._reconciliation = rec
            return rec
        run_id = runs.new_run_id()
        graph = runs.run_iri(run_id)
        pending.claim(self.store, graph)  # announced as being written; dead runs' swept first
        also = options.pop("on_batch", None)  # a caller's own use of each batch (scoring)

        def write_batch(groups, scope_findings, digest: str) -> None:
            text = verdict_nquads(groups + scope_findings, run_id, graph)
            if hasattr(self.store, "load_nquads"):  # natively: no Python object per quad
                self.store.load_nquads(text)
            else:
                self.store.load(ox.parse(text, format=ox.RdfFormat.N_QUADS))
            if also:
                also(groups, scope_findings, digest)

        started = dt.datetime.now(dt.UTC)
        try:
            rec = reconcile(self.store, on_batch=write_batch, as_of=cutoff, **options)
            rec.run_id = run_id
            digest = content_hash(self.store)
            self.store.load(runs.description_quads(
                rec, run_id, started=started, ended=dt.datetime.now(dt.UTC),
                content_hash=digest, version=kg.__version__))
            if cutoff is None and self.persistent:  # the table, kept for `kg table` to read
                from kg.report.snapshot import keep

                keep(self.store, graph, content_hash=digest, version=kg.__version__)
            self.store.load(run_quads(run_id, graph))  # last: the run is complete
            if hasattr(self.store, "flush"):
                self.store.flush()
            if cutoff is None:
                runs.set_current(self.store, run_id)
        except BaseException:
            if cutoff is None:
                self._reconciliation = None
            pending.release(self.store, graph)  # drops the partial run and its announcement
            raise
        pending.release(self.store, graph, keep=True)
        if cutoff is None:
            self._reconciliation = rec
            # the graph's own reconciliation, which a table kept for its files may stand for
            self._plain = options.get("trust") is None
        return rec

    def capability_table(self, *, model: str | Sequence[str] | None = None,
                         lab: str | Sequence[str] | None = None,
                         country: str | Sequence[str] | None = None, since: str | None = None,
                         until: str | None = None, columns: str | Sequence[str] | None = None,
                         limit: int | None = None, min_figures: int = 0, as_of: object = None,
                         run: str | None = None):
        """The reconciled capability-vs-compute table (kg.report.table.CapabilityTable), from
        the current run (reconciling first if the store holds none that still holds; with
        --store or --endpoint, `kg reconcile` refreshes it), an as-of view (`as_of`: the
        evidence known on that date) or a run the store keeps (`run`: an id, a prefix or
        `previous`). The filters are those of `table`."""
        from kg.reconcile import runs
        from kg.report.columns import column_keys
        from kg.report.table import TableView, capability_table

        def many(value) -> list[str]:
            return [value] if isinstance(value, str) else list(value or [])

        view = TableView(
            models=[self.resolve(m, classes=["Model"], what="model") for m in many(model)],
            labs=[self.resolve(x, classes=["Organisation"], what="lab") for x in many(lab)],
            countries=[self.resolve(c, classes=["Country"], what="country")
                       for c in many(country)],
            since=_date_text(since, "since"), until=_date_text(until, "until"),
            columns=column_keys(many(columns)), limit=limit, min_figures=min_figures)
        if run is None and as_of is None and not view.models and self._store is None:
            import kg
            from kg.report.snapshot import read_for_files

            data = read_for_files(self.graph_paths, kg.__version__)  # no load, no query
            if data is not None:
                return capability_table(None, view, data=data)
        if run is None and as_of is None and not view.models and self._caches_tables() \
                and self._plain:
            return capability_table(self.store, view, data=self._cached_table())
        if run is not None:
            iri = runs.resolve(self.store, run).iri
        else:  # a run that still holds is used as is (kg reconcile refreshes it)
            iri = runs.run_iri(self.ensure_reconciled(as_of))
        return capability_table(self.store, view, run=iri, data=self._kept_table(iri, view))

    def _kept_table(self, run: str, view) -> TableData | None:
        """The table data `run` keeps (kg.report.snapshot), when the store is persistent, the
        view reads it (not one of named models) and it holds for the content loaded now."""
        if not self.persistent or view.models:
            return None
        import kg
        from kg.load.content import content_hash
        from kg.report.snapshot import read

        return read(self.store, run, content_hash=content_hash(self.store),
                    version=kg.__version__)

    def keep_table(self) -> bool:
        """Keep the whole table's data for the next command on the same files, when this is an
        in-memory store whose files the load cache took (kg.load.cache; a persistent store keeps
        it with each run instead), so a later `kg table` reads it without loading the graph.
        `kg reconcile` no longer does this (it keeps its verdicts: kg.reconcile.kept, and the
        `kg table` after it computes and keeps the table); a notebook may. False when nothing
        is kept."""
        if not self._caches_tables() or not self._plain:
            return False
        self._cached_table()
        return True

    def _caches_tables(self) -> bool:
        """An in-memory store whose files the load cache took (kg.load.cache: big graphs)."""
        if self.persistent:
            return False
        self._open()  # a lazy graph's files are loaded first: their load decides
        return bool(self.load_report and self.load_report.digests)

    def _cached_table(self) -> TableData:
        """The whole table's data for the files loaded: kept from an earlier command on the same
        content and code (no reconciliation then), else computed from this content's run and
        kept for the next (kg.report.snapshot)."""
        import kg
        from kg.load.content import content_hash
        from kg.reconcile import runs
        from kg.report.snapshot import keep_cached, read_cached
        from kg.report.table import table_data

        digest = content_hash(self.store)
        data = read_cached(digest, kg.__version__)
        if data is None:
            data = table_data(self.store, runs.run_iri(self.ensure_reconciled()))
            if self._plain:  # never a table from a caller's own reliabilities
                keep_cached(data, digest, kg.__version__)
        return data

    def table(self, **filters) -> pd.DataFrame:
        """The table as a DataFrame: values, units, confidence, status and sources as columns.

        Filters (all optional, combined with "and"): `model`, `lab`, `country` (a name, IRI or
        prefixed name, or a list of them), `since`, `until` (release date, "2024" or "2024-06"
        or "2024-06-30", inclusive), `columns` (names or keys: ["params", "MMLU"]), `limit`
        (the N most recently released models), `min_figures` (leave out models known only
        from an imported database that have fewer of the table's figures). `as_of="2025-06-30"`
        is the table from the evidence known on that date; `run` a run the store keeps.

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
        return explain(self.store, self._scored(model), groups)

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
        from kg.report.columns import COLUMNS, column_keys
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

    def _scored(self, subject: str | None = None) -> Reconciliation:
        """A reconciliation with its candidates' scores in memory (the store keeps verdicts, not
        scores): the one this object ran; on a persistent store, `subject`'s family settled
        again with the reliabilities the current run learned (its scores, without reading
        every statement: seconds, not minutes, at 100,000 claims), checked against the run's
        verdicts; else a new reconciliation, not written."""
        rec = self._reconciliation
        if rec is None or not rec.complete:
            run_id = self.ensure_reconciled()
            rec = self._reconciliation
            if (rec is None or not rec.complete) and subject is not None:
                rec = self._settled_from_run(run_id, subject)
        if rec is None or not rec.complete:
            rec = self.reconcile(write=False)
        return rec

    def _settled_from_run(self, run_id: str, subject: str) -> Reconciliation | None:
        """`subject`'s family settled with the kept run's reliabilities, or None when that
        does not give the run's verdicts back (a run written by another kg)."""
        import pyoxigraph as ox

        from kg.core.vocab import KGR
        from kg.reconcile import runs
        from kg.reconcile.run import reconcile
        from kg.reconcile.verdicts import read_run
        from kg.store.bindings import with_table

        info = runs.resolve(self.store, run_id)
        query = with_table(named_query("run-reliabilities").text,
                           {"run": [ox.NamedNode(info.iri)]})
        trust = {r["origin"].value: float(r["reliability"].value)
                 for r in self.store.select(query)}
        if not trust:
            return None
        rec = reconcile(self.store, subject=subject, trust=trust)
        groups = rec.all_groups()
        nodes = [KGR + ("scope-" if g.finding else "group-") + g.key for g in groups]
        stored, _ = read_run(self.store, info.iri, nodes)
        for g, node in zip(groups, nodes, strict=True):
            kept = stored.get(node.rsplit("/", 1)[-1])
            preferred = {c.iri for c in g.preferred.claims} if g.preferred else set()
            if kept is None or kept.status != str(g.status) or (
                    not g.finding and kept.preferred_claims != preferred):
                return None
        rec.run = info.id  # the run the verdicts come from, as `kg runs` names it
        return rec

    def use_priors(self, path: str | Path) -> None:
        """Replace the scoring priors with the user's file (same shape as ontology/priors.ttl).

        The store's content hash is chained with the file's, so the current run (made with the
        old priors) is no longer taken for this graph's reconciliation.
        """
        from kg.load.content import files_digest, record

        quads = parse_file(Path(path))
        self.store.update(named_update("clear-priors").text)
        self.store.load(quads)
        record(self.store, files_digest([path]), append=True)
        self._reconciliation = None

    def has_reconciliation(self) -> bool:
        """True when the store holds a complete current run (its description is written last,
        and the pointer moves only after it: verdicts without it are an interrupted write)."""
        return self.store.ask(named_query("reconciliation-complete").text)

    def ensure_reconciled(self, as_of: object = None) -> str:
        """The id of a run that answers for the store as it is now, reconciling when none does.

        The current run answers when the store's content hash equals the one it recorded (same
        files, same priors, same kg version: the same verdicts), so a persistent store answers
        `kg table` from the current run without reconciling again; a store kg did not load has
        no hash and its current run is used as it is. An as-of view reuses an as-of run of the
        same cut-off and content, else reconciles as of that date (kept as a run, not current).
        """
        import kg
        from kg.load.content import content_hash
        from kg.reconcile import runs

        cutoff = runs.parse_cutoff(as_of)
        if cutoff is None and self._reconciliation is not None and self._reconciliation.run_id:
            # this process wrote it; the pointer is checked in case another process moved it
            cur = runs.current(self.store)
            if cur is not None and cur.id == self._reconciliation.run_id:
                return cur.id
        digest = content_hash(self.store)
        found = runs.find_reusable(self.store, content_hash=digest, cutoff=cutoff,
                                   version=kg.__version__)
        if found is not None:
            return found.id
        if cutoff is None and self._caches_tables():  # an earlier command's run on these files
            from kg.reconcile import kept

            run_id = kept.load(self.store, digest)
            if run_id is not None:
                return run_id
        # a store that outlives the process keeps the verdicts: Python keeps only counts
        return self.reconcile(as_of=cutoff, keep=not self.persistent).run_id


    @property
    def reconciliation(self) -> Reconciliation:
        """The latest reconciliation, run on first use: the table and exports need one."""
        if self._reconciliation is None or not self._reconciliation.complete:
            return self.reconcile()
        return self._reconciliation

    # ------------------------------------------------------------------ history
    def runs(self) -> list[RunInfo]:
        """The reconciliation runs the store keeps, newest first (`kg runs`)."""
        from kg.reconcile.runs import list_runs

        return list_runs(self.store)

    def prune_runs(self, keep: int) -> list[str]:
        """Drop all but the newest `keep` runs (never the current one); returns the graphs dropped."""
        from kg.reconcile.runs import prune

        return prune(self.store, keep)

    def diff(self, a: object, b: object) -> ChangeReport:
        """What changed between two reconciliations (`kg diff`): each of `a` and `b` is a date
        (the as-of view then), a run id (`current`, `previous`, a prefix) or a saved
        `kg reconcile --format json` file."""
        from kg.report.changes import diff

        return diff(self, a, b)

    def what_changes(self, paths: Sequence[str | Path]) -> ChangeReport:
        """What adding the files `paths` changes in the reconciled table: the current run (reused
        when it still holds), then the files loaded on top and reconciled again, the two runs
        compared (`kg add` and `kg import` print its summary). The files are added to this
        store: use it on the in-memory store, or on a store meant to take them."""
        from kg.report.changes import diff

        before = self.ensure_reconciled()
        self.load(paths)
        after = self.ensure_reconciled()
        report = diff(self, before, after)
        report.a.label, report.b.label = "the graph as it was", "the graph with the new claims"
        return report

    def history(self, subject: str, prop: str) -> Timeline:
        """One figure's timeline (`kg history`): every claim by the date it became known, and
        the preferred value as of each of those dates. Labels and aliases are accepted."""
        from kg.report.timeline import history

        return history(self, subject, prop)

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
