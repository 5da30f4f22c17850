"""Read the graph's Turtle files into a store, refusing what later steps would silently misread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import BRIEF, InputError, QuantityError, brief, visible
from kg.core.resources import GRAPH, ONTOLOGY
from kg.core.vocab import KG, RDF, XSD

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
    digests: list[str] = field(default_factory=list)  # each file's SHA-256, when it was taken

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
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique


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


def parse_file(path: Path, data: bytes | None = None) -> list[ox.Quad]:
    """Parse one Turtle file, turning the parser's complaint into one line a person can act on.

    `data` is the file's bytes when the caller read them already (kg.load.cache hashes exactly
    the bytes it parses)."""
    path = Path(path)
    refuse_byte_order_mark(path)
    try:
        source = {"path": str(path)} if data is None else {"input": data}
        quads = list(ox.parse(**source, format=ox.RdfFormat.TURTLE,
                              base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "offset", None)
        where = f"{path}:{line}:{col}" if line else str(path)
        reason = str(exc.args[0]) if exc.args else str(exc)
        reason = reason.split(": ", 1)[1] if reason.startswith("Parser error") else reason
        raise InputError(f"{where}: bad Turtle: {visible(brief(reason, 4 * BRIEF))}",
                         hint="fix the file; nothing was loaded") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})",
                         hint="save the file as UTF-8") from exc
    except MemoryError as exc:  # pyoxigraph's parser stops at 16 MiB per term
        raise InputError(f"{path}: a literal or IRI longer than 16 MiB, which kg's parser does "
                         "not read", hint="shorten it; nothing was loaded") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    check_literals(path, quads)
    return quads


def refuse_byte_order_mark(path: Path) -> None:
    """A Turtle file starting with a byte-order mark is refused by name: the parser's own message
    printed the mark itself, which no terminal shows ("bad Turtle:  is not a valid subject")."""
    import codecs

    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError:
        return  # the parser reports the unreadable file
    for mark, name in ((codecs.BOM_UTF8, "UTF-8"), (codecs.BOM_UTF32_LE, "UTF-32"),
                       (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF16_LE, "UTF-16"),
                       (codecs.BOM_UTF16_BE, "UTF-16")):
        if head.startswith(mark):
            raise InputError(f"{path}:1: the file starts with a {name} byte-order mark (U+FEFF), "
                             "which Turtle does not allow",
                             hint="save the file as UTF-8 without a byte-order mark; nothing was "
                                  "loaded")


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
    bad: list[tuple[str, str, ox.Literal]] = []  # (subject, predicate, literal)
    valid: set[tuple[str, str]] = set()  # figures, dates and kinds repeat: check each text once
    literal = ox.Literal
    for q in quads:
        o = q.object
        if not isinstance(o, literal):
            continue
        datatype = o.datatype.value
        if datatype not in _LEXICAL:
            continue
        key = (datatype, o.value)
        if key in valid:
            continue
        if _ill_typed(o):
            bad.append((q.subject.value, q.predicate.value, o))  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple
        else:
            valid.add(key)
    if not bad:
        return
    lines = []
    for subject, predicate, o in bad[:10]:
        line = literal_line(path, subject, o.value)
        where = f"{path}:{line}" if line else str(path)
        lines.append(f"{where}: {_short(subject)} {_short(predicate)} "
                     f"{o.value!r} is not a valid {_short(o.datatype.value)}")
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
            subject = q.subject.value  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple
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
            subject = q.subject.value  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple
            if subject in suspects:
                content.setdefault(subject, {}).setdefault(path, set()).add(
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
    from kg.core.vocab import shorten

    return shorten(iri)


# ------------------------------------------------------------------ finding lines in the text


@lru_cache(maxsize=256)
def _index(path_text: str, _mtime: int) -> tuple[tuple[str, ...], dict[str, int], dict[str, str]]:
    """A file's lines, where each subject token first starts a line, and its prefixes (cached per
    modification time: `_mtime` is only the cache key)."""
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
