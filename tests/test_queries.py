"""The named query library: every query runs on a small fixture world and gives the known answer."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, fixture_path
from kg.cli.main import main
from kg.store.queries import list_queries, named_query

KG = "https://w3id.org/kg-compute/ontology#"
KGE = "https://w3id.org/kg-compute/entity/"
KGP = "https://w3id.org/kg-compute/prop/"
MINI = str(fixture_path("queries", "mini.ttl"))


@pytest.fixture(scope="module")
def mini():
    from kg import EvidenceGraph

    eg = EvidenceGraph(graph=[MINI])
    eg.reconcile()
    return eg


def run(eg, name, **bindings):
    return eg.query(named_query(name), bindings or None)


def test_every_query_has_a_header_saying_what_it_answers_and_its_parameters():
    for q in list_queries():
        assert q.answers, f"{q.name}.rq has no '# Answers:' header"
        assert q.parameters, f"{q.name}.rq has no '# Parameters:' header"


def test_every_named_query_is_tested_here():
    from pathlib import Path

    source = Path(__file__).read_text(encoding="utf-8")
    # the SHACL component queries are proven by tests/test_constraints.py, which runs the shapes
    # engine that uses them against pySHACL on every fixture and on the shipped graph
    root = Path(__file__).resolve().parents[1]
    engine = "".join(p.read_text(encoding="utf-8") for p in (root / "src" / "kg" / "validate").glob("*.py"))
    untested = [q.name for q in list_queries() if f'"{q.name}"' not in source
                and not (q.name.startswith(("shacl-", "validate-")) and f'"{q.name}"' in engine)]
    assert untested == []


def test_capability_table_cells(mini):
    df = run(mini, "capability-table")
    east = df[df.model == KGE + "q-east-1"].set_index("column")
    assert east.loc["total_params", "amount"] == pytest.approx(600e9)  # the report beats the blog
    assert east.loc["total_params", "status"] == KG + "Conflict"
    assert east.loc["final_run_cost", "amount"] == pytest.approx(3e6)
    assert east.loc["price_in", "amount"] == pytest.approx(0.30)
    assert east.loc["release_date", "date"] == "2025-01-10"
    assert set(df.countryLabel) == {"Qland", "Uland"}
    assert "price_out" not in set(east.index)  # missing stays missing


def test_capability_table_binding_selects_one_model(mini):
    df = run(mini, "capability-table", model=KGE + "q-west-1")
    assert set(df.model) == {KGE + "q-west-1"}
    assert set(df.column) == {"training_flop"}  # West-1 states only training compute in a table column


def test_cell_evidence_names_winner_and_loser(mini):
    df = run(mini, "cell-evidence", model=KGE + "q-east-1")
    params = df[df.stated.isin(["600B", "1T"])]
    roles = dict(zip(params.stated, params.role, strict=True))
    assert roles == {"600B": "preferred", "1T": "deprecated"}
    assert "outranked" in params[params.stated == "1T"].reason.iloc[0]
    won = params[params.stated == "600B"].iloc[0]
    assert (won.evidence, won.locator, won.url) == ("600B parameters", "p. 1",
                                                    "https://example.org/east-1/report.pdf")


def test_source_list_gives_every_document_with_its_address(mini):
    df = run(mini, "source-list").set_index("document")
    assert set(df.index) == {f"https://w3id.org/kg-compute/source/q-{d}" for d in ("report", "news", "blog")}
    report = df.loc["https://w3id.org/kg-compute/source/q-report"]
    assert report.kind == KG + "PrimaryReport" and report.title == "East-1 technical report"
    assert report.url == "https://example.org/east-1/report.pdf"
    assert report.identifier == "arXiv:2501.00001" and report.claims == 6
    assert df.loc["https://w3id.org/kg-compute/source/q-news"].claims == 6


def test_claim_reviews_rank_each_compared_claim_with_its_source(mini):
    df = run(mini, "claim-reviews", subject=KGE + "q-east-1")
    params = df[df.property == KGP + "totalParameters"].set_index("stated")
    assert params.loc["600B", "rank"].endswith("PreferredRank")
    assert params.loc["1T", "rank"].endswith("DeprecatedRank")
    assert params.loc["600B", "title"] == "East-1 technical report"
    assert params.loc["600B", "evidence"] == "600B parameters"
    assert params.loc["600B", "url"] == "https://example.org/east-1/report.pdf"
    assert params.loc["1T", "status"] == KG + "Conflict" and params.loc["1T", "explanation"]
    assert params.loc["1T", "subjectLabel"] == "East-1"
    assert set(df.claim) <= {f"https://w3id.org/kg-compute/claim/q{i}" for i in range(1, 14)}
    assert "https://w3id.org/kg-compute/claim/q4" not in set(df.claim)  # alone: not compared


def test_open_conflicts(mini):
    df = run(mini, "open-conflicts")
    assert list(df.subject) == [KGE + "q-east-1"]
    assert df.kind.iloc[0] == KG + "ValueConflict"
    assert run(mini, "open-conflicts", kind=KG + "IdentityConflict").empty


def test_claims_about_one_subject_with_ranks(mini):
    df = run(mini, "claims-about", subject=KGE + "q-east-1")
    assert len(df) == 9
    ranks = dict(zip(df.stated, df["rank"], strict=False))
    assert ranks["1T"].endswith("DeprecatedRank") and ranks["600B"].endswith("PreferredRank")


def test_sources_by_quality(mini):
    df = run(mini, "sources-by-quality")
    assert list(df.title)[0] == "East-1 technical report"
    report = df.set_index("title").loc["East-1 technical report"]
    assert report.claims == 6 and report.attributed == 1


def test_export_controls_timeline(mini):
    df = run(mini, "export-controls-timeline")
    row = df.iloc[0]
    assert (row.policyLabel, row.date, row.chipLabel, row.modelLabel, row.use) == (
        "Rule of 2023", "2023-10", "QX-800", "East-1", "trained on")


def test_model_lineage(mini):
    df = run(mini, "model-lineage", model=KGE + "q-east-1")
    assert list(zip(df.fromLabel, df.relationLabel, df.toLabel, strict=True)) == [
        ("East-1-Mini", "distilled from", "East-1")]
    assert run(mini, "model-lineage", model=KGE + "q-west-1").empty


def test_efficiency_derives_compute_and_marks_it(mini):
    df = run(mini, "efficiency").set_index("modelLabel")
    assert df.loc["East-1", "flop"] == pytest.approx(6 * 30e9 * 10e12)
    assert bool(df.loc["East-1", "derived"]) is True
    assert df.loc["West-1", "flop"] == pytest.approx(4e25)
    assert bool(df.loc["West-1", "derived"]) is False


def test_benchmark_scores(mini):
    df = run(mini, "benchmark-scores")
    assert dict(zip(df.modelLabel, df.score, strict=True)) == pytest.approx(
        {"West-1": 0.85, "East-1": 0.815})


def test_claims_per_document(mini):
    df = run(mini, "claims-per-document").set_index("document")
    assert df.loc["https://w3id.org/kg-compute/source/q-report", "claims"] == 6


def test_internal_queries(mini):
    assert run(mini, "normalise-pending").empty  # loading normalised every numeric claim
    rows = run(mini, "claim-facts")
    assert len(set(rows.claim)) == 13
    assert set(rows[rows.claim == "https://w3id.org/kg-compute/claim/q1"].value) >= {
        KGE + "q-east-1", KGP + "totalParameters", "600B"}
    documents = run(mini, "documents").set_index("document")
    assert documents.loc["https://w3id.org/kg-compute/source/q-news", "kind"] == KG + "Newsletter"
    context = run(mini, "entity-context")
    assert ((context.node == KGE + "q-east-1-mini") &
            (context.relation == KG + "distilledFrom")).any()
    priors = run(mini, "priors").set_index("node")
    assert priors.loc[KG + "PrimaryReport", "prior"] > priors.loc[KG + "AISynthesis", "prior"]
    rules = run(mini, "arithmetic-rules")
    assert KGP + "activeShare" in set(rules.target)
    assert run(mini, "check-value-fits-property").empty  # every value fits its property
    per_subject = run(mini, "claims-per-subject")
    assert per_subject.claims.sum() == 13 == run(mini, "claim-count").claims[0]
    east = per_subject[per_subject.subject == KGE + "q-east-1"].set_index("property")
    assert east.loc[KGP + "totalParameters", "claims"] == 2  # the report's 600B, the blog's 1T
    assert run(mini, "compared-subjects").empty  # no figure in the mini world is relative


def test_what_the_reconciler_reads_from_the_ontology(mini):
    """Domain knowledge as data (issue 12/13): lineage relations with their inverses, bases and
    their factors, the price index, the names entities go by."""
    lineage = run(mini, "lineage-relations").set_index("relation")
    assert lineage.loc[KG + "postTrainedFrom", "inverse"] == KG + "postTrainedInto"
    assert lineage.loc[KG + "postTrainedFrom", "inverseLabel"] == "post-trained into"
    assert lineage.loc[KG + "variantOf", "noun"] == "the parent release"
    bases = run(mini, "bases")
    sparse = bases[bases.conversion == KG + "SparseThroughput"].iloc[0]
    assert (sparse["from"], sparse["to"], sparse["factor"]) == (KG + "Dense", KG + "Sparse", 2.0)
    assert bases[bases.basis == KG + "ListPrice"].axis.iloc[0] == KG + "PriceTierAxis"
    deflators = run(mini, "deflators")
    cpi = deflators[deflators.unit == "https://w3id.org/kg-compute/unit/USD-2023"]
    assert set(cpi.baseYear.astype(str).str[:4]) == {"2023"}
    assert 2023 in {int(str(y)[:4]) for y in cpi.year} and cpi.tolerance.iloc[0] == 0.02
    names = run(mini, "entity-names")
    assert KGE + "q-east-1" in set(names.entity)
    assert names.preferred.any()


def test_neighbourhood_and_class_hierarchy(mini):
    import pyoxigraph as ox

    claim = ox.NamedNode("https://w3id.org/kg-compute/claim/q3")
    around = mini.store.construct(named_query("neighbourhood").text, {"focus": claim})
    subjects = {t.subject.value for t in around}
    assert {claim.value, KGE + "q-east-1", "https://w3id.org/kg-compute/source/q-news"} <= subjects
    assert KGE + "q-west-1" not in subjects
    hierarchy = mini.store.construct(named_query("class-hierarchy").text)
    assert any(t.subject.value == KG + "Lab" for t in hierarchy)


# ---------------------------------------------------------------- the command


def test_query_cli_formats(runner):
    args = ["query", "claims-about", "--graph", MINI, "--bind", "subject=kge:q-east-1"]
    as_json = json.loads(runner.invoke(main, args + ["--format", "json"]).output)
    assert as_json["head"]["vars"][:2] == ["subject", "claim"]  # W3C SPARQL results JSON
    assert len(as_json["results"]["bindings"]) == 9
    first = as_json["results"]["bindings"][0]
    assert first["claim"]["type"] == "uri"
    csv_out = runner.invoke(main, args + ["--format", "csv"]).output
    assert csv_out.splitlines()[0].startswith("subject,claim,propertyLabel")
    assert len(csv_out.strip().splitlines()) == 10
    tsv_out = runner.invoke(main, args + ["--format", "tsv"]).output
    assert "\t" in tsv_out.splitlines()[0]
    md = runner.invoke(main, args + ["--format", "md"]).output
    assert md.startswith("| subject | claim |")


def test_bindings_are_terms_not_text(runner):
    """A hostile binding stays one literal: it cannot change the query's shape."""
    evil = 'subject="x } ?s ?p ?o { "'
    result = runner.invoke(main, ["query", "claims-about", "--graph", MINI, "--bind", evil,
                                  "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[1:] == []
    # unquoted, it is a name for the entity parameter: no entity is called that, so it is an
    # error listing the nearest names, still never part of the query's text
    named = runner.invoke(main, ["query", "claims-about", "--graph", MINI, "--bind",
                                 'subject=x } ?s ?p ?o {'])
    assert named.exit_code == 2 and "no entity is named" in named.output


def test_query_from_stdin_and_file(runner, tmp_path):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/kg-compute/ontology#Claim> }"
    out = runner.invoke(main, ["query", "-", "--graph", MINI, "--format", "csv"], input=text)
    assert out.output.splitlines() == ["n", "13"]
    path = tmp_path / "count.rq"
    path.write_text(text)
    out = runner.invoke(main, ["query", str(path), "--graph", MINI, "--format", "csv"])
    assert out.output.splitlines() == ["n", "13"]


def test_syntax_error_reports_line_and_column(runner):
    bad = "SELECT ?x WHERE {\n  ?x ?y \n}"
    result = runner.invoke(main, ["query", "-", "--graph", MINI], input=bad)
    assert result.exit_code == 2
    assert re.search(r"line \d+|\d+:\d+", result.output), result.output
    assert "Traceback" not in result.output


def test_unknown_query_name_lists_the_known_ones(runner):
    result = runner.invoke(main, ["query", "no-such-query", "--graph", MINI])
    assert result.exit_code == 2
    assert "capability-table" in result.output


def test_service_is_refused_without_permission(runner):
    text = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    result = runner.invoke(main, ["query", "-", "--graph", MINI], input=text)
    assert result.exit_code == 2
    assert "--allow-network" in result.output


def test_wide_answers_for_people_become_records_not_cut_columns(runner):
    result = runner.invoke(main, ["query", "claims-about", "--graph", MINI,
                                  "--bind", "subject=kge:q-east-1"])
    assert result.exit_code == 0
    assert result.output.count("── ") == 9  # one block per claim
    assert "stated" in result.output and "600B" in result.output and "1T" in result.output


def test_cells_by_source_kind_names_the_documents_behind_every_table_cell(mini):
    kinds = run(mini, "cells-by-source-kind")
    cells = run(mini, "capability-table")
    cell_keys = set(zip(cells.model, cells.column, strict=True))
    assert set(zip(kinds.model, kinds.column, strict=True)) == cell_keys
    east = kinds[kinds.model == KGE + "q-east-1"].set_index("column")
    assert east.loc["total_params", "kind"] == KG + "PrimaryReport"
    assert east.loc["active_params", "kind"] == KG + "Newsletter"
    assert set(kinds.openWeights) == {"unstated"}
    only_primary = run(mini, "cells-by-source-kind", kind=KG + "PrimaryReport")
    assert set(only_primary.kind) == {KG + "PrimaryReport"} and len(only_primary) == 4


def test_history_queries(mini):
    """When each claim became known, the runs kept and each run's statements."""
    import pyoxigraph as ox

    known = run(mini, "known-since").set_index("claim")
    assert len(known) == 13 and set(known.basis) == {"published"}
    assert known.loc["https://w3id.org/kg-compute/claim/q1", "day"] == "2025-01-10"
    cutoff = ox.Literal("2025-02-15", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    then = run(mini, "known-since", cutoff=cutoff)
    assert set(then.document) == {"https://w3id.org/kg-compute/source/q-report",
                                  "https://w3id.org/kg-compute/source/q-news"}  # not the March blog
    runs = run(mini, "runs")
    assert len(runs) >= 1 and runs.current.sum() == 1
    current = runs[runs.current].iloc[0]
    assert current.claims == 13 and current.contentHash.startswith("sha256:")
    graphs = run(mini, "run-graphs")
    assert current.run in set(graphs.graph) and graphs.complete.all()
    statements = run(mini, "run-statements")
    assert (statements.predicate == KG + "reliability").any()  # the sources' learned reliability
    assert KG + "memberClaim" in set(statements.predicate)
    reliabilities = run(mini, "run-reliabilities")
    assert set(reliabilities.origin) == set(statements[statements.predicate == KG + "reliability"].node)
    this = ox.NamedNode(current.run)
    assert run(mini, "run-difference", this=this, other=this).empty  # a run is itself
    nothing = ox.NamedNode("https://w3id.org/kg-compute/run/control")  # holds no verdicts
    differs = run(mini, "run-difference", this=this, other=nothing)
    assert set(differs.predicate) == set(statements.predicate)  # the facts run-statements reads


def test_check_value_in_range_reads_the_ranges_from_the_ontology(mini):
    from kg import EvidenceGraph

    assert run(mini, "check-value-in-range").empty
    for fixture, maximum in (("ClaimValueInRange.fail", "max"), ("ClaimValueInRange.fail-score",
                                                                  "maxPercent")):
        eg = EvidenceGraph(graph=[fixture_path("shapes", f"{fixture}.ttl")])
        df = run(eg, "check-value-in-range")
        assert list(df.claim) == ["https://w3id.org/kg-compute/claim/claim-a"]
        assert df.loc[0, "value"] == pytest.approx(2.5) and df.loc[0, maximum] == 1.0 or \
            df.loc[0, maximum] == 100.0


def test_the_load_record_queries(tmp_path):
    """load-state, load-files-defining and load-file-subjects read what kg load recorded."""
    from kg import EvidenceGraph
    from kg.load.bulk import load_files
    from kg.store.embedded import OxigraphStore

    graph = fixture_path("grow", "mini-graph")
    load_files(OxigraphStore(tmp_path / "s", create=True), [graph])
    eg = EvidenceGraph(store=tmp_path / "s")
    state = run(eg, "load-state")
    assert set(state.status) == {"complete"} and state.ended.notna().all()
    entities = str((graph / "entities.ttl").resolve())
    assert entities in set(state.path) and len(state.loc[state.path == entities, "sha256"].iloc[0]) == 64
    defining = run(eg, "load-files-defining", subject=KGE + "example-model")
    assert list(defining.path) == [entities]
    subjects = run(eg, "load-file-subjects", path=entities)
    assert KGE + "example-model" in set(subjects.subject)
# ---------------------------------------------------------------- names, parameters, prefixes


def test_entity_names_and_term_in_use(mini):
    names = run(mini, "entity-names")
    east = names[names.entity == KGE + "q-east-1"]
    assert set(east.name) == {"East-1"} and KG + "Model" in set(east["class"])
    assert mini.store.ask(named_query("term-in-use").text, {"term": _iri(KGE + "q-chip")})
    assert not mini.store.ask(named_query("term-in-use").text, {"term": _iri(KGE + "nope")})


def _iri(text):
    import pyoxigraph as ox

    return ox.NamedNode(text)


@pytest.mark.parametrize("name", ["East-1", "east-1", "EAST 1", "east1", "kge:q-east-1",
                                  "<https://w3id.org/kg-compute/entity/q-east-1>",
                                  "https://w3id.org/kg-compute/entity/q-east-1", " q east 1 "])
def test_a_model_is_found_by_label_alias_iri_or_prefixed_name(mini, name):
    from kg.store.names import resolve_entity

    assert resolve_entity(mini.store, name) == KGE + "q-east-1"


def test_unknown_and_ambiguous_names_list_the_nearest(mini):
    from kg.core.errors import UnknownName
    from kg.store.names import NameIndex, resolve_entity

    with pytest.raises(UnknownName) as unknown:
        resolve_entity(mini.store, "East-2")
    assert unknown.value.exit_code == 2
    assert "East-1" in str(unknown.value) and "nearest names" in str(unknown.value)
    with pytest.raises(UnknownName, match="not a model"):
        resolve_entity(mini.store, "East Lab", classes=["Model"], what="model")
    # two nodes with one name: ambiguous, both named
    index = NameIndex({"urn:a": ["Twin"], "urn:b": ["twin"]}, {})
    with pytest.raises(UnknownName, match="ambiguous") as twin:
        index.resolve("TWIN")
    assert "urn:a" in str(twin.value) and "urn:b" in str(twin.value)
    with pytest.raises(UnknownName, match="no entity kge:nope"):
        resolve_entity(mini.store, "kge:nope")


def test_bindings_accept_names_for_iri_parameters(mini):
    by_name = run(mini, "claims-about", subject="east 1")
    by_iri = run(mini, "claims-about", subject=KGE + "q-east-1")
    assert len(by_name) == len(by_iri) == 9
    assert len(run(mini, "capability-table", model="West-1")) == 1
    assert set(run(mini, "open-conflicts", kind="kg:ValueConflict").subject) == {KGE + "q-east-1"}


def test_a_required_parameter_left_unbound_is_an_error_naming_it(mini, runner):
    from kg.core.errors import QueryError

    with pytest.raises(QueryError, match=r"claims-about needs \?subject"):
        run(mini, "claims-about")
    result = runner.invoke(main, ["query", "claims-about", "--graph", MINI])
    assert result.exit_code == 2
    assert "needs ?subject" in result.output and "--bind subject=" in result.output
    typo = runner.invoke(main, ["query", "claims-about", "--graph", MINI, "--bind", "entity=x"])
    assert typo.exit_code == 2 and "has no parameter ?entity" in typo.output


def test_every_parameter_is_marked_required_or_optional_and_every_query_has_an_audience():
    for q in list_queries():
        mentioned = set(re.findall(r"(?:^|;\s*)\?(\w+)", q.parameters))
        declared = {p.name for p in q.declared}
        assert mentioned <= declared, f"{q.name}.rq: mark {mentioned - declared} (required) or (optional)"
        assert q.audience in ("analyst", "internal"), f"{q.name}.rq: # Audience: analyst|internal"
    optional = {q.name: [p.name for p in q.declared if not p.required] for q in list_queries()}
    assert optional["capability-table"] == ["model", "run"] and optional["claims-about"] == ["run"]


def test_a_bound_iri_in_no_triple_is_a_warning(mini, runner):
    with pytest.warns(UserWarning, match="occurs in no triple"):
        assert run(mini, "claims-about", subject=KGE + "nope").empty
    result = runner.invoke(main, ["query", "claims-about", "--graph", MINI, "--bind",
                                  "subject=kge:nope", "--format", "csv"])
    assert result.exit_code == 0
    assert "warning" in result.stderr and "kge:nope" in result.stderr
    assert result.stdout.strip().splitlines()[1:] == []


def test_user_queries_get_kgs_prefixes_declared(runner, tmp_path):
    text = "# a comment first\nSELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Claim ; kg:subject kge:q-east-1 }"
    out = runner.invoke(main, ["query", "-", "--graph", MINI, "--format", "csv"], input=text)
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == ["n", "9"]
    # a prefix the query declares itself is left alone (no duplicate declaration)
    own = "PREFIX kg: <https://w3id.org/kg-compute/ontology#>\nASK { ?c a kg:Claim ; skos:x ?y }"
    from kg.store.queries import with_prefixes

    assert with_prefixes(own).count("PREFIX kg:") == 1 and "PREFIX skos:" in with_prefixes(own)
    # line numbers of syntax errors are unchanged: the declarations share the first query line
    bad = "SELECT ?x WHERE {\n  ?x kg:stated \n}"
    result = runner.invoke(main, ["query", "-", "--graph", MINI], input=bad)
    assert result.exit_code == 2 and "3:" in result.output


def test_queries_lists_analyst_queries_apart_from_internal_ones(runner):
    out = runner.invoke(main, ["queries"]).output
    analyst, _, rest = out.partition("run by kg itself")
    assert "capability-table" in analyst and "claims-about" in analyst and "model-card" in analyst
    assert "shacl-class" not in out and "claim-facts" not in out
    assert "kg queries --internal" in rest
    full = runner.invoke(main, ["queries", "--internal"]).output
    assert "shacl-class" in full.split("Queries kg runs itself")[1]


def test_model_card_claim_evidence_and_model_access(mini):
    card = run(mini, "model-card", model=KGE + "q-east-1")
    assert len(set(card.group)) == 8
    params = card[card.property == KGP + "totalParameters"].iloc[0]
    assert params.status == KG + "Conflict" and params.stated == "600B"
    evidence = run(mini, "claim-evidence", claim="https://w3id.org/kg-compute/claim/q1")
    row = evidence.iloc[0]
    assert (row.stated, row.locator, row.title) == ("600B", "p. 1", "East-1 technical report")
    access = run(mini, "model-access", model=KGE + "q-east-1").iloc[0]
    assert access.access == "unstated" and bool(access.primary) is True


def test_extraction_vocabulary_reads_cue_words_from_the_ontology(mini):
    df = run(mini, "extraction-vocabulary")
    rows = set(zip(df.node, df.relation, df.value, strict=True))
    assert (KGP + "activeParameters", KG + "cue", "activ*") in rows
    assert (KGP + "gpuHourPrice", KG + "rateCue", "per gpu-hour") in rows
    assert (KG + "Reported", KG + "cue", "reportedly") in rows
    assert (KG + "Money", KG + "fallbackProperty", KGP + "trainingCost") in rows


def test_mint_names_gives_each_twin_spelling_its_iri(shipped):
    df = shipped.query(named_query("mint-names"))
    assert dict(zip(df.name, df.entity, strict=True)) == {"CALM": KGE + "calm-nvidia",
                                                          "CaLM": KGE + "calm-oxford"}


def test_entity_labels_give_labels_aliases_and_classes(mini):
    df = run(mini, "entity-labels")
    assert {"pref", "alt"} <= set(df.kind)
    assert (df.entity.str.startswith(KGE) & (df["class"] == KG + "Entity")).any()


def test_entity_links_give_developers_and_countries(shipped):
    df = shipped.query(named_query("entity-links"))
    pairs = set(zip(df.entity, df.relation, df.target, strict=True))
    assert (KGE + "deepseek-v3", KG + "developer", KGE + "deepseek") in pairs
    assert (KGE + "chinese-labs", KG + "country", KGE + "china") in pairs
    assert (KGE + "deepseek-v4-pro", KG + "variantOf", KGE + "deepseek-v4") in pairs
    assert set(df.relation) == {KG + "developer", KG + "country", KG + "parentOrganisation", KG + "variantOf"}


# ---------------------------------------------------------------- queries kg runs for itself


def test_store_housekeeping_queries(mini):
    """The questions kg asks a store about itself, on a reconciled graph and on a fresh one."""
    from kg import EvidenceGraph
    from kg.store.embedded import OxigraphStore

    assert mini.store.ask(named_query("store-has-triples").text)
    assert not OxigraphStore().ask(named_query("store-has-triples").text)
    assert not run(mini, "run-graphs").empty
    assert mini.store.ask(named_query("reconciliation-complete").text)
    fresh = EvidenceGraph(graph=[MINI])
    assert run(fresh, "run-graphs").empty
    assert not fresh.store.ask(named_query("reconciliation-complete").text)
    everything = fresh.store.construct(named_query("all-triples").text)
    count = int(fresh.store.select(named_query("triple-count").text)[0]["n"].value)
    # the store also holds, outside the default graph, the content hash kg recorded at load
    assert len(everything) == count == len(fresh.store) - 1 > 100
    recorded = run(fresh, "content-hash")
    assert len(recorded) == 1 and recorded.hash[0].startswith("sha256:")


def test_validation_and_loading_queries(mini):
    from kg.store.embedded import OxigraphStore

    numeric = run(mini, "numeric-claims")
    q1 = numeric[numeric.claim == "https://w3id.org/kg-compute/claim/q1"]
    assert list(q1.amount) == [pytest.approx(600e9)] and list(q1.stated) == ["600B"]
    assert run(mini, "negative-values").empty
    negative = OxigraphStore()
    negative.load_file(fixture_path("bad", "negative-amount.ttl"))
    negative.load_file(ROOT / "ontology" / "properties.ttl")
    rows = negative.select(named_query("negative-values").text)
    assert [(r["claim"].value, float(r["value"].value)) for r in rows] == [
        ("https://w3id.org/kg-compute/claim/amount-negative", -7e9)]
    assert not mini.store.ask(named_query("any-normalise-pending").text)  # loading normalised all
    pending = OxigraphStore()
    pending.load_file(fixture_path("bad", "negative-amount.ttl"))
    pending.update("DELETE WHERE { ?c <https://w3id.org/kg-compute/ontology#unit> ?u }")
    assert pending.ask(named_query("any-normalise-pending").text)


def test_clear_priors_update_removes_every_prior_and_weight():
    from kg import EvidenceGraph
    from kg.store.queries import list_updates, named_update

    # the others are kg's housekeeping of its own records, run by tests/test_safety.py (a sync
    # against a fresh load, an interrupted sync), test_pending_graphs_... below and
    # tests/test_history.py (runs and the content hash)
    assert [u.name for u in list_updates()] == ["clear-priors", "delete-subjects",
                                                "forget-load-values", "forget-loaded-files",
                                                "record-content-hash", "release-pending",
                                                "set-current-run"]
    eg = EvidenceGraph(graph=[MINI])
    assert not run(eg, "priors").empty
    eg.store.update(named_update("clear-priors").text)
    assert run(eg, "priors").empty


def test_reconcile_with_a_priors_file_runs(runner):
    """`kg reconcile --priors FILE` replaces the priors (the update used to be refused)."""
    result = runner.invoke(main, ["reconcile", "--graph", MINI, "--priors",
                                  str(ROOT / "ontology" / "priors.ttl"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["groups"]


# ---------------------------------------------------------------- who reconciles: the header says


def test_needs_header_is_parsed_into_the_named_query():
    needing = {q.name for q in list_queries() if q.needs_reconciliation}
    assert {"capability-table", "open-conflicts", "claims-about", "cell-evidence"} <= needing
    assert "claim-count" not in needing
    # these mention the runs only to ask whether one is there, or to list them
    assert not named_query("reconciliation-complete").needs
    assert not named_query("run-graphs").needs and not named_query("runs").needs
    assert {n for q in list_queries() for n in q.needs} == {"reconciliation"}  # no unknown needs


def test_a_named_query_that_needs_verdicts_gets_them_in_memory(runner):
    result = runner.invoke(main, ["query", "open-conflicts", "--graph", MINI, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert KGE + "q-east-1" in result.output  # reconciled first: the conflict is there


def _disk_store(runner, tmp_path):
    import gc

    path = tmp_path / "store"
    result = runner.invoke(main, ["load", "--store", str(path), "--graph", MINI])
    assert result.exit_code == 0, result.output
    gc.collect()  # release RocksDB's lock before the next command opens the store
    return path


def _disk_facts(path):
    """(triples in the default graph, any reconciliation graph), reading the store directly."""
    import gc

    from kg.store.embedded import OxigraphStore

    gc.collect()
    store = OxigraphStore(path)
    from kg.reconcile.runs import run_graphs

    facts = len(store), bool(run_graphs(store))
    del store
    gc.collect()
    return facts


def test_a_query_mentioning_the_reconciliation_graph_writes_nothing(runner, tmp_path):
    """Issue 18 #10: the query text is never sniffed; a read-only query does not reconcile."""
    path = _disk_store(runner, tmp_path)
    before = _disk_facts(path)
    assert before[1] is False
    query = tmp_path / "count.rq"
    query.write_text("# not about <https://w3id.org/kg-compute/run/reconciliation> at all\n"
                     "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/kg-compute/ontology#Claim> }\n")
    for source in ([str(query)], ["-"]):
        result = runner.invoke(main, ["query", *source, "--store", str(path), "--format", "csv"],
                               input=query.read_text())
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == ["n", "13"]
        assert _disk_facts(path) == before


def test_a_query_that_needs_missing_verdicts_on_disk_says_so_or_reconciles_when_asked(runner, tmp_path):
    path = _disk_store(runner, tmp_path)
    before = _disk_facts(path)
    refused = runner.invoke(main, ["query", "open-conflicts", "--store", str(path)])
    assert refused.exit_code == 2
    assert "needs a reconciliation" in refused.output and "kg reconcile" in refused.output
    assert "Traceback" not in refused.output
    assert _disk_facts(path) == before
    asked = runner.invoke(main, ["query", "open-conflicts", "--store", str(path), "--reconcile",
                                 "--format", "csv"])
    assert asked.exit_code == 0, asked.output
    assert KGE + "q-east-1" in asked.output
    assert _disk_facts(path)[1] is True
    again = runner.invoke(main, ["query", "open-conflicts", "--store", str(path), "--format", "csv"])
    assert again.exit_code == 0 and again.output == asked.output  # the stored verdicts, as they are


def test_pending_graphs_lists_the_scratch_graphs_being_written(tmp_path):
    from kg import EvidenceGraph
    from kg.reconcile import pending

    eg = EvidenceGraph([fixture_path("grow", "mini-graph")])
    graph = pending.claim(eg.store, "https://w3id.org/kg-compute/run/run-test")
    listed = run(eg, "pending-graphs")
    assert list(listed.graph) == [graph] and ":" in listed.owner[0]
    pending.release(eg.store, graph)
    assert run(eg, "pending-graphs").empty


def test_table_snapshot_is_the_table_a_run_on_disk_keeps(tmp_path):
    """queries/table-snapshot.rq: one kept table per full run on a persistent store, none in
    memory (kg.report.snapshot)."""
    from kg import EvidenceGraph

    on_disk = EvidenceGraph(graph=[MINI], store=tmp_path / "store", create=True)
    on_disk.reconcile()
    kept = on_disk.store.select(named_query("table-snapshot").text)
    assert len(kept) == 1 and len(kept[0]["snapshot"].value) > 100
    in_memory = EvidenceGraph(graph=[MINI])
    in_memory.reconcile()
    assert not in_memory.store.select(named_query("table-snapshot").text)


def test_epoch_column_queries_read_the_importers_vocabulary(shipped):
    tables = run(shipped, "epoch-tables")
    assert set(tables.rowKind) == {"models", "hardware", "clusters"} and len(tables) == 5
    columns = run(shipped, "epoch-columns")
    power = columns[columns.label == "Power Capacity (MW)"]
    assert set(power.formerName) == {"Power capacity (MW)"}
    assert float(power.factor.iloc[0]) == 1e6 and power.property.iloc[0] == KGP + "powerCapacity"
    finetune = columns[columns.claimKey == "finetune-compute"].iloc[0]
    assert finetune.scope == KG + "PostTraining"
    ratings = run(shipped, "epoch-ratings")
    planned = ratings[ratings.word == "Under construction"]
    assert list(planned.column) == ["Status"] and list(planned.status) == [KG + "Planned"]


def test_epoch_records_query_names_each_tables_record_columns(shipped):
    records = run(shipped, "epoch-records")
    by_kind = records.groupby("rowKind").label.apply(list).to_dict()
    assert by_kind["models"][:2] == ["Model", "Organization"]
    assert "Hardware name" in by_kind["hardware"] and "Chip type (primary)" in by_kind["clusters"]


def test_cell_sources_and_document_descriptions_answer_what_cell_evidence_does(mini):
    """The table reads a cell's sources as two queries (claims, then each document once): the
    same claims, roles, values and document fields as cell-evidence.rq's one join, in its order."""
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound

    full = run(mini, "cell-evidence")
    groups = [ox.NamedNode(g) for g in sorted(set(full.group))]
    claims = [{k: t.value for k, t in r.items()}
              for r in stream_bound(mini.store, named_query("cell-sources").text, "group", groups)]
    fields = ["group", "role", "claim", "stated", "document", "originTitle"]
    expected = full.reindex(columns=fields).astype(object).where(full.notna(), None)
    assert [tuple(c.get(f) for f in fields) for c in claims] == \
        list(expected.drop_duplicates().itertuples(index=False, name=None))
    documents = sorted(set(full.document))
    described = {r["document"].value: {k: t.value for k, t in r.items()}
                 for r in stream_bound(mini.store, named_query("document-descriptions").text,
                                       "document", [ox.NamedNode(d) for d in documents])}
    assert sorted(described) == documents and any("title" in d for d in described.values())
    for row in full.itertuples():
        d = described[row.document]
        for f in ("file", "title", "kind", "date", "dateBasis", "added"):
            value = getattr(row, f)
            assert d.get(f) == (None if value is None or value != value else value), (row, f)


def test_closed_models_are_model_access_closed_without_a_primary_source():
    from kg import EvidenceGraph

    shipped = EvidenceGraph()
    closed = set(run(shipped, "closed-models").model)
    expected = set()
    models = shipped.select("PREFIX kg: <https://w3id.org/kg-compute/ontology#> "
                            "SELECT ?m WHERE { ?m a kg:Model }")
    for model in (r["m"].value for r in models):
        access = run(shipped, "model-access", model=model).iloc[0]
        if access.access == "closed" and not bool(access.primary):
            expected.add(model)
    assert closed == expected and len(closed) >= 5


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_query_output_streams_the_bytes_of_the_whole_answer(runner, fmt):
    """`kg query --format json/csv/tsv` writes the rows as they are turned into text (issue 19);
    the bytes are those of the answer written whole (write_rows)."""
    from kg import EvidenceGraph
    from kg.store.results import write_rows

    result = runner.invoke(main, ["query", "claim-facts", "--format", fmt, "--graph", MINI])
    assert result.exit_code == 0, result.output
    rows = EvidenceGraph(graph=[MINI]).select(named_query("claim-facts"))
    assert len(rows) > 5
    assert result.output == write_rows(rows, fmt)
    if fmt == "json":  # and json.dumps' own layout, as before it streamed
        data = json.loads(result.output)
        assert data["head"]["vars"] == rows.variables
        assert result.output == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
