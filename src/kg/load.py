"""Read the graph's Turtle files into a store, then derive each claim's normalised value.

Load is the first step of the one-way flow (load, validate, reconcile, query, export). It
fails early and precisely: a missing file, bad Turtle or an undeclared prefix is one line naming
the file, line and column. Two things the Turtle parser accepts are refused too, because every
later step would silently misread them: a literal that is not of its datatype ("5.6M" as an
xsd:decimal) and one claim IRI described differently in two files (an IRI names one claim,
graph/CURATION.md). Their lines are found by scanning the file text, since the parser gives no
positions for triples. Only Turtle is read: JSON-LD and RDF/XML could make a parser fetch remote
contexts or external entities, so they are refused by name rather than parsed.

It remembers which file each node came from so later reports can say where to fix a claim.
Normalising (quantity parsing) happens here, once, so every store holds the same numbers and
SPARQL can compare them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
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

    def line_of(self, node: str) -> int | None:
        """The line where the node's description starts in its file (found in the text)."""
        path = self.origin.get(node)
        return subject_line(path, node) if path else None

    def where(self, node: str) -> str | None:
        """file:line (or just the file) for messages a person acts on."""
        path = self.origin.get(node)
        if not path:
            return None
        line = subject_line(path, node)
        return f"{path}:{line}" if line else str(path)


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
            _refuse_other_formats(path)
            files.append(path)
    seen: set[Path] = set()
    return [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]


# Formats kg does not read, by suffix: parsing them could fetch (JSON-LD remote @context, RDF/XML
# external entities) or needs a dataset model kg does not use (TriG, N-Quads).
OTHER_FORMATS = {".jsonld": "JSON-LD", ".json": "JSON-LD", ".rdf": "RDF/XML", ".owl": "RDF/XML",
                 ".xml": "RDF/XML", ".trig": "TriG", ".nq": "N-Quads", ".n3": "N3"}


def _refuse_other_formats(path: Path) -> None:
    kind = OTHER_FORMATS.get(path.suffix.lower())
    if kind:
        raise InputError(f"{path}: kg reads Turtle (.ttl) only, not {kind}",
                         hint="convert it to Turtle first, e.g. with `riot --output=turtle`; "
                              "kg never parses formats that can fetch remote documents")


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one Turtle file, turning the parser's complaint into one line a person can act on."""
    path = Path(path)
    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
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
    check_literals(path, quads)
    return quads


# lexical spaces of the XSD datatypes kg's files use (XML Schema 1.1 part 2), whitespace collapsed
_INT = r"[+-]?\d+"
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_LEXICAL: dict[str, re.Pattern[str]] = {XSD + name: re.compile(pattern) for name, pattern in {
    "decimal": r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)",
    "integer": _INT, "int": _INT, "long": _INT, "short": _INT,
    "nonNegativeInteger": r"\+?\d+|-0+", "positiveInteger": r"\+?0*[1-9]\d*",
    "double": r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN",
    "float": r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN",
    "boolean": r"true|false|1|0",
    "date": r"-?\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])" + _TZ,
    "gYearMonth": r"-?\d{4,}-(?:0[1-9]|1[0-2])" + _TZ,
    "gYear": r"-?\d{4,}" + _TZ,
    "dateTime": r"-?\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:"
                r"[0-5]\d(?:\.\d+)?" + _TZ,
}.items()}


def _ill_typed(literal: ox.Literal) -> bool:
    pattern = _LEXICAL.get(literal.datatype.value)
    if pattern is None:
        return False
    text = literal.value.strip()
    if not pattern.fullmatch(text):
        return True
    if literal.datatype.value == XSD + "date" and not text.startswith("-") and len(text) >= 10:
        try:  # the pattern allows 31 February
            date.fromisoformat(text[:10])
        except ValueError:
            return True
    return False


def check_literals(path: Path, quads: Sequence[ox.Quad]) -> None:
    """Refuse literals whose text is not of their datatype, naming file, line and node.

    The Turtle parser accepts "5.6M"^^xsd:decimal; SPARQL would then treat it as an error value
    and rdflib as a warning with a traceback, so the figure would quietly drop out of every
    comparison. Better to stop at load with the exact place to fix.
    """
    bad = []
    valid: set[tuple[str, str]] = set()  # figures, dates and kinds repeat: check each text once
    literal = ox.Literal
    for q in quads:
        o = q.object
        if type(o) is not literal:
            continue
        datatype = o.datatype.value
        if datatype not in _LEXICAL:
            continue
        key = (datatype, o.value)
        if key in valid:
            continue
        if _ill_typed(o):
            bad.append(q)
        else:
            valid.add(key)
    if not bad:
        return
    lines = []
    for q in bad[:10]:
        line = literal_line(path, q.subject.value, q.object.value)
        where = f"{path}:{line}" if line else str(path)
        lines.append(f"{where}: {_short(q.subject.value)} {_short(q.predicate.value)} "
                     f"{q.object.value!r} is not a valid {_short(q.object.datatype.value)}")
    more = f"\n  and {len(bad) - 10} more" if len(bad) > 10 else ""
    head = lines[0] if len(lines) == 1 else f"{path}: {len(bad)} literal(s) not of their datatype:\n  " \
        + "\n  ".join(lines)
    raise InputError(head + more, hint="write the number in the datatype's form (5600000, not "
                     "\"5.6M\"), or put the text in kg:stated and let kg normalise it; nothing "
                     "was loaded")


def duplicate_claims(files: Sequence[Path], parsed: Sequence[Sequence[ox.Quad]],
                     origin: dict[str, Path]) -> list[str]:
    """Claims whose IRI is described differently in two files (an IRI names one claim).

    The same description repeated in two files is harmless (an importer restating a node) and
    entities may gain aliases elsewhere, so only claims with differing content count.
    """
    claims: set[str] = set()
    again: set[str] = set()
    for path, quads in zip(files, parsed, strict=True):
        for q in quads:
            subject = q.subject.value
            if q.predicate == TYPE and q.object == CLAIM:
                claims.add(subject)
            if origin.get(subject, path) is not path:  # the same Path objects: no path compare
                again.add(subject)
    suspects = again & claims
    if not suspects:
        return []
    content: dict[str, dict[Path, set]] = {}
    for path, quads in zip(files, parsed, strict=True):
        for q in quads:
            if q.subject.value in suspects:
                content.setdefault(q.subject.value, {}).setdefault(path, set()).add(
                    (q.predicate.value, str(q.object)))
    problems = []
    for claim in sorted(suspects):
        by_file = content[claim]
        first = origin[claim]
        for path, facts in by_file.items():
            if path != first and facts != by_file[first]:
                problems.append(
                    f"{_at(path, claim)}: claim {_short(claim)} is already defined in "
                    f"{_at(first, claim)} with different content ({_difference(facts, by_file[first])})")
                break
    return problems


def _difference(here: set, there: set) -> str:
    """The most telling differing fact, both readings: the stated value before a locator."""
    order = [KG + "stated", KG + "amount", KG + "subject", KG + "property"]
    predicates = sorted({p for p, _ in here ^ there},
                        key=lambda p: (order.index(p) if p in order else len(order), p))
    p = predicates[0]
    this = ", ".join(_brief(o) for q, o in sorted(here) if q == p) or "nothing"
    that = ", ".join(_brief(o) for q, o in sorted(there) if q == p) or "nothing"
    return f"{_short(p)} {this} here, {that} there"


def _at(path: Path, node: str) -> str:
    line = subject_line(path, node)
    return f"{path}:{line}" if line else str(path)


def _brief(term: str) -> str:
    return _short(term.strip("<>")) if term.startswith("<") else term


def _short(iri: str) -> str:
    from kg.vocab import shorten

    return shorten(iri)


# ------------------------------------------------------------------ finding lines in the text


@lru_cache(maxsize=256)
def _index(path_text: str, mtime: int) -> tuple[tuple[str, ...], dict[str, int], dict[str, str]]:
    """A file's lines, where each subject token first starts a line, and its prefixes."""
    try:
        text = Path(path_text).read_text(encoding="utf-8", errors="replace")
        lines = tuple(text.split("\n"))  # as the parser counts: U+2028 and friends are no breaks
    except OSError:
        return (), {}, {}
    starts: dict[str, int] = {}
    prefixes: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        m = _PREFIX_LINE.match(line)
        if m:
            prefixes[m.group(1)] = m.group(2)
            continue
        m = _FIRST_TOKEN.match(line)
        if m and m.group(1) not in starts:
            starts[m.group(1)] = number
    return lines, starts, prefixes


_PREFIX_LINE = re.compile(r"\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.I)
_FIRST_TOKEN = re.compile(r"(<[^>\s]*>|[\w.-]*:[^\s;,()\[\]]*?)(?=[\s;,]|\.?\s*$)")


def _spellings(iri: str, prefixes: dict[str, str]) -> list[str]:
    return [f"<{iri}>"] + [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items()
                           if iri.startswith(ns) and len(iri) > len(ns)]


def _loaded(path: Path):
    try:
        return _index(str(path), Path(path).stat().st_mtime_ns)
    except OSError:
        return (), {}, {}


def subject_line(path: str | Path, iri: str) -> int | None:
    """The first line starting with the node (its description), else the first line naming it."""
    lines, starts, prefixes = _loaded(Path(path))
    names = _spellings(iri, prefixes)
    found = [starts[n] for n in names if n in starts]
    if found:
        return min(found)
    pattern = re.compile(r"(?<![\w:/#.-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w:/-])")
    for number, line in enumerate(lines, 1):
        if pattern.search(line):
            return number
    return None


def literal_line(path: str | Path, iri: str, lexical: str) -> int | None:
    """The line holding the literal within (or after the start of) the node's description."""
    lines, _, _ = _loaded(Path(path))
    start = subject_line(path, iri) or 1
    needles = [f'"{lexical}"', f"'{lexical}'"]
    for number in list(range(start, len(lines) + 1)) + list(range(1, start)):
        if any(n in lines[number - 1] for n in needles):
            return number
    return start if lines else None


def load(store: Store, paths: Sequence[str | Path] | None = None, *, ontology: bool = True,
         normalise_values: bool = True, progress=None) -> LoadReport:
    """Parse every file first and load only when all parse: a bad file leaves the store as it was."""
    report = LoadReport(files=graph_files(paths, ontology=ontology))
    parsed: list[list[ox.Quad]] = []
    for path in report.files:
        quads = parse_file(path)
        parsed.append(quads)
        origin = report.origin
        for q in quads:
            origin.setdefault(q.subject.value, path)
        report.claims += sum(1 for q in quads if q.predicate == TYPE and q.object == CLAIM)
        if progress:
            progress(path)
    duplicates = duplicate_claims(report.files, parsed, report.origin)
    if duplicates:
        more = f"\n  and {len(duplicates) - 10} more" if len(duplicates) > 10 else ""
        raise InputError("\n  ".join(duplicates[:10]) + more,
                         hint="an IRI names one claim: mint a new IRI for the other reading "
                              "(graph/CURATION.md); nothing was loaded")
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
            exc = _explain(exc)
            where = report.where(claim) if report else None
            if where:
                exc.message += f" (in {where})"
            problems.append(exc)
            continue
        quads.extend(value_quads(claim, q))
    if quads:
        store.load(quads)
    return problems


def _explain(exc: QuantityError) -> QuantityError:
    """Say "negative" when the parser only saw no number: no figure kg reads can be below zero.

    kg.quantity reads "-5B" as text without a number; the real problem is the sign.
    """
    if exc.reason == "no number found" and re.match(r"\s*[-\u2212]\s*[$\u00a5\u20ac]?\s*\d", exc.text):
        return QuantityError(exc.text, "a negative figure: counts, compute, money and durations "
                             "cannot be below zero", claim=exc.claim,
                             hint="state the magnitude; a decrease belongs in kg:condition")
    return exc


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
