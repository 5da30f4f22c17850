"""Independent tasks on a few threads, their results in the tasks' order: kg validate's queries.

Why threads help at all: pyoxigraph releases the GIL while it evaluates a query and while it
computes each next solution (measured with 0.5.13 on an in-memory store: a pure-Python thread
kept running, never stalled more than 35 ms, through a 1.4 s query), and a server or RocksDB
answers on threads of their own. Only the Python around the rows (a dict per row, the
findings) still takes turns. So on a machine with two cores, two threads evaluate two of
validation's ninety-odd queries at once.

Why the results cannot change: each task's result is kept apart and the results are handed back
in the order of the tasks, whatever order they finished in, so what the caller assembles is
what it assembled when the tasks ran one after the other. A failure is the same too: the first
task, in the tasks' order, that raised raises its own exception in the caller (tasks not yet
started are dropped; running ones are waited for, as a query in Rust cannot be interrupted).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from kg.core.errors import InputError

T = TypeVar("T")

# more threads than this buy nothing on the queries validation runs (each thread also holds an
# answer in memory while the others work)
MOST_THREADS = 4


def threads() -> int:
    """How many threads independent queries get: `KG_THREADS` if set (1 runs them one after the
    other, as before), else one per core, at most MOST_THREADS."""
    told = os.environ.get("KG_THREADS", "").strip()
    if told:
        try:
            count = int(told)
        except ValueError:
            count = 0
        if count < 1:
            raise InputError(f"KG_THREADS={told!r} is not a number of threads",
                             hint="set KG_THREADS to 1 (one query at a time) or more, or unset it")
        return count
    return max(1, min(os.cpu_count() or 1, MOST_THREADS))


def in_order(tasks: Sequence[Callable[[], T]], workers: int | None = None,
             first: Sequence[int] = ()) -> list[T]:
    """Each task's result, in the tasks' order, computed on `workers` threads (default `threads()`).

    `first` lists the indexes of tasks to start before the others (the longest, so that two
    threads end together); it changes when a task starts, never the order of the results. One
    worker, or one task, runs them in this thread, one after the other.
    """
    workers = threads() if workers is None else workers
    if workers <= 1 or len(tasks) <= 1:
        return [task() for task in tasks]
    from concurrent.futures import ThreadPoolExecutor

    chosen = [i for i in dict.fromkeys(first) if 0 <= i < len(tasks)]
    start = chosen + [i for i in range(len(tasks)) if i not in set(chosen)]
    pool = ThreadPoolExecutor(max_workers=min(workers, len(tasks)), thread_name_prefix="kg-task")
    try:
        futures = {i: pool.submit(_contained, tasks[i]) for i in start}
        return [futures[i].result() for i in range(len(tasks))]
    finally:
        # on a failure: drop what has not started, wait for what runs (Rust cannot be
        # interrupted), so no thread outlives the call (a later fork must not copy one mid-query)
        pool.shutdown(wait=True, cancel_futures=True)


def _contained(task: Callable[[], T]) -> T:
    """task(), and on a failure its frames' locals let go of in this thread: a pyoxigraph query's
    solutions may only be dropped by the thread that made them (dropped by the caller's thread
    they are leaked, with "Exception ignored ... unsendable" on standard error)."""
    try:
        return task()
    except BaseException as exc:
        import traceback

        traceback.clear_frames(exc.__traceback__)
        raise
