"""What one row of an Epoch table becomes: claims, and entities minted from names alone.

Split from kg.ingest.epoch (which reads the file and drives the import); the module docstring
there says why each choice (hedges, precision, scopes, minting) is made.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kg.core.vocab import DCTERMS, KG, KGC, KGE, KGP, KGS, KGU, PROV, RDF, SKOS, UNIT, XSD
from kg.ingest.epoch_columns import EpochColumns, Figure, TableSpec
from kg.ingest.epoch_files import CsvRow, renamed_perhaps
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


class RowClaims:
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
                by_slug.setdefault(mint_slug(clean_name(name)), set()).add(clean_name(name))
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

    def figures(self, r: CsvRow, name: str, subject: str, row_slug: str, figures: list[Figure],
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
    def model_row(self, r: CsvRow, matched_only: bool) -> None:
        name = clean_name(r.get("Model"))
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

    def hardware_row(self, r: CsvRow, matched_only: bool) -> None:
        name = clean_name(r.get("Hardware name"))
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

    def cluster_row(self, r: CsvRow, matched_only: bool) -> None:
        name = clean_name(r.get("Name"))
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


def clean_name(name: str) -> str:
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
