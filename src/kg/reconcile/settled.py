"""A batched run's settled statements, kept on disk instead of in memory.

A reconciliation of a million claims settles about 300,000 statements, each with its claims,
candidates and explanation, and ten times as many at ten million: held as Python objects they
grow with the graph (`kg reconcile` peaked at 5.5 GB on a 1M-claim store, issue 19; the
statements' share of that was not measured apart). A run read in batches (kg.reconcile.families)
therefore writes each settled batch to a file of its own, one pickled statement after another in
statement order, and reads them back by merging the files: one statement per batch in memory
at a time, the same order a sort of the whole list gives (both are stable, and the batches are
merged in the order they were settled). The files go when the object does, or when the process ends.

A report that lists some statements in another order (the conflicts, worst first) keeps only
each one's sort key and place in the files (`chosen`), and reads each back when it comes to it:
at a million claims the 150,000 conflicts held whole added a gigabyte to the run's peak.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

from kg.reconcile.model import Group


class SettledGroups:
    """The statements of a run, in `order`, read from disk each time they are iterated."""

    def __init__(self, order: Callable[[Group], Any]) -> None:
        self._order = order
        self._dir = tempfile.mkdtemp(prefix="kg-settled-")
        self._files: list[str] = []
        self._count = 0
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._dir, ignore_errors=True)

    def extend(self, groups: Iterable[Group]) -> None:
        """Keep one settled batch: sorted, then written one statement at a time."""
        batch = sorted(groups, key=self._order)
        path = os.path.join(self._dir, f"{len(self._files)}.pickle")
        with open(path, "wb") as fh:
            pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
            for g in batch:  # each statement alone: a reader's memo then holds one at a time
                pickler.dump(g)
                pickler.clear_memo()
        self._files.append(path)
        self._count += len(batch)

    @property
    def folder(self) -> str:
        """Where the batches' files are, until `close`."""
        return self._dir

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Group]:
        return (g for _place, g in self._placed())

    def _placed(self) -> Iterator[tuple[tuple[int, int], Group]]:
        """Each statement in order, with its place: (file number, offset in that file)."""
        order = self._order
        files = [self._read_placed(i, path) for i, path in enumerate(self._files)]
        return heapq.merge(*files, key=lambda placed: order(placed[1]))

    def chosen(self, keep: Callable[[Group], bool], key: Callable[[Group], Any],
               also: Iterable[Group] = ()) -> Sequence[Group]:
        """The statements `keep` accepts, then those of `also` it accepts, sorted by `key` as a
        stable sort of that sequence would sort them; read back from disk one at a time."""
        places: list[tuple[Any, int, tuple[int, int] | Group]] = []
        held = ((None, g) for g in also)  # in memory already: kept as they are
        for n, (place, g) in enumerate(itertools.chain(self._placed(), held)):
            if keep(g):
                places.append((key(g), n, place if place is not None else g))
        places.sort(key=lambda p: (p[0], p[1]))
        return Reread(self, [p[2] for p in places])

    def at(self, place: tuple[int, int]) -> Group:
        """The statement kept at `place` (`chosen`'s places)."""
        with open(self._files[place[0]], "rb") as fh:
            fh.seek(place[1])
            return pickle.load(fh)

    def __bool__(self) -> bool:
        return self._count > 0

    @staticmethod
    def _read_placed(number: int, path: str) -> Iterator[tuple[tuple[int, int], Group]]:
        with open(path, "rb") as fh:
            while True:  # an unpickler each: the writer cleared its memo after each statement
                at = fh.tell()
                try:
                    yield (number, at), pickle.load(fh)
                except EOFError:
                    return

    def close(self) -> None:
        """Remove the files now (they also go with the object)."""
        self._cleanup()


class Reread(Sequence[Group]):
    """Statements of a SettledGroups, or held ones, in a chosen order: each read from disk when
    it is asked for (a list's worth of places in memory, not a list's worth of statements)."""

    def __init__(self, settled: SettledGroups, places: list[tuple[int, int] | Group]) -> None:
        self._settled = settled
        self._places = places

    def __len__(self) -> int:
        return len(self._places)

    @overload
    def __getitem__(self, index: int) -> Group: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Group]: ...
    def __getitem__(self, index: int | slice) -> Group | Sequence[Group]:
        if isinstance(index, slice):
            return Reread(self._settled, self._places[index])
        place = self._places[index]
        return self._settled.at(place) if isinstance(place, tuple) else place

    def __iter__(self) -> Iterator[Group]:
        with contextlib.ExitStack() as files:
            handles: dict[int, Any] = {}
            for place in self._places:
                if not isinstance(place, tuple):  # a statement held in memory
                    yield place
                    continue
                fh = handles.get(place[0])
                if fh is None:
                    fh = handles[place[0]] = files.enter_context(
                        open(self._settled._files[place[0]], "rb"))
                fh.seek(place[1])
                yield pickle.load(fh)
