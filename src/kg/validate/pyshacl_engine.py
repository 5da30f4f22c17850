"""The reference engine: pySHACL over an rdflib copy of the store (or of a node's neighbourhood).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from kg.core.resources import ONTOLOGY
from kg.core.vocab import SH, shorten
from kg.store.protocol import Store

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def pyshacl_results(store: Store, only: set[str] | None) -> tuple[list, int]:
    """pySHACL over an rdflib copy of the store (or of the focus nodes' neighbourhood)."""
    import pyshacl
    import rdflib

    from kg.validate.constraints import ANONYMOUS_SHAPE, Result

    # rdflib logs a traceback for every ill-typed literal; load refuses the ones kg's files use,
    # and any other is reported by the shapes, so the log line would only be noise
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    data = _as_rdflib(store.dump()) if only is None else _neighbourhood(store, only)
    _conforms, graph, _text = pyshacl.validate(
        data, shacl_graph=_shapes(ONTOLOGY / "shapes.ttl"), inference="none", advanced=False,
        allow_warnings=True, meta_shacl=False)
    sh = rdflib.Namespace(SH)
    results = []
    for result in graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        if (result, sh.detail, None) in graph:
            continue  # a nested shape failed: its own result, with the real message, is reported
        source_shape = graph.value(result, sh.sourceShape)
        value = graph.value(result, sh.value)
        message = graph.value(result, sh.resultMessage)
        severity = graph.value(result, sh.resultSeverity)
        results.append(Result(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            shape=str(source_shape) if isinstance(source_shape, rdflib.URIRef) else ANONYMOUS_SHAPE,
            focus=str(graph.value(result, sh.focusNode)),
            path=_path_text(graph, graph.value(result, sh.resultPath)),
            value=_lexical(value) if value is not None else None,
            message=str(message) if message else "constraint not met"))
    return results, len(data)


def _lexical(value) -> str:
    """A value as the graph spells it: rdflib writes an xsd:double INF back as 'inf'."""
    text = str(value)
    special = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}
    if getattr(value, "datatype", None) is not None and text in special:
        return special[text]
    return text


def _neighbourhood(store: Store, focus: set[str]):  # -> rdflib.Graph
    """The focus nodes with the triples their shapes look at (queries/neighbourhood.rq)."""
    import pyoxigraph as ox

    from kg.store.bindings import with_rows
    from kg.store.queries import named_query

    query = named_query("neighbourhood").text
    triples: set = set(store.construct(named_query("class-hierarchy").text))
    nodes = [ox.NamedNode(n) for n in sorted(focus)]
    for start in range(0, len(nodes), 500):  # one query per 500 nodes, not one per node
        triples.update(store.construct(with_rows(query, "focus", nodes[start:start + 500])))
    return _as_rdflib(ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES) or b"")


def _shapes(path: Path):  # -> rdflib.Graph
    """The shapes graph, parsed once per file version (pySHACL only reads it)."""
    return _parse_shapes(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _parse_shapes(path: Path, _mtime: int):
    import rdflib

    return rdflib.Graph().parse(path, format="turtle")


def _as_rdflib(ntriples: bytes):  # -> rdflib.Graph
    """N-Triples into rdflib via pyoxigraph's parser: about twice as fast as rdflib's own."""
    import pyoxigraph as ox
    import rdflib

    made: dict = {}

    def convert(t):
        found = made.get(t)
        if found is None:
            if isinstance(t, ox.NamedNode):
                found = rdflib.URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                found = rdflib.BNode(t.value)
            elif t.language:
                found = rdflib.Literal(t.value, lang=t.language)
            elif t.datatype.value == _XSD_STRING:  # as rdflib's own parser reads a plain literal
                found = rdflib.Literal(t.value)
            else:
                found = rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
            made[t] = found
        return found

    graph = rdflib.Graph()
    add = graph.add
    for triple in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return graph


def _path_text(results, path) -> str | None:
    import rdflib

    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return shorten(str(path))
    items = list(rdflib.collection.Collection(results, path)) if (
        path, rdflib.RDF.first, None) in results else []
    return " / ".join(shorten(str(i)) for i in items) or "(complex path)"
