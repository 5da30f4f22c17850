"""Import Epoch AI's curated tables as claims: notable, large-scale and frontier models, ML
hardware, GPU clusters. Each table (and each snapshot of it) is a source of its own.

Each figure cell becomes a kg:Claim like a curated one (graph/CURATION.md): the cell as written in
kg:stated, the normalised value written directly in base units, qualifiers, a hedge and a
reference to the table's source node (kg:CuratedDatabase, dated). Facts and figures only:
abstracts, author lists and Epoch's free-text notes are never copied.

Why these choices:
- **Tables are recognised by their columns** and read by column name, never by position: the three
  model tables share most names but not their order, and a later snapshot may add, drop or rename
  a column. The ontology (ontology/epoch-columns.ttl, through kg.ingest.epoch_columns) says which
  tables and figure columns there are, the names each column has gone by, the claim its cells
  become, and what the rating words mean; the summary says which expected columns were absent and
  which columns of the file were not read (notes, abstracts, figures kg has no property for).
- **One source per table and snapshot**: `kgs:epoch-<table>-<snapshot>` ("Epoch AI, Frontier AI
  Models (snapshot 2025-11-03)"), part of `kgs:epoch-ai-data`; claim IRIs
  `kgc:epoch-<table>-<snapshot>-<row>-<figure>`. The same row of the same snapshot always gives the
  same IRI, so re-importing changes nothing; another table or snapshot has its own claims beside.
- **Entities are minted the same way by every table**: a name the graph does not know (ignoring
  what earlier Epoch imports minted) becomes `kge:<slug of the name>`, described only by what the
  name and the row's identity give (class, skos:prefLabel, `dcterms:source <https://epoch.ai/data>`,
  a model's developers, a chip's vendor, a cluster's country). So two tables, or two snapshots,
  that mention a model describe it with identical triples, in whatever order they are imported,
  and any union of imports validates.
- **Hedge from Epoch's Confidence column** (one rating per row, about its compute estimate,
  applied to the row's numeric figures): Confident -> kg:Stated, Likely -> kg:Estimated,
  Speculative -> kg:Unverified, Unknown or empty -> kg:Estimated. Clusters: Confirmed -> Stated,
  Likely -> Estimated, Unlikely -> Unverified, and a planned cluster's figures are kg:Projected;
  the cluster's status is the qualifier kg:operationalStatus. Dates, hardware, accessibility and
  owners are records: kg:Stated.
- **Precision**: a database cell has no "~"; its band is one unit in its last significant digit
  (capped at 10 %), the rule kg.core.quantity applies to text, so 3.4e+24 and 3.8e+24 disagree.
- **Snapshots are versions of one database** (`dcterms:isVersionOf kgs:epoch-<table>`), so the
  reconciler reads a later snapshot's different figure as a revision, never as a second source.
- **Bases**: a hardware throughput says its precision and sparsity (`kg:basis kg:FP16, kg:Dense`);
  MFU is measured at the row's numerical format (`kg:basis kg:FP8`); a training run's chip count
  has the scope kg:TrainingCluster.
- **Scopes and units kept apart**: finetune compute is trainingCompute [PostTraining]; the 2023-
  dollar cost keeps its unit (kgu:USD-2023) [FinalRunCompute]; the cloud-rental and up-front costs
  have scopes of their own (kg:CloudRentalCost, kg:UpfrontHardwareCost), and hardware acquisition
  cost is [HardwareSpend], so none is read as Epoch contradicting itself.
- **Bad cells are reported, never guessed**: a figure cell that is not a plain finite number (text,
  "NaN", a thousands separator, a negative count, a value beyond a double) or a date that is no
  calendar date is left out and listed in `ImportResult.unparsed`, never read as zero. Files that
  are empty, not UTF-8 (UTF-16 and UTF-32 with a byte-order mark are read), or not an Epoch table
  are one clear InputError each.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from kg.core.errors import InputError
from kg.core.vocab import KGS
from kg.ingest.epoch_claims import EPOCH_DATA, THROUGHPUT_COLUMNS, ImportResult, RowClaims, iter_claims
from kg.ingest.epoch_columns import EpochColumns, TableSpec
from kg.ingest.epoch_files import CsvRow, column_key, detect, match_columns, read_table
from kg.ingest.resolve import Resolver

__all__ = ["ImportResult", "detect", "import_epoch", "iter_claims", "mint_names", "read_table"]


def mint_names(store) -> dict[str, str]:
    """Exact name -> IRI for names whose usual slug collides with another's (kg:mintFor)."""
    from kg.store.queries import named_query

    return {row["name"].value: row["entity"].value
            for row in store.select(named_query("mint-names").text)}


def import_epoch(path: Path, resolver: Resolver, *, snapshot: str | None = None,
                 matched_only: bool = False, hardware: Path | None = None,
                 table: str | None = None, mint_as: dict[str, str] | None = None,
                 vocabulary: EpochColumns | None = None) -> ImportResult:
    """Claims for every row (or only rows naming entities the graph has: `matched_only`).

    `mint_as` maps exact names to the IRIs they are minted as when their slugs would collide
    (read from the graph with `mint_names`); `vocabulary` is what the ontology says the tables
    hold (`EpochColumns.from_store`; the shipped ontology's by default)."""
    vocabulary = vocabulary or EpochColumns.from_ontology()
    if table is not None and table not in vocabulary.tables:
        raise InputError(f"--table {table!r} is not an Epoch table kg reads",
                         hint="one of " + ", ".join(vocabulary.tables)
                         + " (ontology/epoch-columns.ttl lists them)")
    table, rows = read_table(path, table, vocabulary)
    spec = vocabulary.tables[table]
    header = list(rows[0]) if rows else []
    figures, records = vocabulary.of(spec.kind), vocabulary.records_of(spec.kind)
    expected = [f.names for f in figures] + list(records.values())
    if spec.kind == "hardware":
        expected += [(c,) for c, _, _ in THROUGHPUT_COLUMNS]
    columns, renamed = match_columns(header, expected)
    inferred = snapshot is None
    date_column = {"models": "Publication date", "hardware": "Release date",
                   "clusters": "First Operational Date"}[spec.kind]
    snap = snapshot or _latest_date(rows, columns, date_column, spec.kind == "clusters")
    try:
        date.fromisoformat(snap)
    except ValueError as exc:
        raise InputError(f"snapshot date {snap!r} is not YYYY-MM-DD") from exc
    source = KGS + f"epoch-{spec.key}-{snap}"
    result = ImportResult(spec.key, snap, source, rows=len(rows))
    if rows:
        read = {columns[column_key(names[0])] for names in expected if column_key(names[0]) in columns}
        result.missing_columns = [f.column for f in figures if column_key(f.column) not in columns]
        result.missing_columns += [r for r in records
                                   if column_key(r) not in columns and r not in ("Domain",)]
        result.unread_columns = [h for h in header if h not in read]
        result.renamed = renamed
    builder = RowClaims(resolver.without_minted_by(EPOCH_DATA, KGS + "epoch-"), result, spec, snap,
                       _hardware_makers(path, hardware, rows, columns, spec, vocabulary), mint_as or {},
                       vocabulary)
    builder.everything = resolver
    builder.source_node(inferred)
    builder.find_twins([CsvRow(r, columns).get(*_name_columns(spec)) for r in rows])
    for row in rows:
        r = CsvRow(row, columns)
        if spec.kind == "models":
            builder.model_row(r, matched_only)
        elif spec.kind == "hardware":
            builder.hardware_row(r, matched_only)
        else:
            builder.cluster_row(r, matched_only)
    return result


def _name_columns(spec: TableSpec) -> tuple[str, ...]:
    return {"models": ("Model",), "hardware": ("Hardware name",), "clusters": ("Name",)}[spec.kind]


def _latest_date(rows: list[dict[str, str]], columns: dict[str, str], column: str,
                 past_only: bool) -> str:
    header = columns.get(column_key(column), column)
    today = date.today().isoformat()
    dates = sorted(d for d in ((r.get(header) or "")[:10] for r in rows)
                   if re.match(r"\d{4}-\d\d-\d\d", d) and (not past_only or d <= today))
    if not dates:
        raise InputError("no snapshot date given and the table has no dates",
                         hint="pass --snapshot YYYY-MM-DD")
    return dates[-1]


def _hardware_makers(path: Path, hardware: Path | None, rows: list[dict[str, str]],
                     columns: dict[str, str], spec: TableSpec, vocabulary: EpochColumns
                     ) -> dict[str, str]:
    """Chip name -> manufacturer: from this table when it is the hardware table, else from
    ml_hardware.csv beside it (or --hardware), so every table names a chip's vendor alike."""
    if spec.kind == "hardware":
        name, maker = columns.get("hardware name"), columns.get("manufacturer") or ""
        return {(r.get(name) or "").strip(): (r.get(maker) or "").strip() for r in rows} if name else {}
    candidate = hardware or Path(path).with_name("ml_hardware.csv")
    if not candidate.is_file():
        return {}
    try:
        table, other = read_table(candidate, columns=vocabulary)
    except InputError:
        return {}
    if table != "ml-hardware" or not other:
        return {}
    records = vocabulary.records_of("hardware")
    wanted = [records.get(n, (n,)) for n in ("Hardware name", "Manufacturer")]
    found, _ = match_columns(list(other[0]), wanted)
    rows_read = [CsvRow(r, found) for r in other]
    return {r.get("Hardware name"): r.get("Manufacturer") for r in rows_read}
