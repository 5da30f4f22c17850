"""The analyst's day on the shipped graph: names everywhere, a filtered and readable table with
units in its headers, one model's card (`kg show`) and one cell explained (`kg explain`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED
from kg.cli.main import main

KG = "https://w3id.org/kg-compute/ontology#"
KGE = "https://w3id.org/kg-compute/entity/"
KGP = "https://w3id.org/kg-compute/prop/"


# ---------------------------------------------------------------- names


def test_subject_takes_a_name_and_an_unknown_one_lists_the_nearest(runner):
    bad = runner.invoke(main, ["reconcile", "--subject", "deepseek-v9"])
    assert bad.exit_code == 2
    assert "no entity is named 'deepseek-v9'" in bad.output and "DeepSeek-V4" in bad.output
    assert "internal error" not in bad.output
    good = runner.invoke(main, ["reconcile", "--subject", "DeepSeek V4", "--format", "json"])
    assert good.exit_code == 0
    subjects = {g["subject"] for g in json.loads(good.output)["groups"]}
    assert subjects <= {KGE + "deepseek-v4"}


def test_bind_takes_a_name_for_an_entity_parameter(runner):
    by_name = runner.invoke(main, ["query", "claims-about", "--bind", "subject=deepseek-v3",
                                   "--format", "csv"])
    by_iri = runner.invoke(main, ["query", "claims-about", "--bind", "subject=kge:deepseek-v3",
                                  "--format", "csv"])
    assert by_name.exit_code == 0 and by_name.stderr == ""
    assert len(by_name.stdout.splitlines()) > 40
    assert by_name.stdout == by_iri.stdout


def test_library_query_bindings_take_names(shipped):
    df = shipped.query("claims-about", {"subject": "DeepSeek V3"})
    assert set(df.subject) == {KGE + "deepseek-v3"}
    assert shipped.resolve("llama 3.1 405b") == KGE + "llama-3-1-405b"
    assert shipped.resolve("US") == KGE + "united-states"


# ---------------------------------------------------------------- the table: filters


def test_table_filters_as_keyword_arguments(shipped):
    china = shipped.table(country="China", since="2025",
                          columns=["params", "Active params", "released"])
    assert len(china) > 3
    assert set(china.country) == {"China"}
    assert (china.release_date.isna() | (china.release_date.astype(str) >= "2025")).all()
    assert "total_params" in china and "active_params" in china and "mmlu" not in china
    one = shipped.table(model="DeepSeek V3")
    assert list(one.model) == ["DeepSeek-V3"]
    lab = shipped.table(lab="Meta")
    assert set(lab.lab) == {"Meta"}
    latest = shipped.table(limit=3)
    assert len(latest) == 3
    dates = sorted(shipped.table().release_date.dropna().astype(str), reverse=True)[:3]
    assert sorted(latest.release_date.astype(str), reverse=True) == dates
    until = shipped.table(until="2023-03")
    assert (until.release_date.astype(str) <= "2023-03-31").all() and len(until) >= 3


def test_kg_table_function_splits_filters_from_graph_options():
    import kg

    df = kg.table(model=["DeepSeek-V3", "kge:deepseek-r1"], columns="params,tokens")
    assert sorted(df.model) == ["DeepSeek-R1", "DeepSeek-V3"]


def test_table_filters_on_the_command_line(runner):
    out = runner.invoke(main, ["table", "--lab", "deepseek", "--columns", "params,active",
                               "--format", "csv"])
    assert out.exit_code == 0, out.output
    header = out.stdout.splitlines()[0]
    assert "total_params" in header and "mmlu" not in header
    assert {line.split(",")[2] for line in out.stdout.splitlines()[1:]} == {"DeepSeek"}
    people = runner.invoke(main, ["table", "--country", "US", "--since", "2024-06"])
    assert people.exit_code == 0 and people.stderr == ""
    assert "United States: scale and compute" in people.stdout and "China" not in people.stdout
    assert "GPT-3 " not in people.stdout  # 2020
    bad = runner.invoke(main, ["table", "--columns", "params,speed"])
    assert bad.exit_code == 2 and "no table column named 'speed'" in bad.output
    assert "total_params" in bad.output
    date = runner.invoke(main, ["table", "--since", "last year"])
    assert date.exit_code == 2 and "YYYY" in date.output
    nobody = runner.invoke(main, ["table", "--model", "GPT-9"])
    assert nobody.exit_code == 2 and "nearest names" in nobody.output


# ---------------------------------------------------------------- the table: units and numbers


def test_units_are_in_the_headers_and_each_column_has_one_unit(shipped):
    table = shipped.capability_table()
    from kg.report.columns import COLUMNS

    headers = dict(COLUMNS)
    assert headers["final_run_cost"].endswith("(US$)") and headers["mmlu"] == "MMLU (%)"
    assert headers["price_in"].endswith("(US$/M tokens)")
    for row in table.rows:
        for key in ("mmlu", "gpqa_diamond", "swe_bench_verified"):
            cell = row.cells.get(key)
            if cell:  # one scale per score column: a fraction of one, shown as percent
                assert 0 <= cell.value <= 1, (row.label, key, cell.value)
                assert "%" not in cell.text
        cost = row.cells.get("final_run_cost")
        if cost and cost.unit.endswith("USD-2023"):  # Epoch's constant dollars say so
            assert cost.text.endswith("(2023 US$)"), cost.text
        elif cost:
            assert "$" not in cost.text


def test_numbers_are_written_for_people():
    from kg.core.display import format_value, readable_stated
    from kg.core.quantity import parse
    from kg.report.columns import format_cell, human_number

    assert human_number(2048.0) == "2,048" and human_number(3129.4) == "3,129"
    assert human_number(2.788e6) == "2.788M" and human_number(671e9) == "671B"
    assert format_cell("training_flop", 3.4e24, KG) == "3.4e24"
    assert format_cell("mmlu", 0.885, "http://qudt.org/vocab/unit/UNITLESS") == "88.5"
    assert readable_stated("148000000000000.0", "https://w3id.org/kg-compute/unit/FLOP-PER-SEC") \
        == "148T FLOP/s"
    assert readable_stated("3.63631e+2") == "363.6"
    assert readable_stated("~$5.6M") == "~$5.6M" and readable_stated("88.5") == "88.5"
    gpus = parse("2,048", "http://qudt.org/vocab/unit/NUM")
    assert format_value(gpus) == "2,048"  # not 2.048K
    flop = parse("3.4e24 FLOP", "https://w3id.org/kg-compute/unit/FLOP")
    assert format_value(flop) == "3.4e24 FLOP"  # not 3.4e+24
    points = parse("88.5", "http://qudt.org/vocab/unit/UNITLESS")
    assert format_value(points, "http://qudt.org/vocab/unit/PERCENT") == "88.5"  # not 8,850%


def test_people_table_has_no_machine_numbers_and_uses_the_width_given(runner):
    narrow = runner.invoke(main, ["table", "--width", "100"]).stdout
    wide = runner.invoke(main, ["table", "--width", "180"]).stdout
    assert not re.search(r"\de\+\d|(?<![\d.])\d\.\d{3}K\b", narrow)  # no 3.4e+24, no 2.048K
    assert max(map(len, narrow.splitlines())) <= 100
    assert 100 < max(map(len, wide.splitlines())) <= 180
    assert len(wide.splitlines()) < len(narrow.splitlines())
    # a date or a figure is never split across lines
    assert "2024-12-26" in narrow and "2.788M" in narrow


def test_full_terminal_width_and_a_pager_only_on_a_terminal(monkeypatch):
    import os
    import shutil

    import click

    from kg.cli import options

    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    assert options.terminal_width() is None  # piped: a fixed 100 columns
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(shutil, "get_terminal_size",
                        lambda fallback=None: os.terminal_size((213, 40)))
    assert options.terminal_width() == 213
    paged: list[str] = []
    monkeypatch.setattr(click, "echo_via_pager", lambda text: paged.append(text))
    options.echo_long("short\n")
    assert paged == []
    options.echo_long("line\n" * 100)
    assert len(paged) == 1


def test_piped_output_is_never_paged_and_stderr_stays_empty():
    result = subprocess.run([sys.executable, "-m", "kg", "table", "--country", "China"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300,
                            env={"PAGER": "false", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "China: scale and compute" in result.stdout


# ---------------------------------------------------------------- variants and closed models


def test_score_columns_name_the_variant_they_show(shipped):
    table = shipped.capability_table()
    v3 = next(r for r in table.rows if r.model == KGE + "deepseek-v3")
    assert v3.cells["mmlu"].variant == "chat" and v3.cells["mmlu"].text == "88.5 chat"
    assert v3.cells["mmlu"].benchmark == KGE + "mmlu-chat"
    plain = next(r for r in table.rows if r.model == KGE + "qwen2-5-72b")
    assert plain.cells["mmlu"].variant is None and plain.cells["mmlu"].text == "86.1"
    k2 = next(r for r in table.rows if r.model == KGE + "kimi-k2")
    assert k2.cells["gpqa_diamond"].variant is None  # the plain node wins over the base variant
    assert any(n.startswith("MMLU (%):") and "“chat” = MMLU (chat or instruct model)" in n
               for n in table.remarks)
    frame = shipped.table()
    assert frame.set_index("model").loc["DeepSeek-V3", "mmlu_variant"] == KGE + "mmlu-chat"


def test_closed_models_are_named_in_the_notes(shipped):
    table = shipped.capability_table()
    note = next(n for n in table.remarks if "closed models" in n)
    for name in ("GPT-4", "o1", "Claude 3.5 Sonnet"):
        assert re.search(rf"(^|, ){re.escape(name)}(,|:)", note), name
    assert "DeepSeek-V3" not in note and "Llama 3.1 405B" not in note


# ---------------------------------------------------------------- kg show, kg explain


def test_show_is_one_models_card(runner, shipped):
    out = runner.invoke(main, ["show", "DeepSeek V3", "--width", "400"])
    assert out.exit_code == 0, out.output
    text = out.stdout
    assert text.startswith(" " * 5) and "DeepSeek-V3 (kge:deepseek-v3)" in text
    for expected in ("total parameters", "671B", "agree (scope, explained)",
                     "DeepSeek-V3 README (primary report", "API price: input tokens, cache miss"):
        assert expected in text, expected
    assert re.search(r"release date\s+2024-12-26\s+[\d.]+\s+conflict \(\w+\); lost: 2024-12-24", text)
    card = json.loads(runner.invoke(main, ["show", "kge:deepseek-v3", "--format", "json"]).stdout)
    assert card["model"] == KGE + "deepseek-v3"
    params = next(s for s in card["statements"] if s["property"] == KGP + "totalParameters")
    assert params["value"] == "671B" and params["kind"] == "scope"  # 685B: explained by basis
    assert "685B" in params["explanation"]
    released = next(s for s in card["statements"] if s["property"] == KGP + "releaseDate")
    assert released["status"] == "conflict" and any("2024-12-24" in x for x in released["lost"])
    df = shipped.show("deepseek-v3")
    assert {"statement", "value", "confidence", "status", "sources", "lost"} <= set(df.columns)
    assert len(df) == len(card["statements"])
    unknown = runner.invoke(main, ["show", "DeepSeek V9"])
    assert unknown.exit_code == 2 and "nearest names" in unknown.output


def test_explain_is_one_cell_with_winners_losers_evidence_factors_and_run(runner, shipped):
    out = runner.invoke(main, ["explain", "deepseek-v4", "params", "--width", "400"])
    assert out.exit_code == 0, out.output
    text = out.stdout
    assert "DeepSeek-V4 / total parameters" in text and re.search(r"conflict \(\w+\)", text)
    assert "✔ 1.6T (the value of DeepSeek-V4-Pro)" in text and "✘ 1T" in text
    assert "why it lost:" in text and "quality" in text and "reliability" in text
    assert "“approximately 1 trillion total parameters”" in text  # the evidence phrase
    assert "line 31" in text and "corpus 004" in text  # locator and source
    assert re.search(r"reconciliation run kgr:run-[0-9a-f]{12}", text)
    data = json.loads(runner.invoke(main, ["explain", "DeepSeek-V4", "total parameters",
                                           "--format", "json"]).stdout)
    statement = data["statements"][0]
    winner, loser = statement["candidates"][:2]
    assert winner["role"] == "preferred" and loser["role"] == "lost"
    assert {"quality", "reliability", "hedge", "timing", "independent_origins"} <= set(
        winner["factors"])
    assert all(c["locator"] or c["line"] for c in loser["claims"])
    assert data["run"].startswith("https://w3id.org/kg-compute/run/run-")
    lib = shipped.explain("DeepSeek V3", "MMLU")
    assert lib["statements"][0]["qualifiers"] == {"benchmark": KGE + "mmlu-chat"}
    from kg.report.card import explanation_frame

    frame = explanation_frame(shipped.explain("DeepSeek V3", "price in"))
    assert {"value", "role", "factor_quality", "evidence", "locator", "run"} <= set(frame.columns)
    missing = runner.invoke(main, ["explain", "o1", "mmlu"])
    assert missing.exit_code == 2 and "no MMLU (%) cell" in missing.output


# ---------------------------------------------------------------- after an Epoch import


EPOCH = SHARED / "data" / "epoch" / "notable_ai_models.csv"


@pytest.fixture(scope="module")
def epoch_ttl(tmp_path_factory):
    if not EPOCH.is_file():
        pytest.skip(f"Epoch's table is not at {EPOCH}: the import scenario needs it")
    out = tmp_path_factory.mktemp("epoch") / "epoch.ttl"
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["import", "epoch", str(EPOCH), "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_default_view_stays_readable_after_an_epoch_import(epoch_ttl):
    from click.testing import CliRunner

    runner = CliRunner()
    graph = ["--graph", str(ROOT / "graph"), "--graph", str(epoch_ttl)]
    people = runner.invoke(main, ["table", *graph])
    assert people.exit_code == 0, people.output
    assert people.stderr == ""
    lines = people.stdout.splitlines()
    assert len(lines) < 800  # the whole import was 4,310 lines in 30+ country tables
    titles = [line.strip() for line in lines if line.strip().endswith("scale and compute")]
    # China and the US, then every other country (or none known) in one group, not 30 tables
    assert titles[:2] == ["China: scale and compute", "United States: scale and compute"]
    assert len(titles) == 3
    left = re.search(r"(\d+) models known only from an imported database", people.stdout)
    assert left and int(left.group(1)) > 500 and "kg table --all" in people.stdout
    assert "DeepSeek-V3" in people.stdout and "GPT-4 (OpenAI)" in people.stdout  # curated rows stay
    everything = runner.invoke(main, ["table", *graph, "--format", "csv"])
    rows = len(everything.stdout.splitlines()) - 1
    assert rows > 900  # machines get every model
    shown = runner.invoke(main, ["table", *graph, "--all", "--format", "md"])
    assert shown.stdout.count("\n| ") > 900 and "left out" not in shown.stdout
    narrow = runner.invoke(main, ["table", *graph, "--lab", "Google DeepMind", "--since", "2023",
                                  "--columns", "params,flop"])
    assert narrow.exit_code == 0, narrow.output
    assert "Gemini" in narrow.stdout


def test_people_tables_fit_the_width_and_never_split_a_figure():
    from kg.core.tabular import people_table

    records = [[f"kgs:epoch-notable-ai-models-2025-11-0{i}", "000_f3133e398142904d.txt",
                "kg:CuratedDatabase", "2025-11-03", 113 + i, "2.788M H800 [4,7-8,11-12]"]
               for i in range(3)]
    columns = ["document", "file", "kind", "date", "claims", "GPU-hours"]
    for width in (80, 100, 160):
        text = people_table(columns, records, title="t", width=width)
        assert max(map(len, text.splitlines())) <= width, width
        assert "── 1 " not in text  # a table, not one block per row
        for figure in ("2025-11-03", "2.788M", "H800", "113", "115"):
            assert re.search(rf"(^|\s){re.escape(figure)}(\s|$)", text, re.M), (width, figure)
    assert "── 1 " in people_table(columns * 3, [r * 3 for r in records], width=80)  # too wide


def test_the_labs_api_pages_are_primary_sources_of_prices_and_dates(shipped):
    """DeepSeek's own API docs (release notes, change log, pricing page; graph/primary, read from
    a crawl that holds each page whole) fill price cells no card states, and date V3.2."""
    import rdflib

    table = shipped.capability_table()
    rows = {r.model: r for r in table.rows}
    notes = {f.key: f.text for f in table.footnotes}

    def cell(model: str, column: str):
        c = rows[KGE + model].cells[column]
        return c.text, [notes[k] for k in c.sources]

    text, sources = cell("deepseek-r1", "price_in")
    assert text == "0.55" and any("DeepSeek-R1 Release" in s and "primary report" in s for s in sources)
    assert cell("deepseek-r1", "price_out")[0] == "2.19"
    text, sources = cell("deepseek-v3", "price_out")
    assert text == "1.1" and any("Introducing DeepSeek-V3" in s for s in sources)
    assert len(sources) > 1  # the newsletter's figure agrees with the lab's
    text, sources = cell("deepseek-v3-2", "release_date")
    assert text == "2025-12-01" and any("change log" in s for s in sources)
    assert cell("deepseek-v3-2", "price_in")[0] == "0.28"
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    for stem in ("deepseek-api-news-v3", "deepseek-api-news-r1", "deepseek-api-change-log",
                 "deepseek-api-pricing-v3-2"):
        g = rdflib.Graph().parse(ROOT / "graph" / "primary" / f"{stem}.ttl")
        doc = next(g.subjects(rdflib.RDF.type, rdflib.URIRef(KG + "Document")))
        assert str(g.value(doc, dct.source)).startswith("https://api-docs.deepseek.com/"), stem
        assert str(g.value(doc, dct.identifier)).startswith("github:petehsu/LLM-Docs@628d6fd"), stem
