"""Why a preferred value changed between two reconciliations: the kinds of reason kg.report.changes
lists (new source, related entity, snapshot revision, evidence dropped, new evidence,
reliability), worked out from the claims' documents and the runs' reliabilities.

Split from kg.report.changes so the reasoning reads apart from the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.core.vocab import KG, shorten
from kg.reconcile.verdicts import StatementState
from kg.report.change_sides import Side

CURATED_DATABASE = KG + "CuratedDatabase"


@dataclass
class Reason:
    kind: str
    text: str
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "sources": self.sources}



def with_article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word



@dataclass
class ClaimSource:
    document: str
    title: str | None
    kind: str | None
    day: str | None
    creator: str | None
    origin: str | None
    database: str | None = None  # the database a snapshot is a version of


def claim_sources(eg, claims: Iterable[str]) -> dict[str, ClaimSource]:
    """Each claim's document (title, kind, date, creator) and origin, from queries/known-since.rq."""
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound
    from kg.store.queries import named_query
    from kg.store.results import to_python

    out: dict[str, ClaimSource] = {}
    wanted = [ox.NamedNode(c) for c in sorted(claims)]
    for r in stream_bound(eg.store, named_query("known-since").text, "claim", wanted):
        v: dict[str, Any] = {k: to_python(t) for k, t in r.items()}
        out.setdefault(v["claim"], ClaimSource(v["document"], v.get("title"), v.get("sourceKind"),
                                           str(v["knownSince"]) if v.get("knownSince") else None,
                                           v.get("creator"), v.get("origin"), v.get("database")))
    return out


def _name(src: ClaimSource, width: int = 60) -> str:
    """A source as a reason names it: its title (shortened) and its date."""
    title = (src.title or shorten(src.document)).strip().strip("[]")
    if len(title) > width:
        title = title[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{title}" + (f", {src.day}" if src.day and src.day not in title else "")


def reasons_for(old: StatementState, new: StatementState, a: Side, b: Side,
             sources: dict[str, ClaimSource], labels: dict[str, str] | None = None) -> list[Reason]:
    reasons: list[Reason] = []
    added = new.claims - old.claims
    gone = old.claims - new.claims
    if old.value != new.value:
        # claims behind the new value that the old side did not weigh here: the statement's own
        # new claims, or a related entity's (a flagship variant's figure the value is taken from)
        winning_new = sorted(new.preferred_claims - old.claims - old.preferred_claims)
        if new.borrowed_from and new.borrowed_from != old.borrowed_from:
            name = (labels or {}).get(new.borrowed_from) or shorten(new.borrowed_from)
            reasons.append(Reason("related-entity", f"now the value of {name}, a related entity "
                                  "the reconciler reads this figure as", [new.borrowed_from]))
        if winning_new:
            seen: set[str] = set()
            for claim in winning_new:
                src = sources.get(claim)
                if src is None or src.document in seen:
                    continue
                seen.add(src.document)
                revised = _revises(src, old.claims, sources)
                if revised is not None:
                    reasons.append(Reason(
                        "snapshot-revision", f"{_name(src)} revises {_name(revised)}"
                        f" (was {old.preferred or '—'})", [src.document, revised.document]))
                else:
                    reasons.append(Reason("new-source", f"new source: {_name(src)}", [src.document]))
            if not any(r.kind in ("new-source", "snapshot-revision") for r in reasons):
                reasons.append(Reason("new-source", f"{len(winning_new)} new claim(s) support it"))
        elif gone & old.preferred_claims:
            docs = sorted({_name(sources[c]) for c in gone & old.preferred_claims if c in sources})
            reasons.append(Reason("evidence-dropped",
                                  "the claims behind the old value are no longer read"
                                  + (f" ({'; '.join(docs[:3])})" if docs else ""),
                                  sorted({sources[c].document for c in gone if c in sources})))
        elif added:
            docs = sorted({_name(sources[c]) for c in added if c in sources})
            reasons.append(Reason("new-evidence", "new claims changed the balance"
                                  + (f" ({'; '.join(docs[:3])})" if docs else ""),
                                  sorted({sources[c].document for c in added if c in sources})))
        elif gone:
            reasons.append(Reason("evidence-dropped", f"{len(gone)} claim(s) no longer read"))
        else:
            reasons.append(_reliability_reason(old, new, a, b, sources))
    if old.status != new.status:
        if new.status == "conflict":
            reasons.append(Reason("conflict-opened", f"now {with_article(new.kind or 'value')} conflict"
                                  f" (confidence {new.confidence:.2f})"))
        else:
            reasons.append(Reason("conflict-resolved", "the conflict is resolved"
                                  + (f": {new.kind} {new.resolution or ''}".rstrip()
                                     if new.kind else "")))
    return reasons


def _revises(src: ClaimSource, old_claims: set[str], sources: dict[str, ClaimSource]) -> ClaimSource | None:
    """The older snapshot of the same database among the old side's claims, if any: the same
    `dcterms:isVersionOf` (two tables of one curator are two databases), else, for curated
    databases that do not say, the same creator."""
    def same(s: ClaimSource) -> bool:
        if src.database or s.database:
            return s.database == src.database
        return (src.kind == s.kind == CURATED_DATABASE and src.creator is not None
                and s.creator == src.creator)

    if not src.database and src.kind != CURATED_DATABASE:
        return None
    older = [s for c in old_claims if (s := sources.get(c)) is not None and same(s)
             and s.document != src.document and (s.day or "") < (src.day or "")]
    return max(older, key=lambda s: s.day or "") if older else None


def _reliability_reason(old: StatementState, new: StatementState, a: Side, b: Side,
                        sources: dict[str, ClaimSource]) -> Reason:
    origins = {str(sources[c].origin) for c in old.claims | new.claims
               if c in sources and sources[c].origin}
    moved = []
    for origin in sorted(origins):
        ra, rb = a.reliability.get(origin), b.reliability.get(origin)
        if ra is not None and rb is not None and abs(ra - rb) >= 0.005:
            moved.append((abs(ra - rb), origin, ra, rb))
    moved.sort(reverse=True)
    if moved:
        titles = {sources[c].document: sources[c].title for c in old.claims | new.claims
                  if c in sources and sources[c].title}
        text = "; ".join(f"{_short_title(titles.get(o) or shorten(o))} {ra:.2f} → {rb:.2f}"
                         for _d, o, ra, rb in moved[:3])
        return Reason("reliability", f"same claims; the sources' reliability moved: {text}",
                      [o for _d, o, with_article, _b in moved])
    return Reason("reliability", "same claims; the weighing changed (other statements moved "
                  "the sources' reliabilities, or the priors changed)")


def _short_title(title: str, width: int = 60) -> str:
    title = title.strip().strip("[]")
    return title if len(title) <= width else title[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def entity_labels(eg, a: Side, b: Side) -> dict[str, str]:
    """Labels of the subjects and properties the report names (kg.store.names, read once)."""
    names = eg.names()
    wanted = {s.subject for side in (a, b) for s in side.statements.values()}
    wanted |= {s.property for side in (a, b) for s in side.statements.values()}
    return {iri: names.label(iri) for iri in wanted}
