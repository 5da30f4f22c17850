"""Names to IRIs for people: `resolve_entity(store, "DeepSeek V3")` is `kge:deepseek-v3`.

A small resolver for the commands that take an entity or a property by name (`kg history`): an
IRI (`<https://...>` or bare), a prefixed name (`kge:deepseek-v3`), or a name the graph gives
the node (skos:prefLabel, skos:altLabel, rdfs:label; `queries/entity-names.rq`) or the local
part of its IRI. A name must point at exactly one node, first by its exact label (case aside),
then with case, spaces and punctuation folded away ("DeepSeek V3" = "deepseek-v3"); nothing
fuzzy is accepted, because a wrong entity silently answers the wrong question. An unknown or
ambiguous name is an InputError (exit 2) listing the nearest names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from kg.core.errors import InputError
from kg.core.vocab import KG, PREFIXES, shorten
from kg.store.protocol import Store


def fold(name: str) -> str:
    """A name with case, spaces and punctuation folded away: 'DeepSeek V3' -> 'deepseekv3'."""
    return re.sub(r"[^a-z0-9+]+", "", name.casefold())


def as_iri(text: str) -> str | None:
    """The IRI `text` spells (`<...>`, an absolute IRI, or a kg prefixed name), else None."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"^(https?|urn):\S+$", text):
        return text
    prefix, sep, local = text.partition(":")
    if sep and local and prefix in PREFIXES and not local.startswith("//") and " " not in text:
        return PREFIXES[prefix] + local
    return None


def resolve_entity(store: Store, name: str, *, classes: Sequence[str] = (),
                   what: str = "entity") -> str:
    """The IRI a person means by `name`, among nodes of one of `classes` (any node when empty)."""
    from kg.store.queries import named_query

    wanted = {c if c.startswith(("http:", "https:")) else KG + c for c in classes}
    labels: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in store.select(named_query("entity-names").text):
        node = row["node"].value
        if row["name"].value not in labels[node]:
            labels[node].append(row["name"].value)
        if "class" in row:
            kinds[node].add(row["class"].value)
    candidates = [n for n in labels if not wanted or kinds.get(n, set()) & wanted]
    iri = as_iri(name)
    if iri is not None:
        if iri in labels:
            return iri
        raise InputError(f"no {what} {shorten(iri)} in the graph", hint=_nearest(name, labels,
                                                                                 candidates))
    text = name.strip()
    for key in (lambda s: s.casefold(), fold):
        hits = sorted(n for n in candidates
                      if any(key(label) == key(text) for label in labels[n])
                      or (key is fold and fold(re.split(r"[/#]", n)[-1]) == fold(text)))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            listed = "; ".join(f"{labels[n][0]} ({shorten(n)})" for n in hits[:8])
            raise InputError(f"the name {name!r} is ambiguous: it names {listed}",
                             hint="use the IRI or prefixed name of the one you mean")
    raise InputError(f"no {what} named {name!r} in the graph",
                     hint=_nearest(text, labels, candidates))


def _nearest(name: str, labels: dict[str, list[str]], candidates: list[str]) -> str:
    from rapidfuzz import fuzz, process

    choices = {(n, label): fold(label) for n in candidates for label in labels[n]}
    found = process.extract(fold(name), choices, scorer=fuzz.WRatio, limit=12)
    out: list[str] = []
    for _m, _s, (node, label) in found:
        shown = f"{label} ({shorten(node)})"
        if node not in {o.rsplit("(", 1)[-1] for o in out} and shown not in out:
            out.append(shown)
        if len(out) == 5:
            break
    return ("nearest names: " + "; ".join(out)) if out else "no similar name in the graph"
