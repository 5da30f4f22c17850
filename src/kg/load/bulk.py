"""Load a large graph into a persistent store or a server once, so later commands only query it.

`kg.load.run.load` parses every file into Python objects first (it must, to report each node's file
and to be all-or-nothing in memory); at a million claims that is gigabytes. Here each file is
syntax-checked by streaming it through the parser (only its subjects kept), then handed whole to
the store's native loader: Oxigraph's bulk loader on disk, or one Graph Store Protocol POST per
file on a server, which parses it itself. Values still missing a normalised form are derived after.

Every load is recorded in the store (kg.load.state): marked started before the data is touched,
completed after, with each file's hash and subjects, so an interrupted load is refused by later
commands and `sync_files` can bring a store up to date by re-reading only the files that changed.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import StoreError
from kg.load import state as record


@dataclass
class BulkLoad:
    files: list[Path] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    normalised_problems: int = 0
    synced: record.Changes | None = None

    def summary(self) -> str:
        if self.synced is not None and not self.synced:
            return f"the store is up to date: no file changed since it was loaded ({self.seconds:.1f} s)"
        what = (f"re-read {len(self.files)} file(s) ({self.synced.summary()})" if self.synced
                else f"loaded {len(self.files)} file(s)")
        return (f"{what}, {self.triples} triples in the store, in {self.seconds:.1f} s"
                + (f"; {self.normalised_problems} value(s) unreadable" if self.normalised_problems
                   else ""))


def check_syntax(path: Path) -> tuple[set[str], bool]:
    """Stream the file through the Turtle parser so a bad file is refused before any load;
    return the IRIs it describes and whether it has blank nodes (kg.load.state records both)."""
    from kg.core.errors import BRIEF, InputError, brief, visible
    from kg.load.turtle import refuse_byte_order_mark

    refuse_byte_order_mark(path)
    try:
        return record.subjects(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                                        base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InputError(f"{path}: bad Turtle: {visible(brief(str(exc), 4 * BRIEF))}",
                         hint="fix the file; nothing was loaded") from exc
    except MemoryError as exc:
        raise InputError(f"{path}: a literal or IRI longer than 16 MiB, which kg's parser does "
                         "not read", hint="shorten it; nothing was loaded") from exc


class SubjectSpill:
    """Each checked file's subjects, kept on disk from the syntax check until the load is recorded.

    Why: the check runs before the store is touched (a bad file is refused with nothing loaded),
    and the record is written after the data, so the subjects must wait in between. Held in
    memory they were the one part of a load that grew with the graph (10 M IRIs, about 1.5 GB, at
    ten million claims: issue 19); spilled, one file's subjects are in memory at a time.
    """

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="kg-load-subjects-"))
        self.blank: dict[str, bool] = {}

    def check(self, path: Path) -> None:
        """Check the file's syntax (refusing a bad one) and keep its subjects, sorted."""
        key = str(path.resolve())
        found, self.blank[key] = check_syntax(path)
        self._file(key).write_text("".join(s + "\n" for s in sorted(found)), encoding="utf-8")

    def get(self, key: str, default: Sequence[str] = ()) -> Iterator[str]:
        """The subjects recorded for `key`, in order, streamed from disk."""
        spilled = self._file(key)
        if not spilled.exists():
            yield from default
            return
        with spilled.open(encoding="utf-8") as handle:
            for line in handle:
                yield line.rstrip("\n")

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> SubjectSpill:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _file(self, key: str) -> Path:
        return self._dir / hashlib.sha1(key.encode("utf-8")).hexdigest()


def load_files(store, paths: Sequence[str | Path] | None = None, *, replace: bool = True,
               check: bool = True) -> BulkLoad:
    """(Re)load the ontology plus the given files (or the shipped graph) into `store`.

    With replace (the default) the default graph is cleared first, so the store holds exactly
    the files; otherwise the files are added. The load is recorded in the store (kg.load.state),
    started before anything changes, completed last. Reconciliation runs are kept either way
    (they are the store's history): the content hash recorded here (kg.load.content) tells the
    next command that the current run was computed from other content, so it reconciles again.
    """
    from kg.load.turtle import graph_files

    if not hasattr(store, "load_file"):
        raise StoreError("this store cannot bulk-load files", hint="use --store DIR or --endpoint URL")
    started = time.perf_counter()
    report = BulkLoad(files=graph_files(paths))
    with SubjectSpill() as spill:
        if check:
            for path in report.files:
                spill.check(path)
        _load_checked(store, paths, report, spill, replace)
    report.triples = len(store)
    report.seconds = time.perf_counter() - started
    return report


def _load_checked(store, paths: Sequence[str | Path] | None, report: BulkLoad, spill: SubjectSpill,
                  replace: bool) -> None:
    from kg.load import content
    from kg.store.graphs import clear_default

    sources = record.sources_of(paths)
    previous = None if replace else record.read_state(store)
    if previous is not None and previous.status is not None and not previous.complete:
        raise StoreError("the store holds an incomplete load, so nothing can be appended to it",
                         hint="load it again without --append")
    kept = previous.files if previous is not None and previous.complete else {}
    record.begin(store, sorted(set(sources) | set(previous.sources if previous else ())),
                 fresh=not kept)
    if replace:
        clear_default(store)
    for path in report.files:
        store.load_file(path)
    report.normalised_problems = _normalise(store)
    new = [p for p in report.files if str(p.resolve()) not in kept]
    _record(store, new, spill)
    content.record(store, content.files_digest(report.files), append=not replace)
    record.finish(store)


def _record(store, files: Sequence[Path], spill: SubjectSpill) -> None:
    records = []
    for path in files:
        key = str(path.resolve())
        if key not in spill.blank:  # loaded without a check: read its subjects now
            spill.check(path)
        records.append(record.file_record(path, ontology=record.is_ontology(path),
                                          blank_nodes=spill.blank[key]))
    record.record_files(store, records, spill)


def _normalise(store) -> int:
    from kg.load.normalise import normalise
    from kg.store.queries import named_query

    store.flush()
    if store.ask(named_query("any-normalise-pending").text):  # a cheap superset: usually no
        return len(normalise(store))
    return 0


def sync_files(store) -> BulkLoad:
    """Bring a store up to date with the files it was loaded from, re-reading only what changed.

    A changed or removed file's subjects lose all their triples, and so do an added file's; then
    each such subject is described again from every file that describes it now: the changed and
    added files whole, the unchanged ones only for those subjects. Runs are kept; the content
    hash (kg.load.content) changes, so the next command that needs verdicts reconciles again.
    A change the record
    cannot undo precisely (an ontology file, a file with blank nodes) reloads everything.
    """

    started = time.perf_counter()
    state = record.read_state(store)
    if state.status is None:
        raise StoreError("the store holds no record of a `kg load`, so there is nothing to sync "
                         "against", hint="load it with `kg load` (without --sync)")
    if not state.complete:
        raise StoreError("the store holds an incomplete load, which a sync cannot repair",
                         hint="load it again with `kg load` (without --sync)")
    changes = record.changes_since(state)
    if not changes:
        return BulkLoad(seconds=time.perf_counter() - started, synced=changes)
    touched = changes.changed + changes.removed
    if any(state.files[p].ontology or state.files[p].blank_nodes for p in touched) or any(
            record.is_ontology(Path(p)) for p in changes.added):
        full = load_files(store, [Path(s) for s in state.sources])
        full.synced = changes
        return full
    rewritten = [Path(p) for p in changes.changed + changes.added]
    with SubjectSpill() as spill:
        for path in rewritten:
            spill.check(path)
        if any(spill.blank.values()):  # a file that now has blank nodes: no precise sync
            full = load_files(store, [Path(s) for s in state.sources])
            full.synced = changes
            return full
        return _sync_checked(store, state, changes, rewritten, spill, started)


def _sync_checked(store, state: record.LoadState, changes: record.Changes, rewritten: list[Path],
                  spill: SubjectSpill, started: float) -> BulkLoad:
    from kg.load import content

    touched = changes.changed + changes.removed
    affected = set(_old_subjects(store, touched))
    for path in rewritten:
        affected.update(spill.get(str(path.resolve())))
    also = {p for p in _files_defining(store, affected)
            if p not in spill.blank and p not in touched}
    record.begin(store, state.sources, fresh=False)
    _delete_subjects(store, affected)
    for path in rewritten:
        store.load_file(path)
    for other in sorted(also):  # unchanged files that also describe an affected subject
        _load_subjects(store, Path(other), affected)
    problems = _normalise(store)
    record.forget_files(store, touched)
    _record(store, rewritten, spill)
    content.record(store, content.files_digest(Path(p) for p in sorted(record.read_state(store).files)),
                   append=False)
    record.finish(store)
    report = BulkLoad(files=rewritten + [Path(p) for p in sorted(also)], synced=changes,
                      normalised_problems=problems)
    report.triples = len(store)
    report.seconds = time.perf_counter() - started
    return report


def _old_subjects(store, paths: Sequence[str]) -> list[str]:
    from kg.store.bindings import stream_bound
    from kg.store.queries import named_query

    return [row["subject"].value for row in stream_bound(
        store, named_query("load-file-subjects").text, "path", [ox.Literal(p) for p in paths])]


def _files_defining(store, subjects: set[str]) -> set[str]:
    from kg.store.bindings import stream_bound
    from kg.store.queries import named_query

    return {row["path"].value for row in stream_bound(
        store, named_query("load-files-defining").text, "subject",
        [ox.NamedNode(s) for s in sorted(subjects)])}


def _delete_subjects(store, subjects: set[str]) -> None:
    from kg.store.bindings import with_rows
    from kg.store.queries import named_update

    update = named_update("delete-subjects").text
    nodes = [ox.NamedNode(s) for s in sorted(subjects)]
    for start in range(0, len(nodes), 200):
        store.update(with_rows(update, "s", nodes[start:start + 200]))


def _load_subjects(store, path: Path, subjects: set[str]) -> None:
    quads = [q for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                                 base_iri=path.resolve().as_uri())
             if isinstance(q.subject, ox.NamedNode) and q.subject.value in subjects]
    if quads:
        store.load(quads)
