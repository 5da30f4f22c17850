"""What a reader needs beside the table: the claims behind each cell and the list of sources.

Both come from named queries (`cell-evidence`, `source-list`); this module only gathers their
rows into small records the HTML report (and anything else that shows evidence) can lay out.
A source's address is the one the graph records (`dcterms:source`, e.g. the commit-pinned file
of a lab's model card); an arXiv identifier gives its abstract page. Nothing is fetched.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kg.core.vocab import KG
from kg.store.protocol import Store
from kg.store.queries import named_query
from kg.store.results import as_text, to_python

KIND_WORDS = {"PrimaryReport": "primary report", "OfficialRecord": "official record",
              "CuratedDatabase": "curated database", "AnalystFirm": "analyst firm", "News": "news",
              "Newsletter": "newsletter", "ResearchNote": "research note",
              "AISynthesis": "AI-generated synthesis", "SocialPost": "social post"}

_ARXIV = re.compile(r"^arXiv:(\d{4}\.\d{4,5}(?:v\d+)?)$", re.I)


@dataclass(frozen=True)
class Source:
    """One document of the graph, as a reader's list of sources shows it."""

    iri: str
    title: str | None
    kind: str | None          # the local name of the kind: PrimaryReport, Newsletter, ...
    date: str | None
    url: str | None           # recorded address (dcterms:source), http(s) only
    identifier: str | None
    publisher: str | None
    file: str | None          # the corpus file name, for corpus documents
    claims: int

    @property
    def link(self) -> str | None:
        """Where a reader can open it: the recorded address, else an arXiv abstract page."""
        return address(self.url, self.identifier)

    @property
    def primary(self) -> bool:
        return self.kind == "PrimaryReport"

    @property
    def name(self) -> str:
        if self.file:
            return f"corpus {self.file[:3]}: {self.title}" if self.title else f"corpus {self.file[:3]}"
        return self.title or self.iri.rsplit("/", 1)[-1]

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind or "", self.kind or "")


@dataclass(frozen=True)
class ClaimEvidence:
    """One claim behind a cell: what it stated, where, and whether it won."""

    claim: str
    won: bool
    stated: str | None
    evidence: str | None
    locator: str | None
    reason: str | None
    document: str
    origin_title: str | None


def address(url: str | None, identifier: str | None) -> str | None:
    """A document's web address: the one recorded (http(s) only), else, for an arXiv
    identifier, its abstract page."""
    if safe_link(url):
        return url
    found = _ARXIV.match(identifier or "")
    return f"https://arxiv.org/abs/{found.group(1)}" if found else None


def safe_link(url: str | None) -> str | None:
    """Only web addresses become links: a `javascript:` or `data:` address from data never does."""
    if url and re.match(r"^https?://[^\s\"'<>]+$", url):
        return url
    return None


def source_list(store: Store) -> list[Source]:
    """Every document of the graph, in IRI order (named query `source-list`)."""
    out = []
    for r in store.select(named_query("source-list").text):
        v = {k: to_python(t) for k, t in r.items()}
        kind = v.get("kind")
        out.append(Source(
            iri=str(v["document"]), title=as_text(v.get("title")),
            kind=kind[len(KG):] if isinstance(kind, str) and kind.startswith(KG) else as_text(kind),
            date=as_text(v.get("date")),
            url=safe_link(as_text(v.get("url"))), identifier=as_text(v.get("identifier")),
            publisher=as_text(v.get("publisher")), file=as_text(v.get("file")),
            claims=int(v.get("claims") or 0)))
    return out


def cell_claims(store: Store, groups: Iterable[str | None]) -> dict[str, list[ClaimEvidence]]:
    """group IRI -> its winning and losing claims (named query `cell-evidence`, bound to `groups`).

    Winners first, then losers, each in claim order; a claim read twice (two evidence phrases)
    is kept once.
    """
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound

    wanted = [ox.NamedNode(g) for g in sorted({g for g in groups if g})]
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[ClaimEvidence]] = defaultdict(list)
    for r in stream_bound(store, named_query("cell-evidence").text, "group", wanted):
        v = {k: as_text(to_python(t)) for k, t in r.items()}  # every field here is text
        group, claim = str(v["group"]), str(v["claim"])
        if (group, claim) in seen:
            continue
        seen.add((group, claim))
        out[group].append(ClaimEvidence(
            claim=claim, won=v["role"] == "preferred", stated=v.get("stated"),
            evidence=v.get("evidence"), locator=v.get("locator"), reason=v.get("reason"),
            document=str(v["document"]), origin_title=v.get("originTitle")))
    return {g: sorted(cs, key=lambda c: (not c.won, c.claim)) for g, cs in out.items()}
