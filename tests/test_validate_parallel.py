"""Validation's queries on several threads give the report one thread gives, byte for byte.

kg.core.parallel runs the independent constraint and domain queries on a few threads and hands
their answers back in the tasks' order; these tests hold the report (and the first error) to the
serial one on fixtures where every shape fails, on a synthetic graph with files and lines, and on
the on-disk store.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import EvidenceGraph
from kg.core.errors import InputError, QueryError
from kg.core.parallel import in_order, threads
from kg.core.resources import ONTOLOGY
from kg.core.tabular import json_text
from kg.store.embedded import OxigraphStore
from kg.validate.run import validate

SHAPES = Path(__file__).resolve().parent / "data" / "shapes"


def report_text(report) -> str:
    return json_text(report.to_dict(), indent=2, ensure_ascii=False)


def under_threads(monkeypatch, count: int, make) -> str:
    monkeypatch.setenv("KG_THREADS", str(count))
    assert threads() == count
    return report_text(make())


@pytest.fixture(scope="module")
def every_shape_fails() -> OxigraphStore:
    """The ontology and every shape fixture in one store (as tests/test_constraints.py builds it)."""
    store = OxigraphStore()
    for path in sorted(ONTOLOGY.rglob("*.ttl")) + sorted(SHAPES.glob("*.ttl")):
        store.load(ox.Quad(t.subject, t.predicate, t.object)
                   for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return store


def test_threads_report_what_one_thread_reports_when_every_shape_fails(monkeypatch, every_shape_fails):
    serial = under_threads(monkeypatch, 1, lambda: validate(every_shape_fails))
    assert serial.count('"severity"') > 50  # findings from dozens of shapes to put in order
    for count in (2, 3, 4):
        assert under_threads(monkeypatch, count, lambda: validate(every_shape_fails)) == serial


def test_threads_report_what_one_thread_reports_with_files_and_lines(monkeypatch, tmp_path):
    from kg.synth.generator import generate

    generate(400, tmp_path / "s", seed=3)
    graph = [tmp_path / "s", SHAPES / "ChipShape.fail.ttl", SHAPES / "DocumentShape.fail.ttl",
             SHAPES / "document-date.fail-datatype.ttl", SHAPES / "property-dimension.fail-two.ttl"]
    eg = EvidenceGraph(graph)
    serial = under_threads(monkeypatch, 1, eg.validate)
    assert "likely-unit-slip" in serial and '"line"' in serial
    assert under_threads(monkeypatch, 2, eg.validate) == serial
    only = SHAPES / "ChipShape.fail.ttl"  # incremental: focus batches, the triple count bound
    assert under_threads(monkeypatch, 2, lambda: eg.validate(only)) == \
        under_threads(monkeypatch, 1, lambda: eg.validate(only))


def test_threads_report_what_one_thread_reports_on_disk(monkeypatch, tmp_path):
    graph = [SHAPES / "ChipShape.fail.ttl", SHAPES / "ModelShape.fail.ttl"]
    on_disk = EvidenceGraph(graph, store=tmp_path / "store", create=True)
    serial = under_threads(monkeypatch, 1, on_disk.validate)
    assert '"severity"' in serial
    assert under_threads(monkeypatch, 2, on_disk.validate) == serial


def test_results_come_back_in_the_tasks_order_whatever_order_they_end_in():
    ended: list[int] = []

    def task(i: int):
        def run() -> int:
            time.sleep(0.05 * (4 - i))  # the first task ends last
            ended.append(i)
            return i
        return run

    assert in_order([task(i) for i in range(4)], workers=4) == [0, 1, 2, 3]
    assert ended != [0, 1, 2, 3]


def test_the_first_failure_in_the_tasks_order_is_the_one_raised():
    started = threading.Event()

    def late_failure() -> None:
        started.wait(2)
        time.sleep(0.1)
        raise QueryError("the first task's error")

    def early_failure() -> None:
        started.set()
        raise QueryError("a later task's error, raised first in time")

    with pytest.raises(QueryError, match="the first task's error"):
        in_order([late_failure, early_failure], workers=2)
    assert not [t for t in threading.enumerate() if t.name.startswith("kg-task")]


def test_kg_threads_must_be_a_number_of_threads(monkeypatch):
    monkeypatch.setenv("KG_THREADS", "0")
    with pytest.raises(InputError, match="KG_THREADS"):
        threads()
    monkeypatch.delenv("KG_THREADS")
    assert threads() >= 1


def test_a_failing_task_leaves_no_query_to_be_dropped_by_another_thread(monkeypatch):
    """pyoxigraph's solutions belong to the thread that made them: a task that fails half-way
    through its rows must let go of them in its own thread, or the caller's thread prints
    "Exception ignored ... unsendable" beside the error."""
    import gc
    import sys

    store = OxigraphStore()
    store.load(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(i))
               for i in range(1000))
    ignored: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)

    def half_way() -> None:
        rows = store.stream("SELECT * WHERE { ?s ?p ?o }")  # a local: kept by the traceback
        for n, _row in enumerate(rows):
            if n == 10:
                raise QueryError("stopped half-way")

    message = None
    try:
        in_order([lambda: None, half_way, lambda: None], workers=2)
    except QueryError as exc:  # dropped at the end of this block, in this thread
        message = str(exc)
    gc.collect()
    assert message == "stopped half-way"
    assert ignored == []
