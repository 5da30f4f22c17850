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

import codecs
import csv
import hashlib
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import InputError
from kg.core.vocab import DCTERMS, KG, KGC, KGE, KGP, KGS, KGU, PROV, RDF, SKOS, UNIT, XSD
from kg.ingest.epoch_columns import EpochColumns, Figure, TableSpec
from kg.ingest.resolve import Match, Resolver, slug

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
EPOCH_DATA = "https://epoch.ai/data"   # where every Epoch-minted entity says it came from
HUB = KGS + "epoch-ai-data"

# column -> (condition, bases it states: ontology/bases.ttl); Epoch's datasheet figures are dense
THROUGHPUT_COLUMNS = [("Tensor-FP16/BF16 performance (FLOP/s)", "tensor FP16/BF16, dense",
                       ("FP16", "Dense")),
                      ("FP16 (half precision) performance (FLOP/s)", "FP16", ("FP16",))]
# Epoch's MFU is measured against the chip's peak at the row's numerical format
NUMERIC_FORMAT_BASIS = {"FP8": "FP8", "FP16": "FP16", "BF16": "FP16", "TF32": "TF32"}
# the chip-count columns a cluster row pairs with its chip types; Epoch writes 0 for "unknown"
CHIP_COUNT_COLUMNS = {"Chip quantity (primary)", "Chip quantity (secondary)", "Total number of AI chips"}
_FRONTIER_SIGNS = {"flop/$", "assumed precision", "hardware fp32", "hardware age", "frontier model"}


@dataclass
class ImportResult:
    """The import as Turtle-ready triples, with the decisions a reviewer checks."""

    table: str
    snapshot: str
    source: str
    triples: list[ox.Triple] = field(default_factory=list)
    claims: int = 0
    rows: int = 0
    rows_imported: int = 0
    matches: list[Match] = field(default_factory=list)   # one per row
    entity_matches: list[Match] = field(default_factory=list)  # chips, labs, countries
    minted: list[str] = field(default_factory=list)
    unparsed: list[tuple[str, str, str, str]] = field(default_factory=list)  # row, column, cell, why
    missing_columns: list[str] = field(default_factory=list)
    unread_columns: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)   # (expected, file's name)
    twins: list[str] = field(default_factory=list)

    def summary(self) -> str:
        from kg.ingest.resolve import summary

        text = (f"{self.table}: {self.rows_imported} of {self.rows} rows imported as "
                f"{self.claims} claims (snapshot {self.snapshot}, source {self.source.rsplit('/', 1)[-1]}); "
                f"{len(set(self.minted))} new entities; rows: {summary(self.matches)}")
        if self.missing_columns:
            text += (f"\ncolumns not in the file (their figures are not imported): "
                     f"{', '.join(self.missing_columns)}")
        if self.unread_columns:
            text += (f"\n{len(self.unread_columns)} column(s) of the file not read: "
                     f"{', '.join(self.unread_columns)}")
        if self.renamed:
            text += ("\ncolumns read under another spelling of their name: "
                     + ", ".join(f"{got!r} as {want!r}" for want, got in self.renamed))
        suggested = renamed_perhaps(self.missing_columns, self.unread_columns)
        if suggested:
            text += ("\nperhaps renamed: " + ", ".join(f"{got!r} for {want!r}" for want, got in suggested)
                     + " (if so, add the new name as an skos:altLabel of that column in "
                       "ontology/epoch-columns.ttl and import again)")
        if self.twins:
            text += ("\nnames that differ from another name in the table only in case or punctuation "
                     f"(minted apart, with a suffix): {', '.join(self.twins)}")
        if self.unparsed:
            shown = "; ".join(f"{row} / {column} = {cell!r} ({why})"
                              for row, column, cell, why in self.unparsed[:5])
            more = f"; and {len(self.unparsed) - 5} more" if len(self.unparsed) > 5 else ""
            text += f"\n{len(self.unparsed)} cell(s) left out, not read: {shown}{more}"
        return text


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: str, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(value, datatype=_n(datatype)) if datatype else ox.Literal(value)


def _key(header: str) -> str:
    return " ".join(header.casefold().split())


def _loose(name: str) -> str:
    """A column name with only its letters and digits, case folded, an "(s)" plural dropped:
    "Organization(s)", "Power capacity [MW]" and "Training chip hours" meet the names kg
    expects."""
    return re.sub(r"[^0-9a-z]+", "", name.casefold().replace("(s)", ""))


def renamed_perhaps(missing: list[str], unread: list[str], cutoff: float = 0.85
                    ) -> list[tuple[str, str]]:
    """(expected, file's name) for columns kg expects and did not find beside a column of the
    file whose name is nearly the same ("Numeric format" for "Numerical format"): a guess for
    the reader to confirm, never read as the column."""
    import difflib

    out = []
    for want in missing:
        scored = [(difflib.SequenceMatcher(None, _loose(want), _loose(got)).ratio(), got)
                  for got in unread]
        best = max(scored, default=(0.0, ""))
        if best[0] >= cutoff:
            out.append((want, best[1]))
    return out


def match_columns(header: list[str], expected: list[tuple[str, ...]]
                  ) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each expected column (its first name's `_key`) -> the file's header that holds it, found
    under any of its names (the ontology's label and former names, in order); and the
    (expected, header) pairs read by a looser match of a name: spelling apart (case, spaces,
    punctuation, an "(s)"), a renamed column is still read, and the summary says so."""
    in_file = {_key(h): h for h in header}
    columns: dict[str, str] = dict(in_file)
    taken: set[str] = set()
    for names in expected:
        hit = next((in_file[_key(n)] for n in names if _key(n) in in_file), None)
        if hit is not None:
            columns[_key(names[0])] = hit
            taken.add(hit)
    loose: dict[str, list[str]] = {}
    for h in header:
        if h not in taken:
            loose.setdefault(_loose(h), []).append(h)
    renamed = []
    for names in expected:
        if _key(names[0]) in columns:
            continue
        found = next((loose[_loose(n)] for n in names if len(loose.get(_loose(n), [])) == 1), [])
        if found and found[0] not in taken:
            columns[_key(names[0])] = found[0]
            taken.add(found[0])
            renamed.append((names[0], found[0]))
    return columns, renamed


def detect(header: Iterable[str], columns: EpochColumns | None = None) -> str | None:
    """Which Epoch table a header row belongs to, from its column names alone (any of the
    names the ontology gives each column, spelt loosely)."""
    columns = columns or EpochColumns.from_ontology()
    keys = {_key(h) for h in header if h} | {_loose(h) for h in header if h}

    def has(*names: str) -> bool:
        return any(_key(n) in keys or _loose(n) in keys for n in names)

    def record(kind: str, label: str) -> tuple[str, ...]:
        return columns.records_of(kind).get(label, (label,))

    if has(*record("hardware", "Hardware name")):
        return "ml-hardware"
    cluster_signs = [f.names for f in columns.of("clusters")] + [record("clusters", "Chip type (primary)")]
    if has(*record("clusters", "Name")) and any(has(*names) for names in cluster_signs):
        return "gpu-clusters"
    model_signs = [f.names for f in columns.of("models")] + [record("models", "Publication date")]
    if has(*record("models", "Model")) and any(has(*names) for names in model_signs):
        if len(keys & _FRONTIER_SIGNS) >= 3:
            return "frontier-ai-models"
        if "notability criteria" in keys:
            return "notable-ai-models"
        return "large-scale-ai-models"
    return None


def read_table(path: Path, table: str | None = None,
               columns: EpochColumns | None = None) -> tuple[str, list[dict[str, str]]]:
    """The rows as written (strings, never re-formatted), keyed by stripped header, and which
    Epoch table they are (recognised by the columns unless `table` says)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="pass one of Epoch's CSV tables "
                         "(notable, large-scale or frontier models, ML hardware, GPU clusters)")
    text = _decode(path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty", hint="download the table again")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        records = list(reader)
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: not a readable CSV file ({exc})") from exc
    header = [h.strip() for h in header]
    table = table or detect(header, columns)
    if table is None:
        raise InputError(f"{path}: not an Epoch table (no 'Model' and 'Parameters', 'Hardware name', "
                         f"or 'Name' with cluster columns; the header has {len(header)} column(s))",
                         hint="kg import epoch reads Epoch AI's notable, large-scale and frontier "
                              "models, ML hardware and GPU clusters tables")
    rows = [{h: (r[i] if i < len(r) else "") for i, h in enumerate(header) if h} for r in records]
    return table, rows


_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]


def _decode(path: Path) -> str:
    """UTF-8 (or UTF-16/32 announced by a byte-order mark); anything else is refused by line.

    No guessing of legacy encodings: a Latin-1 "é" read as something else would mint a wrong
    name silently, so the file is refused with the line to look at.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not {encoding.upper().replace('-SIG', '')} text "
                         f"(byte 0x{raw[exc.start]:02x} at offset {exc.start}: {exc.reason})",
                         hint="save the file as UTF-8 (Epoch's downloads are UTF-8)") from exc
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise InputError(f"{path}:{line}: holds NUL bytes, so it is no text CSV file",
                         hint="is it a spreadsheet (.xlsx) renamed .csv? export it as CSV")
    return text


class _Row:
    """One CSV row read by column name, whatever the file calls or orders its columns."""

    def __init__(self, row: dict[str, str], columns: dict[str, str]) -> None:
        self.row = row
        self.columns = columns     # our name -> the file's header

    def get(self, *names: str) -> str:
        for name in names:
            header = self.columns.get(_key(name))
            if header is not None:
                return (self.row.get(header) or "").strip()
        return ""


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
        read = {columns[_key(names[0])] for names in expected if _key(names[0]) in columns}
        result.missing_columns = [f.column for f in figures if _key(f.column) not in columns]
        result.missing_columns += [r for r in records if _key(r) not in columns and r not in ("Domain",)]
        result.unread_columns = [h for h in header if h not in read]
        result.renamed = renamed
    builder = _Builder(resolver.without_minted_by(EPOCH_DATA, KGS + "epoch-"), result, spec, snap,
                       _hardware_makers(path, hardware, rows, columns, spec), mint_as or {},
                       vocabulary)
    builder.everything = resolver
    builder.source_node(inferred)
    builder.find_twins([_Row(r, columns).get(*_name_columns(spec)) for r in rows])
    for row in rows:
        r = _Row(row, columns)
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
    header = columns.get(_key(column), column)
    today = date.today().isoformat()
    dates = sorted(d for d in ((r.get(header) or "")[:10] for r in rows)
                   if re.match(r"\d{4}-\d\d-\d\d", d) and (not past_only or d <= today))
    if not dates:
        raise InputError("no snapshot date given and the table has no dates",
                         hint="pass --snapshot YYYY-MM-DD")
    return dates[-1]


def _hardware_makers(path: Path, hardware: Path | None, rows: list[dict[str, str]],
                     columns: dict[str, str], spec: TableSpec) -> dict[str, str]:
    """Chip name -> manufacturer: from this table when it is the hardware table, else from
    ml_hardware.csv beside it (or --hardware), so every table names a chip's vendor alike."""
    if spec.kind == "hardware":
        name, maker = columns.get("hardware name"), columns.get("manufacturer") or ""
        return {(r.get(name) or "").strip(): (r.get(maker) or "").strip() for r in rows} if name else {}
    candidate = hardware or Path(path).with_name("ml_hardware.csv")
    if not candidate.is_file():
        return {}
    try:
        table, other = read_table(candidate)
    except InputError:
        return {}
    if table != "ml-hardware":
        return {}
    return {r["Hardware name"].strip(): (r.get("Manufacturer") or "").strip() for r in other}


def band(cell: str) -> tuple[float, float, float]:
    """Value and the band one unit in its last significant digit implies (capped at 10 %)."""
    d = Decimal(cell.strip())
    value = float(d)
    exponent = d.normalize().as_tuple().exponent
    ulp = float(Decimal(1).scaleb(exponent)) if isinstance(exponent, int) else 0.0
    tol = min(ulp, 0.1 * abs(value)) if value else ulp
    return value, value - tol, value + tol


def mint_slug(name: str) -> str:
    """The local name an Epoch name is minted under: its slug, with "+" kept as "plus" so
    PointNet and PointNet++ stay two."""
    return slug(name.replace("++", " plusplus ").replace("+", " plus "))


class _Builder:
    """Accumulates triples for one import; mints entity IRIs from names alone."""

    def __init__(self, resolver: Resolver, result: ImportResult, spec: TableSpec, snapshot: str,
                 makers: dict[str, str], mint_as: dict[str, str], columns: EpochColumns) -> None:
        self.r = resolver
        self.everything = resolver   # with what earlier imports minted: for --matched-only only
        self.mint_as = mint_as
        self.columns = columns
        self.out = result
        self.spec = spec
        self.snap = snapshot.replace("-", "")
        self.makers = makers
        self.slugs: set[str] = set()
        self.resolved: dict[tuple[str, str], str] = {}
        self.described: set[str] = set()
        self.twin_names: set[str] = set()

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        self.out.triples.append(ox.Triple(_n(s), _n(p), o))

    def source_node(self, inferred: bool) -> None:
        s = self.out.source
        self.add(s, RDF + "type", _n(KG + "Document"))
        self.add(s, DCTERMS + "title", _lit(f"Epoch AI, {self.spec.title} (snapshot {self.out.snapshot})"))
        self.add(s, KG + "sourceKind", _n(KG + "CuratedDatabase"))
        self.add(s, DCTERMS + "creator", _n(KGE + "epoch-ai"))
        self.add(s, DCTERMS + "date", _lit(self.out.snapshot, XSD + "date"))
        self.add(s, DCTERMS + "license", _n(LICENCE))
        self.add(s, DCTERMS + "isPartOf", _n(HUB))
        self.add(s, DCTERMS + "source", _n(EPOCH_DATA))
        if inferred:
            self.add(s, KG + "dateBasis", _lit("no snapshot date given: the latest date in the table"))
        # every snapshot is a version of one database: successive snapshots are one curator's
        # revisions, which the reconciler never counts as independent sources
        database = KGS + "epoch-" + self.spec.key
        self.add(s, DCTERMS + "isVersionOf", _n(database))
        self.add(database, RDF + "type", _n("http://purl.org/dc/dcmitype/Dataset"))
        self.add(database, DCTERMS + "title", _lit(f"Epoch AI, {self.spec.title}"))
        self.add(database, DCTERMS + "creator", _n(KGE + "epoch-ai"))

    def find_twins(self, names: list[str]) -> None:
        """Names of one table that would mint the same IRI though spelt differently."""
        by_slug: dict[str, set[str]] = {}
        for name in names:
            if name:
                by_slug.setdefault(mint_slug(_clean(name)), set()).add(_clean(name))
        for spellings in by_slug.values():
            if len(spellings) > 1:
                self.twin_names |= spellings
        self.out.twins = sorted(self.twin_names)

    # ------------------------------------------------------------------ entities
    def entity(self, name: str, classes: tuple[str, ...], mint_class: str,
               extra: Iterable[tuple[str, ox.NamedNode | ox.Literal]] = ()) -> str:
        """The entity a name denotes: an existing one (graph, not earlier Epoch imports), or one
        minted from the name alone, described the same way by every table."""
        key = (name, classes[0])
        if key in self.resolved:
            return self.resolved[key]
        match = self.r.resolve(name, classes=classes)
        if match.matched and match.iri:
            self.out.entity_matches.append(match)
            self.resolved[key] = match.iri
            return match.iri
        iri = self.mint(name)
        self.out.entity_matches.append(Match(name, iri, "minted", match.score, name, match.note))
        self.describe(iri, name, mint_class, extra)
        self.resolved[key] = iri
        return iri

    def mint(self, name: str) -> str:
        if name in self.mint_as:
            return self.mint_as[name]
        local = mint_slug(name)
        if name in self.twin_names:
            local += "-" + hashlib.sha256(name.encode()).hexdigest()[:6]
        iri = KGE + local
        if self.r.taken(iri):
            iri = KGE + local + "-epoch"   # the curated graph uses the slug for something else
        return iri

    def describe(self, iri: str, name: str, cls: str,
                 extra: Iterable[tuple[str, ox.NamedNode | ox.Literal]]) -> None:
        if iri in self.described:
            return
        self.described.add(iri)
        self.out.minted.append(iri)
        self.add(iri, RDF + "type", _n(KG + cls))
        self.add(iri, SKOS + "prefLabel", _lit(name))
        self.add(iri, DCTERMS + "source", _n(EPOCH_DATA))
        for p, o in extra:
            self.add(iri, p, o)

    def country(self, name: str) -> str:
        return self.entity(name, ("Country",), "Country")

    def organisation(self, name: str) -> str:
        return self.entity(name, ("Organisation",), "Organisation")

    def chip(self, name: str) -> str:
        maker = self.makers.get(name) or name.split()[0]
        extra = [(KG + "developer", _n(self.organisation(maker)))] if maker else []
        return self.entity(name, ("Chip", "System"), "Chip", extra)

    def _row_slug(self, name: str) -> str:
        base = mint_slug(name)
        s, n = base, 2
        while s in self.slugs:
            s, n = f"{base}-{n}", n + 1
        self.slugs.add(s)
        return s

    # ------------------------------------------------------------------ claims
    def claim(self, subject: str, row_slug: str, what: str, prop: str, stated: str,
              locator: str, hedge: str) -> str:
        iri = KGC + f"epoch-{self.spec.short}-{self.snap}-{row_slug}-{what}"
        self.add(iri, RDF + "type", _n(KG + "Claim"))
        self.add(iri, KG + "subject", _n(subject))
        self.add(iri, KG + "property", _n(KGP + prop))
        self.add(iri, KG + "stated", _lit(stated))
        self.add(iri, KG + "hedge", _n(KG + hedge))
        self.add(iri, PROV + "wasDerivedFrom", _n(self.out.source))
        self.add(iri, KG + "locator", _lit(locator))
        self.out.claims += 1
        return iri

    def numeric(self, claim: str, cell: str, unit: str, factor: float = 1.0) -> None:
        value, low, high = band(cell)
        double = XSD + "double"
        self.add(claim, KG + "amount", _lit(repr(value * factor), double))
        self.add(claim, KG + "lowerBound", _lit(repr(low * factor), double))
        self.add(claim, KG + "upperBound", _lit(repr(high * factor), double))
        self.add(claim, KG + "unit", _n(unit))
        self.add(claim, KG + "valueShape", _n(KG + "Point"))

    def readable(self, row: str, column: str, cell: str) -> bool:
        """True for a usable figure; an empty cell is simply absent, junk is reported."""
        if not cell:
            return False
        why = _unreadable(cell)
        if why:
            self.out.unparsed.append((row, column, cell, why))
            return False
        return True

    def zero(self, row: str, column: str, cell: str, figure: Figure | None = None) -> bool:
        """A zero figure is Epoch's "unknown": left out, and reported where that is not the habit."""
        if float(cell) != 0:
            return False
        if not (figure.zero_means_unknown if figure else column in CHIP_COUNT_COLUMNS):
            self.out.unparsed.append((row, column, cell, "zero, read as unknown"))
        return True

    def readable_date(self, row: str, column: str, cell: str) -> bool:
        if not cell:
            return False
        if re.fullmatch(r"\d{4}-\d\d-\d\d", cell):
            try:
                date.fromisoformat(cell)
                return True
            except ValueError:
                pass
        self.out.unparsed.append((row, column, cell, "not a YYYY-MM-DD date"))
        return False

    def figures(self, r: _Row, name: str, subject: str, row_slug: str, figures: list[Figure],
                hedge: str, where: str, chip: str | None = None,
                status: str | None = None) -> None:
        for f in figures:
            cell = r.get(*f.names)
            if not self.readable(name, f.column, cell) or self.zero(name, f.column, cell, f):
                continue
            if f.prop == "trainingTokens" and "language" not in r.get("Domain").lower():
                continue
            c = self.claim(subject, row_slug, f.what, f.prop, cell, f"{where}, column {f.column}", hedge)
            self.numeric(c, cell, f.unit, f.factor)
            if f.scope:
                self.add(c, KG + "scope", _n(KG + f.scope))
            if f.condition:
                self.add(c, KG + "condition", _lit(f.condition))
            if chip and f.prop in ("gpuCount", "trainingGpuHours"):
                self.add(c, KG + "chip", _n(chip))
            if status:
                self.add(c, KG + "operationalStatus", _n(KG + status))
            basis = NUMERIC_FORMAT_BASIS.get(r.get("Numerical format").upper())
            if f.prop == "modelFlopsUtilization" and basis:
                self.add(c, KG + "basis", _n(KG + basis))

    def row_match(self, name: str, classes: tuple[str, ...], matched_only: bool) -> Match | None:
        """How a row's name resolves; None when `matched_only` skips it. A name an earlier Epoch
        import minted counts as in the graph for `matched_only` (the shipped slice's chips), and
        is minted again, identically."""
        match = self.r.resolve(name, classes=classes)
        if not match.matched and matched_only and not self.everything.taken(self.mint(name)):
            self.out.matches.append(match)
            return None
        return match

    # ------------------------------------------------------------------ tables
    def model_row(self, r: _Row, matched_only: bool) -> None:
        name = _clean(r.get("Model"))
        if not name:
            return
        match = self.row_match(name, ("Model",), matched_only)
        if match is None:
            return
        row_slug = self._row_slug(name)
        if match.matched and match.iri:
            subject = match.iri
        else:
            orgs = [o.strip() for o in r.get("Organization").split(",") if o.strip()]
            developers = list(dict.fromkeys(self.organisation(o) for o in orgs))
            subject = self.entity(name, ("Model",), "Model",
                                  [(KG + "developer", _n(d)) for d in developers])
            match = Match(name, subject, "minted", match.score, name, match.note)
        self.out.matches.append(match)
        self.out.rows_imported += 1
        hedge = self.columns.hedge("Confidence", r.get("Confidence"))
        where = f"table row Model={name}"
        chips = [c.strip() for c in r.get("Training hardware").split(",") if c.strip()]
        chip_iris = [self.chip(c) for c in chips]
        self.figures(r, name, subject, row_slug, self.columns.of("models"), hedge, where,
                     chip=chip_iris[0] if len(chip_iris) == 1 else None)
        published = r.get("Publication date")
        if self.readable_date(name, "Publication date", published):
            c = self.claim(subject, row_slug, "publication-date", "releaseDate", published,
                           f"{where}, column Publication date", "Stated")
            self.add(c, KG + "valueDate", _lit(published, XSD + "date"))
            self.add(c, KG + "condition", _lit("Epoch's publication date: first paper or release"))
        for chip_name, chip_iri in zip(chips, chip_iris, strict=True):
            c = self.claim(subject, row_slug, f"trained-on-{slug(chip_name)}", "trainedOn",
                           chip_name, f"{where}, column Training hardware", "Stated")
            self.add(c, KG + "valueEntity", _n(chip_iri))
        access = r.get("Model accessibility")
        if access:
            c = self.claim(subject, row_slug, "open-weights", "openWeights", access,
                           f"{where}, column Model accessibility", "Stated")
            is_open = access.lower().startswith("open weights")
            self.add(c, KG + "valueBoolean", _lit("true" if is_open else "false", XSD + "boolean"))

    def hardware_row(self, r: _Row, matched_only: bool) -> None:
        name = _clean(r.get("Hardware name"))
        if not name:
            return
        match = self.row_match(name, ("Chip", "System"), matched_only)
        if match is None:
            return
        row_slug = self._row_slug(name)
        subject = match.iri if match.matched and match.iri else self.chip(name)
        if not match.matched:
            match = Match(name, subject, "minted", match.score, name, match.note)
        self.out.matches.append(match)
        self.out.rows_imported += 1
        where = f"table row Hardware name={name}"
        released = r.get("Release date")[:10]
        if self.readable_date(name, "Release date", released):
            c = self.claim(subject, row_slug, "release-date", "releaseDate", released,
                           f"{where}, column Release date", "Stated")
            self.add(c, KG + "valueDate", _lit(released, XSD + "date"))
        for column, precision, bases in THROUGHPUT_COLUMNS:
            cell = r.get(column)
            if self.readable(name, column, cell) and float(cell) > 0:
                c = self.claim(subject, row_slug, "peak-throughput", "peakThroughput", cell,
                               f"{where}, column {column}", "Stated")
                self.numeric(c, cell, KGU + "FLOP-PER-SEC")
                self.add(c, KG + "condition", _lit(precision))
                for b in bases:
                    self.add(c, KG + "basis", _n(KG + b))
                break
        for f in self.columns.of("hardware"):
            cell = r.get(*f.names)
            if self.readable(name, f.column, cell) and float(cell) > 0:
                c = self.claim(subject, row_slug, f.what, f.prop, cell, f"{where}, column {f.column}",
                               "Stated")
                self.numeric(c, cell, f.unit)

    def cluster_row(self, r: _Row, matched_only: bool) -> None:
        name = _clean(r.get("Name"))
        if not name:
            return
        match = self.row_match(name, ("System",), matched_only)
        if match is None:
            return
        row_slug = self._row_slug(name)
        if match.matched and match.iri:
            subject = match.iri
        else:
            country = r.get("Country")
            extra = [(KG + "country", _n(self.country(country)))] if country else []
            subject = self.entity(name, ("System",), "System", extra)
            match = Match(name, subject, "minted", match.score, name, match.note)
        self.out.matches.append(match)
        self.out.rows_imported += 1
        status = self.columns.status("Status", r.get("Status"))
        hedge = "Projected" if status == "Planned" else self.columns.hedge("Certainty", r.get("Certainty"))
        where = f"table row Name={name}"
        self.figures(r, name, subject, row_slug, self.columns.of("clusters"), hedge, where, status=status)
        counted = False
        for rank in ("primary", "secondary"):
            chip_name, cell = r.get(f"Chip type ({rank})"), r.get(f"Chip quantity ({rank})")
            column = f"Chip quantity ({rank})"
            if not self.readable(name, column, cell) or self.zero(name, column, cell):
                continue
            chip = self.chip(chip_name) if chip_name else None
            c = self.claim(subject, row_slug, f"chips-{rank}", "gpuCount", cell, f"{where}, column {column}",
                           hedge)
            self.numeric(c, cell, UNIT + "NUM")
            if chip:
                self.add(c, KG + "chip", _n(chip))
            self.add(c, KG + "condition", _lit(f"{rank} chip type of the cluster"))
            if status:
                self.add(c, KG + "operationalStatus", _n(KG + status))
            counted = True
        total = r.get("Total number of AI chips")
        if not counted and self.readable(name, "Total number of AI chips", total) and \
                not self.zero(name, "Total number of AI chips", total):
            c = self.claim(subject, row_slug, "chips-total", "gpuCount", total,
                           f"{where}, column Total number of AI chips", hedge)
            self.numeric(c, total, UNIT + "NUM")
            if status:
                self.add(c, KG + "operationalStatus", _n(KG + status))
        first = r.get("First Operational Date")[:10]
        if self.readable_date(name, "First Operational Date", first):
            c = self.claim(subject, row_slug, "first-operational", "operationalDate", first,
                           f"{where}, column First Operational Date", hedge)
            self.add(c, KG + "valueDate", _lit(first, XSD + "date"))
            if status:
                self.add(c, KG + "operationalStatus", _n(KG + status))
        for owner in dict.fromkeys(o.strip() for o in r.get("Owner").split(",") if o.strip()):
            org = self.organisation(owner)
            c = self.claim(subject, row_slug, f"owner-{mint_slug(owner)}", "owner", owner,
                           f"{where}, column Owner", "Stated")
            self.add(c, KG + "valueEntity", _n(org))


def _clean(name: str) -> str:
    """A name as Epoch writes it, without the quotes a few cluster names carry."""
    name = " ".join(name.split())
    if len(name) > 1 and name[0] == name[-1] == '"':
        name = name[1:-1].strip()
    return name


_PLAIN_NUMBER = re.compile(r"\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def _unreadable(cell: str) -> str | None:
    """Why a figure cell cannot be imported, or None when it is a plain, finite, usable number."""
    if cell.startswith("-") and _PLAIN_NUMBER.fullmatch(cell[1:]) and float(cell[1:]) != 0:
        return "negative"
    if not _PLAIN_NUMBER.fullmatch(cell):
        return "not a number"
    try:
        d = Decimal(cell)
    except InvalidOperation:
        return "not a number"
    value = float(d)
    if not math.isfinite(value):
        return "too large"
    if value == 0 and d != 0:
        return "too small to store"
    return None


def iter_claims(result: ImportResult) -> Iterator[str]:
    """Claim IRIs of an import, in the order written (for tests and reports)."""
    claim = ox.NamedNode(KG + "Claim")
    for t in result.triples:
        if t.predicate.value == RDF + "type" and t.object == claim:
            yield t.subject.value  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple
