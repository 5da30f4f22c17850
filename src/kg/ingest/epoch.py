"""Import Epoch AI's curated tables (notable AI models, ML hardware) as claims of one more source.

Each figure cell becomes a kg:Claim like a curated one (graph/CURATION.md): the cell as written
in kg:stated, the normalised value written directly in base units, qualifiers, a hedge and a
reference to one source node per snapshot (kg:CuratedDatabase, dated). The reconciler then
treats Epoch as one more source beside the corpus. Facts and figures only: abstracts, author
lists and Epoch's free-text notes are never copied.

Why these choices:
- **Stable IRIs**: `kgc:epoch-<snapshot>-<row slug>-<figure>`. The same row of the same snapshot
  always gives the same IRI, so importing twice changes nothing; a newer snapshot has its own
  IRIs and source node, so a changed value sits beside the old one (a temporal disagreement,
  not an overwrite).
- **Hedge from Epoch's Confidence column** (one rating per row, about its compute estimate,
  applied to the row's numeric figures): Confident -> kg:Stated, Likely -> kg:Estimated,
  Speculative -> kg:Unverified, Unknown or empty -> kg:Estimated (Epoch's own figure, unrated).
  Dates, training hardware and accessibility are records, not estimates: kg:Stated.
- **Precision**: a database cell has no "~"; its band is one unit in its last significant digit
  (capped at 10 %), the rule kg.core.quantity applies to text, so 3.4e+24 and 3.8e+24 disagree.
- **Columns**: Parameters -> totalParameters; Training compute -> trainingCompute; Finetune
  compute -> trainingCompute [PostTraining]; dataset size -> trainingTokens (language models
  only: elsewhere Epoch counts images or other datapoints); Training time -> trainingDuration;
  Training hardware -> trainedOn (one claim per chip); Hardware quantity -> gpuCount [chip];
  MFU -> modelFlopsUtilization; cost (2023 USD) -> trainingCost
  [FinalRunCompute] with the dollar basis as kg:condition; hardware acquisition cost ->
  trainingCost [HardwareSpend]; Publication date -> releaseDate; Model
  accessibility -> openWeights. Organisation and country become kg:developer / kg:country of
  minted nodes (structural facts, as in graph/entities.ttl). Power draw, epochs and batch size
  have no figure property yet and are left out. So are the cost (cloud) and cost (upfront)
  columns: they price the same run by another method, and kg's statement identity does not split
  on the method (kg:condition), so they would read as Epoch contradicting itself; they need
  scopes of their own (cloud rental vs amortised hardware) before they can be imported.
- **Bad cells are reported, never guessed**: a figure cell that is not a plain finite number
  (text, "NaN", a thousands separator, a negative count, a value beyond a double) or a date
  that is no calendar date is left out and listed in `ImportResult.unparsed` and the summary,
  never read as zero. Files that are empty, not UTF-8 (UTF-16 and UTF-32 with a byte-order
  mark are read), or not an Epoch table are one clear InputError each.
- **Hardware table**: releaseDate, peakThroughput (one precision per chip, tensor FP16/BF16 when
  given, else FP16: several precisions would read as one statement disagreeing with itself),
  interconnectBandwidth (intranode).
"""

from __future__ import annotations

import codecs
import csv
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
from kg.ingest.resolve import Match, Resolver, mint_iri, slug

HEDGES = {"confident": "Stated", "likely": "Estimated", "speculative": "Unverified",
          "unknown": "Estimated", "": "Estimated"}
LICENCE = "https://creativecommons.org/licenses/by/4.0/"

# column -> (property, IRI suffix, base unit, scope, condition, hedged by Confidence)
MODEL_FIGURES: list[tuple[str, str, str, str, str | None, str | None]] = [
    ("Parameters", "totalParameters", "parameters", UNIT + "NUM", None, None),
    ("Training compute (FLOP)", "trainingCompute", "training-compute", KGU + "FLOP", None, None),
    ("Finetune compute (FLOP)", "trainingCompute", "finetune-compute", KGU + "FLOP",
     "PostTraining", "fine-tuning compute on top of the base model"),
    ("Training dataset size (gradients)", "trainingTokens", "dataset-size", UNIT + "NUM", None,
     "Epoch's dataset size in datapoints (tokens for a language model)"),
    ("Training time (hours)", "trainingDuration", "training-time", UNIT + "HR", None, None),
    ("Hardware quantity", "gpuCount", "hardware-quantity", UNIT + "NUM", "TrainingCluster",
     "chips used in the training run"),
    ("Hardware utilization (MFU)", "modelFlopsUtilization", "mfu", UNIT + "UNITLESS", None, None),
    ("Training compute cost (2023 USD)", "trainingCost", "cost-2023-usd", KGU + "USD-2023",
     "FinalRunCompute", "in 2023 US dollars, inflation-adjusted"),
    ("Hardware acquisition cost", "trainingCost", "hardware-acquisition-cost", UNIT + "CCY_USD",
     "HardwareSpend", "acquisition cost of the training hardware"),
]
# column -> (condition, bases it states: ontology/bases.ttl); Epoch's datasheet figures are dense
THROUGHPUT_COLUMNS = [("Tensor-FP16/BF16 performance (FLOP/s)", "tensor FP16/BF16, dense",
                       ("FP16", "Dense")),
                      ("FP16 (half precision) performance (FLOP/s)", "FP16", ("FP16",))]
# Epoch's MFU is measured against the chip's peak at the row's numerical format
NUMERIC_FORMAT_BASIS = {"FP8": "FP8", "FP16": "FP16", "BF16": "FP16", "TF32": "TF32"}
ZERO_MEANS_UNKNOWN = {"Hardware acquisition cost", "Training compute cost (2023 USD)",
                      "Hardware quantity", "Parameters", "Training compute (FLOP)"}


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

    def summary(self) -> str:
        from kg.ingest.resolve import summary

        text = (f"{self.table}: {self.rows_imported} of {self.rows} rows imported as "
                f"{self.claims} claims (snapshot {self.snapshot}); {len(self.minted)} new "
                f"entities; rows: {summary(self.matches)}")
        if self.missing_columns:
            text += f"\ncolumns not in the file (their figures are not imported): " \
                    f"{', '.join(self.missing_columns)}"
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


def read_table(path: Path) -> tuple[str, list[dict[str, str]]]:
    """The rows as written (strings, never re-formatted), and which Epoch table they are."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="pass Epoch's notable_ai_models.csv "
                         "or ml_hardware.csv")
    text = _decode(path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty", hint="download the table again")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: not a readable CSV file ({exc})") from exc
    header = [h.strip() for h in header if h is not None]
    if "Model" in header and "Parameters" in header:
        return "models", rows
    if "Hardware name" in header:
        return "hardware", rows
    raise InputError(f"{path}: not an Epoch table (no 'Model' or 'Hardware name' column; "
                     f"a models table needs 'Model' and 'Parameters'; the header has "
                     f"{len(header)} column(s))",
                     hint="kg import epoch reads notable_ai_models.csv or ml_hardware.csv")


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


def import_epoch(path: Path, resolver: Resolver, *, snapshot: str | None = None,
                 matched_only: bool = False, hardware: Path | None = None) -> ImportResult:
    """Claims for every row (or only rows naming entities the graph has: `matched_only`)."""
    table, rows = read_table(path)
    inferred = snapshot is None
    snap = snapshot or _latest_date(rows, "Publication date" if table == "models" else
                                    "Release date")
    try:
        date.fromisoformat(snap)
    except ValueError as exc:
        raise InputError(f"snapshot date {snap!r} is not YYYY-MM-DD") from exc
    name = "notable-ai-models" if table == "models" else "ml-hardware"
    source = KGS + f"epoch-{name}-{snap}"
    result = ImportResult(table, snap, source, rows=len(rows))
    expected = ([c for c, *_ in MODEL_FIGURES] + ["Publication date", "Training hardware",
                                                  "Model accessibility"]
                if table == "models" else
                [c for c, _, _ in THROUGHPUT_COLUMNS] + ["Release date", "Intranode bandwidth (byte/s)"])
    present = set(rows[0]) if rows else set()
    result.missing_columns = [c for c in expected if rows and c not in present]
    builder = _Builder(resolver, result, snap, _hardware_makers(path, hardware))
    builder.source_node(name, inferred)
    if table == "models":
        for row in rows:
            builder.model_row(row, matched_only)
    else:
        for row in rows:
            builder.hardware_row(row, matched_only)
    return result


def _latest_date(rows: list[dict[str, str]], column: str) -> str:
    dates = sorted(r.get(column, "")[:10] for r in rows if re.match(r"\d{4}-\d\d-\d\d",
                                                                      r.get(column, "")))
    if not dates:
        raise InputError("no snapshot date given and the table has no dates",
                         hint="pass --snapshot YYYY-MM-DD")
    return dates[-1]


def _hardware_makers(path: Path, hardware: Path | None) -> dict[str, str]:
    """Chip name -> manufacturer, from ml_hardware.csv beside the models table if present."""
    candidate = hardware or Path(path).with_name("ml_hardware.csv")
    if not candidate.is_file():
        return {}
    try:
        table, rows = read_table(candidate)
    except InputError:
        return {}
    if table != "hardware":
        return {}
    return {r["Hardware name"].strip(): (r.get("Manufacturer") or "").strip() for r in rows}


def band(cell: str) -> tuple[float, float, float]:
    """Value and the band one unit in its last significant digit implies (capped at 10 %)."""
    d = Decimal(cell.strip())
    value = float(d)
    exponent = d.normalize().as_tuple().exponent
    ulp = float(Decimal(1).scaleb(exponent)) if isinstance(exponent, int) else 0.0
    tol = min(ulp, 0.1 * abs(value)) if value else ulp
    return value, value - tol, value + tol


class _Builder:
    """Accumulates triples for one import; keeps minted IRIs and row slugs unique and stable."""

    def __init__(self, resolver: Resolver, result: ImportResult, snapshot: str,
                 makers: dict[str, str]) -> None:
        self.r = resolver
        self.out = result
        self.snap = snapshot.replace("-", "")
        self.makers = makers
        self.slugs: set[str] = set()
        self.resolved: dict[tuple[str, str], str | None] = {}

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        self.out.triples.append(ox.Triple(_n(s), _n(p), o))

    def source_node(self, name: str, inferred: bool) -> None:
        s = self.out.source
        title = {"notable-ai-models": "Notable AI Models", "ml-hardware": "Machine Learning Hardware"}
        self.add(s, RDF + "type", _n(KG + "Document"))
        self.add(s, DCTERMS + "title", _lit(f"Epoch AI, {title[name]} (snapshot {self.out.snapshot})"))
        self.add(s, KG + "sourceKind", _n(KG + "CuratedDatabase"))
        self.add(s, DCTERMS + "creator", _n(KGE + "epoch-ai"))
        self.add(s, DCTERMS + "date", _lit(self.out.snapshot, XSD + "date"))
        self.add(s, DCTERMS + "license", _n(LICENCE))
        if inferred:
            self.add(s, KG + "dateBasis", _lit("no snapshot date given: the latest date in the table"))
        # every snapshot is a version of one database: successive snapshots are one curator's
        # revisions, which the reconciler never counts as independent sources
        database = KGS + "epoch-" + name
        self.add(s, DCTERMS + "isVersionOf", _n(database))
        self.add(database, RDF + "type", _n("http://purl.org/dc/dcmitype/Dataset"))
        self.add(database, DCTERMS + "title", _lit(f"Epoch AI, {title[name]}"))
        self.add(database, DCTERMS + "creator", _n(KGE + "epoch-ai"))

    # ------------------------------------------------------------------ entities
    def entity(self, name: str, classes: tuple[str, ...], mint_class: str,
               extra: Iterable[tuple[str, ox.NamedNode | ox.Literal]] = ()) -> str:
        """Resolve a name among `classes`, minting (and describing) a node when none fits."""
        key = (name.casefold(), classes[0])
        if key in self.resolved:
            return self.resolved[key]  # type: ignore[return-value]
        match = self.r.resolve(name, classes=classes)
        origin = self.r.minted_from.get(match.iri or "", "")
        if match.matched and not origin.startswith(KGS + "epoch-"):
            iri = match.iri
        else:
            # minted now, or by an earlier Epoch import: described again, identically, so this
            # file stands on its own when it replaces that earlier one
            iri = match.iri if match.matched else mint_iri(self.r, name)
            label = (self.r.label(iri) if match.matched else None) or name
            if not match.matched:
                self.r.reserve(iri)
            self.out.minted.append(iri)
            self.add(iri, RDF + "type", _n(KG + mint_class))
            self.add(iri, SKOS + "prefLabel", _lit(label))
            self.add(iri, DCTERMS + "source", _n(origin or self.out.source))
            for p, o in extra:
                self.add(iri, p, o)
            if not match.matched:
                match = Match(name, iri, "minted", match.score, name, match.note)
        self.out.entity_matches.append(match)
        self.resolved[key] = iri
        return iri  # type: ignore[return-value]

    def country(self, name: str) -> str:
        return self.entity(name, ("Country",), "Country")

    def organisation(self, name: str, country: str | None, mint_class: str = "Lab") -> str:
        extra = [(KG + "country", _n(self.country(country)))] if country else []
        return self.entity(name, ("Organisation",), mint_class, extra)

    def chip(self, name: str) -> str:
        maker = self.makers.get(name) or name.split()[0]
        extra = [(KG + "developer", _n(self.organisation(maker, None, "ChipVendor")))]
        return self.entity(name, ("Chip", "System"), "Chip", extra)

    def _row_slug(self, name: str) -> str:
        base = slug(name)
        s, n = base, 2
        while s in self.slugs:
            s, n = f"{base}-{n}", n + 1
        self.slugs.add(s)
        return s

    # ------------------------------------------------------------------ claims
    def claim(self, subject: str, row_slug: str, what: str, prop: str, stated: str,
              locator: str, hedge: str) -> str:
        iri = KGC + f"epoch-{self.snap}-{row_slug}-{what}"
        self.add(iri, RDF + "type", _n(KG + "Claim"))
        self.add(iri, KG + "subject", _n(subject))
        self.add(iri, KG + "property", _n(KGP + prop))
        self.add(iri, KG + "stated", _lit(stated))
        self.add(iri, KG + "hedge", _n(KG + hedge))
        self.add(iri, PROV + "wasDerivedFrom", _n(self.out.source))
        self.add(iri, KG + "locator", _lit(locator))
        self.out.claims += 1
        return iri

    def numeric(self, claim: str, cell: str, unit: str) -> None:
        value, low, high = band(cell)
        double = XSD + "double"
        self.add(claim, KG + "amount", _lit(repr(value), double))
        self.add(claim, KG + "lowerBound", _lit(repr(low), double))
        self.add(claim, KG + "upperBound", _lit(repr(high), double))
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

    def zero(self, row: str, column: str, cell: str) -> bool:
        """A zero figure is Epoch's "unknown": left out, and reported where that is not the habit."""
        if float(cell) != 0:
            return False
        if column not in ZERO_MEANS_UNKNOWN:
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

    def model_row(self, row: dict[str, str], matched_only: bool) -> None:
        name = (row.get("Model") or "").strip()
        if not name:
            return
        match = self.r.resolve(name, classes=("Model",))
        if match.matched and self.r.minted_from.get(match.iri or "", "").startswith(KGS + "epoch-"):
            match = Match(name, None, "none", match.score, None, "minted by an earlier import")
        if not match.matched and matched_only:
            self.out.matches.append(match)
            return
        row_slug = self._row_slug(name)
        if match.matched:
            subject = match.iri
        else:
            subject = self._mint_model(name, row)
            match = Match(name, subject, "minted", match.score, name, match.note)
        self.out.matches.append(match)
        self.out.rows_imported += 1
        hedge = HEDGES.get((row.get("Confidence") or "").strip().lower(), "Estimated")
        where = f"table row Model={name}"
        chips = [c.strip() for c in (row.get("Training hardware") or "").split(",") if c.strip()]
        chip_iris = [self.chip(c) for c in chips]
        for column, prop, what, unit, scope, condition in MODEL_FIGURES:
            cell = (row.get(column) or "").strip()
            if not self.readable(name, column, cell) or self.zero(name, column, cell):
                continue
            if prop == "trainingTokens" and "language" not in (row.get("Domain") or "").lower():
                continue
            c = self.claim(subject, row_slug, what, prop, cell, f"{where}, column {column}", hedge)
            self.numeric(c, cell, unit)
            if scope:
                self.add(c, KG + "scope", _n(KG + scope))
            if condition:
                self.add(c, KG + "condition", _lit(condition))
            if prop == "gpuCount" and len(chip_iris) == 1:
                self.add(c, KG + "chip", _n(chip_iris[0]))
            basis = NUMERIC_FORMAT_BASIS.get((row.get("Numerical format") or "").strip().upper())
            if prop == "modelFlopsUtilization" and basis:
                self.add(c, KG + "basis", _n(KG + basis))
        published = (row.get("Publication date") or "").strip()
        if self.readable_date(name, "Publication date", published):
            c = self.claim(subject, row_slug, "publication-date", "releaseDate", published,
                           f"{where}, column Publication date", "Stated")
            self.add(c, KG + "valueDate", _lit(published, XSD + "date"))
            self.add(c, KG + "condition", _lit("Epoch's publication date: first paper or release"))
        for chip_name, chip_iri in zip(chips, chip_iris, strict=True):
            c = self.claim(subject, row_slug, f"trained-on-{slug(chip_name)}", "trainedOn",
                           chip_name, f"{where}, column Training hardware", "Stated")
            self.add(c, KG + "valueEntity", _n(chip_iri))
        access = (row.get("Model accessibility") or "").strip()
        if access:
            c = self.claim(subject, row_slug, "open-weights", "openWeights", access,
                           f"{where}, column Model accessibility", "Stated")
            is_open = access.lower().startswith("open weights")
            self.add(c, KG + "valueBoolean", _lit("true" if is_open else "false", XSD + "boolean"))

    def _mint_model(self, name: str, row: dict[str, str]) -> str:
        orgs = [o.strip() for o in (row.get("Organization") or "").split(",") if o.strip()]
        countries = [c.strip() for c in (row.get("Country (of organization)") or "").split(",")
                     if c.strip()]
        if len(countries) == 1:
            countries = countries * len(orgs)
        elif len(countries) != len(orgs):
            countries = [None] * len(orgs)  # type: ignore[list-item]
        developers = [self.organisation(o, c) for o, c in zip(orgs, countries, strict=True)]
        extra = [(KG + "developer", _n(d)) for d in dict.fromkeys(developers)]
        return self.entity(name, ("Model",), "Model", extra)

    def hardware_row(self, row: dict[str, str], matched_only: bool) -> None:
        name = (row.get("Hardware name") or "").strip()
        if not name:
            return
        match = self.r.resolve(name, classes=("Chip", "System"))
        if not match.matched and matched_only:
            self.out.matches.append(match)
            return
        row_slug = self._row_slug(name)
        subject = self.chip(name) if not match.matched else match.iri
        if not match.matched:
            match = Match(name, subject, "minted", match.score, name, match.note)
        self.out.matches.append(match)
        self.out.rows_imported += 1
        where = f"table row Hardware name={name}"
        released = (row.get("Release date") or "").strip()[:10]
        if self.readable_date(name, "Release date", released):
            c = self.claim(subject, row_slug, "release-date", "releaseDate", released,
                           f"{where}, column Release date", "Stated")
            self.add(c, KG + "valueDate", _lit(released, XSD + "date"))
        for column, precision, bases in THROUGHPUT_COLUMNS:
            cell = (row.get(column) or "").strip()
            if self.readable(name, column, cell) and float(cell) > 0:
                c = self.claim(subject, row_slug, "peak-throughput", "peakThroughput", cell,
                               f"{where}, column {column}", "Stated")
                self.numeric(c, cell, KGU + "FLOP-PER-SEC")
                self.add(c, KG + "condition", _lit(precision))
                for b in bases:
                    self.add(c, KG + "basis", _n(KG + b))
                break
        cell = (row.get("Intranode bandwidth (byte/s)") or "").strip()
        if self.readable(name, "Intranode bandwidth (byte/s)", cell) and float(cell) > 0:
            c = self.claim(subject, row_slug, "intranode-bandwidth", "interconnectBandwidth", cell,
                           f"{where}, column Intranode bandwidth (byte/s)", "Stated")
            self.numeric(c, cell, UNIT + "BYTE-PER-SEC")


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


def _number(cell: str) -> bool:
    return bool(cell) and _unreadable(cell) is None


def iter_claims(result: ImportResult) -> Iterator[str]:
    """Claim IRIs of an import, in the order written (for tests and reports)."""
    for t in result.triples:
        if t.predicate.value == RDF + "type" and t.object.value == KG + "Claim":
            yield t.subject.value
