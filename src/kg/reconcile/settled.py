"""A batched run's settled statements, kept on disk instead of in memory.

A reconciliation of a million claims settles about 300,000 statements, each with its claims,
candidates and explanation, and ten times as many at ten million: held as Python objects they
grow with the graph (`kg reconcile` peaked at 5.5 GB on a 1M-claim store, issue 19; the
statements' share of that was not measured apart). A run read in batches (kg.reconcile.families)
therefore writes each settled batch to a file of its own, one pickled statement after another in
statement order, and reads them back by merging the files: one statement per batch in memory
at a time, the same order a sort of the whole list gives (both are stable, and the batches are
merged in the order they were settled). The files go when the object does, or when the process ends.
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

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
        return heapq.merge(*(self._read(path) for path in self._files), key=self._order)

    def __bool__(self) -> bool:
        return self._count > 0

    @staticmethod
    def _read(path: str) -> Iterator[Group]:
        with open(path, "rb") as fh:
            while True:  # an unpickler each: the writer cleared its memo after each statement
                try:
                    yield pickle.load(fh)
                except EOFError:
                    return

    def close(self) -> None:
        """Remove the files now (they also go with the object)."""
        self._cleanup()
