"""The table a run keeps: its cells, their sources and the closed models, in one literal.

Building the capability table from a run's verdicts costs two large queries (at 100,000 claims
on disk about 30 s of CPU: a row per cell, then a row per claim for 24,000 cells), and the
answer never changes while the run and the graph stay as they are. So a full-evidence run
written to a persistent store (`kg reconcile --store/--endpoint`) also keeps the table's data
(kg.report.table.TableData) in its own graph, as one compressed JSON literal on the run
(`kg:tableSnapshot`), and `kg table` reads that in one query instead (about a second at
100,000 claims). The data is what the queries return, before any view: filters, columns,
footnote numbers and notes are worked out from it by the same code, so the table is the same,
byte for byte (tests/test_table_snapshot.py).

The copy is used only while it holds: it records the store's content hash (kg.load.content)
and kg's version when it was made, and is ignored when either differs (a store loaded again
since: labels, labs and claims read by the table may have changed). Pruning a run drops its
graph, and the copy with it. A store without a content hash (filled by another tool) keeps
none. `KG_TABLE_SNAPSHOT=0` turns it off (neither written nor read).

The in-memory store keeps nothing between commands, so there the copy goes beside the load
cache's records (kg.load.cache: same folder, same switch `KG_LOAD_CACHE`, big graphs only),
keyed by the content hash and kg's code: a later `kg table` on the same files then needs no
reconciliation at all, which is what a persistent store's current run gives (reconciliation is
deterministic for the same content and code: kg.reconcile.runs.reusable relies on it too).
The `kg table` that computes it keeps it (from the verdicts `kg reconcile` kept,
kg.reconcile.kept, or from its own reconciliation), and the next `kg table` finds it from the
files' hashes alone (`read_for_files`), without loading the graph: about 2 s at 100,000 claims.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.core.vocab import KG
from kg.report.table import TableData, table_data
from kg.store.protocol import Store
from kg.store.queries import named_query

FORMAT = 1  # bumped when the encoded layout changes; a copy of another format is ignored
SNAPSHOT = KG + "tableSnapshot"


def enabled() -> bool:
    """False when the user turned the kept table off (KG_TABLE_SNAPSHOT=0)."""
    return os.environ.get("KG_TABLE_SNAPSHOT", "1").strip().lower() not in ("0", "no", "false", "off")


def encode(data: TableData, *, content_hash: str, version: str) -> str:
    """The table data as base64 of zlib-compressed JSON; each source described once."""
    sources: dict[tuple, int] = {}
    evidence: dict[str, list[list[list]]] = {}
    for group, sides in data.evidence.items():
        encoded = []
        for side in sides:
            entries = []
            for doc, text, short, stated in side:
                key = (doc, text, short)
                index = sources.setdefault(key, len(sources))
                entries.append([index, stated])
            encoded.append(entries)
        evidence[group] = encoded
    body = {"format": FORMAT, "content": content_hash, "version": version,
            "records": [[m, c, v] for m, c, v in data.records],
            "sources": [list(k) for k in sources], "evidence": evidence,
            "closed": sorted(data.closed)}
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def decode(text: str, *, content_hash: str, version: str) -> TableData | None:
    """The table data, or None when the copy is of another format, content or kg version."""
    try:
        body = json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))
    except (ValueError, zlib.error):
        return None  # not a copy this kg wrote: the table is computed as without one
    if not isinstance(body, dict) or body.get("format") != FORMAT \
            or body.get("content") != content_hash or body.get("version") != version:
        return None
    sources = [tuple(s) for s in body["sources"]]
    evidence = {group: tuple([(*sources[i], stated) for i, stated in side] for side in sides)
                for group, sides in body["evidence"].items()}
    records = [(m, c, v) for m, c, v in body["records"]]
    return TableData(records, evidence, set(body["closed"]))  # type: ignore[arg-type]


def keep(store: Store, run: str, *, content_hash: str | None, version: str) -> bool:
    """Compute the run's whole table data and write it into the run's graph; False (nothing
    written) when turned off or the store has no content hash to tie it to."""
    if not content_hash or not enabled():
        return False
    text = encode(table_data(store, run), content_hash=content_hash, version=version)
    node = ox.NamedNode(run)
    # a plain string: a server may store an xsd:base64Binary literal in its own way
    store.load([ox.Quad(node, ox.NamedNode(SNAPSHOT), ox.Literal(text), node)])
    return True


def read(store: Store, run: str, *, content_hash: str | None, version: str) -> TableData | None:
    """The table data the run keeps, if it holds for the store as it is now; else None."""
    if not content_hash or not enabled():
        return None
    from kg.store.bindings import with_table

    query = with_table(named_query("table-snapshot").text, {"run": [ox.NamedNode(run)]})
    for row in store.select(query):
        data = decode(row["snapshot"].value, content_hash=content_hash, version=version)
        if data is not None:
            return data
    return None


def _cached_path(content_hash: str):
    import hashlib

    from kg.load.cache import code_fingerprint, folder

    key = hashlib.sha256(f"{FORMAT}\n{code_fingerprint()}\n{content_hash}".encode()).hexdigest()
    return folder() / f"{key}.table"


def read_cached(content_hash: str | None, version: str) -> TableData | None:
    """The table data kept for this content and kg's code (an in-memory store's), or None."""
    from kg.load.cache import enabled as cache_enabled

    if not content_hash or not enabled() or not cache_enabled():
        return None
    path = _cached_path(content_hash)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, ValueError):
        return None
    return decode(text, content_hash=content_hash, version=version)


def keep_cached(data: TableData, content_hash: str | None, version: str) -> None:
    """Keep the table data for this content (atomically; a failure to write is ignored)."""
    from kg.core.files import write_atomic
    from kg.load.cache import enabled as cache_enabled
    from kg.load.cache import prune

    if not content_hash or not enabled() or not cache_enabled():
        return
    path = _cached_path(content_hash)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, encode(data, content_hash=content_hash, version=version))
        prune(path.parent, "*.table")
    except OSError:
        return


def read_for_files(paths: Sequence[str | Path] | None, version: str) -> TableData | None:
    """The table data kept for these graph files (the ontology with them), found without
    loading them: the files are read and hashed as a load would (kg.load.cache.read), and the
    table is taken only when a load of exactly these bytes found no problem (the load cache
    has its record: a load with problems reports them each time) and a table was kept for
    their content hash and kg's code. None otherwise: the caller loads the graph."""
    from kg.load import cache
    from kg.load.content import of_digests
    from kg.load.turtle import graph_files

    if not enabled() or not cache.enabled():
        return None
    files = graph_files(paths, ontology=True)
    if not cache.wanted(files):
        return None
    read_files = cache.read(files)
    if not cache.has_record(read_files):
        return None
    return read_cached(of_digests(read_files.digests), version)
