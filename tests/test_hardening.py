"""Bad input gets one clear message with file, line and node, the documented exit code, no traceback.

Also: values the parser cannot read, likely unit slips, SPARQL errors and runaway queries, paths
from data, and atomic writes that keep the previous file when anything fails midway.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BAD, GROW, ROOT, claim_turtle, copy_mini_graph
from conftest import MINI_GRAPH as MINI
from kg.cli.main import main
from kg.core.errors import InputError
from kg.store.deadline import HAS_DEADLINE

EPOCH_SAMPLE = GROW / "epoch-sample.csv"
NEEDS_FORK = pytest.mark.skipif(not HAS_DEADLINE, reason="no fork on this platform: queries run "
                                                         "without a timeout")


def validate(runner, *files: Path, fmt: str = "table"):
    args = ["validate", "--graph", str(MINI), "--format", fmt]
    for f in files:
        args += ["--graph", str(f)]
    return runner.invoke(main, args)


# ------------------------------------------------------------------ bad Turtle

BAD_TURTLE = [  # files, exit code, what the one message must name
    (["syntax-error.ttl"], r"syntax-error\.ttl:12:\d+: bad Turtle"),
    (["undefined-prefix.ttl"], r"undefined-prefix\.ttl:11:\d+: .*kgx:"),
    (["bad-literal.ttl"], r"bad-literal\.ttl:12: kgc:bad-literal-001 kg:amount '5\.6M' is not a valid "
                          r"xsd:decimal"),
    (["duplicate-a.ttl", "duplicate-b.ttl"],
     r"duplicate-b\.ttl:11: claim kgc:dup-001 is already defined in \S*duplicate-a\.ttl:10 with "
     r"different content \(kg:stated \"9B\" here, \"7B\" there\)"),
    (["remote-context.jsonld"], r"remote-context\.jsonld: kg reads Turtle \(\.ttl\) only, not JSON-LD"),
    (["external-entity.rdf"], r"external-entity\.rdf: kg reads Turtle \(\.ttl\) only, not RDF/XML"),
]


@pytest.mark.parametrize(("files", "message"), BAD_TURTLE, ids=lambda v: str(v)[:30])
def test_bad_turtle_is_one_message_and_exit_2(runner, files, message):
    result = validate(runner, *(BAD / f for f in files))
    assert result.exit_code == 2, result.output
    assert re.search(message, result.output), result.output
    assert result.output.startswith("kg: ") and "Traceback" not in result.output
    assert "nothing was loaded" in result.output or "kg never parses" in result.output


def test_a_missing_source_is_a_violation_naming_file_and_line(runner):
    result = validate(runner, BAD / "missing-source.ttl", fmt="json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    [finding] = [f for f in report["findings"] if f["severity"] == "Violation"]
    assert finding["focus"].endswith("/claim/orphan-001")
    assert finding["shape"].endswith("claim-source") and finding["value"].endswith("no-such-document")
    assert finding["file"].endswith("missing-source.ttl") and finding["line"] == 10


@pytest.mark.parametrize(("files", "code", "message"), [
    (["bad-literal.ttl"], 2, r"bad-literal\.ttl:12: kgc:bad-literal-001"),
    (["duplicate-a.ttl", "duplicate-b.ttl"], 2, r"duplicate-b\.ttl:11: claim kgc:dup-001"),
    (["missing-source.ttl"], 1, r"kgc:orphan-001 .*missing-source\.ttl"),
], ids=["literal", "duplicate", "missing-source"])
def test_the_real_command_prints_no_traceback(files, code, message):
    args = [sys.executable, "-m", "kg.cli.main", "validate", "--graph", str(MINI)]
    for f in files:
        args += ["--graph", str(BAD / f)]
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == code, done.stderr
    assert re.search(message, done.stdout + done.stderr), done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Failed to convert" not in done.stderr


def test_the_installed_kg_command_too():
    kg = Path(sys.executable).with_name("kg")
    if not kg.exists():
        pytest.skip("no kg console script beside this Python")
    done = subprocess.run([str(kg), "validate", "--graph", str(MINI), "--graph",
                           str(BAD / "syntax-error.ttl")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "syntax-error.ttl:12:" in done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------ values


def test_unreadable_values_are_violations_naming_claim_and_reason(runner):
    result = validate(runner, BAD / "bad-values.ttl", fmt="json")
    assert result.exit_code == 1
    findings = {f["focus"].rsplit("/", 1)[-1]: f for f in json.loads(result.output)["findings"]
                if f["shape"].endswith("stated-value-readable")}
    expected = {"value-unreadable": "no number found", "value-unknown-unit": "unknown unit 'furlongs'",
                "value-negative": "a negative figure", "value-backwards": "written backwards"}
    assert set(findings) == set(expected)
    for claim, reason in expected.items():
        assert reason in findings[claim]["message"], findings[claim]
        assert findings[claim]["file"].endswith("bad-values.ttl") and findings[claim]["line"]


def test_a_negative_normalised_count_is_a_violation(runner):
    result = validate(runner, BAD / "negative-amount.ttl", fmt="json")
    assert result.exit_code == 1
    [finding] = [f for f in json.loads(result.output)["findings"]
                 if f["shape"].endswith("value-not-negative")]
    assert finding["focus"].endswith("amount-negative") and float(finding["value"]) < 0
    assert finding["line"] == 12


def test_a_figure_1000x_off_the_others_is_a_unit_slip_warning(runner):
    result = validate(runner, BAD / "unit-slip.ttl", fmt="json")
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["conforms"], result.output  # a warning, not a violation
    slips = [f for f in report["findings"] if f["shape"].endswith("likely-unit-slip")]
    assert [f["focus"].rsplit("/", 1)[-1] for f in slips] == ["slip-c"]
    assert slips[0]["severity"] == "Warning" and "1,000x below" in slips[0]["message"]
    assert slips[0]["file"].endswith("unit-slip.ttl") and slips[0]["line"] == 25


def test_the_shipped_graph_has_no_unit_slip_or_negative_value(shipped):
    from kg.validate.domain import negative_values, unit_slips

    assert negative_values(shipped.store, {}, shipped.load_report) == []
    assert unit_slips(shipped.store, {}, shipped.load_report) == []


# ------------------------------------------------------------------ SPARQL


def test_sparql_syntax_error_names_line_and_column(runner):
    text = "SELECT ?s WHERE {\n  ?s ?p ?o .\n  ?s foo:bar ?o }\n"
    result = runner.invoke(main, ["query", "-", "--graph", str(MINI)], input=text)
    assert result.exit_code == 2
    assert "3:13" in result.output and "Traceback" not in result.output


EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_runaway_query_is_stopped_by_timeout(runner):
    started = time.monotonic()
    result = runner.invoke(main, ["query", "-", "--graph", str(MINI), "--timeout", "1"],
                           input=EXPLOSIVE)
    assert result.exit_code == 2, result.output
    assert "stopped after 1 s" in result.output and "--timeout" in result.output
    assert time.monotonic() - started < 30


@NEEDS_FORK
def test_deadline_stops_a_cartesian_product_on_the_shipped_graph(shipped):
    from kg.core.errors import QueryError
    from kg.store.deadline import query_with_deadline

    inner = shipped.store._store  # the pyoxigraph store itself
    started = time.monotonic()
    with pytest.raises(QueryError, match="stopped after 0.5 s"):
        query_with_deadline(inner, EXPLOSIVE, None, 0.5)
    assert time.monotonic() - started < 5
    # a quick query comes back whole, as the same result types the store gives
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    rows = list(query_with_deadline(inner, count, None, 30))
    assert int(rows[0]["n"].value) == int(next(iter(inner.query(count)))["n"].value) > 1000
    with pytest.raises(SyntaxError, match="1:9"):
        query_with_deadline(inner, "SELEC ?x", None, 30)


@NEEDS_FORK
def test_run_with_deadline_returns_values_and_reraises(tmp_path):
    from kg.core.errors import QueryError
    from kg.store.deadline import run_with_deadline

    assert run_with_deadline(sum, [1, 2, 3], timeout=10) == 6
    with pytest.raises(ZeroDivisionError):
        run_with_deadline(lambda: 1 / 0, timeout=10)
    with pytest.raises(QueryError, match="stopped"):
        run_with_deadline(time.sleep, 30, timeout=0.3)


# ------------------------------------------------------------------ paths from data


@pytest.mark.parametrize("name", ["../../etc/x", "/etc/x", "a/../../x", ".."])
def test_safe_join_refuses_names_that_climb_out(tmp_path, name):
    from kg.core.files import safe_join

    with pytest.raises(InputError, match="outside"):
        safe_join(tmp_path / "out", name)
    assert safe_join(tmp_path / "out", "fine.ttl") == tmp_path / "out" / "fine.ttl"


def test_safe_join_refuses_a_symlink_out(tmp_path):
    from kg.core.files import safe_join

    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path.parent)
    with pytest.raises(InputError):
        safe_join(out, "link/x.ttl")


def test_add_into_a_path_outside_the_graph_is_refused(tmp_path, runner):
    graph = copy_mini_graph(tmp_path)
    f = tmp_path / "new.ttl"
    f.write_text(claim_turtle("hostile-1", "7B"))
    hostile = graph / ".." / ".." / "etc-x.ttl"
    result = runner.invoke(main, ["add", str(f), "--graph-dir", str(graph), "--into", str(hostile)])
    assert result.exit_code == 2 and "not inside the graph folder" in result.output, result.output
    assert not hostile.exists()


# ------------------------------------------------------------------ nothing lost


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def failing_write(monkeypatch):
    """Make write_atomic fail after the bytes are half on disk (the fsync of the temporary file)."""
    import os as real_os

    def explode(fd):
        raise OSError(28, "No space left on device (simulated)")

    def arm():
        monkeypatch.setattr(real_os, "fsync", explode)
    return arm


def test_add_interrupted_midway_keeps_the_graph_byte_identical(tmp_path, runner, failing_write,
                                                              monkeypatch):
    from kg.ingest.add import add

    graph = copy_mini_graph(tmp_path)
    first = tmp_path / "first.ttl"
    first.write_text(claim_turtle("kept-1", "7B"))
    target = add(first, graph).target
    before = _snapshot(graph)
    second = tmp_path / "second.ttl"
    second.write_text(claim_turtle("kept-2", "8B"))
    failing_write()
    result = runner.invoke(main, ["add", str(second), "--graph-dir", str(graph), "--into", str(target)])
    assert result.exit_code == 2 and "No space left" in result.output, result.output
    assert "Traceback" not in result.output
    assert _snapshot(graph) == before  # no temporary file left either
    monkeypatch.undo()
    # and a serialiser that raises before writing leaves it too
    import kg.ingest.add

    def broken(*a, **k):
        raise RuntimeError("serialiser failed (simulated)")

    monkeypatch.setattr(kg.ingest.add, "to_turtle", broken)
    with pytest.raises(RuntimeError):
        add(second, graph, into=target)
    assert _snapshot(graph) == before


def test_import_interrupted_midway_keeps_the_previous_output(tmp_path, runner, failing_write):
    out = tmp_path / "epoch.ttl"
    ok = runner.invoke(main, ["import", "epoch", str(EPOCH_SAMPLE), "--snapshot", "2025-11-03",
                              "--output", str(out), "--graph", str(MINI)])
    assert ok.exit_code == 0, ok.output
    before = _snapshot(tmp_path)
    failing_write()
    result = runner.invoke(main, ["import", "epoch", str(EPOCH_SAMPLE), "--snapshot", "2025-11-04",
                                  "--output", str(out), "--graph", str(MINI)])
    assert result.exit_code == 2 and "No space left" in result.output
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("fmt", ["html", "ttl", "csv"])
def test_export_interrupted_midway_keeps_the_previous_file(tmp_path, runner, failing_write,
                                                           monkeypatch, fmt):
    out = tmp_path / f"report.{fmt}"
    out.write_bytes(b"previous export\n")
    out.chmod(0o644)
    before = _snapshot(tmp_path)
    failing_write()
    result = runner.invoke(main, ["export", "--format", fmt, "-o", str(out), "--graph", str(MINI)])
    assert result.exit_code == 2 and "No space left" in result.output, result.output
    assert _snapshot(tmp_path) == before
    monkeypatch.undo()
    import kg.report.exports

    def broken(*a, **k):
        raise RuntimeError("serialiser failed (simulated)")

    monkeypatch.setattr(kg.report.exports, "export_bytes", broken)
    monkeypatch.setattr(kg.report.exports, "write_export", broken)  # the streamed formats' (ttl)
    result = runner.invoke(main, ["export", "--format", fmt, "-o", str(out), "--graph", str(MINI)])
    assert result.exit_code == 2 and "internal error" in result.output and "Traceback" not in result.output
    assert _snapshot(tmp_path) == before


def test_reconcile_output_interrupted_keeps_the_previous_file(tmp_path, runner, failing_write):
    out = tmp_path / "reconciliation.ttl"
    out.write_text("# previous run\n")
    before = _snapshot(tmp_path)
    failing_write()
    result = runner.invoke(main, ["reconcile", "--output", str(out), "--graph", str(MINI)])
    assert result.exit_code == 2 and _snapshot(tmp_path) == before


def test_write_atomic_keeps_permissions_and_refuses_a_folder(tmp_path):
    from kg.core.files import write_atomic

    target = tmp_path / "shared.ttl"
    target.write_text("old")
    target.chmod(0o644)
    write_atomic(target, "new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o644
    fresh = tmp_path / "fresh.ttl"
    write_atomic(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert (fresh.stat().st_mode & 0o777) == 0o666 & ~umask
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, "x")


def test_atomic_file_appears_whole_or_not_at_all(tmp_path):
    """atomic_file (the streamed exports, issue 19): pieces go to a temporary file; the target
    keeps its old bytes until the block ends, and an error midway removes the temporary file."""
    from kg.core.files import atomic_file

    target = tmp_path / "big.json"
    target.write_text("old")
    target.chmod(0o644)
    with atomic_file(target) as handle:
        for i in range(1000):
            handle.write(b"piece %d\n" % i)
            if i == 500:
                handle.flush()
                assert target.read_text() == "old"  # half written: not yet visible
    assert target.read_bytes().count(b"\n") == 1000
    assert (target.stat().st_mode & 0o777) == 0o644
    with pytest.raises(OSError, match="No space left"), atomic_file(target) as handle:
        handle.write(b"the new output, half of it")
        handle.flush()
        raise OSError(28, "No space left on device (simulated)")
    assert target.read_bytes().count(b"\n") == 1000
    assert [p.name for p in tmp_path.iterdir()] == ["big.json"]  # no temporary left behind
    with pytest.raises(InputError), atomic_file(tmp_path / "missing" / "x.json"):
        pass


def test_an_os_error_is_one_line_not_a_traceback(tmp_path, runner):
    result = runner.invoke(main, ["export", "--format", "csv", "-o", str(tmp_path), "--graph", str(MINI)])
    assert result.exit_code == 2 and "is a folder" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------ CSV imports


def _import(runner, path: Path):
    return runner.invoke(main, ["import", "epoch", str(path), "--snapshot", "2025-11-03",
                                "--graph", str(MINI)])


def test_csv_in_utf16_is_read_and_latin1_is_refused_by_line(tmp_path, runner):
    text = EPOCH_SAMPLE.read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(text, encoding="utf-16")
    plain = _import(runner, EPOCH_SAMPLE)
    assert _import(runner, utf16).output == plain.output.replace("epoch-sample.csv", "utf16.csv")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(text.replace("Example Lab", "Exämple Lab").encode("latin-1"))
    result = _import(runner, latin)
    assert result.exit_code == 2 and re.search(r"latin1\.csv:3: not UTF-8 text \(byte 0xe4", result.output)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"Name,Size\nx,1\n", "not an Epoch table"),
    (b"Model,Parameters\nA,1\x00\n", "NUL bytes"),
], ids=["empty", "blank", "missing-columns", "nul"])
def test_bad_csv_files_are_clear_errors(tmp_path, runner, content, message):
    path = tmp_path / "table.csv"
    path.write_bytes(content)
    result = _import(runner, path)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_junk_cells_are_reported_never_zero(tmp_path, resolver_mini):
    from kg.ingest.epoch import import_epoch

    path = tmp_path / "notable_ai_models.csv"
    path.write_text("Model,Parameters,Training compute (FLOP),Training time (hours),Publication date\n"
                    "Example Model,12 B,NaN,-5,2025-02-30\n"
                    "Other Model,1e400,3.4e+24,0,2025-01-01\n", encoding="utf-8")
    result = import_epoch(path, resolver_mini, snapshot="2025-11-03")
    reasons = {(row, column): why for row, column, _cell, why in result.unparsed}
    assert reasons == {("Example Model", "Parameters"): "not a number",
                       ("Example Model", "Training compute (FLOP)"): "not a number",
                       ("Example Model", "Training time (hours)"): "negative",
                       ("Example Model", "Publication date"): "not a YYYY-MM-DD date",
                       ("Other Model", "Parameters"): "too large",
                       ("Other Model", "Training time (hours)"): "zero, read as unknown"}
    amounts = [t.object.value for t in result.triples if t.predicate.value.endswith("#amount")]
    assert amounts == ["3.4e+24"]  # the one readable figure; nothing became 0
    assert "6 cell(s) left out" in result.summary()
    assert "columns not in the file" in result.summary()


@pytest.fixture(scope="module")
def resolver_mini():
    from kg.graph import EvidenceGraph
    from kg.ingest.resolve import Resolver

    return Resolver.from_store(EvidenceGraph([MINI]).store)
