"""Names a person types for an entity, resolved to its IRI.

`kg reconcile --subject DeepSeek-V4` should work as well as `--subject kge:deepseek-v4`: the
entity is found by its IRI, a prefixed name, its preferred label or an alias
(`queries/entity-names.rq`), case and spacing aside. A name that matches nothing, or matches
several entities, is an error that lists the nearest names (rapidfuzz), never a guess.
"""

from __future__ import annotations

import re

from kg.core.errors import KgError
from kg.core.vocab import PREFIXES, shorten
from kg.store.protocol import Store
from kg.store.queries import named_query

NEAREST = 5


def resolve_entity(store: Store, name: str) -> str:
    """The IRI of the entity `name` denotes: an IRI (<...> or http...), a prefixed name
    (kge:deepseek-v4), or a label or alias ("DeepSeek-V4")."""
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://")):
        return text
    names = _names(store)
    prefix, _, local = text.partition(":")
    if local and prefix in PREFIXES and not local.startswith("//"):
        iri = PREFIXES[prefix] + local
        if iri in {e for es in names.values() for e in es}:
            return iri
        raise _unknown(text, names, store)
    found = names.get(_key(text), set())
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        raise KgError(f"{text!r} names {len(found)} entities: "
                      + ", ".join(sorted(found)), hint="give the IRI or prefixed name instead")
    by_local = {e for es in names.values() for e in es if _key(e.rsplit("/", 1)[-1]) == _key(text)}
    if len(by_local) == 1:
        return next(iter(by_local))
    raise _unknown(text, names, store)


def _names(store: Store) -> dict[str, set[str]]:
    """Each name as typed (case and spacing folded) -> the entities it names."""
    out: dict[str, set[str]] = {}
    for row in store.select(named_query("entity-names").text):
        out.setdefault(_key(row["name"].value), set()).add(row["entity"].value)
    return out


def _labels(store: Store) -> dict[str, str]:
    return {row["entity"].value: row["name"].value
            for row in store.select(named_query("entity-names").text)
            if row["preferred"].value in ("true", "1")}


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _unknown(text: str, names: dict[str, set[str]], store: Store) -> KgError:
    """The error for a name nothing answers to, listing the entities whose names come nearest."""
    from rapidfuzz import fuzz, process, utils

    labels = _labels(store)
    nearest: list[str] = []
    for name, _score, _i in process.extract(_key(text), list(names), scorer=fuzz.WRatio,
                                            processor=utils.default_process, limit=4 * NEAREST):
        nearest.extend(e for e in sorted(names[name]) if e not in nearest)
    listed = ", ".join(f"{labels.get(e, e)} ({shorten(e)})" for e in nearest[:NEAREST])
    return KgError(f"no entity is named {text!r}",
                   hint=f"nearest names: {listed}" if listed else "check the spelling")
