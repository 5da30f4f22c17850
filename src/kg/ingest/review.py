"""Reviewing proposed claims before they land: read them back, apply a person's verdicts, write
reviewed Turtle.

Two paths meet here. On a terminal, `kg review FILE` walks the proposals of a `kg extract` Turtle
file one by one (kg.cli.review drives the prompts; this module does the work). Without one, a
reviewer edits the CSV that `kg extract --format csv` writes (a `status` column set to accept,
corrected or reject, any cell corrected in place) and `kg add --from-review FILE.csv` turns it
into claims. A row whose subject, property, benchmark or value differs from what extraction
proposed (the `proposed` column) is corrected whatever its status says.
Either way:

- only accepted proposals become claims, marked `kg:reviewStatus kg:Reviewed` (or `kg:Corrected`
  when the reviewer changed subject, property or value, with `kg:proposedAs` what extraction
  had proposed); rejected ones are dropped;
- a proposal still unreviewed stops the whole file (nothing is written) with the rows to look at;
- an entity a proposal introduces (a model, a benchmark, the publisher) is written with the
  accepted claims that need it, reviewed with them;
- the document becomes a source with the title, date, publisher and kind a person gave (flags or
  prompts), never a name made from the file it was read from.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.core import quantity
from kg.core.errors import InputError, QuantityError, WriteRefused
from kg.core.vocab import DCTERMS, KG, KGE, KGP, RDF, SKOS, shorten
from kg.ingest.cues import Vocabulary
from kg.ingest.extract import (
    UNTITLED,
    SourceInfo,
    check_date,
    check_kind,
    check_url,
    claim_iris,
    claim_triples,
    entity_triples,
    property_iri,
    source_triples,
)
from kg.ingest.names import EntityBook, ProposedEntity
from kg.ingest.proposal import ProposedClaim
from kg.ingest.resolve import Resolver

ACCEPT = {"accept", "accepted", "yes", "y", "ok", "keep", "reviewed"}
CORRECT = {"correct", "corrected", "fix", "fixed", "amend", "amended"}
REJECT = {"reject", "rejected", "no", "n", "drop", "x"}


@dataclass
class ReviewSet:
    """Proposals read back for review, with the entities they propose and the source so far."""

    path: Path
    proposals: list[ProposedClaim] = field(default_factory=list)
    entities: dict[str, ProposedEntity] = field(default_factory=dict)
    source: SourceInfo = field(default_factory=SourceInfo)
    corrected: set[int] = field(default_factory=set)   # indexes of proposals a person changed


# ---------------------------------------------------------------------- reading proposals back
def read_proposals(path: Path) -> ReviewSet:
    """The proposals of a `kg extract` Turtle file, or of its CSV (edited or not)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file",
                         hint="pass the Turtle or CSV file `kg extract` wrote")
    if path.suffix.lower() in (".csv", ".tsv"):
        return _from_csv(path)
    return _from_turtle(path)


def _from_turtle(path: Path) -> ReviewSet:
    from kg.load.turtle import parse_file

    facts: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = {}
    for q in parse_file(path):
        if isinstance(q.object, ox.Triple):
            continue  # a triple term (RDF 1.2): nothing a review reads
        facts.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple

    def one(node: str, pred: str) -> str | None:
        values = facts.get(node, {}).get(pred)
        return values[0].value if values else None

    rs = ReviewSet(path)
    for node, props in facts.items():
        types = {t.value for t in props.get(RDF + "type", [])}
        if KG + "Document" in types:
            title = one(node, DCTERMS + "title")
            kind = one(node, KG + "sourceKind")
            url = one(node, DCTERMS + "source")
            version = one(node, KG + "versionRead")
            identifier = one(node, DCTERMS + "identifier")
            rs.source = SourceInfo(None if title == UNTITLED else title, one(node, DCTERMS + "date"),
                                   one(node, DCTERMS + "publisher"),
                                   kind.rsplit("#", 1)[-1] if kind else None,
                                   None if url else (identifier or "").removesuffix(f"@{version}")
                                   or None, url=url, version=version,
                                   date_basis=one(node, KG + "dateBasis"),
                                   references=one(node, DCTERMS + "references"))
        elif KG + "Claim" not in types and one(node, KG + "reviewStatus") == KG + "Unreviewed":
            cls = next((t.rsplit("#", 1)[-1] for t in sorted(types)), "Model")
            label = one(node, SKOS + "prefLabel") or node.rsplit("/", 1)[-1]
            spellings = [label] + [v.value for v in props.get(SKOS + "altLabel", [])]
            rs.entities[node] = ProposedEntity(node, label, cls, spellings)
    claims = [n for n, p in facts.items() if KG + "Claim" in {t.value for t in p.get(RDF + "type", [])}]
    for node in claims:
        line = one(node, KG + "line")
        subject = one(node, KG + "subject")
        bench = one(node, KG + "benchmark")
        p = ProposedClaim(
            line=int(line) if line else 0, stated=one(node, KG + "stated") or "", subject=subject,
            property=one(node, KG + "property") or KGP + "other",
            hedge=(one(node, KG + "hedge") or KG + "Stated").rsplit("#", 1)[-1],
            evidence=one(node, KG + "evidence") or "",
            confidence=float(one(node, KG + "extractionConfidence") or 0.5),
            value_date=one(node, KG + "valueDate"), chip=one(node, KG + "chip"), benchmark=bench,
            condition=one(node, KG + "condition"), scope=one(node, KG + "scope"),
            locator=one(node, KG + "locator") or "", decided_by=one(node, KG + "decidedBy") or "",
            value_entity=one(node, KG + "valueEntity"), value_text=one(node, KG + "valueText"),
            value_boolean={"true": True, "1": True, "false": False, "0": False}.get(
                one(node, KG + "valueBoolean") or ""))
        status = one(node, KG + "reviewStatus")
        p.status = {KG + "Reviewed": "accept", KG + "Corrected": "accept"}.get(status or "", "unreviewed")
        if status == KG + "Corrected":  # read back as corrected, with what was proposed
            rs.corrected.add(len(rs.proposals))
            p.proposed_as = one(node, KG + "proposedAs")
        if subject in rs.entities:
            p.subject_label, p.subject_new = rs.entities[subject].label, True
        if bench in rs.entities:
            p.benchmark_label, p.benchmark_new = rs.entities[bench].label, True
        rs.proposals.append(p)
    rs.proposals.sort(key=lambda p: p.line)  # stable: the file keeps the extraction order
    return rs


def _from_csv(path: Path) -> ReviewSet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text", hint="save the CSV as UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    missing = [c for c in ("line", "stated", "subject", "property", "status")
               if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: not a CSV of proposals from `kg extract --format csv` "
                         f"(no column {', '.join(missing)})")
    rs = ReviewSet(path)
    for number, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(row.values()):
            continue
        try:
            line = int(row.get("line") or 0)
        except ValueError as exc:
            raise InputError(f"{path}:{number}: line {row.get('line')!r} is not a number") from exc
        p = ProposedClaim(
            line=line, stated=row.get("stated", ""), subject=_expand(row.get("subject", "")) or None,
            property=property_iri(row.get("property") or "other"),
            hedge=(row.get("hedge") or "stated").capitalize(), evidence=row.get("evidence", ""),
            confidence=float(row.get("confidence") or 0.5),
            value_date=row.get("value_date") or None, chip=_expand(row.get("chip", "")) or None,
            benchmark=_expand(row.get("benchmark", "")) or None,
            condition=row.get("condition") or None, scope=_expand(row.get("scope", ""), KG) or None,
            locator=row.get("locator", ""), decided_by=row.get("decided_by", ""),
            subject_label=row.get("subject_label", ""), subject_new=bool(row.get("subject_label")),
            benchmark_label=row.get("benchmark_label", ""),
            benchmark_new=bool(row.get("benchmark_label")),
            value_entity=_expand(row.get("value_entity", "")) or None,
            value_text=row.get("value_text") or None)
        if p.value_entity and row.get("value_label"):
            cls = {KGP + "licence": "Licence"}.get(p.property, "Model")
            rs.entities[p.value_entity] = ProposedEntity(p.value_entity, row["value_label"], cls,
                                                         [row["value_label"]])
        status = _status(row.get("status", ""), path, number)
        proposed = row.get("proposed") or ""
        changed = bool(proposed) and proposed != p.fingerprint()
        p.status = "accept" if status == "correct" else status
        if p.status == "accept" and (status == "correct" or changed):
            # a person fixed the row (said so, or changed what extraction proposed): it lands as
            # kg:Corrected, keeping what was proposed as kg:proposedAs
            p.proposed_as = proposed or None
            rs.corrected.add(len(rs.proposals))
        p.reasons.append(f"{path.name}:{number}")
        rs.proposals.append(p)
    return rs


def _expand(text: str, default_ns: str = KGE) -> str:
    """`kge:x`, `kg:X` or a full IRI as an IRI; a bare name is left for the resolver ("name:...")."""
    from kg.core.vocab import PREFIXES

    text = text.strip()
    if not text:
        return ""
    if text.startswith("http"):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and " " not in text:
        return PREFIXES[prefix] + local
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        return default_ns + text
    return "name:" + text


def _status(text: str, path: Path, number: int) -> str:
    key = text.strip().lower()
    if key in ACCEPT:
        return "accept"
    if key in CORRECT:
        return "correct"
    if key in REJECT:
        return "reject"
    if key in ("", "unreviewed", "?"):
        return "unreviewed"
    raise InputError(f"{path}:{number}: status {text!r} is not accept or reject (or corrected)",
                     hint="write accept, corrected (a row you fixed) or reject in the status "
                          "column of every row")


# ---------------------------------------------------------------------- corrections
class Reviewer:
    """Applies a person's corrections with the graph's names and the ontology's properties."""

    def __init__(self, resolver: Resolver, vocab: Vocabulary) -> None:
        self.resolver = resolver
        self.vocab = vocab
        self.book = EntityBook(resolver)

    def subject(self, rs: ReviewSet, p: ProposedClaim, text: str) -> str:
        """Set the subject from a name or IRI; returns a line saying what it became."""
        text = text.strip()
        if not text:
            raise InputError("no subject given")
        iri = _expand(text)
        if iri.startswith("name:") or not self.resolver.taken(iri) and iri not in rs.entities:
            name = iri.removeprefix("name:") if iri.startswith("name:") else text
            choice = self.book.choose(name)
            if choice.new:
                rs.entities.setdefault(choice.iri, self.book.proposed[choice.iri])
            p.subject, p.subject_label, p.subject_new = choice.iri, choice.label, choice.new
            return f"{shorten(choice.iri)} ({'new entity ' if choice.new else ''}{choice.label!r})"
        p.subject = iri
        p.subject_new = iri in rs.entities and not self.resolver.taken(iri)
        p.subject_label = (rs.entities[iri].label if p.subject_new else self.resolver.label(iri) or "")
        return f"{shorten(iri)} ({p.subject_label!r})"

    def property(self, p: ProposedClaim, text: str) -> str:
        iri = property_iri(text)
        if iri not in self.vocab.properties:
            near = sorted(w.local for w in self.vocab.properties.values()
                          if text.strip().lower().removeprefix("kgp:")[:4] in w.local.lower())
            raise InputError(f"{text!r} is not a property in ontology/properties.ttl",
                             hint=("did you mean " + ", ".join(near[:6]) + "?") if near
                             else "kg queries lists them; properties.ttl has each with its label")
        self.check_value(p.stated, iri, p.value_date)
        p.property = iri
        return f"{shorten(iri)} ({self.vocab.get(iri).label})"

    def value(self, p: ProposedClaim, text: str) -> str:
        text = text.strip()
        value_date = None
        if self.vocab.dimension_of(p.property) == "DateValue":
            from kg.ingest.prose import date_value

            value_date = date_value(text)
            if value_date is None:
                raise InputError(f"{text!r} is not a date", hint="write e.g. 2024-07-23 or July 2024")
        else:
            self.check_value(text, p.property, None)
        p.stated, p.value_date, p.value_text = text, value_date, None
        return text

    def check_value(self, stated: str, prop: str, value_date: str | None) -> None:
        words = self.vocab.get(prop)
        if words.dimension == "DateValue":
            if not value_date:
                raise InputError(f"{shorten(prop)} takes a date; fix the value first")
            return
        if words.dimension in ("EntityValue", "TextValue", "BooleanValue"):
            return
        try:
            q = quantity.parse(stated, words.default_unit, dimension=words.dimension)
        except QuantityError as exc:
            raise InputError(f"{stated!r} cannot be a value of {shorten(prop)}: {exc.reason}") from exc
        if not self.vocab.fits(prop, q.unit):
            raise InputError(f"{stated!r} reads as {shorten(q.unit)}, which {shorten(prop)} does not "
                             f"take ({words.dimension})")


# ---------------------------------------------------------------------- writing the reviewed file
def unreviewed(rs: ReviewSet) -> list[ProposedClaim]:
    return [p for p in rs.proposals if p.status not in ("accept", "reject")]


def complete_source(source: SourceInfo, *, title: str | None, date: str | None,
                    publisher: str | None, kind: str | None, url: str | None = None,
                    version: str | None = None, date_basis: str | None = None,
                    references: str | None = None) -> SourceInfo:
    """The source with the flags a person gave laid over what the file already said."""
    return SourceInfo(title or source.title, check_date(date) or source.date,
                      publisher or source.publisher, check_kind(kind) or source.kind, source.file,
                      url=check_url(url) or source.url, version=version or source.version,
                      date_basis=date_basis or source.date_basis,
                      references=references or source.references)


def missing_source_fields(source: SourceInfo) -> list[str]:
    return [name for name, value in (("title", source.title), ("date", source.date),
                                     ("publisher", source.publisher), ("kind", source.kind))
            if not value or value == UNTITLED]


def reviewed_triples(rs: ReviewSet, reviewer: Reviewer) -> tuple[list[ox.Triple], int, int]:
    """(triples, accepted claims, rejected) for a fully reviewed set; refuses an incomplete one."""
    left = unreviewed(rs)
    if left:
        where = ", ".join(p.reasons[0] if p.reasons else f"line {p.line} {p.stated!r}" for p in left[:8])
        more = f" and {len(left) - 8} more" if len(left) > 8 else ""
        raise WriteRefused(
            f"{len(left)} proposal(s) in {rs.path} are still unreviewed ({where}{more}); "
            "nothing was written",
            hint="set the status of every row to accept or reject (or walk them with `kg review`)")
    missing = missing_source_fields(rs.source)
    if missing:
        raise InputError(f"the document needs its {', '.join(missing)} before its claims can land",
                         hint="pass " + " ".join(f"--{m} ..." for m in missing)
                              + f" (kinds: {', '.join(_kinds())})")
    accepted = [p for p in rs.proposals if p.status == "accept"]
    for p in accepted:
        _settle_names(rs, reviewer, p)
    publisher = _publisher(rs, reviewer)
    doc = rs.source.iri()
    triples = source_triples(rs.source, publisher, "Reviewed")
    needed = {p.subject for p in accepted if p.subject} | {p.benchmark for p in accepted if p.benchmark}
    needed |= {p.value_entity for p in accepted if p.value_entity}
    if publisher in rs.entities:
        needed.add(publisher)
    for iri in sorted(needed):
        if iri in rs.entities and not reviewer.resolver.taken(iri):
            triples += entity_triples(rs.entities[iri], doc, "Reviewed")
    corrected = {id(rs.proposals[i]) for i in rs.corrected}
    for p, iri in zip(accepted, claim_iris(accepted, doc), strict=True):
        if reviewer.vocab.dimension_of(p.property) == "BooleanValue":
            p.value_boolean = _yes_no(p)
        elif not (p.value_text or p.value_entity):
            reviewer.check_value(p.stated, p.property, p.value_date)
        triples += claim_triples(p, iri, doc, "Corrected" if id(p) in corrected else "Reviewed")
    return triples, len(accepted), sum(1 for p in rs.proposals if p.status == "reject")


YES = {"true", "yes", "y", "1", "open", "released"}
NO = {"false", "no", "n", "0", "closed", "not released"}


def _yes_no(p: ProposedClaim) -> bool:
    """A yes/no property's value: the `value_text` a reviewer wrote (true/false, yes/no, open/
    closed), else the figure as stated if it is one of those words."""
    for text in (p.value_text, p.stated):
        key = (text or "").strip().lower()
        if key in YES:
            return True
        if key in NO:
            return False
    where = p.reasons[0] if p.reasons else f"line {p.line}"
    raise InputError(f"{where}: {shorten(p.property)} takes true or false, not {p.value_text or p.stated!r}",
                     hint="write true or false in the value_text column (the evidence keeps the words)")


def _kinds() -> list[str]:
    from kg.ingest.extract import SOURCE_KINDS

    return list(SOURCE_KINDS)


def _settle_names(rs: ReviewSet, reviewer: Reviewer, p: ProposedClaim) -> None:
    """Subjects and benchmarks written as names in a CSV become known or new entities."""
    if p.subject is None and not p.subject_label:
        where = p.reasons[0] if p.reasons else f"line {p.line}"
        raise InputError(f"{where}: {p.stated!r} is accepted but has no subject",
                         hint="write the subject (a name or kge: IRI) in the subject column, or reject it")
    if p.subject is None or p.subject.startswith("name:") or (
            not reviewer.resolver.taken(p.subject) and p.subject not in rs.entities):
        label = p.subject_label or (p.subject or "").removeprefix("name:").rsplit("/", 1)[-1]
        if p.subject and not p.subject.startswith("name:") and p.subject_label:
            rs.entities[p.subject] = ProposedEntity(p.subject, p.subject_label, "Model", [p.subject_label])
        else:
            reviewer.subject(rs, p, label)
    if p.benchmark and (p.benchmark.startswith("name:") or (
            not reviewer.resolver.taken(p.benchmark) and p.benchmark not in rs.entities)):
        label = p.benchmark_label or p.benchmark.removeprefix("name:").rsplit("/", 1)[-1]
        if not p.benchmark.startswith("name:") and p.benchmark_label:
            rs.entities[p.benchmark] = ProposedEntity(p.benchmark, label, "Benchmark", [label])
        else:
            choice = reviewer.book.choose(label, cls="Benchmark", classes=("Benchmark",))
            if choice.new:
                rs.entities[choice.iri] = reviewer.book.proposed[choice.iri]
            p.benchmark = choice.iri
    if p.property not in reviewer.vocab.properties:
        raise InputError(f"{p.reasons[0] if p.reasons else p.line}: {shorten(p.property)} is not a "
                         "property in ontology/properties.ttl")


def ask_source(source: SourceInfo, prompt, *, interactive: bool) -> SourceInfo:
    """Ask a person for the source fields still missing (`prompt` is click.prompt on a terminal);
    without a terminal, say which flags to pass."""
    missing = missing_source_fields(source)
    if not missing:
        return source
    if not interactive:
        raise InputError(f"the document needs its {', '.join(missing)} before its claims can land",
                         hint="pass " + " ".join(f"--{m} ..." for m in missing)
                              + f" (kinds: {', '.join(_kinds())})")
    title, date, publisher, kind = source.title, source.date, source.publisher, source.kind
    if "title" in missing:
        title = prompt("Title of the document (its headline)").strip()
    while "date" in missing:
        try:
            date = check_date(prompt("Date it was published (YYYY-MM-DD, YYYY-MM or YYYY)"))
            break
        except InputError as exc:
            _say(exc)
    if "publisher" in missing:
        publisher = prompt("Publisher (an organisation's name or a kge: IRI)").strip()
    while "kind" in missing:
        try:
            kind = check_kind(prompt(f"Kind of source ({', '.join(_kinds())})"))
            break
        except InputError as exc:
            _say(exc)
    return dataclasses.replace(source, title=title, date=date, publisher=publisher, kind=kind)


def _say(exc: Exception) -> None:
    import click

    click.echo(f"  {exc}", err=True)


def publisher_iri(rs: ReviewSet, reviewer: Reviewer) -> str | None:
    """The publisher as an entity: a known organisation, or one proposed with its name."""
    return _publisher(rs, reviewer)


def _publisher(rs: ReviewSet, reviewer: Reviewer) -> str | None:
    name = rs.source.publisher
    if not name:
        return None
    iri = _expand(name)
    if not iri.startswith("name:") and (reviewer.resolver.taken(iri) or iri in rs.entities):
        return iri
    choice = reviewer.book.choose(iri.removeprefix("name:") if iri.startswith("name:") else name,
                                  cls="Organisation", classes=("Organisation",))
    if choice.new:
        rs.entities[choice.iri] = reviewer.book.proposed[choice.iri]
    return choice.iri


def to_reviewed_turtle(rs: ReviewSet, reviewer: Reviewer) -> tuple[str, int, int]:
    from kg.core.turtle import to_turtle

    triples, accepted, rejected = reviewed_triples(rs, reviewer)
    header = (f"Claims reviewed from {rs.path.name}: {accepted} accepted, {rejected} rejected.\n"
              "Add them to the graph with `kg add` this file.")
    return to_turtle(triples, header=header), accepted, rejected


def unreviewed_nodes(triples: Iterable[ox.Triple]) -> tuple[list[str], list[str]]:
    """(claims, other nodes) an incoming file marks unreviewed, or machine-extracted without a
    review status: what `kg add` refuses."""
    status: dict[str, str] = {}
    extracted: set[str] = set()
    claims: set[str] = set()
    for t in triples:
        if isinstance(t.object, ox.Triple):
            continue  # a triple term (RDF 1.2) carries no review status
        s = t.subject.value  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple
        if t.predicate.value == KG + "reviewStatus":
            status[s] = t.object.value
        elif t.predicate.value == KG + "extractedBy":
            extracted.add(s)
        elif t.predicate.value == RDF + "type" and t.object.value == KG + "Claim":
            claims.add(s)
    bad = {s for s, v in status.items() if v == KG + "Unreviewed"}
    bad |= {s for s in extracted if status.get(s) not in (KG + "Reviewed", KG + "Corrected")}
    return sorted(bad & claims), sorted(bad - claims)


def review_hint(file: str) -> str:
    return (f"review them first: `kg review {file}` walks each one on a terminal and writes the "
            "reviewed Turtle; or write them as CSV with `kg extract DOCUMENT --format csv -o c.csv`, "
            "set each row's status to accept or reject (fixing cells as needed), then "
            "`kg add --from-review c.csv --title ... --date ... --publisher ... --kind ...`")

