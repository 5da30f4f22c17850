"""A run's verdicts kept beside the load cache, for the next in-memory command on the same files.

An in-memory store is gone when its command ends, so the `kg reconcile` before a `kg table`
used to write a million verdict quads into a store nobody would query (about 4 s of CPU at
100,000 claims) and then run the table's two big queries over them (about 8 s) only in case a
`kg table` followed. Now `kg reconcile` writes neither: it keeps the run's verdicts as the
N-Quads text the store would have parsed (kg.reconcile.verdicts.verdict_nquads, built batch by
batch exactly as the store write does, plus the run's description), in one file beside the
load cache's records (kg.load.cache). A later command on the same files that needs a run
(`kg table`, a query that needs a reconciliation) loads that text natively into its store,
points the current run at it and runs its SPARQL as over a run it wrote itself; the table then
keeps its own data (kg.report.snapshot), so the `kg table` after that reads even less.

The file is used only for the content and the code that made it: its name is the SHA-256 of
this module's format, kg's code fingerprint (every module and query, pyoxigraph's version:
kg.load.cache.code_fingerprint) and the store's content hash (the files' bytes, the ontology
and the priors among them: kg.load.content), and its first line repeats the content hash and
the run, so a stale or foreign file never answers. It is written atomically (kg.core.files),
only for a plain full-evidence run (no caller's reliabilities, no cut-off, not one subject),
under the load cache's switch (`KG_LOAD_CACHE=0`, big graphs only); the newest two are kept
(about 230 MB each at 100,000 claims: plain text, because compressing it would cost the CPU
this saves).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.store.embedded import OxigraphStore
from kg.store.protocol import Store

if TYPE_CHECKING:
    from kg.reconcile.run import Reconciliation

FORMAT = 1          # bumped when the file's layout changes
KEEP = 2            # files kept, newest first: each is the size of a run's verdicts
PATTERN = "*.verdicts.nq"
_HEADER = re.compile(r"# kg verdicts (\d+) run (\S+) content (\S+)\n")


def path_for(content_hash: str) -> Path:
    """Where the verdicts of a run over this content, made by this code, are kept."""
    from kg.load.cache import code_fingerprint, folder

    key = hashlib.sha256(f"{FORMAT}\n{code_fingerprint()}\n{content_hash}".encode()).hexdigest()
    return folder() / f"{key}.verdicts.nq"


def wanted() -> bool:
    """False when the user turned the load cache (and so everything kept beside it) off."""
    from kg.load.cache import enabled

    return enabled()


def keep(content_hash: str | None, run_id: str, verdicts: Sequence[bytes],
         description: Sequence[ox.Quad]) -> bool:
    """Keep the run's verdict text and its description (atomically; a failure to write is
    ignored: the file only saves time). False when nothing was kept."""
    from kg.core.files import write_atomic
    from kg.load.cache import prune

    if not content_hash or not wanted():
        return False
    header = f"# kg verdicts {FORMAT} run {run_id} content {content_hash}\n".encode()
    tail = ox.serialize(description, format=ox.RdfFormat.N_QUADS) or b""
    path = path_for(content_hash)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, b"".join([header, *verdicts, tail]))
        prune(path.parent, PATTERN, keep=KEEP)
    except OSError:
        return False
    return True


def load(store: Store, content_hash: str | None) -> str | None:
    """Load the verdicts kept for this content and code into `store` and make their run the
    current one; its id, or None (nothing loaded) when none are kept or they cannot be read."""
    import contextlib
    import os

    from kg.core.errors import StoreError
    from kg.reconcile import runs

    if not content_hash or not wanted() or not isinstance(store, OxigraphStore) or store.path:
        return None
    path = path_for(content_hash)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    found = _HEADER.match(data[:300].decode("ascii", "replace"))
    if found is None or int(found.group(1)) != FORMAT or found.group(3) != content_hash:
        return None
    run_id = found.group(2)
    try:
        store.load_nquads(data)  # one transaction: all of it or nothing
    except StoreError:
        return None
    runs.set_current(store, run_id)
    with contextlib.suppress(OSError):
        os.utime(path)  # the newest used survive the pruning
    return run_id


def reconcile_and_keep(store: Store, *, version: str, **options) -> Reconciliation:
    """Reconcile the store and keep the run's verdicts (see the module's docstring) without
    writing them into it: each batch's verdict text is built as the store write builds it, so
    a later command loads the same quads. `options` go to kg.reconcile.run.reconcile."""
    import datetime as dt

    from kg.load.content import content_hash
    from kg.reconcile import runs
    from kg.reconcile.run import reconcile
    from kg.reconcile.verdicts import run_quads, verdict_nquads

    run_id = runs.new_run_id()
    graph = runs.run_iri(run_id)
    verdicts: list[bytes] = []
    also = options.pop("on_batch", None)  # a caller's own use of each batch (scoring)

    def collect(groups, scope_findings, digest: str) -> None:
        verdicts.append(verdict_nquads(groups + scope_findings, run_id, graph))
        if also:
            also(groups, scope_findings, digest)

    started = dt.datetime.now(dt.UTC)
    rec = reconcile(store, on_batch=collect, **options)
    rec.run_id = run_id
    digest = content_hash(store)
    description = [*runs.description_quads(rec, run_id, started=started,
                                           ended=dt.datetime.now(dt.UTC),
                                           content_hash=digest, version=version),
                   *run_quads(run_id, graph)]
    keep(digest, run_id, verdicts, description)
    return rec
