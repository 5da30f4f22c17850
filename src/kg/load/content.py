"""The store's content hash: what its default graph was loaded from, so a run can say which graph
it reconciled and a later command can tell whether that run still holds.

The hash is taken from the files, not from the store: hashing a million-claim store triple by
triple costs a scan (and over HTTP, a download), while the files are read anyway when they are
loaded (SHA-256 of 700 MB takes about 1.5 s). It is the SHA-256 of the sorted SHA-256 digests
of each file's bytes, so the same files give the same hash in any order and on any store
(embedded, on disk, server). Appending files chains the hash (sha256(old + new)), and so does
replacing the priors (`kg reconcile --priors`): the hash changes whenever kg changes the
default graph. A store filled by another tool has no hash; kg then trusts its current run as
it is (kg.reconcile.runs.reusable).

It lives in the control graph (kg.core.vocab.CONTROL_GRAPH) as `kgr:control kg:contentHash`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from kg.store.protocol import Store


def files_digest(paths: Iterable[str | Path]) -> str:
    """'sha256:<hex>' of the files' bytes, independent of their order and names."""
    return of_digests(_file_digest(Path(p)) for p in paths)


def of_digests(digests: Iterable[str]) -> str:
    """`files_digest` from the files' own SHA-256 hex digests (a load that hashed them already)."""
    return "sha256:" + hashlib.sha256("\n".join(sorted(digests)).encode()).hexdigest()


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def chain(old: str | None, new: str) -> str:
    """The hash after `new` content was added to (or replaced part of) content hashed `old`."""
    if not old:
        return new
    return "sha256:" + hashlib.sha256(f"{old}+{new}".encode()).hexdigest()


def content_hash(store: Store) -> str | None:
    """The store's recorded content hash (queries/content-hash.rq), or None when kg did not
    load it."""
    from kg.store.queries import named_query

    rows = store.select(named_query("content-hash").text)
    return min((r["hash"].value for r in rows), default=None)


def record(store: Store, digest: str, *, append: bool) -> str:
    """Set the store's content hash after a load: `digest` for a fresh or replaced default graph,
    chained onto the old hash when files were appended. One update (queries/
    record-content-hash.ru, the hash bound as a VALUES block), so it is never half-set."""
    import pyoxigraph as ox

    from kg.store.bindings import with_table
    from kg.store.queries import named_update

    new = chain(content_hash(store), digest) if append else digest
    store.update(with_table(named_update("record-content-hash").text, {"hash": [ox.Literal(new)]}))
    return new
