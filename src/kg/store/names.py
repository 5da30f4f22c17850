"""Names to IRIs for people: `resolve_entity(store, "DeepSeek V3")` is `kge:deepseek-v3`.

Wherever kg takes an entity (`--subject`, `--bind var=...`, `kg show`, `kg explain`, the table's
filters, `EvidenceGraph.query` bindings) a person may write an IRI (`<https://...>` or bare), a
prefixed name (`kge:deepseek-v3`) or a name: a label or alias the graph gives the node
(skos:prefLabel, skos:altLabel, or rdfs:label where there is no skos:prefLabel; read by
`queries/entity-names.rq`) or the local
part of its IRI. Names are matched in two steps, each of which must point at exactly one node:

1. the name equals a label, ignoring case ("deepseek-v3" = "DeepSeek-V3");
2. the name equals a label or local name once case, accents, spaces and punctuation are folded
   away ("DeepSeek V3", "deepseekv3", "deepseek_v3").

Nothing fuzzy is ever accepted: a wrong entity silently answers the wrong question. A name that
matches nothing, or several nodes, is an `UnknownName` error (exit 2) listing the nearest names
(rapidfuzz), so the person picks one. Importers match names differently (kg.ingest.resolve:
cautiously fuzzy, with a report), because there a miss mints a node instead of failing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kg.core.errors import QueryError, UnknownName
from kg.core.vocab import KG, PREFIXES, shorten
from kg.store.protocol import Store


def fold(name: str) -> str:
    """A name with case, accents, spaces and punctuation folded away: 'DeepSeek V3' -> 'deepseekv3'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9+]+", "", text.casefold())


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def as_iri(text: str) -> str | None:
    """The IRI `text` spells (`<...>`, an absolute http(s)/urn IRI, or a kg prefixed name), else None."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"^(https?|urn):\S+$", text):
        return text
    prefix, sep, local = text.partition(":")
    if sep and local and prefix in PREFIXES and not local.startswith("//") and " " not in text:
        return PREFIXES[prefix] + local
    return None


@dataclass
class NameIndex:
    """Every labelled node of one graph, by its names; built once per graph (one query)."""

    labels: dict[str, list[str]] = field(default_factory=dict)  # node -> names, preferred first
    classes: dict[str, set[str]] = field(default_factory=dict)  # node -> classes, superclasses too

    def __post_init__(self) -> None:
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._folded: dict[str, set[str]] = defaultdict(set)
        for node, names in self.labels.items():
            for name in names:
                self._exact[name.casefold()].add(node)
                self._folded[fold(name)].add(node)
            self._folded[fold(local_name(node))].add(node)
        self._folded.pop("", None)

    @classmethod
    def from_store(cls, store: Store) -> NameIndex:
        from kg.store.queries import named_query

        labels: dict[str, list[str]] = defaultdict(list)
        classes: dict[str, set[str]] = defaultdict(set)
        for row in store.select(named_query("entity-names").text):
            node, name = row["entity"].value, row["name"].value
            names = labels[node]
            if name not in names:
                if row["preferred"].value in ("true", "1"):
                    names.insert(0, name)
                else:
                    names.append(name)
            if "class" in row:
                classes[node].add(row["class"].value)
        return cls(dict(labels), dict(classes))

    def label(self, node: str) -> str:
        names = self.labels.get(node)
        return names[0] if names else shorten(node)

    def is_a(self, node: str, classes: Iterable[str]) -> bool:
        wanted = set(classes)
        return not wanted or bool(self.classes.get(node, set()) & wanted)

    def resolve(self, name: str, *, classes: Sequence[str] = (), what: str = "entity",
                store: Store | None = None) -> str:
        """The IRI `name` denotes, among nodes of one of `classes` (any node when empty).

        An IRI or prefixed name is taken as written when the graph knows it (it has a label, or,
        given `store`, occurs in a triple); otherwise, and for a name that matches nothing or
        several nodes, an `UnknownName` error lists the nearest names.
        """
        wanted = [c if c.startswith(("http:", "https:")) else KG + c for c in classes]
        text = name.strip()
        iri = as_iri(text)
        if iri is not None:
            if iri in self.labels or (store is not None and _in_use(store, iri)):
                return iri
            raise UnknownName(f"no {what} {shorten(iri)} in the graph",
                              hint=self._nearest_hint(local_name(iri), wanted))
        hits = self.matches(text, classes=wanted)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            listed = "; ".join(f"{self.label(n)} ({shorten(n)})" for n in hits[:8])
            raise UnknownName(f"the name {name!r} is ambiguous: it names {listed}",
                              hint="use the IRI or prefixed name of the one you mean")
        others = sorted(n for n in self._exact.get(text.casefold(), set()) |
                        self._folded.get(fold(text), set()))
        if others:  # the name is known, but not as the kind of thing asked for
            kinds = ", ".join(sorted({shorten(c) for n in others for c in self._direct(n)}))
            raise UnknownName(f"{name!r} names {', '.join(shorten(n) for n in others)}"
                              f"{f' ({kinds})' if kinds else ''}, not a {what}",
                              hint=self._nearest_hint(text, wanted))
        raise UnknownName(f"no {what} is named {name!r}",
                          hint=self._nearest_hint(text, wanted))

    def matches(self, name: str, *, classes: Sequence[str] = ()) -> list[str]:
        """The nodes of one of `classes` a name (not an IRI) denotes at the first step that finds
        any: its label ignoring case, else its label or local name folded. Empty when none; more
        than one when the name is ambiguous. For callers that do something else with an unknown
        name than fail (`kg extract --subject` proposes a new entity)."""
        wanted = [c if c.startswith(("http:", "https:")) else KG + c for c in classes]
        text = name.strip()
        for index, key in ((self._exact, text.casefold()), (self._folded, fold(text))):
            hits = sorted(n for n in index.get(key, ()) if self.is_a(n, wanted))
            if hits:
                return hits
        return []

    def nearest(self, name: str, classes: Sequence[str] = (), limit: int = 5) -> list[str]:
        """The names closest to `name` (rapidfuzz on folded names), one per node, best first."""
        from rapidfuzz import fuzz, process

        key = fold(name)
        choices: dict[tuple[str, str], str] = {}
        for node, names in self.labels.items():
            if self.is_a(node, classes):
                for n in names:
                    choices[(node, n)] = fold(n)
        # names that start with what was typed ("Kimi" -> Kimi K2, Kimi K2.5), shortest first,
        # then the closest by rapidfuzz
        starts = sorted((k for k, v in choices.items() if key and v.startswith(key)),
                        key=lambda k: (len(k[1]), k[1]))
        # (match, score, key) as rapidfuzz gives them; a prefix match has no score
        ranked: list[tuple[str | None, float | None, tuple[str, str]]] = [(None, None, k) for k in starts]
        ranked += process.extract(key, choices, scorer=fuzz.WRatio, limit=limit * 4)
        seen: set[str] = set()
        out: list[str] = []
        for _match, _score, (node, n) in ranked:
            if node not in seen:
                seen.add(node)
                out.append(f"{n} ({shorten(node)})")
            if len(out) == limit:
                break
        return out

    def _nearest_hint(self, name: str, classes: Sequence[str]) -> str:
        near = self.nearest(name, classes)
        return ("nearest names: " + "; ".join(near)) if near else "no similar name in the graph"

    def _direct(self, node: str) -> set[str]:
        return {c for c in self.classes.get(node, set()) if c.startswith(KG)}


def _in_use(store: Store, iri: str) -> bool:
    import pyoxigraph as ox

    from kg.store.queries import named_query

    return store.ask(named_query("term-in-use").text, {"term": ox.NamedNode(iri)})


def resolve_entity(store: Store, name: str, *, classes: Sequence[str] = (),
                   what: str = "entity", index: NameIndex | None = None) -> str:
    """The IRI a person means by `name`: an IRI, a prefixed name, a label or an alias.

    Case, spaces and punctuation do not matter ("DeepSeek V3" = "deepseek-v3"); an unknown or
    ambiguous name raises `UnknownName` (exit 2) listing the nearest names. Pass `index` (a
    `NameIndex.from_store`) when resolving many names against one graph.
    """
    return (index or NameIndex.from_store(store)).resolve(name, classes=classes, what=what,
                                                          store=store)


def bind_parameters(store: Store, nq, values: Mapping[str, object], *,
                    index: NameIndex | None = None) -> tuple[dict[str, object], list[str]]:
    """A query's bindings as RDF terms, checked against its header; and warnings for a person.

    `values` are what a person gave: text from `--bind var=value` or Python values from a
    notebook. For a parameter the header declares as an IRI, text that is not an IRI, a
    prefixed name, a number or a "quoted" literal is a name, resolved by `resolve_entity`.
    A required parameter left unbound, or a variable the header does not declare, is a
    QueryError naming it (a query without a `# Parameters:` header takes any variable). A bound
    IRI that occurs in no triple is a warning: the answer will be empty, and the person
    should know why.
    """
    import pyoxigraph as ox

    from kg.store.protocol import term
    from kg.store.queries import parse_binding

    declared = {p.name: p for p in nq.declared}
    unknown = sorted(set(values) - set(declared))
    if declared and unknown:
        raise QueryError(f"{nq.name} has no parameter {', '.join('?' + u for u in unknown)}",
                         hint="its parameters: " + "; ".join(
                             f"?{p.name} ({'required' if p.required else 'optional'}) "
                             f"{p.description}" for p in declared.values()))
    missing = [p for p in declared.values() if p.required and p.name not in values]
    if missing:
        p = missing[0]
        raise QueryError(f"{nq.name} needs ?{p.name}: {p.description}",
                         hint=f"pass --bind {p.name}=VALUE (from Python: a bindings dict); "
                              f"an entity may be named: --bind {p.name}=\"DeepSeek V3\"")
    bound: dict[str, object] = {}
    warnings: list[str] = []
    for name, value in values.items():
        param = declared.get(name)
        if isinstance(value, str) and param is not None and param.iri and as_iri(value) is None \
                and not _literal_text(value):
            index = index or NameIndex.from_store(store)
            bound[name] = ox.NamedNode(index.resolve(value, what="entity"))
            continue
        if isinstance(value, str):
            bound[name] = parse_binding(f"{name}={value}")[1]
        else:
            bound[name] = term(value)
        node = bound[name]
        if isinstance(node, ox.NamedNode) and not _in_use(store, node.value):
            warnings.append(f"?{name} is bound to {shorten(node.value)}, which occurs in no "
                            "triple of the graph: the answer will be empty for it")
    return bound, warnings


def _literal_text(value: str) -> bool:
    """Text that spells a literal rather than a name: a number or a "quoted" string."""
    v = value.strip()
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", v)) or (
        len(v) >= 2 and v[0] == v[-1] == '"')
