"""Deterministic Turtle: every file kg writes (imports, extractions, added claims) looks alike.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping

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


def rdf_bytes(triples: Iterable[ox.Triple], rdf_format: ox.RdfFormat,
              prefixes: Mapping[str, str] | None = None) -> bytes:
    """Triples serialised by pyoxigraph into bytes in memory (through a buffer, so the answer is
    always bytes: serialising to no output returns them too, but is typed as maybe None)."""
    out = io.BytesIO()
    ox.serialize(list(triples), out, format=rdf_format, prefixes=dict(prefixes) if prefixes else None)
    return out.getvalue()
