"""`kg validate` and `EvidenceGraph.validate()`: verdict, exit code and a report an analyst can act on.

Exit codes follow pySHACL: 0 conforms, 1 violations, 2 could not run. Input errors (bad Turtle,
an undeclared prefix, a missing file) must be one line naming the file (and line), never a
traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import EvidenceGraph
from kg.cli.main import main
from kg.core.errors import InputError
from kg.core.resources import ONTOLOGY
from kg.validate.findings import SHAPES_NS

DATA = Path(__file__).resolve().parent / "data"
SHAPES = DATA / "shapes"
LOAD = DATA / "load"
ONTOLOGY_FILES = len(list(ONTOLOGY.rglob("*.ttl")))


def test_shipped_graph_conforms_through_the_cli(runner):
    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conforms"] is True and report["violations"] == 0
    assert report["triples"] > 5000
    assert report["files"] > ONTOLOGY_FILES


def test_shipped_graph_conforms_through_the_library(shipped):
    report = shipped.validate()
    assert report.conforms, [f for f in report.violations][:5]
    # every warning names the file its node came from, so a curator knows where to look
    assert all(f.file and "graph" in f.file for f in report.warnings)


def test_violations_exit_1_and_the_text_names_shape_label_path_message_and_file(runner):
    fixture = SHAPES / "claim-source.fail-missing.ttl"
    result = runner.invoke(main, ["validate", "--graph", str(fixture)])
    assert result.exit_code == 1, result.output
    text = result.stdout
    assert "does NOT conform: 1 violation(s)" in text
    assert "VIOLATION kgsh:claim-source (1)" in text
    assert '"Model A / training GPU-hours / 2.788M"' in text  # the claim's label
    assert "kgc:claim-a" in text and "prov:wasDerivedFrom" in text  # focus and path, shortened
    assert "kgs:no-such-document" in text  # the offending value
    assert "must be defined as a kg:Document" in text  # the shape's message
    assert "claim-source.fail-missing.ttl" in text  # the file to fix
    assert "https://" not in text


def test_value_misfit_says_which_unit_and_which_dimension(runner):
    result = runner.invoke(main, ["validate", "--graph", str(SHAPES / "ClaimValueFitsProperty.fail.ttl")])
    assert result.exit_code == 1
    assert "unit unit:CCY_USD for kgp:trainingGpuHours (kg:ComputeTime)" in result.stdout


def test_warnings_alone_exit_0(runner):
    result = runner.invoke(main, ["validate", "--graph", str(SHAPES / "claim-hedge.fail.ttl")])
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violation(s), 1 warning(s)" in result.stdout
    assert "WARNING kgsh:claim-hedge (1)" in result.stdout


def test_json_format_is_valid_json_with_the_findings(runner):
    result = runner.invoke(main, ["validate", "--format", "json", "--graph",
                                  str(SHAPES / "claim-bounds-order.fail.ttl")])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["violations"] == 1 and report["warnings"] == 0
    assert report["files"] == ONTOLOGY_FILES + 1
    (finding,) = report["findings"]
    assert finding["shape"] == SHAPES_NS + "claim-bounds-order"
    assert finding["severity"] == "Violation"
    assert finding["focus"] == "https://w3id.org/kg-compute/claim/claim-a"
    assert finding["path"] == "kg:lowerBound"
    assert finding["file"].endswith("claim-bounds-order.fail.ttl")
    assert "backwards" in finding["message"]


def test_unreadable_value_is_a_violation_naming_the_claim(runner):
    result = runner.invoke(main, ["validate", "--format", "json", "--graph", str(LOAD / "good"),
                                  "--graph", str(LOAD / "unreadable-value.ttl")])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    (finding,) = [f for f in report["findings"] if f["shape"] == SHAPES_NS + "stated-value-readable"]
    assert finding["focus"].endswith("claim/load-unreadable")
    assert finding["value"] == "a great many"
    assert finding["file"].endswith("unreadable-value.ttl")


@pytest.mark.parametrize(("name", "line", "says"), [
    ("bad-syntax.ttl", 9, "bad Turtle"),
    ("undeclared-prefix.ttl", 7, "kgx"),
])
def test_bad_turtle_is_one_line_with_file_and_line_and_exit_2(runner, name, line, says):
    path = LOAD / name
    result = runner.invoke(main, ["validate", "--graph", str(LOAD / "good"), "--graph", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"kg: {path}:{line}:"), first
    assert says in first


def test_missing_file_is_one_line_and_exit_2(runner, tmp_path):
    missing = tmp_path / "nowhere.ttl"
    result = runner.invoke(main, ["validate", "--graph", str(missing)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first == f"kg: {missing}: no such file or folder"


def test_graph_is_repeatable_and_takes_folders(runner, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "a.ttl").write_text((SHAPES / "claim-source.pass.ttl").read_text())
    (folder / "sub").mkdir()
    (folder / "sub" / "b.ttl").write_text((SHAPES / "chip-vendor.pass.ttl").read_text())
    result = runner.invoke(main, ["validate", "--format", "json", "--graph", str(folder),
                                  "--graph", str(SHAPES / "policy-issuer.fail.ttl")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["files"] == ONTOLOGY_FILES + 3
    assert [f["shape"] for f in report["findings"]] == [SHAPES_NS + "policy-issuer"]


def test_library_reports_the_same_as_the_cli():
    eg = EvidenceGraph(graph=[SHAPES / "document-references.fail.ttl"])
    report = eg.validate()
    assert not report.conforms
    assert [f.shape for f in report.violations] == [SHAPES_NS + "document-references"]
    assert report.to_dict()["violations"] == 1
    assert list(report.by_shape()) == [SHAPES_NS + "document-references"]


def test_library_input_error_names_the_file():
    with pytest.raises(InputError) as info:
        EvidenceGraph(graph=[LOAD / "undeclared-prefix.ttl"])
    assert "undeclared-prefix.ttl:7:" in str(info.value)
    assert info.value.exit_code == 2


def test_unit_slips_read_a_batch_of_subjects_at_a_time_find_the_same(tmp_path, monkeypatch):
    """A large graph's numeric claims are read a few subjects at a time (memory: issue 19); a
    statement never spans subjects, so the warnings are those of one read of everything."""
    from kg import EvidenceGraph
    from kg.synth.generator import generate
    from kg.validate import domain

    generate(3000, tmp_path, seed=11)
    store = EvidenceGraph(graph=[tmp_path]).store
    whole = domain.unit_slips(store, {}, None)
    assert len(domain._subject_batches(store, domain.SLIP_BATCH_CLAIMS)) == 1
    monkeypatch.setattr(domain, "SLIP_BATCH_CLAIMS", 400)
    assert len(domain._subject_batches(store, 400)) > 5
    batched = domain.unit_slips(store, {}, None)
    assert whole and sorted(batched, key=lambda f: f.focus) == sorted(whole, key=lambda f: f.focus)
