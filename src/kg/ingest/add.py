"""Merge reviewed claims into graph/ without ever leaving it broken, half-written or clobbered.

`kg add` is the only writer of the shipped graph, so it carries the guarantees a shared folder
needs: machine-extracted claims (and the entities they propose) nobody has reviewed are refused
(`kg:reviewStatus kg:Unreviewed`, or `kg:extractedBy` without a reviewed status), with the way to
review them; the merged graph must conform to the SHACL shapes before anything is written; a node the
graph already describes differently is a collision, refused by name (an IRI is never reused for
different content, see graph/CURATION.md); the file is written to a temporary name and renamed
(kg.core.files.write_atomic), so an interrupted add leaves the old file; and the graph folder is
locked (filelock) from the moment the graph is read until the file is in place, so two adds at
once are serialised and neither loses the other's claims. A second add that cannot get the lock
within `wait` seconds is refused with a clear message, never silently dropped.

This module also writes the Turtle every grower emits (`to_turtle`), so imports, extractions and
added files look alike: kg's prefixes in a fixed order, subjects in the order given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import InputError, WriteRefused
from kg.core.turtle import to_turtle

LOCK_NAME = ".kg-add.lock"


@dataclass
class AddResult:
    """What an add did: where it wrote, how many triples and claims were new."""

    target: Path
    added_triples: int
    claims: int
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)


def _triples(path: Path) -> list[ox.Triple]:
    from kg.load.turtle import parse_file

    return [q.triple for q in parse_file(path)]


def collisions(existing: Sequence[ox.Triple], incoming: Sequence[ox.Triple]) -> list[str]:
    """IRIs the incoming file describes that the graph already describes differently.

    A subject collides when the graph has triples about it and the incoming description is not
    the same set (adding facts to an existing claim would change what a reviewer accepted).
    Entities the graph already has may be mentioned, and minted entities described identically
    by an earlier add are fine: re-adding the same file changes nothing.
    """
    by_subject_old: dict[str, set] = {}
    for t in existing:
        by_subject_old.setdefault(str(t.subject), set()).add((str(t.predicate), str(t.object)))
    by_subject_new: dict[str, set] = {}
    for t in incoming:
        by_subject_new.setdefault(str(t.subject), set()).add((str(t.predicate), str(t.object)))
    clashes = []
    for subject, facts in by_subject_new.items():
        old = by_subject_old.get(subject)
        if old is None or facts <= old:
            continue
        clashes.append(subject.strip("<>"))
    return sorted(clashes)


def add(file: Path, graph_dir: Path, *, into: Path | None = None, wait: float = 30.0
        ) -> AddResult:
    """Validate graph + file, refuse on collision or violation, then write one file atomically."""
    from filelock import FileLock, Timeout

    from kg.core.files import inside, safe_join, write_atomic
    from kg.load.turtle import graph_files

    file, graph_dir = Path(file), Path(graph_dir)
    if not file.is_file():
        raise InputError(f"{file}: no such file", hint="pass the Turtle file of reviewed claims")
    if not graph_dir.is_dir():
        raise InputError(f"{graph_dir}: not a folder", hint="pass --graph-dir the graph folder")
    target = Path(into) if into else safe_join(graph_dir / "added", f"{file.stem}.ttl")
    if not inside(target, graph_dir):
        raise InputError(f"--into {target}: not inside the graph folder {graph_dir}",
                         hint="kg add writes only into the graph it validated against; "
                              "pass --into a file under --graph-dir")
    if target.suffix.lower() != ".ttl":
        raise InputError(f"--into {target}: not a .ttl file",
                         hint="the graph is read from .ttl files only; a file with another "
                              "suffix would be written but never loaded")
    incoming = _triples(file)
    if not incoming:
        raise InputError(f"{file}: holds no triples")
    from kg.ingest.review import review_hint, unreviewed_nodes

    claims, others = unreviewed_nodes(incoming)
    if claims or others:
        shown = ", ".join(n.rsplit("/", 1)[-1] for n in (claims + others)[:5])
        raise WriteRefused(
            f"{file}: {len(claims)} machine-extracted claim(s) and {len(others)} proposed "
            f"node(s) are unreviewed ({shown}{', ...' if len(claims) + len(others) > 5 else ''}); "
            "kg add takes only reviewed claims, and nothing was written",
            hint=review_hint(str(file)))
    lock = FileLock(str(graph_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=wait)
    except Timeout as exc:
        raise WriteRefused(f"{graph_dir} is locked by another `kg add` (waited {wait:g} s)",
                           hint="try again when it finishes; nothing was written") from exc
    try:
        files = graph_files([graph_dir], ontology=False)
        existing = [t for f in files for t in _triples(f)]
        incoming = stamp_undated(incoming, existing)
        clashes = collisions(existing, incoming)
        if clashes:
            shown = ", ".join(clashes[:10]) + (f" and {len(clashes) - 10} more"
                                                if len(clashes) > 10 else "")
            raise WriteRefused(f"{len(clashes)} IRI(s) already in the graph with different "
                               f"content: {shown}",
                               hint="mint new IRIs (add -b, -c) or edit the existing claim by hand")
        old_target = _triples(target) if target.is_file() else []
        merged_target = _merge(old_target, incoming)
        if len(merged_target) == len(old_target) and target.is_file():
            return AddResult(target, 0, _claims(incoming), unchanged=True)
        report = _validate(files, target, merged_target)
        if report.violations:
            lines = [f"  - {f.label or f.focus}: {f.path or ''} {f.message}"
                     for f in report.violations[:20]]
            raise WriteRefused(f"the merged graph would not conform ({len(report.violations)} "
                               "violation(s)); nothing was written:\n" + "\n".join(lines),
                               hint="fix the file and add it again")
        header = (old_target and _header(target)) or f"Reviewed claims added with `kg add` from {file.name}."
        write_atomic(target, to_turtle(merged_target, header=header), create_folders=True)
        return AddResult(target, len(merged_target) - len(old_target), _claims(incoming),
                         warnings=[f"{f.label or f.focus}: {f.message}" for f in report.warnings
                                   if f.focus in {str(t.subject).strip('<>') for t in incoming}])
    finally:
        lock.release()


def stamp_undated(incoming: list[ox.Triple], existing: Sequence[ox.Triple],
                  today: str | None = None) -> list[ox.Triple]:
    """A reviewed document with no date gets the day it was added (dcterms:dateAccepted): the
    date its claims became known to the graph, which as-of views need (queries/known-since.rq).
    A document already added keeps the day it was first added, so adding a file again changes
    nothing."""
    import datetime as dt

    from kg.core.vocab import DCTERMS, KG, RDF, XSD

    doc_type, date, accepted = (ox.NamedNode(KG + "Document"), ox.NamedNode(DCTERMS + "date"),
                                ox.NamedNode(DCTERMS + "dateAccepted"))
    documents = {t.subject for t in incoming
                 if t.predicate.value == RDF + "type" and t.object == doc_type}
    dated = {t.subject for t in incoming if t.predicate in (date, accepted)}
    dated |= {t.subject for t in existing if t.predicate == date and t.subject in documents}
    undated = documents - dated
    if not undated:
        return incoming
    before = {t.subject: t for t in existing if t.predicate == accepted and t.subject in undated}
    stamp = today or dt.date.today().isoformat()
    added = [before.get(doc) or ox.Triple(doc, accepted, ox.Literal(
        stamp, datatype=ox.NamedNode(XSD + "date"))) for doc in sorted(undated, key=str)]
    return incoming + added


def _merge(old: list[ox.Triple], new: list[ox.Triple]) -> list[ox.Triple]:
    seen = set(old)
    merged = list(old)
    for t in new:
        if t not in seen:
            seen.add(t)
            merged.append(t)
    return merged


def _claims(triples: Iterable[ox.Triple]) -> int:
    from kg.core.vocab import KG, RDF

    return sum(1 for t in triples if t.predicate.value == RDF + "type"
               and t.object == ox.NamedNode(KG + "Claim"))


def _header(path: Path) -> str:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    return "\n".join(lines)


def _validate(files: list[Path], target: Path, merged: list[ox.Triple]):
    """SHACL over ontology + every graph file, with the target replaced by its merged content."""
    from kg.core.resources import ONTOLOGY
    from kg.load.normalise import normalise
    from kg.load.turtle import LoadReport
    from kg.store.embedded import OxigraphStore
    from kg.validate.run import validate

    store = OxigraphStore()
    report = LoadReport()
    ontology = sorted(ONTOLOGY.rglob("*.ttl"))
    for path in ontology + [f for f in files if f.resolve() != target.resolve()]:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in _triples(path)]
        store.load(quads)
        for q in quads:
            report.origin.setdefault(q.subject.value, path)  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple
    store.load([ox.Quad(t.subject, t.predicate, t.object) for t in merged])
    subjects = [t.subject.value for t in merged]  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple
    for subject in subjects:
        report.origin.setdefault(subject, target)
    report.problems = normalise(store, report)
    # only what this add changes, with its neighbourhood: the rest was valid before
    return validate(store, report, focus=set(subjects))
