"""The named SPARQL queries in `queries/`, and how a user's bindings reach them safely.

Each `.rq` file opens with a comment header: `# Answers:` says what question it answers and
`# Parameters:` which variables a caller may bind. Python never edits query text; parameters
travel as bindings (see kg.store), so the same file runs unchanged on every store.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import QueryError
from kg.core.resources import QUERIES
from kg.core.vocab import PREFIXES, XSD


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path | None
    text: str

    @property
    def answers(self) -> str:
        return _header_field(self.text, "Answers")

    @property
    def parameters(self) -> str:
        return _header_field(self.text, "Parameters")


def _header_field(text: str, name: str) -> str:
    lines, capturing = [], False
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.lower().startswith(name.lower() + ":"):
            capturing = True
            lines.append(body.split(":", 1)[1].strip())
        elif capturing and re.match(r"^[A-Z][a-z]+:", body):
            break
        elif capturing and body:
            lines.append(body)
    return " ".join(lines)


def list_queries() -> list[NamedQuery]:
    return [NamedQuery(p.stem, p, p.read_text(encoding="utf-8"))
            for p in sorted(QUERIES.glob("*.rq"))]


def named_query(name: str) -> NamedQuery:
    path = QUERIES / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in list_queries())
        raise QueryError(f"no query named {name!r}", hint=f"known queries: {known}")
    return NamedQuery(name, path, path.read_text(encoding="utf-8"))


def resolve(spec: str) -> NamedQuery:
    """A named query, a .rq file, or '-' for standard input."""
    if spec == "-":
        return NamedQuery("<stdin>", None, sys.stdin.read())
    path = Path(spec)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        return NamedQuery(path.stem, path, path.read_text(encoding="utf-8"))
    return named_query(spec)


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD"
                   r"|WITH)\b", re.I)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (or an update keyword): the first keyword of the query
    once comments, strings and IRIs are blanked out, so `kg query` prints each form its way."""
    from kg.store.sparql_text import blank_out

    found = _FORM.search(blank_out(text))
    return found.group(1).upper() if found else "SELECT"


def parse_binding(text: str):
    """`var=value` from the command line: <iri>, prefix:name, a number, or a plain string."""
    import pyoxigraph as ox

    if "=" not in text:
        raise QueryError(f"--bind {text!r}: expected var=value")
    name, value = text.split("=", 1)
    name = name.strip().lstrip("?$")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError(f"--bind {text!r}: {name!r} is not a SPARQL variable name")
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return name, _iri(text, value[1:-1])
    prefix, _, local = value.partition(":")
    if local and prefix in PREFIXES and not local.startswith("//"):
        return name, _iri(text, PREFIXES[prefix] + local)
    if re.fullmatch(r"-?\d+", value):
        return name, ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if re.fullmatch(r"-?\d*\.\d+(?:[eE][-+]?\d+)?", value):
        return name, ox.Literal(value, datatype=ox.NamedNode(XSD + "double"))
    if len(value) >= 2 and value[0] == value[-1] == '"':  # quoted: text, whatever it looks like
        return name, ox.Literal(value[1:-1])
    if value.startswith(("http://", "https://")):
        return name, _iri(text, value)
    return name, ox.Literal(value)


def _iri(binding: str, value: str):
    """An IRI from the command line, or one line saying why it is none (`>` or `}` in it)."""
    import pyoxigraph as ox

    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"--bind {binding!r}: {value!r} is not a valid IRI ({exc})",
                         hint='quote the value to bind it as text: --bind \'var="..."\'') from None
