"""The reconciled capability-vs-compute table on the shipped graph, for people and machines."""

from __future__ import annotations

import json
import re

import pytest

from kg.cli import main

KGE = "https://w3id.org/kg-compute/entity/"


@pytest.fixture(scope="module")
def table(shipped):
    return shipped.capability_table()


def row(table, model):
    return next(r for r in table.rows if r.model == KGE + model)


def test_one_row_per_model_chinese_and_us_side_by_side(table):
    models = [r.model for r in table.rows]
    assert len(models) == len(set(models))
    countries = [r.country_label for r in table.rows]
    assert countries.index("China") < countries.index("United States")
    assert {"DeepSeek-V3", "DeepSeek-V4-Pro", "Llama 3.1 405B", "Qwen2.5-72B"} <= {
        r.label for r in table.rows}


def test_deepseek_v3_cells_are_the_reconciled_values(table):
    v3 = row(table, "deepseek-v3")
    assert v3.cells["total_params"].value == pytest.approx(671e9)
    assert v3.cells["active_params"].value == pytest.approx(37e9)
    assert v3.cells["gpu_hours"].value == pytest.approx(2.788e6)
    assert "H800" in v3.cells["gpu_hours"].text
    cost = v3.cells["final_run_cost"]
    assert cost.value == pytest.approx(5.6e6, rel=0.01)  # nominal dollars, not Epoch's 2023 dollars
    assert cost.sources, "every cell names the sources that support it"
    assert 0 < cost.confidence <= 1


def test_conflicting_cell_is_marked_with_the_losers(table):
    v4 = row(table, "deepseek-v4")
    cell = v4.cells["total_params"]
    assert cell.status == "conflict" and cell.value == pytest.approx(1.6e12)
    assert "‡" in cell.display
    note = table.notes[cell.note - 1]
    assert "1.6T" in note and "rillion" in note  # the losing "1 trillion" figures and why


def test_derived_compute_is_marked_and_missing_is_missing(table):
    pro = row(table, "deepseek-v4-pro")
    flop = pro.cells["training_flop"]
    assert flop.derived and flop.display.startswith("≈")
    assert flop.value == pytest.approx(6 * 49e9 * pro.cells["training_tokens"].value)
    assert "gpu_hours" not in pro.cells  # V4's compute was not disclosed: no zero, no guess


def test_every_source_key_resolves_to_a_footnote(table):
    keys = {k for r in table.rows for c in r.cells.values() for k in c.sources}
    assert keys == {f.key for f in table.footnotes}
    assert all(f.text for f in table.footnotes)


def test_dataframe_for_notebooks(shipped):
    import kg

    df = shipped.table()
    assert {"model", "lab", "country", "total_params", "total_params_confidence",
            "total_params_sources", "training_flop_derived"} <= set(df.columns)
    v3 = df[df.model == "DeepSeek-V3"].iloc[0]
    assert v3.total_params == pytest.approx(671e9)
    assert v3.total_params_sources  # IRIs of the supporting documents
    assert callable(kg.table)


def test_cli_table_formats(runner):
    csv = runner.invoke(main, ["table", "--format", "csv"])
    assert csv.exit_code == 0
    header = csv.output.splitlines()[0].split(",")
    assert header[:4] == ["model", "model_iri", "lab", "country"]
    data = json.loads(runner.invoke(main, ["table", "--format", "json"]).output)
    assert {"columns", "rows", "sources", "conflict_notes"} <= set(data)
    v3 = next(r for r in data["rows"] if r["label"] == "DeepSeek-V3")
    assert v3["cells"]["total_params"]["value"] == pytest.approx(671e9)
    md = runner.invoke(main, ["table", "--format", "md"]).output
    assert "| DeepSeek-V3 |" in md and "#### Sources" in md


def test_people_table_fits_100_columns_without_cutting_numbers(runner):
    out = runner.invoke(main, ["table", "--width", "100"]).output
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    body = "\n".join(lines)
    for figure in ("671B", "2.788M", "14.8T", "1.6T", "$5.6M"):
        assert figure in body, f"{figure} is cut or missing in the terminal table"
    assert re.search(r"China: scale and compute", body)
    assert "Sources" in body and "Conflicts" in body
