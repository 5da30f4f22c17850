"""Deterministic Turtle: every file kg writes (imports, extractions, added claims) looks alike.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import BinaryIO

import pyoxigraph as ox

from kg.core.vocab import PREFIXES


def to_turtle(triples: Iterable[ox.Triple], *, header: str = "") -> str:
    """Deterministic Turtle: a fixed prefix block, then pyoxigraph's grouping of the triples."""
    body = rdf_bytes(triples, ox.RdfFormat.TURTLE, PREFIXES).decode()
    # split on newlines only: str.splitlines() also breaks at U+0085, U+2028 and form feeds, which
    # may sit inside a literal (found by tests/test_fuzz.py with a model named "0\x850")
    body = "\n".join(line for line in body.split("\n") if not line.startswith("@prefix"))
    body = re.sub(r"\s\.\n(?=\S)", " .\n\n", body.strip() + "\n")
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comment + ("\n" if comment else "") + prefixes + "\n" + body


def label_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples with every blank node relabelled from its content and its place, so the same
    graph gives the same labels whatever labels the parser chose.

    RDFC-1.0 canonicalisation did this before, but its n-degree hashing took 12 s on 500 nested
    blank nodes and crashed the process (a segmentation fault, no message) on 10,000 (issue 18).
    kg's blank nodes form trees (rule operands, RDF lists, shape alternatives), which need no
    search: a node's signature is a hash of its own triples, children's signatures in place of
    their labels (computed bottom-up without recursion, so depth costs nothing), and its label
    adds the smallest (parent, predicate) it hangs from, top-down. Blank nodes that form a cycle
    are rare and small; they go to RDFC-1.0 when there are few, else the export is refused.
    """
    import hashlib

    from kg.core.errors import InputError

    triples = list(triples)
    blank = ox.BlankNode
    children: dict[ox.BlankNode, list[tuple[str, object]]] = {}
    parents: dict[ox.BlankNode, list[tuple[object, str]]] = {}
    for t in triples:
        if type(t.subject) is blank:
            children.setdefault(t.subject, []).append((str(t.predicate), t.object))
        if type(t.object) is blank:
            parents.setdefault(t.object, []).append((t.subject, str(t.predicate)))
            children.setdefault(t.object, [])
    if not children:
        return triples

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]

    signature: dict[ox.BlankNode, str] = {}
    order: list[ox.BlankNode] = []  # children before parents
    state: dict[ox.BlankNode, int] = {}  # 1 on the stack, 2 done
    for root in children:
        if root in state:
            continue
        stack = [(root, iter(children[root]))]
        state[root] = 1
        while stack:
            node, edges = stack[-1]
            for _p, o in edges:
                if type(o) is blank:
                    if state.get(o) == 1:
                        return _canonical_or_refuse(triples, len(children))
                    if o not in state:
                        state[o] = 1
                        stack.append((o, iter(children[o])))
                        break
            else:
                stack.pop()
                state[node] = 2
                order.append(node)
                signature[node] = digest("\n".join(sorted(
                    f"{p} {'_:' + signature[o] if type(o) is blank else o}"
                    for p, o in children[node])))
    label: dict[ox.BlankNode, str] = {}
    for node in reversed(order):  # parents before children
        places = [f"{label[s] if type(s) is blank else s} {p}" for s, p in parents.get(node, ())]
        label[node] = digest(f"{min(places) if places else 'root'}\n{signature[node]}")
    taken: dict[str, int] = {}
    named: dict[ox.BlankNode, ox.BlankNode] = {}
    for node in reversed(order):  # twins (same content, same place) are interchangeable
        n = taken[label[node]] = taken.get(label[node], 0) + 1
        named[node] = blank(f"b{label[node]}" + (f"x{n}" if n > 1 else ""))
    if len(set(named.values())) != len(named):
        raise InputError("two blank nodes got the same label", hint="name them with IRIs")

    def relabel(term):
        return named[term] if type(term) is blank else term

    return [ox.Triple(relabel(t.subject), t.predicate, relabel(t.object)) for t in triples]


# blank nodes in cycles are given to RDFC-1.0 only when so few that its search stays short
CANONICAL_CYCLE_LIMIT = 64


def _canonical_or_refuse(triples: list[ox.Triple], blanks: int) -> list[ox.Triple]:
    from kg.core.errors import InputError

    if blanks > CANONICAL_CYCLE_LIMIT:
        raise InputError(f"the graph's {blanks:,} blank nodes include a cycle, and kg labels "
                         "blank nodes stably only when they form trees or there are at most "
                         f"{CANONICAL_CYCLE_LIMIT}",
                         hint="give the nodes in the cycle IRIs")
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [q.triple for q in dataset]
def rdf_bytes(triples: Iterable[ox.Triple], rdf_format: ox.RdfFormat,
              prefixes: Mapping[str, str] | None = None) -> bytes:
    """Triples serialised by pyoxigraph into bytes in memory (through a buffer, so the answer is
    always bytes: serialising to no output returns them too, but is typed as maybe None)."""
    out = io.BytesIO()
    write_rdf(triples, out, rdf_format, prefixes)
    return out.getvalue()


def write_rdf(triples: Iterable[ox.Triple], handle: BinaryIO, rdf_format: ox.RdfFormat,
              prefixes: Mapping[str, str] | None = None) -> None:
    """rdf_bytes' bytes written into `handle` (a file, kg.core.files.atomic_file) as pyoxigraph
    makes them, never whole in memory: a reconciliation's Turtle is about a gigabyte at a
    million claims (issue 19)."""
    ox.serialize(list(triples), handle, format=rdf_format,
                 prefixes=dict(prefixes) if prefixes else None)
