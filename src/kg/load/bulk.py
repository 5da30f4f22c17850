"""Load a large graph into a persistent store or a server once, so later commands only query it.

`kg.load.run.load` parses every file into Python objects first (it must, to report each node's file
and to be all-or-nothing in memory); at a million claims that is gigabytes. Here each file is
syntax-checked by streaming it through the parser (nothing kept), then handed whole to the
store's native loader: Oxigraph's bulk loader on disk, or one Graph Store Protocol POST per file
on a server, which parses it itself. Values still missing a normalised form are derived after.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import StoreError


@dataclass
class BulkLoad:
    files: list[Path] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    normalised_problems: int = 0

    def summary(self) -> str:
        return (f"loaded {len(self.files)} file(s), {self.triples} triples in the store, "
                f"in {self.seconds:.1f} s" + (f"; {self.normalised_problems} value(s) unreadable"
                                              if self.normalised_problems else ""))


def check_syntax(path: Path) -> None:
    """Stream the file through the Turtle parser so a bad file is refused before any load."""
    import pyoxigraph as ox

    from kg.core.errors import InputError

    try:
        for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        raise InputError(f"{path}: bad Turtle: {exc}", hint="fix the file; nothing was loaded") from exc


def load_files(store, paths: Sequence[str | Path] | None = None, *, replace: bool = True,
               check: bool = True) -> BulkLoad:
    """(Re)load the ontology plus the given files (or the shipped graph) into `store`.

    With replace (the default) the default graph is cleared first, so the store holds exactly
    the files; otherwise the files are added. Reconciliation runs are kept either way (they are
    the store's history): the content hash recorded here (kg.load.content) tells the next
    command that the current run was computed from other content, so it reconciles again.
    """
    from kg.load.content import files_digest, record
    from kg.load.normalise import normalise
    from kg.load.turtle import graph_files
    from kg.store.graphs import clear_default
    from kg.store.queries import named_query

    if not hasattr(store, "load_file"):
        raise StoreError("this store cannot bulk-load files", hint="use --store DIR or --endpoint URL")
    started = time.perf_counter()
    report = BulkLoad(files=graph_files(paths))
    if check:
        for path in report.files:
            check_syntax(path)
    if replace:
        clear_default(store)
    for path in report.files:
        store.load_file(path)
    store.flush()
    if store.ask(named_query("any-normalise-pending").text):  # a cheap superset: usually no
        report.normalised_problems = len(normalise(store))
    record(store, files_digest(report.files), append=not replace)
    report.triples = len(store)
    report.seconds = time.perf_counter() - started
    return report
