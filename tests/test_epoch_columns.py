"""What the Epoch importer reads comes from the ontology: a renamed column is one skos:altLabel in
Turtle, no code change, and the shipped column vocabulary only names terms the ontology defines."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.core.resources import ONTOLOGY
from kg.core.vocab import KG, KGP, RDF, SKOS
from kg.ingest.epoch import import_epoch
from kg.ingest.epoch_columns import EpochColumns
from kg.ingest.resolve import Resolver
from kg.load.turtle import parse_file
from kg.store.embedded import OxigraphStore

SAMPLE = Path(__file__).parent / "data" / "grow" / "epoch-sample.csv"


def _store_with(*extra: ox.Quad) -> OxigraphStore:
    store = OxigraphStore()
    store.load(list(parse_file(ONTOLOGY / "epoch-columns.ttl")) + list(extra))
    return store


def _renamed_sample(tmp_path: Path) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].replace("Parameters,", "Parameter count,", 1)
    assert header != lines[0]
    path = tmp_path / "notable_ai_models.csv"
    path.write_text(header + "".join(lines[1:]), encoding="utf-8")
    return path


def _parameter_claims(result) -> dict[str, str]:
    return {t.subject.value: t.object.value for t in result.triples
            if t.predicate.value == KG + "stated" and t.subject.value.endswith("-parameters")}


def test_every_table_kind_has_figure_columns_with_defined_terms(shipped):
    columns = EpochColumns.from_ontology()
    assert set(columns.tables) == {"notable-ai-models", "large-scale-ai-models", "frontier-ai-models",
                                   "ml-hardware", "gpu-clusters"}
    defined = {row["s"].value for row in shipped.store.select(
        "SELECT ?s WHERE { ?s a ?c }")}
    for spec in columns.tables.values():
        figures = columns.of(spec.kind)
        assert figures, spec.kind
        for figure in figures:
            assert KGP + figure.prop in defined, figure
            assert figure.scope is None or KG + figure.scope in defined, figure
    keys = [f.what for kind in ("models", "hardware", "clusters") for f in columns.of(kind)]
    assert len(keys) == len(set(keys)), "two columns would mint the same claim IRIs"


def test_label_first_then_former_names_in_order():
    figures = {f.what: f for f in EpochColumns.from_ontology().of("models")}
    assert figures["dataset-size"].names == (
        "Training dataset size (gradients)", "(DEPRECATED) Training dataset size (datapoints)",
        "Training dataset size (datapoints)")
    assert [f.what for f in EpochColumns.from_ontology().of("models")][:2] == [
        "parameters", "training-compute"]
    assert figures["cost-2023-usd"].zero_means_unknown and not figures["mfu"].zero_means_unknown


def test_rating_words_mean_hedges_and_statuses():
    columns = EpochColumns.from_ontology()
    assert columns.hedge("Confidence", " speculative ") == "Unverified"
    assert columns.hedge("Confidence", "a word nobody wrote") == "Estimated"
    assert columns.hedge("Certainty", "Likely") == "Estimated"
    assert columns.status("Status", "Under construction") == "Planned"
    assert columns.status("Status", "") is None


def test_a_renamed_column_is_read_once_the_ontology_names_it(tmp_path, shipped):
    path = _renamed_sample(tmp_path)
    resolver = Resolver.from_store(shipped.store)
    before = import_epoch(path, resolver, snapshot="2025-11-03")
    assert not _parameter_claims(before)
    assert "Parameter count" in before.unread_columns and "Parameters" in before.missing_columns
    assert "perhaps renamed" not in before.summary()   # too far from "Parameters" to guess

    alias = ox.Quad(ox.NamedNode(KG + "epoch-parameters"), ox.NamedNode(SKOS + "altLabel"),
                    ox.Literal("Parameter count"))
    after = import_epoch(path, resolver, snapshot="2025-11-03",
                         vocabulary=EpochColumns.from_store(_store_with(alias)))
    original = import_epoch(SAMPLE, resolver, snapshot="2025-11-03")
    assert _parameter_claims(after) == _parameter_claims(original) != {}
    assert "Parameter count" not in after.unread_columns and "Parameters" not in after.missing_columns


def test_a_column_the_ontology_adds_becomes_claims(tmp_path, shipped):
    """A new figure column needs Turtle only: a "Context window" column added to the sample."""
    path = tmp_path / "notable_ai_models.csv"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0].rstrip("\n") + ",Context window\n"
                    + "".join(line.rstrip("\n") + (",128000\n" if i == 0 else ",\n")
                              for i, line in enumerate(lines[1:])), encoding="utf-8")
    column = ox.NamedNode(KG + "epoch-context-window")
    quads = [ox.Quad(column, ox.NamedNode(p), o) for p, o in (
        (RDF + "type", ox.NamedNode(KG + "ImportedColumn")),
        (KG + "inTableOf", ox.Literal("models")),
        (KG + "columnRank", ox.Literal("13", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ("http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("Context window")),
        (KG + "importsAs", ox.NamedNode(KGP + "contextWindow")),
        (KG + "importUnit", ox.NamedNode("http://qudt.org/vocab/unit/NUM")),
        (KG + "claimKey", ox.Literal("context-window")))]
    result = import_epoch(path, Resolver.from_store(shipped.store), snapshot="2025-11-03",
                          vocabulary=EpochColumns.from_store(_store_with(*quads)))
    stated = {t.subject.value: t.object.value for t in result.triples
              if t.predicate.value == KG + "stated" and t.subject.value.endswith("-context-window")}
    assert list(stated.values()) == ["128000"]


def test_an_unknown_table_name_lists_the_ontologys_tables(shipped):
    from kg.core.errors import InputError

    with pytest.raises(InputError) as caught:
        import_epoch(SAMPLE, Resolver.from_store(shipped.store), table="epoch-benchmarks")
    assert "notable-ai-models" in caught.value.hint and "epoch-columns.ttl" in caught.value.hint


def test_a_column_spelt_another_way_is_read_and_the_summary_says_so(tmp_path, shipped):
    """Case, spaces, punctuation or an "(s)" apart, a renamed column is the same column."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    header = (lines[0].replace("Organization,", "Organization(s),", 1)
              .replace("Training compute (FLOP),", "Training Compute [FLOP],", 1))
    path = tmp_path / "notable_ai_models.csv"
    path.write_text(header + "".join(lines[1:]), encoding="utf-8")
    resolver = Resolver.from_store(shipped.store)
    renamed = import_epoch(path, resolver, snapshot="2025-11-03")
    original = import_epoch(SAMPLE, resolver, snapshot="2025-11-03")
    assert set(renamed.triples) == set(original.triples)
    assert renamed.renamed == [("Training compute (FLOP)", "Training Compute [FLOP]"),
                               ("Organization", "Organization(s)")]
    assert "'Organization(s)' as 'Organization'" in renamed.summary()
    assert renamed.missing_columns == original.missing_columns
    assert renamed.unread_columns == original.unread_columns


def test_a_near_name_is_suggested_never_read(tmp_path, shipped):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "notable_ai_models.csv"
    path.write_text(lines[0].replace("Training hardware,", "Training hardwares used,", 1)
                    + "".join(lines[1:]), encoding="utf-8")
    result = import_epoch(path, Resolver.from_store(shipped.store), snapshot="2025-11-03")
    assert "Training hardware" in result.missing_columns
    assert "perhaps renamed: 'Training hardwares used' for 'Training hardware'" in result.summary()
    assert not any(t.predicate.value == KG + "chip" for t in result.triples)


def test_a_record_column_renamed_is_read_once_the_ontology_names_it(tmp_path, shipped):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "notable_ai_models.csv"
    path.write_text(lines[0].replace("Organization,", "Developer,", 1) + "".join(lines[1:]),
                    encoding="utf-8")
    resolver = Resolver.from_store(shipped.store)
    alias = ox.Quad(ox.NamedNode(KG + "epoch-organization"), ox.NamedNode(SKOS + "altLabel"),
                    ox.Literal("Developer"))
    result = import_epoch(path, resolver, snapshot="2025-11-03",
                          vocabulary=EpochColumns.from_store(_store_with(alias)))
    original = import_epoch(SAMPLE, resolver, snapshot="2025-11-03")
    assert set(result.triples) == set(original.triples)
    assert "Organization" not in result.missing_columns and "Developer" not in result.unread_columns
