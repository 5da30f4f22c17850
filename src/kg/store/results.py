"""RDF terms to plain values, and query answers to the formats people and machines read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.core.tabular import JsonItems, write_json, write_records, write_records_streamed
from kg.core.vocab import XSD

if TYPE_CHECKING:
    from kg.store.protocol import Rows

Value = str | int | float | bool | None
"""A term as plain Python (see `to_python`)."""


def write_rows(rows: Rows, fmt: str, *, title: str | None = None, width: int | None = None) -> str:
    """SPARQL solutions in the requested format; json is the W3C SPARQL results format."""
    if fmt == "json":
        return sparql_json(rows.variables, rows) + "\n"
    records = [[to_python(r.get(c)) for c in rows.variables] for r in rows]
    return write_records(rows.variables, records, fmt, title=title, width=width)

def write_rows_to(rows: Rows, fmt: str, write: Callable[[str], object]) -> None:
    """write_rows' bytes for the machine formats (STREAMED: json, csv, tsv), given to `write`
    as each row is turned into text (issue 19), never the whole answer at once."""
    if fmt == "json":
        write_sparql_json(rows.variables, rows, write)
        write("\n")
        return
    records = ([to_python(r.get(c)) for c in rows.variables] for r in rows)
    write_records_streamed(rows.variables, records, fmt, write)


# the formats write_rows_to streams
STREAMED = ("json", "csv", "tsv")


def write_boolean(answer: bool, fmt: str) -> str:
    """An ASK answer: true or false, or the W3C results JSON for machines."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": bool(answer)}) + "\n"
    if fmt in ("csv", "tsv"):
        return f"boolean\n{'true' if answer else 'false'}\n"
    return ("true" if answer else "false") + "\n"


def write_triples(triples: Sequence[ox.Triple], fmt: str) -> str:
    """A CONSTRUCT or DESCRIBE answer: Turtle with kg's prefixes (JSON-LD for --format json)."""
    from kg.core.vocab import PREFIXES

    rdf_format = ox.RdfFormat.JSON_LD if fmt == "json" else ox.RdfFormat.TURTLE
    return (ox.serialize(list(triples), format=rdf_format, prefixes=PREFIXES) or b"").decode("utf-8")


_INTEGER = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                              "positiveInteger")}
_FLOAT = {XSD + t for t in ("double", "float", "decimal")}


def to_python(term: object) -> Value:
    """IRIs as strings, numbers as numbers, booleans as bools; dates stay ISO strings.

    >>> to_python(ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")))
    42
    >>> to_python(ox.NamedNode("https://w3id.org/kg-compute/entity/deepseek-v3"))
    'https://w3id.org/kg-compute/entity/deepseek-v3'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else None
        try:
            if dt in _INTEGER:
                return int(term.value)
            if dt in _FLOAT:
                return float(term.value)
        except ValueError:
            return term.value
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)  # a triple term (RDF 1.2): its N-Triples form




def as_text(value: Value) -> str | None:
    """A converted value where text is wanted (a label, an IRI, a date), or None when absent.

    >>> as_text(None), as_text("East-1"), as_text(2024)
    (None, 'East-1', '2024')
    """
    return None if value is None else str(value)


def sparql_json(variables: Sequence[str], rows: Iterable[dict]) -> str:
    """W3C SPARQL 1.1 Query Results JSON, built from terms so datatypes survive."""
    out: list[str] = []
    write_sparql_json(variables, rows, out.append)
    return "".join(out)


def write_sparql_json(variables: Sequence[str], rows: Iterable[dict],
                      write: Callable[[str], object]) -> None:
    """sparql_json's text given to `write` a binding at a time. Every value in it is a string,
    where json_text's fast writer and json.dumps write the same bytes."""
    def binding(row: dict) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, t in row.items():
            if isinstance(t, ox.NamedNode):
                out[name] = {"type": "uri", "value": t.value}
            elif isinstance(t, ox.BlankNode):
                out[name] = {"type": "bnode", "value": t.value}
            elif isinstance(t, ox.Literal):
                cell = {"type": "literal", "value": t.value}
                if t.language:
                    cell["xml:lang"] = t.language
                elif t.datatype and t.datatype.value != XSD + "string":
                    cell["datatype"] = t.datatype.value
                out[name] = cell
        return out

    document = {"head": {"vars": list(variables)},
                "results": {"bindings": JsonItems(map(binding, rows))}}
    write_json(document, write, indent=2, ensure_ascii=False)
