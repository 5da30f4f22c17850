"""The reconciled capability-vs-compute table on the shipped graph, for people and machines."""

from __future__ import annotations

import json
import re

import pytest

from kg.cli.main import main

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
    for figure in ("671B", "2.788M", "14.8T", "1.6T", "5.576M", "2024-12-26"):
        assert figure in body, f"{figure} is cut or missing in the terminal table"
    assert "Run cost" in body and "(US$)" in body and "MMLU (%)" in body  # units in the headers
    assert re.search(r"China: scale and compute", body)
    assert "Sources" in body and "Conflicts" in body


# The capability-table query is written for the planner (kg/queries/capability-table.rq says
# why); this is the plain statement of what it must answer, row for row, kept to check that.
_PLAIN_CAPABILITY_TABLE = """
PREFIX kg: <https://w3id.org/kg-compute/ontology#>
PREFIX kgp: <https://w3id.org/kg-compute/prop/>
PREFIX kge: <https://w3id.org/kg-compute/entity/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kgr: <https://w3id.org/kg-compute/run/>
SELECT ?model ?modelLabel ?lab ?labLabel ?country ?countryLabel ?column ?group
       ?amount ?low ?high ?unit ?stated ?date ?entity ?entityLabel ?confidence ?status ?kind ?chip ?chipLabel
       ?benchmark ?benchmarkLabel ?rank ?variant ?importedFrom
WHERE {
  {
    VALUES (?column ?property ?scope) {
      ("release_date" kgp:releaseDate UNDEF) ("total_params" kgp:totalParameters UNDEF)
      ("active_params" kgp:activeParameters UNDEF) ("training_tokens" kgp:trainingTokens UNDEF)
      ("gpu_hours" kgp:trainingGpuHours UNDEF) ("training_flop" kgp:trainingCompute UNDEF)
      ("final_run_cost" kgp:trainingCost kg:FinalRunCompute)
      ("price_in" kgp:apiPrice kg:InputPrice) ("price_in" kgp:apiPrice kg:InputCacheMiss)
      ("price_out" kgp:apiPrice kg:OutputPrice)
    }
  } UNION {
    ?benchmark kg:tableColumn ?column ; kg:columnRank ?rank .
    BIND(kgp:benchmarkScore AS ?property)
    OPTIONAL { ?benchmark kg:variantTag ?variant }
    OPTIONAL { ?benchmark skos:prefLabel ?benchmarkLabel }
  }
  ?model a kg:Model ; skos:prefLabel ?modelLabel .
  GRAPH kgr:control { kgr:control kg:currentRun ?run }  # the current run
  GRAPH ?run {
    ?group a kg:ClaimGroup ; kg:subject ?model ; kg:property ?property ; kg:status ?status ;
           kg:confidence ?confidence .
    OPTIONAL { ?group kg:conflictKind ?kind } OPTIONAL { ?group kg:preferredAmount ?amount }
    OPTIONAL { ?group kg:preferredLow ?low } OPTIONAL { ?group kg:preferredHigh ?high }
    OPTIONAL { ?group kg:unit ?unit } OPTIONAL { ?group kg:preferredStated ?stated }
    OPTIONAL { ?group kg:preferredDate ?date } OPTIONAL { ?group kg:preferredEntity ?entity }
    OPTIONAL { ?group kg:chip ?chip }
    FILTER NOT EXISTS { ?group kg:comparedTo ?baseline }
  }
  FILTER (!BOUND(?scope) || EXISTS { GRAPH ?run { ?group kg:scope ?scope } })
  FILTER (BOUND(?scope) || ?property != kgp:trainingCost)
  FILTER (BOUND(?scope) || NOT EXISTS { ?property kg:unscopedMeans ?means .
          GRAPH ?run { ?group kg:scope ?other } FILTER (?other != ?means) })
  FILTER (!BOUND(?benchmark) || EXISTS { GRAPH ?run { ?group kg:benchmark ?benchmark } })
  FILTER (BOUND(?benchmark) || NOT EXISTS { GRAPH ?run { ?group kg:benchmark ?b } })
  OPTIONAL { GRAPH ?run { ?group kg:preferredEntity ?e }
             ?e skos:prefLabel ?entityLabel }
  OPTIONAL { GRAPH ?run { ?group kg:chip ?c }
             ?c skos:prefLabel ?chipLabel }
  OPTIONAL { ?model dcterms:source ?importedFrom }
  OPTIONAL { ?model kg:developer ?lab . ?lab skos:prefLabel ?labLabel .
             OPTIONAL { ?lab kg:country ?country . ?country skos:prefLabel ?countryLabel } }
}
"""


def _bag(rows) -> list[tuple]:
    return sorted(tuple(sorted((k, str(t)) for k, t in r.items())) for r in rows)


@pytest.mark.parametrize("bindings", [None, {"model": KGE + "deepseek-v3"},
                                      {"model": KGE + "llama-3-1-405b"}])
def test_capability_table_query_answers_what_the_plain_statement_answers(table, shipped, bindings):
    from kg.store.queries import named_query

    mine = shipped.store.select(named_query("capability-table").text, bindings)
    plain = shipped.store.select(_PLAIN_CAPABILITY_TABLE, bindings)
    assert len(mine) > 0
    assert _bag(mine) == _bag(plain)  # same rows, each as often (bag, not set)


def test_table_reads_the_cells_as_a_stream_without_the_deadline_copy(shipped, monkeypatch):
    """kg's two large table queries are streamed (Store.stream), never collected by select()."""
    from kg.report.table import capability_table

    shipped.ensure_reconciled()

    def refuse(*_args, **_kwargs):
        raise AssertionError("the table should stream its rows, not select() them")

    monkeypatch.setattr(shipped.store, "select", refuse)
    assert capability_table(shipped.store).rows
