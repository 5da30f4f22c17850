"""Read the graph's Turtle files into a store, then derive each claim's normalised value.

Load is the first step of the one-way flow (load, validate, reconcile, query, export). It
fails early and precisely: a missing file, bad Turtle or an undeclared prefix is one line naming
the file, line and column. It remembers which file each node came from so later reports can say
where to fix a claim. Normalising (quantity parsing) happens here, once, so every store holds
the same numbers and SPARQL can compare them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import quantity
from kg.errors import InputError, QuantityError
from kg.queries import named_query
from kg.resources import GRAPH, ONTOLOGY
from kg.store import Store
from kg.vocab import KG, RDF, XSD

CLAIM = ox.NamedNode(KG + "Claim")
TYPE = ox.NamedNode(RDF + "type")


@dataclass
class LoadReport:
    """What was read: files, triple count, and where each subject was defined."""

    files: list[Path] = field(default_factory=list)
    triples: int = 0
    claims: int = 0
    origin: dict[str, Path] = field(default_factory=dict)
    problems: list[QuantityError] = field(default_factory=list)

    def file_of(self, node: str) -> str | None:
        path = self.origin.get(node)
        return str(path) if path else None


def graph_files(paths: Sequence[str | Path] | None = None, *, ontology: bool = True
                ) -> list[Path]:
    """The Turtle files to read: the ontology always, then the user's files or the shipped graph."""
    chosen = [Path(p) for p in paths] if paths else [GRAPH]
    files: list[Path] = []
    if ontology:
        files.extend(sorted(ONTOLOGY.rglob("*.ttl")))
    for path in chosen:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder",
                             hint="pass --graph a Turtle file or a folder of them")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.ttl") if p.is_file())
            if not found:
                raise InputError(f"{path}: the folder holds no .ttl files")
            files.extend(found)
        else:
            files.append(path)
    seen: set[Path] = set()
    return [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one Turtle file, turning the parser's complaint into one line a person can act on."""
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                             base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "offset", None)
        where = f"{path}:{line}:{col}" if line else str(path)
        reason = str(exc.args[0]) if exc.args else str(exc)
        reason = reason.split(": ", 1)[1] if reason.startswith("Parser error") else reason
        raise InputError(f"{where}: bad Turtle: {reason}",
                         hint="fix the file; nothing was loaded") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})",
                         hint="save the file as UTF-8") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def load(store: Store, paths: Sequence[str | Path] | None = None, *, ontology: bool = True,
         normalise_values: bool = True, progress=None) -> LoadReport:
    """Parse every file first and load only when all parse: a bad file leaves the store as it was."""
    report = LoadReport(files=graph_files(paths, ontology=ontology))
    parsed: list[list[ox.Quad]] = []
    for path in report.files:
        quads = parse_file(path)
        parsed.append(quads)
        for q in quads:
            key = q.subject.value
            if key not in report.origin:
                report.origin[key] = path
            if q.predicate == TYPE and q.object == CLAIM:
                report.claims += 1
        if progress:
            progress(path)
    for quads in parsed:
        store.load(quads)
        report.triples += len(quads)
    if normalise_values:
        report.problems = normalise(store, report)
    return report


def normalise(store: Store, report: LoadReport | None = None) -> list[QuantityError]:
    """Give every numeric claim kg:amount / bounds / unit derived from its kg:stated text.

    Claims that already carry a normalised value (written by a curator, an importer or the
    synthetic generator) are left alone. Values that cannot be read are returned, each naming
    its claim and file, never dropped silently.
    """
    rows = store.select(named_query("normalise-pending").text)
    problems: list[QuantityError] = []
    quads: list[ox.Quad] = []
    for row in rows:
        claim = row["claim"].value
        try:
            q = quantity.parse(row["stated"].value, row["unit"].value if "unit" in row else None,
                               dimension=_local(row["dimension"].value) if "dimension" in row
                               else None, claim=claim)
        except QuantityError as exc:
            where = report.file_of(claim) if report else None
            if where:
                exc.message += f" (in {where})"
            problems.append(exc)
            continue
        quads.extend(value_quads(claim, q))
    if quads:
        store.load(quads)
    return problems


def value_quads(claim: str, q: quantity.Quantity, *, by: str = "kg.quantity") -> Iterable[ox.Quad]:
    """The triples that carry a normalised value on its claim (Wikidata's quantity value, flattened)."""
    s = ox.NamedNode(claim)
    decimal = ox.NamedNode(XSD + "double")
    shape = {"point": "Point", "interval": "Interval", "lower": "LowerBound",
             "upper": "UpperBound"}[q.shape]
    out = [
        ox.Quad(s, ox.NamedNode(KG + "unit"), ox.NamedNode(q.unit)),
        ox.Quad(s, ox.NamedNode(KG + "valueShape"), ox.NamedNode(KG + shape)),
        ox.Quad(s, ox.NamedNode(KG + "normalisedBy"), ox.Literal(by)),
    ]
    if q.amount is not None:
        out.append(ox.Quad(s, ox.NamedNode(KG + "amount"), ox.Literal(repr(float(q.amount)),
                                                                       datatype=decimal)))
    if q.low is not None:
        out.append(ox.Quad(s, ox.NamedNode(KG + "lowerBound"),
                           ox.Literal(repr(float(q.low)), datatype=decimal)))
    if q.high is not None:
        out.append(ox.Quad(s, ox.NamedNode(KG + "upperBound"),
                           ox.Literal(repr(float(q.high)), datatype=decimal)))
    if q.approximate:
        out.append(ox.Quad(s, ox.NamedNode(KG + "approximate"),
                           ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))))
    return out


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
