"""How much a claim counts: named factors, each reported, from priors the user can edit.

A claim's weight is the product of
  * quality: the prior of its document's kind, blended with the prior of the origin the
    document attributes it to (a newsletter relaying a technical report keeps part of the
    report's standing; `kg:RelayShare`);
  * reliability: the source's record across the whole graph, from truth discovery
    (`kg_trust` in kg.reconcile.truth: sources that agree with well-supported values elsewhere gain trust);
  * hedge: stated > reported > estimated > unverified > projected > disputed;
  * timing: figures stated before the subject's release count less;
  * identity and arithmetic: a value that belongs to a related entity, or that other figures
    contradict, counts less.
A candidate value's support combines its claims over *independent origins* only: claims whose
origins are the same work, or cite one another, are one origin (a networkx component), and
support = 1 - prod(1 - best weight per origin). All numbers come from `ontology/priors.ttl`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from kg.core.errors import KgError
from kg.core.vocab import KG
from kg.reconcile.statement import Claim
from kg.store.protocol import Store
from kg.store.queries import named_query


@dataclass
class Priors:
    """The numbers of ontology/priors.ttl (or the user's --priors file), and nothing else: a
    number the file lacks is an error naming it, never a default hidden in Python."""

    kind: dict[str, float] = field(default_factory=dict)
    hedge: dict[str, float] = field(default_factory=dict)
    factor: dict[str, float] = field(default_factory=dict)

    def of_kind(self, kind: str | None) -> float:
        if kind in self.kind:
            return self.kind[kind]
        return self.weight("UnknownKind", table=self.kind)

    def of_hedge(self, hedge: str | None) -> float:
        return self.weight((hedge or KG + "Stated").rsplit("#", 1)[-1], table=self.hedge)

    def weight(self, name: str, *, table: dict[str, float] | None = None) -> float:
        table = self.factor if table is None else table
        try:
            return table[KG + name]
        except KeyError:
            raise KgError(f"the priors give no number for kg:{name}",
                          hint="add it to ontology/priors.ttl or to the --priors file") from None


    def calibrated(self, raw: float, contested: bool) -> float:
        """The probability that a preferred value is right, from its raw confidence, through the
        logistic map in ontology/priors.ttl (kg:Calibration*); the raw value when the priors
        have no map."""
        names = ("CalibrationIntercept", "CalibrationSlope", "CalibrationContestedIntercept",
                 "CalibrationContestedSlope")
        if not all(KG + n in self.factor for n in names):
            return raw
        a, b, c, d = (self.factor[KG + n] for n in names)
        p = min(max(raw, 0.01), 0.99)
        x = math.log(p / (1 - p))
        z = a + b * x + (c + d * x if contested else 0.0)
        return 1 / (1 + math.exp(-z))


def load_priors(store: Store) -> Priors:
    priors = Priors()
    for row in store.select(named_query("priors").text):
        node = row["node"].value
        if "prior" in row:
            priors.kind[node] = float(row["prior"].value)
        elif "weight" in row:
            hedge = "hedge" in row and row["hedge"].value in ("true", "1")
            (priors.hedge if hedge else priors.factor)[node] = float(row["weight"].value)
    return priors


def origin_of(claim: Claim) -> str:
    """Who a figure really comes from: the cited work, else the credited agent, else the database
    a snapshot document is a version of (successive snapshots are one curator's revisions, not
    independent sources), else the document."""
    return claim.origin or claim.attributed_to or claim.database or claim.document


def quality(claim: Claim, priors: Priors) -> float:
    """The document's standing, blended with that of whoever it credits the figure to: a cited
    work (its kind), else a named agent whose class has a prior (a government agency, a lab)."""
    own = priors.of_kind(claim.document_kind)
    if claim.origin:
        credited = priors.of_kind(claim.origin_kind)
    elif claim.attributed_kind and claim.attributed_kind in priors.kind:
        credited = priors.kind[claim.attributed_kind]
    else:
        return own
    share = priors.weight("RelayShare")
    return share * credited + (1 - share) * own


@dataclass
class Citations:
    """The citation graph: works and the works they reference (dcterms:references)."""

    graph: nx.Graph = field(default_factory=nx.Graph)

    def add(self, citing: str, cited: str) -> None:
        self.graph.add_edge(citing, cited)

    def independent_groups(self, origins: Iterable[str]) -> list[set[str]]:
        """Origins that are the same work or cite one another count once."""
        nodes = set(origins)
        if len(nodes) == 1:  # most candidates: no need to look at a hub's thousand citations
            return [nodes]
        if len(nodes) <= 32:
            return _components(sorted(nodes), self.graph)
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from((a, b) for a, b in self.graph.edges(nodes) if a in nodes and b in nodes)
        return [set(c) for c in sorted(nx.connected_components(sub), key=lambda c: sorted(c))]


def _components(nodes: list[str], graph: nx.Graph) -> list[set[str]]:
    """Connected groups among a few origins, by pairwise lookups (a hub's degree never matters)."""
    parent = {n: n for n in nodes}

    def root(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            if graph.has_edge(a, b):
                parent[root(b)] = root(a)
    groups: dict[str, set[str]] = {}
    for n in nodes:
        groups.setdefault(root(n), set()).add(n)
    return sorted(groups.values(), key=lambda c: sorted(c))


def support(weights_by_origin: dict[str, float], citations: Citations) -> tuple[float, int]:
    """1 - prod(1 - w) over independent origin groups, each group counted by its best claim."""
    groups = citations.independent_groups(weights_by_origin)
    miss = 1.0
    for group in groups:
        miss *= 1.0 - max(weights_by_origin[o] for o in group)
    return 1.0 - miss, len(groups)


def before(date_a: str | None, date_b: str | None) -> bool:
    """Is a strictly before b, at the coarser of the two precisions ('2026-03' vs '2026-04-24')."""
    if not date_a or not date_b:
        return False
    n = min(len(date_a), len(date_b))
    return date_a[:n] < date_b[:n]
