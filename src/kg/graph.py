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
            self.store.update("CLEAR DEFAULT")
        persistent = not (isinstance(self.store, OxigraphStore) and self.store.path is None)
        self.load_report = load(self.store, paths or self.graph_paths,
                                progress=self._progress, record=persistent)
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
        """Run a named query, a .rq file or SPARQL text; answer as a DataFrame of plain values."""
        import pandas as pd

        from kg.store.results import to_python

        nq = query if isinstance(query, NamedQuery) else _as_query(query)
        if "kg-compute/run/reconciliation" in nq.text:
            self.ensure_reconciled()
        rows = self.store.select(nq.text, bindings)
        columns = rows.variables
        return pd.DataFrame([{c: to_python(r.get(c)) for c in columns} for r in rows],
                            columns=columns)

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
            or not self.store.ask(f"ASK {{ GRAPH <{RUN_GRAPH}> {{ ?s ?p ?o }} }}"))
        # each run writes to a scratch graph of its own (kg.reconcile.pending), never shared
        target = RUN_GRAPH if in_place else pending.claim(self.store)
        self.store.update(f"DROP SILENT GRAPH <{target}>")

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
                self.store.update(f"DROP SILENT GRAPH <{target}>")
            else:
                pending.release(self.store, target)
            raise
        if in_place:
            self.store.flush()
        else:
            self.store.update(f"MOVE SILENT GRAPH <{target}> TO <{RUN_GRAPH}>")
            pending.release(self.store, target)
        return self._reconciliation

    def capability_table(self):
        """The reconciled capability-vs-compute table, reconciling first if the store holds no
        verdicts yet (with --store or --endpoint, `kg reconcile` refreshes them)."""
        from kg.report.table import capability_table

        self.ensure_reconciled()  # a store that already holds verdicts (kg reconcile) is used as is
        return capability_table(self.store)

    def table(self) -> pd.DataFrame:
        """The table as a DataFrame: values, units, confidence, status and sources as columns."""
        return self.capability_table().to_frame()

    def use_priors(self, path: str | Path) -> None:
        """Replace the scoring priors with the user's file (same shape as ontology/priors.ttl)."""
        quads = parse_file(Path(path))
        # full IRIs: Oxigraph refuses a PREFIX after the ';' between two operations (issue 18)
        self.store.update(
            "DELETE WHERE { ?n <https://w3id.org/kg-compute/ontology#prior> ?p } ;\n"
            "DELETE WHERE { ?n <https://w3id.org/kg-compute/ontology#weight> ?w }")
        self.store.load(quads)
        self._reconciliation = None

    def ensure_reconciled(self) -> None:
        """Queries over the verdicts need a reconciliation in the store; run one if none is there."""
        from kg.core.vocab import KG
        from kg.reconcile.verdicts import RUN_GRAPH

        # the run node is written last: verdicts without it are an interrupted write
        if self._reconciliation is None and not self.store.ask(
                f"ASK {{ GRAPH <{RUN_GRAPH}> {{ ?run a <{KG}ReconciliationRun> }} }}"):
            # a store that outlives the process keeps the verdicts: Python keeps only counts
            self.reconcile(keep=isinstance(self.store, OxigraphStore) and self.store.path is None)

    @property
    def reconciliation(self) -> Reconciliation:
        """The latest reconciliation, run on first use: the table and exports need one."""
        if self._reconciliation is None or not self._reconciliation.complete:
            self.reconcile()
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
        return NamedQuery("<text>", None, text)
    return resolve(text)
