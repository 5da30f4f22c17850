"""What the reconciler knows about entities before it looks at a figure: labels, identity links,
citations, documents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.core.vocab import KGP, OWL, SKOS, shorten
from kg.reconcile import scoring
from kg.reconcile.model import Group
from kg.store.protocol import Store
from kg.store.queries import named_query

OWL_SAMEAS = OWL + "sameAs"
TITLE_WIDTH = 48


@dataclass
class Context:
    """What the reconciler knows about entities: labels, identity links, citations."""

    labels: dict[str, str] = field(default_factory=dict)
    links: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    same_as: dict[str, str] = field(default_factory=dict)
    needs_scope: set[str] = field(default_factory=set)
    multi_valued: set[str] = field(default_factory=set)
    default_unit: dict[str, str] = field(default_factory=dict)
    unscoped_means: dict[str, str] = field(default_factory=dict)  # property -> kg:unscopedMeans scope
    developer: dict[str, str] = field(default_factory=dict)
    citations: scoring.Citations = field(default_factory=scoring.Citations)
    releases: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    corpus_files: dict[str, str] = field(default_factory=dict)
    agent_kind: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)  # property -> kg:dimension
    documents: dict[str, tuple] = field(default_factory=dict)  # document -> (kind, date) terms

    def label(self, iri: str | None) -> str:
        if not iri:
            return ""
        return self.labels.get(iri) or self.document_label(iri) or shorten(iri)

    def document_label(self, iri: str) -> str | None:
        """A document as a person names it: its (short) title, and the corpus file it is."""
        title = self.titles.get(iri, "").strip().strip("[]")
        if len(title) > TITLE_WIDTH:
            title = title[:TITLE_WIDTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        file = self.corpus_files.get(iri)
        if title and file:
            return f"{title} ({file.split('_', 1)[0]})"
        return title or file

    def canonical(self, iri: str) -> str:
        seen = set()
        while iri in self.same_as and iri not in seen:
            seen.add(iri)
            iri = self.same_as[iri]
        return iri

    def related(self, subject: str) -> list[tuple[str, str]]:
        """Entities a figure could really be about, with how they relate (for identity slips)."""
        out: list[tuple[str, str]] = []
        for relation, other in sorted(self.links.get(subject, ())):
            out.append((relation, other))
            if relation == "variant of":  # siblings share a parent
                for rel2, sibling in sorted(self.links.get(other, ())):
                    if rel2 == "has variant" and sibling != subject:
                        out.append(("sibling variant", sibling))
        return out


def load_context(store: Store) -> Context:
    ctx = Context()
    inverse = {"variantOf": ("variant of", "has variant"),
               "flagshipVariant": ("flagship variant", "flagship of"),
               "successorOf": ("successor of", "predecessor of"),
               "postTrainedFrom": ("post-trained from", "post-trained into"),
               "distilledFrom": ("distilled from", "distilled into"),
               "derivedFrom": ("derived from", "derived into")}
    for row in store.select(named_query("entity-context").text):
        node, relation, other = row["node"].value, row["relation"].value, row["other"].value
        local = relation.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if relation in (SKOS + "prefLabel", "http://www.w3.org/2000/01/rdf-schema#label"):
            if other < ctx.labels.get(node, "\uffff"):  # one label, whatever the row order
                ctx.labels[node] = other
        elif local == "title":
            ctx.titles[node] = min(other, ctx.titles.get(node, other))
        elif local == "corpusFile":
            ctx.corpus_files[node] = other
        elif local == "type":
            ctx.agent_kind[node] = min(other, ctx.agent_kind.get(node, other))
        elif relation == OWL_SAMEAS:
            a, b = sorted((node, other))
            ctx.same_as[b] = a
        elif local in inverse:
            forward, backward = inverse[local]
            ctx.links[node].add((forward, other))
            ctx.links[other].add((backward, node))
        elif local == "developer":
            ctx.developer[node] = other
        elif local == "references":
            ctx.citations.add(node, other)
        elif local == "unscopedMeans":
            ctx.unscoped_means[node] = other
        elif local == "needsScope" and other in ("true", "1"):
            ctx.needs_scope.add(node)
        elif local == "multiValued" and other in ("true", "1"):
            ctx.multi_valued.add(node)
        elif local == "defaultUnit":
            ctx.default_unit[node] = other
        elif local == "dimension":
            ctx.dimensions[node] = other
    for row in store.select(named_query("documents").text):
        found = (row.get("kind"), row.get("date"))
        known = ctx.documents.setdefault(row["document"].value, found)
        if known != found:  # two kinds or dates: the smallest of each, whatever the row order
            ctx.documents[row["document"].value] = tuple(
                min((t for t in pair if t is not None), key=str, default=None)
                for pair in zip(known, found, strict=True))
    return ctx


def set_releases(groups: list[Group], ctx: Context) -> None:
    """Release dates from the reconciled release-date statements; variants inherit them."""
    for g in groups:
        if g.property == KGP + "releaseDate" and g.preferred and g.preferred.claims:
            date = g.preferred.claims[0].date
            if date:
                ctx.releases[g.subject] = date
    for subject, date in list(ctx.releases.items()):
        for relation, other in ctx.links.get(subject, ()):
            if relation in ("has variant", "flagship variant"):
                ctx.releases.setdefault(other, date)
        for relation, other in ctx.links.get(subject, ()):
            if relation == "flagship of":
                ctx.releases.setdefault(other, date)
