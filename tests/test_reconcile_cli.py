"""`kg reconcile` through the CLI: the JSON contract, --all, --output RDF, --fail-on, errors, and
determinism (two runs and either file order give identical JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.cli.main import main

DATA = Path(__file__).resolve().parent / "data" / "reconcile"
KINDS = {"value", "scope", "temporal", "identity", "arithmetic", None}


def _run(runner, *args: str, files=("value", "scope")):
    graphs = [a for f in files for a in ("--graph", str(DATA / f"{f}.ttl"))]
    return runner.invoke(main, ["reconcile", *graphs, *args])


def _json(runner, *args, files=("value", "scope")) -> dict:
    res = _run(runner, "--format", "json", *args, files=files)
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_json_contract(runner):
    out = _json(runner, files=("value", "scope", "temporal", "identity", "arithmetic"))
    assert set(out) >= {"groups"} and out["groups"]
    for g in out["groups"]:
        assert {"subject", "subject_label", "property", "property_label", "qualifiers", "status",
                "kind", "confidence", "explanation", "preferred", "candidates"} <= set(g)
        assert g["status"] in ("agree", "conflict") and g["kind"] in KINDS
        assert isinstance(g["qualifiers"], dict) and 0.0 <= g["confidence"] <= 1.0
        assert g["subject"].startswith("https://") and g["subject_label"]
        for c in g["candidates"]:
            assert {"value", "unit", "low", "high", "score", "factors", "claims", "sources"} <= set(c)
            assert isinstance(c["value"], (int, float, str)) and isinstance(c["factors"], dict)
            assert all(i.startswith("https://") for i in c["claims"] + c["sources"])
        if g["candidates"] and g["kind"] != "scope":
            assert g["preferred"] == g["candidates"][0]
    alpha = next(g for g in out["groups"] if g["subject"].endswith("fx-alpha"))
    assert alpha["preferred"]["value"] == 1.6e12 and alpha["preferred"]["unit"].endswith("NUM")
    assert alpha["kind"] == "value" and alpha["status"] == "conflict"
    price = next(g for g in out["groups"] if g["subject"].endswith("fx-theta"))
    assert price["qualifiers"]["scope"] == ["https://w3id.org/kg-compute/ontology#InputPrice"]


def test_all_adds_agreeing_groups_and_single_claims(runner):
    some = _json(runner)["groups"]
    every = _json(runner, "--all")["groups"]
    assert len(every) > len(some)
    singles = [g for g in every if len(g["candidates"]) == 1 and g["status"] == "agree"]
    assert singles and all(g in every for g in some)


def test_output_turtle_has_ranks_and_activity(runner, tmp_path):
    import rdflib

    out = tmp_path / "rec.ttl"
    res = _run(runner, "--output", str(out))
    assert res.exit_code == 0, res.output
    g = rdflib.Graph().parse(out, format="turtle")
    wb = rdflib.Namespace("http://wikiba.se/ontology#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    kg = rdflib.Namespace("https://w3id.org/kg-compute/ontology#")
    ranks = {str(o).rsplit("#", 1)[-1] for o in g.objects(None, wb.rank)}
    assert {"PreferredRank", "DeprecatedRank"} <= ranks
    assert list(g.subjects(rdflib.RDF.type, prov.Activity))
    assert list(g.subjects(rdflib.RDF.type, kg.ClaimGroup))
    deprecated = {str(s).rsplit("/", 1)[-1] for s in g.subjects(wb.rank, wb.DeprecatedRank)}
    assert "fx-alpha-params-synth" in deprecated


def test_fail_on_conflict_exits_1_and_plain_run_exits_0(runner):
    assert _run(runner).exit_code == 0
    res = _run(runner, "--fail-on", "conflict")
    assert res.exit_code == 1 and "conflict" in res.output
    agree = _run(runner, "--fail-on", "conflict", files=("rounding",))
    assert agree.exit_code == 0, agree.output


def test_errors_exit_2_without_traceback(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .\n")
    res = runner.invoke(main, ["reconcile", "--graph", str(bad)])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_two_runs_and_file_order_give_identical_json(runner):
    files = ("value", "scope", "temporal", "identity", "arithmetic", "independence")
    first = _run(runner, "--format", "json", "--all", files=files).output
    again = _run(runner, "--format", "json", "--all", files=files).output
    reverse = _run(runner, "--format", "json", "--all", files=tuple(reversed(files))).output
    assert first == again == reverse


def test_text_report_names_documents_and_puts_worst_first(runner):
    res = _run(runner, files=("value", "scope", "identity"))
    assert res.exit_code == 0
    text = res.output
    assert "kgs:" not in text and "Alpha technical report" in text
    assert "(900)" in text  # a corpus document is named with its file number
    first = text.split("Conflicts, worst first", 1)[1].strip().splitlines()[1]
    assert first.startswith("* ")
    heads = [line for line in text.splitlines() if line.startswith("* ")]
    assert any("Zeta" in h for h in heads)
    for line in text.splitlines():  # one-line explanations: no group runs over two lines
        assert "\n" not in line


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_text_formats_run(runner, fmt):
    res = _run(runner, "--format", fmt, "--all")
    assert res.exit_code == 0 and "Reconciliation:" in res.output


def test_priors_file_replaces_the_shipped_priors(runner, tmp_path):
    """Issue 18: `--priors` always failed ("expected one of CREATE, DELETE, INSERT": a PREFIX after
    ';' in the update). With priors that trust AI syntheses over newsletters, Beta's 32B wins."""
    from conftest import ROOT

    shipped = (ROOT / "ontology" / "priors.ttl").read_text(encoding="utf-8")
    same = runner.invoke(main, ["reconcile", "--graph", str(DATA / "value.ttl"), "--format", "json",
                                "--priors", str(ROOT / "ontology" / "priors.ttl")])
    assert same.exit_code == 0, same.output
    flipped = tmp_path / "my-priors.ttl"
    flipped.write_text(shipped.replace("kg:Newsletter      kg:prior 0.55", "kg:Newsletter kg:prior 0.05")
                       .replace("kg:AISynthesis     kg:prior 0.35", "kg:AISynthesis kg:prior 0.99"),
                       encoding="utf-8")
    assert flipped.read_text() != shipped

    def beta(*extra: str) -> float:
        res = runner.invoke(main, ["reconcile", "--graph", str(DATA / "value.ttl"), "--format", "json",
                                   "--subject", "kge:fx-beta", *extra])
        assert res.exit_code == 0, res.output
        groups = json.loads(res.output)["groups"]
        assert {g["subject"].rsplit("/", 1)[-1] for g in groups} == {"fx-beta"}  # --subject
        return groups[0]["preferred"]["value"]

    assert beta() == 49e9
    assert beta("--priors", str(flipped)) == 32e9
    missing = runner.invoke(main, ["reconcile", "--priors", str(tmp_path / "none.ttl")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


# ---------------------------------------------------------------- streamed JSON (issue 19)

ALL_FILES = ("value", "scope", "temporal", "identity", "arithmetic", "independence")


@pytest.mark.parametrize("everything", [True, False])
def test_streamed_json_is_the_document_built_whole(runner, everything):
    """`kg reconcile --format json` writes group by group as each is made; the bytes are those of
    the whole document built first, as json.dumps writes it (order, indent, floats, newline)."""
    from kg import EvidenceGraph
    from kg.report.reconciliation import json_document, to_json

    args = ["--format", "json"] + (["--all"] if everything else [])
    streamed = _run(runner, *args, files=ALL_FILES)
    assert streamed.exit_code == 0, streamed.output
    rec = EvidenceGraph([DATA / f"{f}.ttl" for f in ALL_FILES]).reconcile()
    whole = json_document(rec, everything=everything)
    whole["groups"] = list(whole["groups"].items)
    assert len(whole["groups"]) > 5
    assert streamed.output == json.dumps(whole, indent=2, ensure_ascii=False) + "\n"
    assert streamed.output == to_json(rec, everything=everything)


def test_streamed_json_goes_out_in_pieces_as_groups_are_made(runner, monkeypatch):
    """The groups are encoded one at a time and written as they come, not gathered first."""
    import click

    import kg.core.tabular as tabular

    writes: list[str] = []
    monkeypatch.setattr(tabular, "_FLUSH_PARTS", 50)  # a small fixture: flush after a few groups
    real_echo = click.echo

    def echo(message=None, *args, **kwargs):
        writes.append(message)
        return real_echo(message, *args, **kwargs)

    monkeypatch.setattr(click, "echo", echo)
    res = _run(runner, "--format", "json", "--all", files=ALL_FILES)
    assert res.exit_code == 0
    assert len(writes) > 3 and "".join(writes) == res.output


def test_a_reader_that_leaves_ends_the_command_quietly(tmp_path):
    """`kg reconcile --format json | head`: the closed pipe stops the writing, with no message
    and kg's usual exit code for it (0), as before the output streamed."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "reconcile", "--all", "--format",
                             "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100).startswith(b"{\n  \"version\"")
    proc.stdout.close()  # the reader leaves with more than a pipe's buffer still to come
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and err == b""
