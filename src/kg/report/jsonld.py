"""RDF as compact JSON-LD: one `@context` of readable keys, one node object per subject.

pyoxigraph writes JSON-LD with every IRI expanded, which a person cannot read and a program
has to compact first. Here every predicate gets a short key (its local name: `stated`, `rank`,
`wasDerivedFrom`, `prefLabel`; `prefix_name` where two namespaces share a name or a name is
also a prefix), IRIs are written as prefixed names (`kge:deepseek-v3`), and a key whose values
all share one datatype or kind says so once in the context (`"amount": {"@id": "kg:amount",
"@type": "xsd:double"}`) instead of on every value. Nothing is lost: the document expands to
exactly the triples it was made from (the tests parse it back and compare).

Deterministic: keys, nodes and values are sorted; no blank-node label is invented (canonical
labels come in with the triples).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def compact(triples: Iterable, prefixes: Mapping[str, str]) -> bytes:
    """JSON-LD 1.1 bytes for pyoxigraph triples, with `prefixes` and a key per predicate."""
    out: list[str] = []
    write_compact(triples, prefixes, out.append)
    return "".join(out).encode()


def write_compact(triples: Iterable, prefixes: Mapping[str, str],
                  write: Callable[[str], object]) -> None:
    """compact's text given to `write` node by node as each is made (issue 19): the nodes'
    objects and the document's text are never all in memory, only the triples by subject."""
    import pyoxigraph as ox

    from kg.core.tabular import JsonItems, write_json_dumps

    nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        nodes[_id(t.subject, ox)][t.predicate.value].append(t.object)
    ordered_prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def short(iri: str) -> str:
        for prefix, ns in ordered_prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    predicates = sorted({p for props in nodes.values() for p in props if p != RDF_TYPE})
    keys = _keys(predicates, prefixes)
    context: dict[str, object] = {prefix: ns for prefix, ns in sorted(prefixes.items())}
    terms: dict[str, object] = {}
    coercion: dict[str, tuple[str, str | None]] = {}
    for p in predicates:
        values = [o for props in nodes.values() for o in props.get(p, [])]
        kind = _common_kind(values, ox)
        coercion[p] = kind
        definition: dict[str, str] = {"@id": short(p)}
        if kind[0] == "iri":
            definition["@type"] = "@id"
        elif kind[0] == "typed" and kind[1] is not None:
            definition["@type"] = short(kind[1])
        elif kind[0] == "lang" and kind[1] is not None:
            definition["@language"] = kind[1]
        terms[keys[p]] = definition if len(definition) > 1 else short(p)
    context.update(sorted(terms.items()))

    def node_of(subject: str) -> dict[str, object]:
        props = nodes[subject]
        node: dict[str, object] = {"@id": short(subject) if not subject.startswith("_:") else subject}
        if RDF_TYPE in props:
            types = sorted(short(_id(o, ox)) for o in props[RDF_TYPE])
            node["@type"] = types[0] if len(types) == 1 else types
        for p in sorted(props, key=lambda p: keys.get(p, "")):
            if p == RDF_TYPE:
                continue
            values = sorted((_value(o, coercion[p], short, ox) for o in props[p]),
                            key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            node[keys[p]] = values[0] if len(values) == 1 else values
        return node

    document = {"@context": context, "@graph": JsonItems(map(node_of, sorted(nodes)))}
    write_json_dumps(document, write, indent=1, ensure_ascii=False)
    write("\n")


def _keys(predicates: list[str], prefixes: Mapping[str, str]) -> dict[str, str]:
    """A short key per predicate: its local name where that is unambiguous, else prefix_name."""
    local: dict[str, list[str]] = defaultdict(list)
    for p in predicates:
        local[_local(p)].append(p)
    out = {}
    for name, iris in local.items():
        for p in iris:
            unique = len(iris) == 1 and name not in prefixes and name and not name.startswith("@")
            out[p] = name if unique else f"{_prefix_of(p, prefixes)}_{name}"
    return out


def _local(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def _prefix_of(iri: str, prefixes: Mapping[str, str]) -> str:
    best = max(((p, ns) for p, ns in prefixes.items() if iri.startswith(ns)),
               key=lambda kv: len(kv[1]), default=None)
    return best[0] if best else "ns"


def _id(term, ox) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _common_kind(values: list, ox) -> tuple[str, str | None]:
    """("iri", None) when every value is an IRI or blank node; ("typed", datatype) when every
    value is a literal of one datatype; ("lang", tag) for one language; ("string", None) for
    plain strings; ("mixed", None) otherwise."""
    kinds = set()
    for v in values:
        if isinstance(v, ox.NamedNode | ox.BlankNode):
            kinds.add(("iri", None))
        elif v.language:
            kinds.add(("lang", v.language))
        elif v.datatype.value == XSD_STRING:
            kinds.add(("string", None))
        else:
            kinds.add(("typed", v.datatype.value))
        if len(kinds) > 1:
            return ("mixed", None)
    return kinds.pop() if kinds else ("mixed", None)


def _value(term, kind: tuple[str, str | None], short, ox) -> object:
    """A value as the key's context lets it be written: a bare string where the context says
    what it is, else a full value object."""
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        ident = _id(term, ox)
        ident = ident if ident.startswith("_:") else short(ident)
        return ident if kind[0] == "iri" else {"@id": ident}
    if kind[0] in ("typed", "lang", "string"):
        return term.value
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": short(term.datatype.value)}
