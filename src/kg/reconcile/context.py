"""What the reconciler knows about entities before it looks at a figure: labels, identity links,
citations, documents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.core.vocab import KG, KGP, OWL, SKOS, shorten
from kg.reconcile import scoring
from kg.reconcile.basis import BasisScheme, load_bases
from kg.reconcile.currency import Deflators, load_deflators
from kg.reconcile.model import Group
from kg.store.protocol import Store
from kg.store.queries import named_query

OWL_SAMEAS = OWL + "sameAs"
TITLE_WIDTH = 48

# lineage relations the reconciler reasons with by name (their labels and inverses are data)
VARIANT_OF, HAS_VARIANT = KG + "variantOf", KG + "hasVariant"
FLAGSHIP_VARIANT, FLAGSHIP_OF = KG + "flagshipVariant", KG + "flagshipOf"
SIBLING_VARIANT = KG + "siblingVariant"
DISTILLED_INTO = KG + "distilledInto"


@dataclass(frozen=True)
class Relation:
    """A lineage relation as explanations name it: its label and the entity at its far end."""

    label: str
    noun: str


@dataclass
class Context:
    """What the reconciler knows about entities: labels, identity links, citations."""

    labels: dict[str, str] = field(default_factory=dict)
    links: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    relations: dict[str, Relation] = field(default_factory=dict)  # relation IRI -> wording
    inverse: dict[str, str] = field(default_factory=dict)  # relation IRI -> its inverse's IRI
    forward: set[str] = field(default_factory=set)  # the kg:LineageRelation IRIs as stated
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
    databases: dict[str, str] = field(default_factory=dict)  # snapshot document -> its database
    time_varying: set[str] = field(default_factory=set)  # properties whose values change
    shared_along: dict[str, set[str]] = field(default_factory=dict)  # property -> relations
    preferred_basis: dict[str, str] = field(default_factory=dict)  # property -> kg:Basis
    projection_of: dict[str, str] = field(default_factory=dict)  # property -> kg:projectionOf
    bases: BasisScheme = field(default_factory=BasisScheme)
    deflators: Deflators = field(default_factory=Deflators)

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
        """Entities a figure could really be about, with how they relate (for identity slips):
        (relation IRI, entity), the relation read from the subject's side."""
        out: list[tuple[str, str]] = []
        for relation, other in sorted(self.links.get(subject, ())):
            out.append((relation, other))
            if relation == VARIANT_OF:  # siblings share a parent
                for rel2, sibling in sorted(self.links.get(other, ())):
                    if rel2 == HAS_VARIANT and sibling != subject:
                        out.append((SIBLING_VARIANT, sibling))
        return out

    def relation_label(self, relation: str) -> str:
        known = self.relations.get(relation)
        return known.label if known else shorten(relation)

    def relative_noun(self, relation: str) -> str:
        """How an explanation names the entity at the far end ("the base model")."""
        known = self.relations.get(relation)
        return known.noun if known else self.relation_label(relation)

    def shares(self, prop: str, relation: str) -> bool:
        """Is this property's value the same across this relation (either direction)?"""
        return relation in self.shared_along.get(prop, ())


def load_context(store: Store) -> Context:
    """Everything the reconciler reads besides the claims, one named query each.

    Streamed, not `select`ed: these are kg's own queries, and `select` runs each in a forked
    child under the user's time and memory limits, which cost 0.1-0.3 s a query at 100,000
    claims (forking a 1.5 GB process, pickling the answer back)."""
    ctx = Context()
    for row in store.stream(named_query("lineage-relations").text):
        relation, label = row["relation"].value, row["label"].value
        noun = row["noun"].value if "noun" in row else label
        ctx.relations[relation] = Relation(label, noun)
        ctx.forward.add(relation)
        if "inverse" in row:
            inverse = row["inverse"].value
            ctx.inverse[relation], ctx.inverse[inverse] = inverse, relation
            ctx.relations[inverse] = Relation(
                row["inverseLabel"].value if "inverseLabel" in row else f"inverse of {label}",
                row["inverseNoun"].value if "inverseNoun" in row else label)
    if SIBLING_VARIANT not in ctx.relations:
        ctx.relations[SIBLING_VARIANT] = Relation("sibling variant", "the sibling variant")
    for row in store.stream(named_query("entity-context").text):
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
        elif relation in ctx.relations and relation in ctx.inverse:
            ctx.links[node].add((relation, other))
            ctx.links[other].add((ctx.inverse[relation], node))
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
        elif local == "timeVarying" and other in ("true", "1"):
            ctx.time_varying.add(node)
        elif local == "sharedAlong":
            ctx.shared_along.setdefault(node, set()).add(other)
        elif local == "preferredBasis":
            ctx.preferred_basis[node] = other
        elif local == "projectionOf":
            ctx.projection_of[node] = other
        elif local == "defaultUnit":
            ctx.default_unit[node] = other
        elif local == "dimension":
            ctx.dimensions[node] = other
    for prop, relations in ctx.shared_along.items():  # shared one way is shared both ways
        ctx.shared_along[prop] = relations | {ctx.inverse[r] for r in relations if r in ctx.inverse}
    for row in store.stream(named_query("documents").text):
        found = (row.get("kind"), row.get("date"))
        known = ctx.documents.setdefault(row["document"].value, found)
        if known != found:  # two kinds or dates: the smallest of each, whatever the row order
            ctx.documents[row["document"].value] = tuple(
                min((t for t in pair if t is not None), key=str, default=None)
                for pair in zip(known, found, strict=True))
        if "database" in row:
            doc = row["document"].value
            ctx.databases[doc] = min(row["database"].value, ctx.databases.get(doc, "\uffff"))
    ctx.bases = load_bases(store)
    ctx.deflators = load_deflators(store)
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
            if relation in (HAS_VARIANT, FLAGSHIP_VARIANT):
                ctx.releases.setdefault(other, date)
        for relation, other in ctx.links.get(subject, ()):
            if relation == FLAGSHIP_OF:
                ctx.releases.setdefault(other, date)
