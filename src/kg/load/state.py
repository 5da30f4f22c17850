"""What a persistent store holds: a record of the load that filled it, kept in the store itself.

An on-disk store or a server outlives the command that loaded it, and issue 18 found the two ways
that goes wrong: a load killed midway left a store that answered with an empty table, and a
mistyped `--store typo/` created a fresh store and filled it silently; issue 17 the third: after
`kg add` or `kg import` a store loaded earlier went on serving the old graph. So `kg load` writes
a record into the named graph `kgr:load` *before* it touches the data ("started") and completes
it *after* the last file is in ("complete"), with every file's SHA-256, size and modification
time and the subjects each file describes. Commands read the record when they open a store:

- no record and no data: the store is missing; they refuse and say how to create it;
- a record that never completed: the load was interrupted; they refuse and say how to repair it;
- a complete record whose files changed since: they warn, naming what changed, and
  `kg load --sync` brings the store up to date by re-reading only what changed;
- data but no record (a server filled by its own bulk loader, a store from before this record):
  they warn that kg cannot vouch for it, and go on.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.core.errors import StoreError
from kg.core.vocab import KG, KGR, PROV, XSD

LOAD_GRAPH = KGR + "load"
_RUN = ox.NamedNode(KGR + "load/run")
_GRAPH = ox.NamedNode(LOAD_GRAPH)


class StoreNotice(UserWarning):
    """A store serves something other than what the user may expect (changed files, no record);
    the CLI prints it as one line on standard error."""


@dataclass(frozen=True)
class FileRecord:
    path: str  # absolute, as recorded
    sha256: str
    size: int
    mtime: int  # nanoseconds
    ontology: bool = False
    blank_nodes: bool = False


@dataclass
class LoadState:
    """The record a store holds, or none (`status` None)."""

    status: str | None = None  # "started" | "complete" | None
    started: str | None = None
    ended: str | None = None
    sources: list[str] = field(default_factory=list)
    files: dict[str, FileRecord] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.status == "complete"


@dataclass
class Changes:
    """How the files a store was loaded from differ from what is on disk now."""

    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)

    def summary(self) -> str:
        parts = [f"{len(files)} file(s) {what}" for what, files in
                 (("changed", self.changed), ("added", self.added), ("removed", self.removed)) if files]
        names = [Path(p).name for p in (self.changed + self.added + self.removed)[:3]]
        more = ", ..." if len(self.changed) + len(self.added) + len(self.removed) > 3 else ""
        return ", ".join(parts) + f" ({', '.join(names)}{more})"


def file_record(path: Path, *, ontology: bool = False, blank_nodes: bool = False,
                known: FileRecord | None = None) -> FileRecord:
    """A file's hash, size and time; `known` is reused when size and time are unchanged."""
    path = Path(path).resolve()
    stat = path.stat()
    if known is not None and known.size == stat.st_size and known.mtime == stat.st_mtime_ns:
        return known
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return FileRecord(str(path), digest.hexdigest(), stat.st_size, stat.st_mtime_ns, ontology,
                      blank_nodes)


def read_state(store) -> LoadState:
    """The load record the store holds (status None when there is none)."""
    from kg.store.queries import named_query

    state = LoadState()
    for row in store.select(named_query("load-state").text):
        state.status = row["status"].value
        state.started = row["started"].value
        state.ended = row["ended"].value if "ended" in row else None
        if "source" in row and row["source"].value not in state.sources:
            state.sources.append(row["source"].value)
        if "path" in row:
            state.files[row["path"].value] = FileRecord(
                row["path"].value, row["sha256"].value, int(row["size"].value),
                int(row["mtime"].value), "ontology" in row and row["ontology"].value in ("true", "1"),
                "blank" in row and row["blank"].value in ("true", "1"))
    state.sources.sort()
    return state


def has_data(store) -> bool:
    return store.ask("ASK { ?s ?p ?o }")


def begin(store, sources: Sequence[str], *, fresh: bool = True) -> None:
    """Mark a load as started, before any data is touched: an interruption leaves this mark.

    `fresh` starts a new record; otherwise (an append, a sync) the files already recorded stay
    and only the status and the sources change.
    """
    now = ox.Literal(_now(), datatype=ox.NamedNode(XSD + "dateTime"))
    if fresh:
        from kg.store.graphs import drop_graph

        drop_graph(store, LOAD_GRAPH)
        store.load([_quad(_RUN, RDF_TYPE, ox.NamedNode(KG + "LoadRun"))])
    else:
        _forget(store, [KG + "loadStatus", PROV + "startedAtTime", PROV + "endedAtTime", KG + "loadedFrom"])
    store.load([_quad(_RUN, KG + "loadStatus", ox.Literal("started")),
                _quad(_RUN, PROV + "startedAtTime", now)]
               + [_quad(_RUN, KG + "loadedFrom", ox.Literal(s)) for s in sources])
    _flush(store)


class SubjectsByFile(Protocol):
    """Each file's subjects by its path: a dict of sets, or kg.load.bulk's spill on disk."""

    def get(self, key: str, default: Sequence[str] = ..., /) -> Iterable[str]: ...


def record_files(store, records: Iterable[FileRecord], defines: SubjectsByFile | dict[str, set[str]],
                 batch: int = 100_000) -> None:
    """Each file's record and the subjects it describes (what --sync needs to undo a file).

    `defines` maps a file's path to its subjects (a dict, or kg.load.bulk's spill, which streams
    them from disk). Written in batches of `batch` quads: at ten million claims the subjects
    alone are ten million quads, which built at once were gigabytes of Python objects.
    """
    quads: list[ox.Quad] = []
    for rec in records:
        node = _file_node(rec.path)
        quads += [_quad(_RUN, KG + "loadedFile", node),
                  _quad(node, KG + "path", ox.Literal(rec.path)),
                  _quad(node, KG + "sha256", ox.Literal(rec.sha256)),
                  _quad(node, KG + "size", ox.Literal(rec.size)),
                  _quad(node, KG + "mtime", ox.Literal(rec.mtime))]
        if rec.ontology:
            quads.append(_quad(node, KG + "ontologyFile", ox.Literal(True)))
        if rec.blank_nodes:
            quads.append(_quad(node, KG + "hasBlankNodes", ox.Literal(True)))
        defines_p = ox.NamedNode(KG + "defines")
        for subject in sorted(defines.get(rec.path, ())):
            quads.append(ox.Quad(node, defines_p, ox.NamedNode(subject), _GRAPH))
            if len(quads) >= batch:
                store.load(quads)
                quads = []
    if quads:
        store.load(quads)


def finish(store) -> None:
    """Mark the load complete: written last, after every file is in and normalised."""
    _forget(store, [KG + "loadStatus"])
    ended = ox.Literal(_now(), datatype=ox.NamedNode(XSD + "dateTime"))
    store.load([_quad(_RUN, KG + "loadStatus", ox.Literal("complete")),
                _quad(_RUN, PROV + "endedAtTime", ended)])
    _flush(store)


def forget_files(store, paths: Iterable[str]) -> None:
    """Drop the records of files a sync re-reads or that are gone."""
    from kg.store.bindings import with_rows
    from kg.store.queries import named_update

    update = named_update("forget-loaded-files").text
    nodes = [_file_node(p) for p in paths]
    for start in range(0, len(nodes), 200):
        store.update(with_rows(update, "file", nodes[start:start + 200]))


def check(store, *, where: str, repair: str) -> tuple[LoadState, str | None]:
    """Refuse a missing store or an interrupted load; return the record and a note to show
    (None when the store is what its record says)."""
    state = read_state(store)
    if state.status is None:
        if not has_data(store):
            raise StoreError(f"{where} holds no graph: nothing was loaded into it",
                             hint=f"load it with `{repair}`")
        return state, (f"{where} holds a graph kg did not load (no record of a `kg load`): kg "
                       "cannot tell whether it is complete or up to date")
    if not state.complete:
        raise StoreError(f"{where} holds an incomplete load: `kg load` started at {state.started} "
                         "and never finished (interrupted?), so its answers would be partial",
                         hint=f"load it again with `{repair}`")
    changes = changes_since(state)
    if changes:
        return state, (f"{where} serves the graph as loaded at {state.ended}; since then "
                       f"{changes.summary()}. Bring it up to date with `{repair} --sync`")
    return state, None


def changes_since(state: LoadState) -> Changes:
    """Files changed, added (in a folder that was loaded) or removed since the load."""
    from kg.core.errors import InputError
    from kg.load.turtle import graph_files

    changes = Changes()
    try:
        now = {str(p.resolve()) for p in graph_files([Path(s) for s in state.sources] or None)}
    except InputError:  # a loaded folder is gone: every file in it counts as removed
        now = {p for p in state.files if Path(p).is_file()}
    for path, rec in state.files.items():
        if path not in now or not Path(path).is_file():
            changes.removed.append(path)
            continue
        try:
            if file_record(Path(path), known=rec).sha256 != rec.sha256:
                changes.changed.append(path)
        except OSError:
            changes.removed.append(path)
    changes.added = sorted(now - set(state.files))
    changes.changed.sort()
    changes.removed.sort()
    return changes


def sources_of(paths: Sequence[str | Path] | None) -> list[str]:
    """What a load was given, absolute: the --graph files and folders, or the shipped graph."""
    from kg.core.resources import GRAPH

    return sorted(str(Path(p).resolve()) for p in (paths or [GRAPH]))


def subjects(quads: Iterable[ox.Quad]) -> tuple[set[str], bool]:
    """The IRIs a file describes, and whether it has blank nodes (which a sync cannot undo)."""
    found, blank = set(), False
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            found.add(q.subject.value)
        else:
            blank = True
    return found, blank


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _forget(store, predicates: Sequence[str]) -> None:
    """Remove the load node's values of these predicates."""
    from kg.store.bindings import with_rows
    from kg.store.queries import named_update

    store.update(with_rows(named_update("forget-load-values").text, "p",
                           [ox.NamedNode(p) for p in predicates]))


def _quad(s, p: str, o) -> ox.Quad:
    return ox.Quad(s, ox.NamedNode(p), o, _GRAPH)


def _file_node(path: str) -> ox.NamedNode:
    return ox.NamedNode(KGR + "load/file/" + hashlib.sha1(path.encode("utf-8")).hexdigest())


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _flush(store) -> None:
    if hasattr(store, "flush"):
        store.flush()


def is_ontology(path: Path) -> bool:
    from kg.core.resources import ONTOLOGY

    try:
        Path(path).resolve().relative_to(ONTOLOGY.resolve())
    except ValueError:
        return False
    return True
