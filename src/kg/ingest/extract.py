"""Propose claims from a document the way an analyst reads it: tables as tables, prose as sentences.

The document is parsed into a document model (kg.ingest.documents: Markdown through markdown-it-py,
HTML through selectolax, plain text line by line), so every proposal keeps the line a reviewer
opens. Tables go through kg.ingest.tablefigures (subject from the header or first column, property
and benchmark from the row label), prose through kg.ingest.prose (subject from the sentence,
property from cue words). All the words either reads are ontology data (kg.ingest.cues).

Nothing extracted is a claim yet: every proposal, and every entity it proposes, carries
`kg:reviewStatus kg:Unreviewed`, `kg:extractedBy`, a confidence and `kg:decidedBy` (how its
subject and property were decided). `kg add` refuses them until a person has reviewed them
(`kg review`, or the CSV path through `kg add --from-review`; kg.ingest.review).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import InputError
from kg.core.vocab import DCTERMS, KG, KGC, KGE, KGP, KGS, PROV, RDF, SKOS, XSD, shorten
from kg.ingest.cues import Vocabulary
from kg.ingest.documents.model import Document, Heading, ListItem, Paragraph
from kg.ingest.names import Choice, EntityBook, ProposedEntity
from kg.ingest.proposal import ProposedClaim
from kg.ingest.resolve import Resolver, slug
from kg.store.names import NameIndex

EXTRACTOR = "kg.extract 0.2"
SOURCE_KINDS = ("PrimaryReport", "OfficialRecord", "CuratedDatabase", "AnalystFirm", "News",
                "Newsletter", "ResearchNote", "AISynthesis", "SocialPost")
UNTITLED = "[untitled document: give its title with --title]"
# a plain-text line that is a list item ("- ", "• ", "* ", "1. "): text files have no list markup
BULLET = re.compile(r"\s*(?:[-•*–]|\d{1,2}[.)])\s+\S")



@dataclass
class SourceInfo:
    """The document as a source: title, date, publisher and kind, given by a person (flags or
    prompts) or read from the document's own headline, never made from its file name."""

    title: str | None = None
    date: str | None = None          # YYYY-MM-DD, YYYY-MM or YYYY
    publisher: str | None = None     # a name (resolved or proposed) or an entity IRI
    kind: str | None = None          # a kg:SourceKind local name
    file: str | None = None          # the file read, recorded as dcterms:identifier only
    url: str | None = None           # where it can be read (dcterms:source)
    version: str | None = None       # the commit or version read
    date_basis: str | None = None    # how the date was obtained (kg:dateBasis)
    references: str | None = None    # a work it restates (dcterms:references), a kgs: IRI

    def identifier(self) -> str | None:
        """What identifies the text read: `github:<owner>/<repo>@<commit>:<path>` for a GitHub
        URL (the commit from the URL or --version), else the URL or file at its version."""
        m = re.match(r"https?://github\.com/([^/]+)/([^/]+)/(?:blob|tree|raw)/([^/]+)/(.+?)(?:[?#].*)?$",
                      self.url or "")
        if m:
            owner, repo, ref, path = m.groups()
            commit = self.version or ref
            return f"github:{owner}/{repo}@{commit}:{path}"
        m = re.match(r"https?://github\.com/([^/]+)/([^/]+)/commit/([0-9a-f]+)", self.url or "")
        if m:
            return f"github:{m.group(1)}/{m.group(2)}@{self.version or m.group(3)}"
        base = self.url or self.file
        if base and self.version:
            return f"{base}@{self.version}"
        return base

    def version_read(self) -> str | None:
        """The commit or version read: given, or the commit a GitHub URL names."""
        if self.version:
            return self.version
        m = re.match(r"https?://github\.com/[^/]+/[^/]+/(?:blob|tree|raw|commit)/([0-9a-f]{7,40})(?:/|$)",
                     self.url or "")
        return m.group(1) if m else None

    def iri(self) -> str:
        if self.title and self.title != UNTITLED:
            base = slug(self.title)[:60].rstrip("-")
            return KGS + (f"{base}-{self.date[:4]}" if self.date else base)
        digest = hashlib.sha256((self.file or "").encode()).hexdigest()[:10]
        return KGS + f"document-{digest}"


def expand_source(text: str) -> str:
    """A source as a person writes it: `kgs:x`, `x` or the full IRI."""
    text = text.strip()
    if text.startswith("http"):
        return text
    return KGS + text.removeprefix("kgs:")


def check_url(url: str | None) -> str | None:
    """A locator must be an absolute http(s) URL without spaces (it becomes an IRI)."""
    if not url:
        return None
    url = url.strip()
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        raise InputError(f"--url {url!r} is not an http(s) URL",
                         hint="give the address the document can be read at, e.g. "
                              "https://github.com/<owner>/<repo>/blob/<commit>/README.md")
    return url


def check_kind(kind: str | None) -> str | None:
    """The kg:SourceKind local name for what a person typed (case and spacing forgiven)."""
    if not kind:
        return None
    key = re.sub(r"[^a-z]", "", kind.lower())
    for k in SOURCE_KINDS:
        if k.lower() == key:
            return k
    raise InputError(f"--kind {kind!r} is not a kind of source kg knows",
                     hint="one of: " + ", ".join(SOURCE_KINDS))


def check_date(date: str | None) -> str | None:
    if not date:
        return None
    if not re.fullmatch(r"\d{4}(?:-\d\d(?:-\d\d)?)?", date.strip()):
        raise InputError(f"--date {date!r} is not a date", hint="write YYYY-MM-DD, YYYY-MM or YYYY")
    return date.strip()


@dataclass
class Extraction:
    """A document read for claims: its proposals, the entities they propose, its main subject."""

    path: Path
    proposals: list[ProposedClaim] = field(default_factory=list)
    entities: dict[str, ProposedEntity] = field(default_factory=dict)
    main: Choice | None = None
    headline: str | None = None
    source: SourceInfo = field(default_factory=SourceInfo)


def read_document(path: Path) -> Document:
    from kg.ingest.documents import parse_file

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="pass a .md, .html or .txt document")
    try:
        return parse_file(path)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text") from exc


class _Locator:
    """Finds the source line a figure sits on, from the line its block starts at."""

    def __init__(self, lines: list[str], starts: list[int]) -> None:
        self.plain = [_plain(line) for line in lines]
        self.starts = sorted(set(starts))
        self.cursor: dict[int, int] = {}

    def __call__(self, figure: str, block_line: int) -> int:
        nxt = next((s for s in self.starts if s > block_line), len(self.plain) + 1)
        begin = self.cursor.get(block_line, block_line)
        needle = _plain(figure)
        for k in range(begin, min(nxt, len(self.plain) + 1)):
            if needle and needle in self.plain[k - 1]:
                self.cursor[block_line] = k
                return k
        return begin


def _plain(text: str) -> str:
    text = re.sub(r"<[^<>]*>", " ", text.replace("\xa0", " "))  # [^<>]: one pass over "<p<p<p"
    return " ".join(re.sub(r"[*_`]+", "", text).split()).lower()


def given_subject(text: str, book: EntityBook, names: NameIndex | None = None) -> Choice:
    """The document's main subject as a person gave it (`kg extract --subject`), resolved as every
    other command resolves an entity (kg.store.names): an IRI or prefixed name the graph knows is
    taken as written, a label or alias (case, spaces and punctuation aside) names its model. An
    IRI the graph does not know is an error, as elsewhere: kg cannot invent its label. A name
    that matches nothing is a new model proposed with that name as its label; two matches are an
    error listing both."""
    from kg.core.errors import UnknownName
    from kg.store.names import as_iri

    wanted = [KG + c for c in ("Model", "ModelFamily")]
    iri = as_iri(text)
    if iri is not None:
        if book.resolver.taken(iri) or (names is not None and iri in names.labels):
            label = book.resolver.label(iri) or (names.label(iri) if names else shorten(iri))
            return Choice(iri, label, False, f"the document's main subject, given as {text!r}",
                          book.classes_of(iri))
        near = names.nearest(iri.rsplit("/", 1)[-1], wanted) if names is not None else []
        raise UnknownName(f"--subject {text}: no entity {shorten(iri)} in the graph",
                          hint="give the model's name instead (--subject \"Qwen3.6-35B-A3B\") to "
                               "propose it as a new entity" +
                               (f"; nearest names: {'; '.join(near)}" if near else ""))
    if names is not None:
        hits = names.matches(text, classes=wanted)
        if len(hits) > 1:
            names.resolve(text, classes=wanted, what="model")  # raises: ambiguous, listing them
        if len(hits) == 1:
            label = names.label(hits[0])
            return Choice(hits[0], label, False,
                          f"the document's main subject, given as {text!r} (names {label!r})",
                          book.classes_of(hits[0]))
    choice = book.choose(text)
    choice.how = f"the document's main subject, given as {text!r}: {choice.how}"
    return choice


def extract_file(path: Path, resolver: Resolver, *, vocab: Vocabulary | None = None,
                 subject: str | None = None, source: SourceInfo | None = None,
                 names: NameIndex | None = None) -> Extraction:
    """Proposals for every figure of a document, tables and prose, in line order.

    `subject` is the document's main subject as a person wrote it (an IRI, a prefixed name, a
    label or alias, or a new model's name; see `given_subject`); `names` is the graph's name
    index (kg.store.names) for resolving it as other commands do."""
    from kg.ingest.documents.tables import read_table
    from kg.ingest.prose import Context, extract_block, heading_subject, looks_like_heading
    from kg.ingest.tablefigures import table_proposal_parts
    from kg.ingest.texttables import Header, read_header, read_row

    vocab = vocab or Vocabulary.from_ontology()
    document = read_document(path)
    book = EntityBook(resolver)
    result = Extraction(Path(path), headline=document.headline, source=source or SourceInfo())
    result.source.file = result.source.file or Path(path).name
    result.source.title = result.source.title or document.headline
    texts: list[tuple[str, int]] = []
    first_paragraph = True
    for block in document.blocks:
        if isinstance(block, Heading):
            texts.append((block.text, 3))
        elif isinstance(block, Paragraph | ListItem):
            texts.append((block.text, 2 if first_paragraph else 1))
            first_paragraph = False
    main: Choice | None
    carded = None
    if subject:
        main = given_subject(subject, book, names)
    else:
        carded = _front_matter_subject(document, book)
        main = carded or book.main_subject(texts)
    explicit = bool(subject) or carded is not None   # a licence goes on this subject alone
    voted = main is not None
    headline = _headline_subject(document, book, Path(path).suffix.lower() in (".txt", ".pdf"))
    if main is None:
        main = headline
    result.main = main
    tables = []
    for table in document.tables:
        for f in read_table(table):
            parts = table_proposal_parts(f, vocab, book, main)
            if parts is None:
                continue
            subj, prop, how, condition, bench, q, value_date = parts
            tables.append(ProposedClaim(
                line=f.line, stated=f.figure, subject=subj.iri, property=prop, hedge="Stated",
                evidence=_table_evidence(f), confidence=0.8 if not subj.new else 0.7,
                subject_label=subj.label, subject_new=subj.new, value_date=value_date,
                benchmark=bench.iri if bench else None, benchmark_label=bench.label if bench else "",
                benchmark_new=bench.new if bench else False, condition=condition,
                locator=_table_locator(f), source="table", value=q,
                decided_by=f"subject: {subj.how}; property: {how}"))
    metadata: list[ProposedClaim] = []
    if document.front_matter:
        from kg.ingest.modelcard import card_proposals

        metadata = card_proposals(document.front_matter, book, main, str(path))
    from kg.ingest.licences import licence_proposals

    metadata = licence_proposals(document, book, main, metadata, explicit=explicit,
                                 headline=headline)
    starts = [b.line for b in document.blocks]
    ctx = Context(vocab, book, main, {d for d in (result.source.date,) if d},
                  _Locator(document.lines, starts))
    prose: list[ProposedClaim] = []
    plain = Path(path).suffix.lower() in (".txt", ".pdf")  # no markup: headings known by layout
    header_end = 0
    carried = None   # the discourse subject: a section's heading, then each paragraph's last subject
    section = None   # the subject the current section's heading names
    header: Header | None = None   # a plain-text table's header line, while its rows follow
    for block in document.blocks:
        if plain and isinstance(block, Paragraph):
            rows = (read_row(block.text, block.line, header, ctx)
                    if header is not None and block.line == header_end + 1 else None)
            if rows is not None:
                header_end = block.line
                read: list[ProposedClaim] = []
                extract_block(block.text, block.line, ctx, read, None)
                left = [p for p in read if p.stated not in rows[1]]
                if rows[0]:
                    _row_subject_for(left, rows[0][0])
                prose += rows[0] + left
                continue
            header = read_header(block.text, block.line, ctx)
            header_end = block.line
            if header is not None:
                if looks_like_heading(block.text):  # a heading full of cue words may be either:
                    carried = section = heading_subject(block.text, ctx)  # it still opens a section
                continue
        if isinstance(block, Heading) or (plain and isinstance(block, Paragraph)
                                          and looks_like_heading(block.text)):
            carried = section = heading_subject(block.text, ctx)
            if isinstance(block, Heading):
                continue
        if isinstance(block, Paragraph | ListItem) and block.text:
            item = isinstance(block, ListItem) or (plain and BULLET.match(block.text) is not None)
            # the items of a list are parallel points about what the section is about: one that
            # names no subject is about the section's heading (else what the text was about before
            # the list), never about the previous item's subject
            last = extract_block(block.text, block.line, ctx, prose,
                                 (section or carried) if item else carried)
            if not voted and not item:  # an article about many entities: the next paragraph continues
                carried = last  # this one's (a document mostly about one model falls back to it instead)
    result.proposals = sorted(metadata + tables + prose, key=lambda p: (p.line, p.source != "table"))
    if document.pages:  # a PDF: the page a reader turns to, before the line of the extracted text
        for p in result.proposals:
            p.locator = f"page {document.page_of(p.line)}, {p.locator or f'line {p.line}'} of its text"

    result.entities = {iri: e for iri, e in book.proposed.items()
                       if any(iri in (p.subject, p.benchmark, p.value_entity) for p in result.proposals)}
    return result


def _row_subject_for(proposals: list[ProposedClaim], cell: ProposedClaim) -> None:
    """A figure of a text-table row that no column takes ("10x cheaper" in a comparison column)
    is still about the row's entity, unless a name right beside it says otherwise."""
    for p in proposals:
        if p.decided_by.startswith("subject: named right beside"):
            continue
        p.subject, p.subject_label, p.subject_new = cell.subject, cell.subject_label, cell.subject_new
        prop_part = p.decided_by.split("; property: ", 1)[-1]
        p.decided_by = (f"subject: the row's name in a plain-text table ({cell.subject_label!r}), for a "
                        f"figure no column takes; property: {prop_part}")


def _headline_subject(document: Document, book: EntityBook, plain: bool) -> Choice | None:
    """An article about several entities whose headline names one ("X: How a lab matched ...")
    is about that one where a sentence names none: the headline's first model or family that is
    not compared with another."""
    from kg.ingest.prose import COMPARISON, looks_like_heading

    headline = document.headline
    if headline is None and plain and document.blocks:
        first = document.blocks[0]
        # a headline may ask a question ("Is X really cheaper?"); a heading further down may not
        # and open with an emoji or a bullet
        if isinstance(first, Paragraph) and looks_like_heading(
                re.sub(r"^[^\w\"'(\[]+", "", first.text).rstrip().rstrip("?")):
            headline = first.text
    if not headline:
        return None
    for m in book.mentions(headline):
        if m.classes & {"Model", "ModelFamily"}:
            if COMPARISON.search(headline[max(0, m.start - 40):m.start]):
                continue
            return Choice(m.iri, m.label, m.new, f"the document's headline names {m.label!r}", m.classes)
    return None


def _front_matter_subject(document: Document, book: EntityBook) -> Choice | None:
    """A model card names its model in its metadata (`model-index` name or `model_name`)."""
    if not document.front_matter:
        return None
    from kg.ingest.modelcard import card_model_name

    name = card_model_name(document.front_matter)
    if not name:
        return None
    choice = book.choose(name)
    choice.how = f"the model card's metadata names {name!r}: {choice.how}"
    return choice


def _table_evidence(f) -> str:
    text = " / ".join(p for p in (f.row_label, f.subject or "") if p)
    phrase = f"{text}: {f.figure}" if text else f.figure
    return phrase if len(phrase) <= 88 else phrase[:84].rstrip() + " ..."


def _table_locator(f) -> str:
    col = f"column {f.column_label!r}" if f.column_label else ""
    row = f"row {f.row_label!r}" if f.row_label and f.layout != "models-in-rows" else (
        f"row {f.subject!r}" if f.subject else "")
    return ", ".join(p for p in (f"table at line {f.table_line}", row, col) if p) + f" (line {f.line})"


# ---------------------------------------------------------------------- output
def _lit(value: str, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def date_literal(value: str) -> ox.Literal:
    dt = {10: "date", 7: "gYearMonth", 4: "gYear"}.get(len(value), "date")
    return _lit(value, XSD + dt)


def claim_iris(proposals: list[ProposedClaim], doc_iri: str) -> list[str]:
    """`kgc:<document>-<line>-<subject>-<property>`, with -b, -c for repeats (graph/CURATION.md)."""
    doc = doc_iri.rsplit("/", 1)[-1]
    used: dict[str, int] = {}
    out = []
    for p in proposals:
        base = (f"{doc}-{p.line:03d}-{(p.subject or 'unknown').rsplit('/', 1)[-1]}-"
                f"{p.property.rsplit('/', 1)[-1]}")
        n = used.get(base, 0)
        used[base] = n + 1
        out.append(KGC + (base if n == 0 else f"{base}-{chr(ord('a') + n)}"))
    return out


def source_triples(source: SourceInfo, publisher: str | None, status: str) -> list[ox.Triple]:
    s = ox.NamedNode(source.iri())
    out = [ox.Triple(s, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + "Document")),
           ox.Triple(s, ox.NamedNode(DCTERMS + "title"), _lit(source.title or UNTITLED))]
    if source.date:
        out.append(ox.Triple(s, ox.NamedNode(DCTERMS + "date"), date_literal(source.date)))
    if publisher:
        out.append(ox.Triple(s, ox.NamedNode(DCTERMS + "publisher"), ox.NamedNode(publisher)))
        out.append(ox.Triple(s, ox.NamedNode(DCTERMS + "creator"), ox.NamedNode(publisher)))
    if source.kind:
        out.append(ox.Triple(s, ox.NamedNode(KG + "sourceKind"), ox.NamedNode(KG + source.kind)))
    identifier = source.identifier()
    if identifier:
        out.append(ox.Triple(s, ox.NamedNode(DCTERMS + "identifier"), _lit(identifier)))
    if source.url:
        out.append(ox.Triple(s, ox.NamedNode(DCTERMS + "source"), ox.NamedNode(source.url)))
    version = source.version_read()
    if version:
        out.append(ox.Triple(s, ox.NamedNode(KG + "versionRead"), _lit(version)))
    if source.date_basis:
        out.append(ox.Triple(s, ox.NamedNode(KG + "dateBasis"), _lit(source.date_basis)))
    if source.references:
        out.append(ox.Triple(s, ox.NamedNode(DCTERMS + "references"),
                             ox.NamedNode(expand_source(source.references))))
    out.append(ox.Triple(s, ox.NamedNode(KG + "reviewStatus"), ox.NamedNode(KG + status)))
    return out


def entity_triples(entity: ProposedEntity, doc_iri: str, status: str) -> list[ox.Triple]:
    s = ox.NamedNode(entity.iri)
    out = [ox.Triple(s, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + entity.cls)),
           ox.Triple(s, ox.NamedNode(SKOS + "prefLabel"), _lit(entity.label))]
    for spelling in sorted(set(entity.spellings) - {entity.label}):
        out.append(ox.Triple(s, ox.NamedNode(SKOS + "altLabel"), _lit(spelling)))
    out.append(ox.Triple(s, ox.NamedNode(DCTERMS + "source"), ox.NamedNode(doc_iri)))
    out.append(ox.Triple(s, ox.NamedNode(KG + "reviewStatus"), ox.NamedNode(KG + status)))
    return out


def claim_triples(p: ProposedClaim, iri: str, doc_iri: str, status: str | None) -> list[ox.Triple]:
    s = ox.NamedNode(iri)
    t: list[ox.Triple] = []

    def add(pred: str, obj: ox.NamedNode | ox.Literal) -> None:
        t.append(ox.Triple(s, ox.NamedNode(pred), obj))

    add(RDF + "type", ox.NamedNode(KG + "Claim"))
    add(KG + "subject", ox.NamedNode(p.subject or KGE + "unknown"))
    add(KG + "property", ox.NamedNode(p.property))
    add(KG + "stated", _lit(p.stated))
    if p.value_date:
        add(KG + "valueDate", date_literal(p.value_date))
    if p.value_entity:
        add(KG + "valueEntity", ox.NamedNode(p.value_entity))
    if p.value_text and p.value_boolean is None:
        add(KG + "valueText", _lit(p.value_text))
    if p.value_boolean is not None:
        add(KG + "valueBoolean", _lit("true" if p.value_boolean else "false", XSD + "boolean"))
    for pred, v in ((KG + "chip", p.chip), (KG + "benchmark", p.benchmark), (KG + "scope", p.scope)):
        if v:
            add(pred, ox.NamedNode(v))
    if p.condition:
        add(KG + "condition", _lit(p.condition))
    add(KG + "hedge", ox.NamedNode(KG + p.hedge))
    add(PROV + "wasDerivedFrom", ox.NamedNode(doc_iri))
    if p.line:
        add(KG + "line", _lit(str(p.line), XSD + "integer"))
    add(KG + "locator", _lit(p.locator or f"line {p.line}"))
    if p.evidence:
        add(KG + "evidence", _lit(p.evidence[:90]))
    add(KG + "extractedBy", _lit(EXTRACTOR))
    add(KG + "extractionConfidence", _lit(f"{p.confidence:.2f}", XSD + "decimal"))
    if p.decided_by:
        add(KG + "decidedBy", _lit(p.decided_by))
    if status:
        add(KG + "reviewStatus", ox.NamedNode(KG + status))
    if status == "Corrected" and p.proposed_as:
        add(KG + "proposedAs", _lit(p.proposed_as))
    return t


def to_triples(result: Extraction, *, publisher: str | None = None) -> list[ox.Triple]:
    """The proposals as unreviewed claims, with the document and the entities they propose."""
    doc = result.source.iri()
    triples = source_triples(result.source, publisher, "Unreviewed")
    for entity in sorted(result.entities.values(), key=lambda e: e.iri):
        triples += entity_triples(entity, doc, "Unreviewed")
    kept = [p for p in result.proposals if p.subject]
    for p, iri in zip(kept, claim_iris(kept, doc), strict=True):
        triples += claim_triples(p, iri, doc, "Unreviewed")
    return triples


def to_turtle_text(result: Extraction, *, publisher: str | None = None) -> str:
    from kg.core.turtle import to_turtle

    orphans = sum(1 for p in result.proposals if not p.subject)
    header = (f"Claims proposed by `kg extract` from {result.path.name}: {len(result.proposals)} "
              f"proposal(s), {len(result.entities)} proposed new entit(y/ies); all unreviewed.\n"
              + (f"{orphans} figure(s) with no subject are only in `--format csv`.\n" if orphans else "") +
              f"Review them with `kg review {result.path.stem}.ttl` (or `kg extract --format csv`, "
              "edit, then `kg add --from-review FILE.csv`); `kg add` refuses unreviewed claims.")
    return to_turtle(to_triples(result, publisher=publisher), header=header)


COLUMNS = ["line", "stated", "subject", "property", "benchmark", "condition", "hedge", "status",
           "subject_label", "benchmark_label", "scope", "chip", "value_date", "value_entity",
           "value_label", "value_text", "evidence", "locator", "confidence", "decided_by", "proposed"]


def to_records(proposals: list[ProposedClaim], entities: dict[str, ProposedEntity] | None = None
               ) -> tuple[list[str], list[list[object]]]:
    """One row per proposal, in the columns a reviewer edits (status: accept, correct or reject);
    a new entity a value names carries its label in `value_label`; `proposed` keeps what
    extraction proposed, so a row whose subject, property, benchmark or value a reviewer changed
    lands as corrected (kg:Corrected, with kg:proposedAs) rather than as accepted."""
    labels = {iri: e.label for iri, e in (entities or {}).items()}
    records = []
    for p in proposals:
        records.append([
            p.line, p.stated, shorten(p.subject) if p.subject else "", shorten(p.property),
            shorten(p.benchmark) if p.benchmark else "", p.condition or "", p.hedge.lower(),
            p.status, p.subject_label if p.subject_new else "",
            p.benchmark_label if p.benchmark_new else "", shorten(p.scope) if p.scope else "",
            shorten(p.chip) if p.chip else "", p.value_date or "",
            shorten(p.value_entity) if p.value_entity else "", labels.get(p.value_entity or "", ""),
            p.value_text or "", p.evidence, p.locator, f"{p.confidence:.2f}", p.decided_by,
            p.proposed_as or p.fingerprint()])
    return COLUMNS, records


def property_iri(text: str) -> str:
    """A property as a person writes it: `kgp:x`, `x` or the full IRI."""
    text = text.strip()
    if text.startswith("http"):
        return text
    return KGP + text.removeprefix("kgp:")
