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

from kg.load.run import load
from kg.load.turtle import LoadReport, parse_file
from kg.store.embedded import OxigraphStore
from kg.store.protocol import DEFAULT_TIMEOUT, Store
from kg.store.queries import NamedQuery, named_query, resolve
from kg.store.remote import RemoteStore

if TYPE_CHECKING:
    import pandas as pd
    import rdflib

    from kg.reconcile.run import Reconciliation
    from kg.reconcile.runs import RunInfo
    from kg.report.changes import ChangeReport
    from kg.report.timeline import Timeline
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
                 update_endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 allow_network: bool = False,
                 progress: Callable[[Path], None] | None = None) -> None:
        self.graph_paths = list(graph) if graph else None
        self.timeout = timeout
        self._progress = progress
        self.load_report: LoadReport | None = None
        self._reconciliation: Reconciliation | None = None
        if endpoint:
            self.store: Store = RemoteStore(endpoint, update_endpoint, timeout=timeout,
                                            allow_network=allow_network)
        elif store:
            self.store = OxigraphStore(store, timeout=timeout, allow_network=allow_network)
            if not self.store.ask("ASK { ?s ?p ?o }"):  # len() would scan the whole store
                self.load()
        else:
            self.store = OxigraphStore(timeout=timeout, allow_network=allow_network)
            self.load()

    # ------------------------------------------------------------------ load
    def load(self, paths: Sequence[str | Path] | None = None, *, replace: bool = False
             ) -> LoadReport:
        """Parse the Turtle files (all of them, before touching the store) and load them.

        The files' content hash is recorded in the store (kg.load.content): a run made from
        other content is then not taken for this content's reconciliation.
        """
        from kg.load.content import files_digest, record

        if replace:
            self.store.update("CLEAR DEFAULT")
        self.load_report = load(self.store, paths or self.graph_paths,
                                       progress=self._progress)
        record(self.store, files_digest(self.load_report.files), append=not replace)
        self._reconciliation = None
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
    def query(self, query: str | NamedQuery, bindings: Mapping[str, object] | None = None
              ) -> pd.DataFrame:
        """Run a named query, a .rq file or SPARQL text; answer as a DataFrame of plain values.

        A query over the verdicts reads the current run (reconciling first when there is none,
        or when the graph changed since); bind `run` to read another (`kg runs` lists them).
        """
        import pandas as pd

        from kg.store.results import to_python

        nq = query if isinstance(query, NamedQuery) else _as_query(query)
        rows = self.store.select(self.bind_run(nq.text, bindings))
        columns = rows.variables
        return pd.DataFrame([{c: to_python(r.get(c)) for c in columns} for r in rows],
                            columns=columns)

    def bind_run(self, text: str, bindings: Mapping[str, object] | None = None) -> str:
        """The query with its bindings in one VALUES block opening WHERE (as every binding on a
        server travels: pyoxigraph's own substitutions leave a parameter unbound inside FILTERs,
        so an optional one tested with BOUND() would filter nothing). A query over the verdicts
        gets ?run too: the caller's (an id, a prefix, `previous`, or the run's IRI) or the
        current run, reconciled first when the store has none that still holds."""
        import pyoxigraph as ox

        from kg.reconcile import runs
        from kg.store.bindings import with_table

        values = dict(bindings or {})
        if runs.reads_verdicts(text):
            asked = values.pop("run", None)
            if asked is not None:
                iri = runs.resolve(self.store, str(getattr(asked, "value", asked))).iri
            else:
                iri = runs.run_iri(self.ensure_reconciled())
            values["run"] = ox.NamedNode(iri)
        return with_table(text, {k: [v] for k, v in values.items()}) if values else text

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

        import kg
        from kg.load.content import content_hash
        from kg.reconcile import runs
        from kg.reconcile.run import reconcile
        from kg.reconcile.verdicts import run_quads, verdict_quads

        cutoff = runs.parse_cutoff(as_of)
        if not write or options.get("subject"):
            rec = reconcile(self.store, as_of=cutoff, **options)
            if cutoff is None and not options.get("subject"):
                self._reconciliation = rec
            return rec
        run_id = runs.new_run_id()
        graph = runs.run_iri(run_id)
        also = options.pop("on_batch", None)  # a caller's own use of each batch (scoring)

        def write_batch(groups, scope_findings, digest: str) -> None:
            self.store.load(verdict_quads(groups + scope_findings, run_id, graph))
            if also:
                also(groups, scope_findings, digest)

        started = dt.datetime.now(dt.UTC)
        try:
            rec = reconcile(self.store, on_batch=write_batch, as_of=cutoff, **options)
            rec.run_id = run_id
            self.store.load(runs.description_quads(
                rec, run_id, started=started, ended=dt.datetime.now(dt.UTC),
                content_hash=content_hash(self.store), version=kg.__version__))
            self.store.load(run_quads(run_id, graph))  # last: the run is complete
            if hasattr(self.store, "flush"):
                self.store.flush()
            if cutoff is None:
                runs.set_current(self.store, run_id)
        except BaseException:
            if cutoff is None:
                self._reconciliation = None
            runs.drop(self.store, run_id)
            raise
        if cutoff is None:
            self._reconciliation = rec
        return rec

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
        found = runs.find_reusable(self.store, content_hash=content_hash(self.store),
                                   cutoff=cutoff, version=kg.__version__)
        if found is not None:
            return found.id
        # a store that outlives the process keeps the verdicts: Python keeps only counts
        keep = isinstance(self.store, OxigraphStore) and self.store.path is None
        return self.reconcile(as_of=cutoff, keep=keep).run_id

    def capability_table(self, *, as_of: object = None, run: str | None = None):
        """The reconciled capability-vs-compute table, from the current run (reconciling first if
        the store holds none that still holds), an as-of view (`as_of`: the evidence known on
        that date) or a given run (`run`: an id, a prefix or `previous`)."""
        from kg.reconcile import runs
        from kg.report.table import capability_table

        if run is not None:
            iri = runs.resolve(self.store, run).iri
        else:
            iri = runs.run_iri(self.ensure_reconciled(as_of))
        return capability_table(self.store, run=iri)

    def table(self, *, as_of: object = None, run: str | None = None) -> pd.DataFrame:
        """The table as a DataFrame: values, units, confidence, status and sources as columns;
        `as_of="2025-06-30"` is the table from the evidence known on that date."""
        return self.capability_table(as_of=as_of, run=run).to_frame()

    def use_priors(self, path: str | Path) -> None:
        """Replace the scoring priors with the user's file (same shape as ontology/priors.ttl).

        The store's content hash is chained with the file's, so the current run (made with the
        old priors) is no longer taken for this graph's reconciliation.
        """
        from kg.load.content import files_digest, record

        quads = parse_file(Path(path))
        self.store.update(
            "PREFIX kg: <https://w3id.org/kg-compute/ontology#>\n"
            "DELETE WHERE { ?n kg:prior ?p } ;\n"
            "PREFIX kg: <https://w3id.org/kg-compute/ontology#>\n"
            "DELETE WHERE { ?n kg:weight ?w }")
        self.store.load(quads)
        record(self.store, files_digest([path]), append=True)
        self._reconciliation = None

    @property
    def reconciliation(self) -> Reconciliation:
        """The latest reconciliation, run on first use: the table and exports need one."""
        if self._reconciliation is None or not self._reconciliation.complete:
            self.reconcile()
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
        return NamedQuery("<text>", None, text)
    return resolve(text)
