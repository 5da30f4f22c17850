"""History: when each claim became known, as-of views, runs kept, change reports and timelines.

The fixture world (tests/data/history/dated.ttl) has dated sources with known as-of answers: a
figure revised between two snapshots of one database, a model announced after a cut-off, a
source whose date is an estimate, a reviewed note dated by the day it was added, and an undated
note that no as-of view may read.
"""

from __future__ import annotations

import json

import pytest

from conftest import fixture_path
from kg import EvidenceGraph
from kg.cli.main import main
from kg.core.errors import InputError

KGE = "https://w3id.org/kg-compute/entity/"
KGP = "https://w3id.org/kg-compute/prop/"
KGC = "https://w3id.org/kg-compute/claim/"
DATED = fixture_path("history", "dated.ttl")


@pytest.fixture(scope="module")
def dated() -> EvidenceGraph:
    return EvidenceGraph(graph=[DATED])


def cells(table) -> dict[tuple[str, str], str]:
    return {(row.label, column): cell.text for row in table.rows for column, cell in row.cells.items()}


# ---------------------------------------------------------------- known since


def test_known_since_is_the_sources_date_with_its_basis(dated):
    known = dated.known_since().set_index("claim")
    assert known.loc[KGC + "h-compute-old", "day"] == "2025-06-01"   # a snapshot's date
    assert known.loc[KGC + "h-compute-old", "basis"] == "published"
    assert known.loc[KGC + "h-params", "knownSince"] == "2025-09"    # as the source gives it
    assert known.loc[KGC + "h-params", "day"] == "2025-09-30"        # a month counts from its last day
    assert known.loc[KGC + "h-params", "basis"] == "estimated"       # kg:dateBasis: used, flagged
    assert known.loc[KGC + "h-tokens", "basis"] == "added"           # dcterms:dateAccepted
    assert known.loc[KGC + "h-tokens", "day"] == "2025-10-15"
    assert known.loc[KGC + "h-active", "basis"] == "unknown"


def test_the_cutoff_rule_of_claim_facts_is_the_known_since_rule(dated):
    """Two queries state the rule (known-since.rq for people, claim-facts.rq for the reconciler):
    on every cut-off around the fixture's dates they keep the same claims."""
    for day in ("2025-05-19", "2025-05-20", "2025-09-29", "2025-09-30", "2025-10-15",
                "2025-11-02", "2025-11-03", "2026-02-10", "2099-01-01"):
        rec = dated.reconcile(write=False, as_of=day)
        read = {c.iri for g in rec.groups for c in g.claims}
        assert read == set(dated.known_since(as_of=day)["claim"]), day


def test_month_ends_follow_the_calendar():
    import pyoxigraph as ox

    from kg.store.queries import named_query

    store = ox.Store()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for value, dtype in (("2024-02", "gYearMonth"), ("2025-02", "gYearMonth"),
                         ("1900-02", "gYearMonth"), ("2000-02", "gYearMonth"),
                         ("2025-04", "gYearMonth"), ("2024", "gYear"), ("2025-01-05", "date")):
        doc = ox.NamedNode(f"https://example.org/d{value}")
        claim = ox.NamedNode(f"https://example.org/c{value}")
        for s, p, o in ((claim, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                         ox.NamedNode("https://w3id.org/kg-compute/ontology#Claim")),
                        (claim, "https://w3id.org/kg-compute/ontology#subject", doc),
                        (claim, "https://w3id.org/kg-compute/ontology#property", doc),
                        (claim, "http://www.w3.org/ns/prov#wasDerivedFrom", doc),
                        (doc, "http://purl.org/dc/terms/date",
                         ox.Literal(value, datatype=ox.NamedNode(xsd + dtype)))):
            store.add(ox.Quad(s, ox.NamedNode(p), o))
    days = {r["knownSince"].value: r["day"].value for r in store.query(named_query("known-since").text)}
    assert days == {"2024-02": "2024-02-29", "2025-02": "2025-02-28", "1900-02": "1900-02-28",
                    "2000-02": "2000-02-29", "2025-04": "2025-04-30", "2024": "2024-12-31",
                    "2025-01-05": "2025-01-05"}


# ---------------------------------------------------------------- as-of views


def test_a_revised_figure_shows_the_value_it_had_then(dated):
    before = cells(dated.capability_table(as_of="2025-07-01"))
    after = cells(dated.capability_table(as_of="2025-12-01"))
    assert before[("Hist-1", "training_flop")] == "4e24"
    assert after[("Hist-1", "training_flop")] == "3.5e24"
    rec = dated.reconcile(write=False, as_of="2025-07-01")
    flop = rec.group(KGE + "h-1", KGP + "trainingCompute")
    assert [c.iri for c in flop.claims] == [KGC + "h-compute-old"]  # the revision was not known


def test_a_model_announced_after_the_cutoff_has_no_row(dated):
    assert "Hist-2" not in {r.label for r in dated.capability_table(as_of="2026-02-09").rows}
    assert "Hist-2" in {r.label for r in dated.capability_table(as_of="2026-02-10").rows}


def test_an_estimated_date_is_used_and_undated_evidence_never_read(dated):
    assert ("Hist-1", "total_params") not in cells(dated.capability_table(as_of="2025-09-29"))
    assert cells(dated.capability_table(as_of="2025-09-30"))[("Hist-1", "total_params")] == "200B"
    late = cells(dated.capability_table(as_of="2099-01-01"))
    assert ("Hist-1", "active_params") not in late                 # the undated note
    assert cells(dated.capability_table())[("Hist-1", "active_params")] == "20B"  # all evidence


def test_reliabilities_are_learned_from_the_evidence_of_the_day(shipped):
    """As of a date the truth-discovery step sees only that day's sources: a source not yet
    published has no reliability, and the others' come from that evidence alone."""
    early = shipped.reconcile(write=False, as_of="2025-06-30")
    full = shipped.reconciliation
    assert early.claims < full.claims
    assert set(early.trust) < set(full.trust)
    assert early.trust != {k: v for k, v in full.trust.items() if k in early.trust}


def test_as_of_table_from_the_library_and_the_cli(runner):
    import kg

    df = kg.table(graph=[DATED], as_of="2025-07-01")
    assert list(df.model) == ["Hist-1"]
    result = runner.invoke(main, ["table", "--graph", str(DATED), "--as-of", "2026-03-01",
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {row["label"] for row in json.loads(result.output)["rows"]} == {"Hist-1", "Hist-2"}
    bad = runner.invoke(main, ["table", "--graph", str(DATED), "--as-of", "last spring"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_reconcile_and_export_as_of(runner, tmp_path):
    result = runner.invoke(main, ["reconcile", "--graph", str(DATED), "--as-of", "2025-07-01",
                                  "--format", "json", "--all"])
    assert result.exit_code == 0, result.output
    subjects = {g["subject"] for g in json.loads(result.output)["groups"]}
    assert subjects == {KGE + "h-1"}
    out = tmp_path / "then.ttl"
    result = runner.invoke(main, ["export", "--graph", str(DATED), "--as-of", "2025-07-01",
                                  "--format", "ttl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "h-compute-old" in text and "h-compute-new" not in text  # later claims left out
    assert "evidenceCutoff" in text


# ---------------------------------------------------------------- runs


def test_runs_are_kept_and_the_pointer_moves_only_when_a_run_is_complete(tmp_path, monkeypatch):
    from kg.reconcile import runs

    eg = EvidenceGraph(graph=[DATED])
    first = eg.reconcile()
    second = eg.reconcile()
    listed = eg.runs()
    assert [r.id for r in listed][:2] == [second.run_id, first.run_id]  # newest first
    assert [r.current for r in listed] == [True, False]
    info = listed[0]
    assert info.claims == 8 and info.cutoff is None and info.version
    assert info.content_hash and info.content_hash.startswith("sha256:")
    priors = eg.store.select(f"SELECT ?p WHERE {{ GRAPH <{info.iri}> {{ <{info.iri}> "
                             "<https://w3id.org/kg-compute/ontology#priorsUsed> ?p } }")
    assert json.loads(priors[0]["p"].value)  # the priors the run used, as data
    as_of = eg.reconcile(as_of="2025-07-01")
    assert runs.current(eg.store).id == second.run_id  # an as-of run never becomes current
    assert runs.resolve(eg.store, as_of.run_id).cutoff == "2025-07-01"

    import kg.reconcile.verdicts as verdicts

    def failing(run_id, graph):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(verdicts, "run_quads", failing)
    with pytest.raises(OSError, match="simulated"):
        eg.reconcile()
    monkeypatch.undo()
    assert runs.current(eg.store).id == second.run_id
    assert all(complete for _g, complete in runs.run_graphs(eg.store))
    assert runs.resolve(eg.store, "previous").id == first.run_id
    ids = [r.id for r in eg.runs()]
    unique = next(k for k in range(1, len(second.run_id) + 1)
                  if sum(i.startswith(second.run_id[:k]) for i in ids) == 1)
    assert runs.resolve(eg.store, second.run_id[:unique]).id == second.run_id
    with pytest.raises(InputError, match="ambiguous"):  # runs of one second share a prefix
        runs.resolve(eg.store, second.run_id[:unique - 1])
    dropped = eg.prune_runs(1)  # the newest (the as-of run) and the current run stay
    assert len(dropped) == 1 and [r.id for r in eg.runs()] == [as_of.run_id, second.run_id]
    assert eg.prune_runs(0) and [r.id for r in eg.runs()] == [second.run_id]


def test_a_store_answers_from_its_current_run_while_its_content_is_the_same(tmp_path):
    """The speed issue builds on this: same content hash, same version, no reconciling again."""
    path = tmp_path / "store"
    eg = EvidenceGraph(graph=[DATED], store=path, create=True)
    eg.capability_table()
    first = eg.runs()
    assert len(first) == 1
    del eg
    import gc

    gc.collect()
    again = EvidenceGraph(graph=[DATED], store=path)
    again.capability_table()
    assert [r.id for r in again.runs()] == [first[0].id]  # answered from the kept run
    again.load([fixture_path("queries", "mini.ttl")])  # new content: the run no longer holds
    again.capability_table()
    assert len(again.runs()) == 2 and again.runs()[0].content_hash != first[0].content_hash


def test_cli_runs_lists_and_prunes(tmp_path, runner):
    store = str(tmp_path / "store")
    assert runner.invoke(main, ["load", "--store", store, "--graph", str(DATED)]).exit_code == 0
    for _ in range(3):
        assert runner.invoke(main, ["reconcile", "--store", store]).exit_code == 0
    listed = runner.invoke(main, ["runs", "--store", store, "--format", "json"])
    rows = json.loads(listed.output)
    assert len(rows) == 3 and [r["current"] for r in rows] == ["yes", "", ""]
    pruned = runner.invoke(main, ["runs", "--store", store, "--prune", "1", "--format", "json"])
    assert pruned.exit_code == 0 and len(json.loads(pruned.stdout)) == 1


# ---------------------------------------------------------------- diff


def test_diff_between_two_dates_names_what_changed_and_why(dated):
    report = dated.diff("2025-07-01", "2026-03-01")
    changed = {(c.new.subject, c.new.property): c for c in report.changed}
    flop = changed[(KGE + "h-1", KGP + "trainingCompute")]
    assert flop.old.preferred == "4.02e24" and flop.new.preferred == "3.5e24"
    assert [r.kind for r in flop.reasons][0] == "snapshot-revision"
    assert {(s.subject, s.property) for s in report.new_statements} >= {
        (KGE + "h-2", KGP + "totalParameters"), (KGE + "h-1", KGP + "totalParameters")}
    assert (KGE + "h-2", "release_date") in {(c.model, c.column) for c in report.cells}
    assert "Hist-2" in report.summary()
    data = json.loads(report.to_json())
    assert data["version"] == "kg-diff/1" and data["counts"]["changed_values"] == 1
    assert data["changed_values"][0]["reasons"][0]["kind"] == "snapshot-revision"


def test_diff_of_a_run_with_itself_is_empty_and_a_new_source_is_named(tmp_path):
    eg = EvidenceGraph(graph=[DATED])
    run = eg.reconcile().run_id
    assert eg.diff(run, "current").empty
    extra = tmp_path / "extra.ttl"
    extra.write_text(DATED.read_text(encoding="utf-8").split("kgc:h-release-1")[0] + '''
kgs:h-paper a kg:Document ; dcterms:title "A later paper" ; kg:sourceKind kg:PrimaryReport ;
    dcterms:creator kge:h-lab ; dcterms:date "2026-03-01"^^xsd:date .
kgc:h-params-paper a kg:Claim ; kg:subject kge:h-1 ; kg:property kgp:totalParameters ;
    kg:stated "236B" ; kg:hedge kg:Stated ; prov:wasDerivedFrom kgs:h-paper ; kg:locator "p. 3" .
''', encoding="utf-8")
    report = eg.what_changes([extra])
    change = next(c for c in report.changed if c.new.property == KGP + "totalParameters")
    assert change.reasons[0].kind == "new-source" and "A later paper" in change.reasons[0].text
    assert ("Hist-1", "total_params") in {(c.model_label, c.column) for c in report.cells}
    assert report.summary().startswith("From the graph as it was to the graph with the new claims")


def test_diff_reads_saved_reconcile_json_files(tmp_path, runner):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    for path, day in ((old, "2025-07-01"), (new, "2025-12-01")):
        result = runner.invoke(main, ["reconcile", "--graph", str(DATED), "--as-of", day,
                                      "--format", "json", "--all"])
        path.write_text(result.output, encoding="utf-8")
    result = runner.invoke(main, ["diff", "--graph", str(DATED), str(old), str(new),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["a"]["kind"] == data["b"]["kind"] == "file"
    flop = next(c for c in data["changed_values"] if c["property"] == KGP + "trainingCompute")
    assert (flop["old"]["preferred"], flop["new"]["preferred"]) == ("4.02e24", "3.5e24")
    assert flop["reasons"][0]["kind"] == "snapshot-revision"
    md = runner.invoke(main, ["diff", "--graph", str(DATED), str(old), str(new), "--format", "md"])
    assert md.exit_code == 0 and md.output.startswith("# What changed")
    missing = runner.invoke(main, ["diff", "--graph", str(DATED), "nope.json", str(new)])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_diff_when_only_the_weighing_changed_says_reliability(tmp_path):
    """Same claims on both sides, other priors: the reason is the weighing, not new evidence."""
    from kg.report.changes import Side, compare

    eg = EvidenceGraph(graph=[DATED])
    rec_a = eg.reconcile()
    a = Side("a", "run", "a", *__import__("kg.reconcile.verdicts", fromlist=["read_run"]).read_run(
        eg.store, f"https://w3id.org/kg-compute/run/run-{rec_a.run_id}"))
    flipped = {k: v for k, v in a.statements.items()}
    key = next(k for k, s in flipped.items() if s.property == KGP + "trainingCompute")
    import copy

    b_state = copy.deepcopy(flipped[key])
    b_state.value, b_state.preferred = ("number", 4.02e24, 4.01e24, 4.03e24), "4.02e24"
    b = Side("b", "run", "b", {**flipped, key: b_state}, dict(a.reliability))
    report = compare(eg, a, b)
    assert report.changed[0].reasons[0].kind == "reliability"


# ---------------------------------------------------------------- history


def test_history_lists_claims_by_date_and_the_preferred_value_over_time(dated, runner):
    timeline = dated.history("Hist One", "training compute")  # an alias and a property label
    assert timeline.subject == KGE + "h-1" and timeline.property == KGP + "trainingCompute"
    assert [(c.known_since, c.stated) for c in timeline.claims] == [
        ("2025-06-01", "4.02e24"), ("2025-11-03", "3.5e24")]
    points = {p.day: p.statements[0]["preferred"] for p in timeline.points if p.statements}
    assert points["2025-06-01"].replace("e+", "e").startswith("4.02e24")
    assert points["2025-11-03"].replace("e+", "e").startswith("3.5e24")
    result = runner.invoke(main, ["history", "--graph", str(DATED), "kge:h-1", "kgp:totalParameters"])
    assert result.exit_code == 0, result.output
    assert "2025-09 (est.)" in result.output and "200B" in result.output
    unknown = runner.invoke(main, ["history", "--graph", str(DATED), "Hist-9", "training compute"])
    assert unknown.exit_code == 2 and "Hist-1" in unknown.output  # the nearest names


# ---------------------------------------------------------------- add and the report


def test_kg_add_stamps_an_undated_document_and_says_what_changed(tmp_path, runner):
    import shutil

    graph = tmp_path / "graph"
    shutil.copytree(fixture_path("history"), graph)
    reviewed = tmp_path / "reviewed.ttl"
    reviewed.write_text('''
@prefix kg: <https://w3id.org/kg-compute/ontology#> .
@prefix kgp: <https://w3id.org/kg-compute/prop/> .
@prefix kge: <https://w3id.org/kg-compute/entity/> .
@prefix kgs: <https://w3id.org/kg-compute/source/> .
@prefix kgc: <https://w3id.org/kg-compute/claim/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
kgs:h-review a kg:Document ; dcterms:title "A reviewed article" ; kg:sourceKind kg:News .
kgc:h-review-gpu a kg:Claim ; kg:subject kge:h-2 ; kg:property kgp:trainingGpuHours ;
    kg:stated "1.2 million" ; kg:hedge kg:Reported ; prov:wasDerivedFrom kgs:h-review ;
    kg:locator "para 4" .
''', encoding="utf-8")
    result = runner.invoke(main, ["add", str(reviewed), "--graph-dir", str(graph)])
    assert result.exit_code == 0, result.output
    assert "1 table cell(s) changed" in result.output and "1 new statement(s)" in result.output
    added = (graph / "added" / "reviewed.ttl").read_text(encoding="utf-8")
    assert "dateAccepted" in added  # the day its claims became known to the graph
    again = runner.invoke(main, ["add", str(reviewed), "--graph-dir", str(graph)])
    assert again.exit_code == 0 and "nothing new" in again.output  # idempotent, even a day later


def test_html_report_has_what_changed_and_cell_values(dated):
    from kg.report.exports import export_bytes

    eg = EvidenceGraph(graph=[DATED])
    single = export_bytes(eg, "html").decode()
    assert 'data-changes="none"' in single  # one run: nothing to compare, and it says so
    assert 'id="cell-history"' in single and "4.02e24" in single.split('id="cell-history"')[1]
    eg.load([fixture_path("queries", "mini.ttl")])
    eg.reconcile()
    two = export_bytes(eg, "html").decode()
    section = two.split('id="changes"')[1].split("<h2")[0]
    assert "East-1" in section  # the second run's new rows are named


# ---------------------------------------------------------------- every store, as an analyst would


@pytest.fixture(scope="module", params=["embedded", "disk", "server"])
def store_args(request, tmp_path_factory) -> list[str]:
    """The dated world on each store, loaded as an analyst loads it: nothing for the embedded
    store, `kg load --store DIR`, `kg load --endpoint URL` on a local Oxigraph server."""
    from click.testing import CliRunner

    if request.param == "embedded":
        return ["--graph", str(DATED)]
    if request.param == "disk":
        args = ["--store", str(tmp_path_factory.mktemp("history") / "store")]
    else:
        from kg.store.server import OxigraphServer, oxigraph_binary

        if oxigraph_binary() is None:
            pytest.skip("the `oxigraph` server command is not installed (pip install oxigraph)")
        srv = OxigraphServer()
        request.addfinalizer(srv.stop)
        args = ["--endpoint", srv.query_url, "--update-endpoint", srv.update_url]
    loaded = CliRunner().invoke(main, ["load", *args, "--graph", str(DATED)])
    assert loaded.exit_code == 0, loaded.output
    return args


def _cli(runner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_known_as_of_answers_on_every_store(store_args, runner):
    def table(day: str) -> dict[tuple[str, str], str]:
        data = json.loads(_cli(runner, "table", *store_args, "--as-of", day, "--format", "json"))
        return {(row["label"], column): cell["display"] for row in data["rows"]
                for column, cell in row["cells"].items()}

    july, december = table("2025-07-01"), table("2025-12-01")
    assert july[("Hist-1", "training_flop")] == "4e24"          # the value it had then
    assert december[("Hist-1", "training_flop")] == "3.5e24"    # the revision, newest preferred
    assert ("Hist-1", "total_params") not in table("2025-09-29")
    assert table("2025-09-30")[("Hist-1", "total_params")] == "200B"  # the estimated date, used
    assert "Hist-2" not in {m for m, _c in table("2026-02-09")}     # announced the next day
    assert ("Hist-2", "total_params") in table("2026-02-10")
    assert ("Hist-1", "active_params") not in table("2099-01-01")  # undated: never in a view
    md = _cli(runner, "table", *store_args, "--as-of", "2025-12-01", "--format", "md")
    assert "2025-09 (estimated)" in md and "added 2025-10-15" in md  # says so in the sources


def test_diff_history_and_runs_on_every_store(store_args, runner):
    report = json.loads(_cli(runner, "diff", *store_args, "2025-07-01", "2026-03-01",
                             "--format", "json"))
    flop = next(c for c in report["changed_values"] if c["property"] == KGP + "trainingCompute")
    assert [r["kind"] for r in flop["reasons"]] == ["snapshot-revision"]
    assert flop["old"]["preferred"] == "4.02e24" and flop["new"]["preferred"] == "3.5e24"
    assert {(c["model_label"], c["column"]) for c in report["cells"]} >= {
        ("Hist-2", "release_date"), ("Hist-1", "total_params"), ("Hist-1", "training_flop")}
    assert report["a"]["statements"] == 2 and report["b"]["statements"] == 6
    timeline = json.loads(_cli(runner, "history", *store_args, "Hist One", "training compute",
                               "--format", "json"))
    assert [c["stated"] for c in timeline["claims"]] == ["4.02e24", "3.5e24"]
    if store_args[0] == "--graph":
        return  # in memory, runs last as long as the command
    listed = json.loads(_cli(runner, "runs", *store_args, "--format", "json"))
    assert {r["cutoff"] for r in listed} >= {"2025-07-01", "2026-03-01"}
    again = json.loads(_cli(runner, "diff", *store_args, "2025-07-01", "2026-03-01",
                            "--format", "json"))
    assert again["a"]["run"] == report["a"]["run"]  # the kept as-of run is reused


def test_diff_inside_the_store_matches_reading_both_runs_whole(dated):
    """Two runs compared inside the store (queries/run-difference.rq, only what moved read)
    give the report that reading both runs whole gives."""
    from kg.report.changes import compare, diff, open_side

    fast = diff(dated, "2025-07-01", "2026-03-01")
    slow = compare(dated, open_side(dated, "2025-07-01"), open_side(dated, "2026-03-01"))
    assert fast.to_dict() == slow.to_dict()
    same = diff(dated, "2026-03-01", "2026-03-01")
    assert same.empty and same.a.describe()["statements"] == 6


def test_a_revision_is_one_databases_not_one_creators(tmp_path):
    """Two tables of one curator are two databases (dcterms:isVersionOf): a figure from the
    other table is a new source, not a revision."""
    text = DATED.read_text(encoding="utf-8").replace(
        'dcterms:date "2025-11-03"^^xsd:date ;\n    dcterms:isVersionOf kgs:h-db .',
        'dcterms:date "2025-11-03"^^xsd:date ;\n    dcterms:isVersionOf kgs:h-other-db .')
    assert "h-other-db" in text
    other = tmp_path / "other.ttl"
    other.write_text(text, encoding="utf-8")
    report = EvidenceGraph(graph=[other]).diff("2025-07-01", "2026-03-01")
    flop = next(c for c in report.changed if c.new.property == KGP + "trainingCompute")
    assert "snapshot-revision" not in [r.kind for r in flop.reasons]


def test_explain_on_a_persistent_store_reads_the_current_run(tmp_path, monkeypatch):
    """The kept run's reliabilities give its scores back: kg explain settles the model's family
    again with them instead of reconciling every statement (no truth discovery is run)."""
    import gc

    import kg.reconcile.run as run_mod

    path = tmp_path / "store"
    first = EvidenceGraph(graph=[DATED], store=path, create=True)
    first.reconcile()
    expected = EvidenceGraph(graph=[DATED]).explain("Hist-1", "flop")
    current = first.runs()[0].id
    del first
    gc.collect()

    def no_truth_discovery(*_args, **_kwargs):
        raise AssertionError("reconciled every statement again")

    monkeypatch.setattr(run_mod, "_trust", no_truth_discovery)
    again = EvidenceGraph(store=path)
    got = again.explain("Hist-1", "flop")
    assert got["run"].endswith("run-" + current)
    got.pop("run"), expected.pop("run")
    assert got == expected


def test_every_export_format_takes_as_of(tmp_path, runner):
    """ClaimReview reviews the as-of run's claims; the HTML report lists only the sources known
    that day."""
    reviews = runner.invoke(main, ["export", "--graph", str(DATED), "--as-of", "2025-12-01",
                                   "--format", "claimreview", "-o", "-"])
    assert reviews.exit_code == 0, reviews.output
    reviewed = {r["itemReviewed"]["@id"] for r in json.loads(reviews.stdout)["@graph"]}
    assert reviewed == {KGC + "h-compute-old", KGC + "h-compute-new"}
    html = runner.invoke(main, ["export", "--graph", str(DATED), "--as-of", "2025-07-01",
                                "--format", "html", "-o", "-"])
    assert html.exit_code == 0, html.output
    assert "Hist-1 technical report" in html.stdout and "Hist-2 announcement" not in html.stdout
    for fmt in ("csv", "md", "json", "xlsx", "jsonld"):
        out = tmp_path / f"then.{fmt}"
        result = runner.invoke(main, ["export", "--graph", str(DATED), "--as-of", "2025-07-01",
                                      "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0 and out.stat().st_size, (fmt, result.output)


def test_diff_names_a_conflict_opened_and_one_closed():
    """All the evidence (the undated note's active parameters too) puts Hist-1's compute in an
    arithmetic conflict that the evidence of 2025-12-01 did not have: opened one way round,
    resolved the other."""
    eg = EvidenceGraph(graph=[DATED])
    now = eg.reconcile().run_id
    forward = eg.diff("2025-12-01", now)
    flop = next(s for s in forward.conflicts_opened if s.property == KGP + "trainingCompute")
    assert flop.kind == "arithmetic"
    backward = eg.diff(now, "2025-12-01")
    assert [s.property for s in backward.conflicts_closed] == [KGP + "trainingCompute"]
    cell = next(c for c in backward.cells if c.column == "training_flop")
    assert cell.old == "3.5e24‡" and cell.new == "3.5e24"
    assert "conflict-resolved" in [r.kind for r in cell.reasons]


def test_the_timeline_writes_a_databases_machine_numbers_for_people():
    """An Epoch export states 4.020010000000001e+24: the text shows 4.02e24 FLOP, the JSON keeps
    the figure as the source stated it."""
    from kg.report.timeline import KnownClaim, Timeline

    claim = KnownClaim("kgc:x", "4.020010000000001e+24", "2025-11-03", "2025-11-03", "published",
                       "kgs:epoch", "Epoch AI, Notable AI Models")
    line = Timeline(KGE + "m", "M", "p", "training compute", [claim], [],
                    unit="https://w3id.org/kg-compute/unit/FLOP")
    assert "4.02e24 FLOP" in line.to_text() and "e+24" not in line.to_text()
    assert json.loads(line.to_json())["claims"][0]["stated"] == "4.020010000000001e+24"
