"""The named SPARQL queries in `queries/`, and how a user's bindings reach them safely.

Each `.rq` file opens with a comment header: `# Answers:` says what question it answers and
`# Parameters:` which variables a caller may bind; `# Needs: reconciliation` says it reads the
reconciler's verdicts, so whoever runs it knows to provide them (kg.graph) without reading the
query text. Python never edits query text; parameters travel as bindings (see kg.store), so the
same file runs unchanged on every store. The few updates kg runs as text live beside them as
`.ru` files (SPARQL Update's own extension), read by `named_update`: they are not queries a
user runs, so `kg queries` does not list them.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.core.errors import QueryError
from kg.core.resources import QUERIES
from kg.core.vocab import PREFIXES, XSD

if TYPE_CHECKING:
    import pyoxigraph as ox

RECONCILIATION = "reconciliation"
"""The `# Needs:` keyword of a query that reads the reconciliation graph's verdicts."""


@dataclass(frozen=True)
class NamedQuery:
    """A query's text with what its header says: build one with `NamedQuery.of`."""

    name: str
    path: Path | None
    text: str
    needs: frozenset[str] = field(default=frozenset())

    @classmethod
    def of(cls, name: str, path: Path | None, text: str) -> NamedQuery:
        """The query with its `# Needs:` header parsed (the one place a query's text is read)."""
        return cls(name, path, text, needs_of(text))

    @property
    def answers(self) -> str:
        return _header_field(self.text, "Answers")

    @property
    def parameters(self) -> str:
        return _header_field(self.text, "Parameters")

    @property
    def needs_reconciliation(self) -> bool:
        """True when the header says `# Needs: reconciliation`: it reads the verdicts."""
        return RECONCILIATION in self.needs


def needs_of(text: str) -> frozenset[str]:
    r"""The requirements a query's `# Needs:` header names: comma-separated keywords, then an
    optional explanation in parentheses or after a full stop.

    >>> sorted(needs_of("# Answers: x\n# Needs: reconciliation (kg table runs one).\nSELECT ..."))
    ['reconciliation']
    >>> needs_of("# Answers: mentions <https://w3id.org/kg-compute/run/reconciliation>\nSELECT ...")
    frozenset()
    """
    field_text = re.split(r"[(.]", _header_field(text, "Needs"), maxsplit=1)[0]
    return frozenset(word.strip().lower() for word in field_text.split(",") if word.strip())


def _header_field(text: str, name: str) -> str:
    lines: list[str] = []
    capturing = False
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.lower().startswith(name.lower() + ":"):
            capturing = True
            lines.append(body.split(":", 1)[1].strip())
        elif capturing and re.match(r"^[A-Z][a-z]+(?: [a-z]+)?:", body):  # the next field ("Used by:")
            break
        elif capturing and body:
            lines.append(body)
    return " ".join(lines)


def list_queries() -> list[NamedQuery]:
    """Every named query in `queries/`, by name."""
    return [NamedQuery.of(p.stem, p, p.read_text(encoding="utf-8"))
            for p in sorted(QUERIES.glob("*.rq"))]


def named_query(name: str) -> NamedQuery:
    """The query `queries/NAME.rq`; an unknown name is a QueryError listing the known ones."""
    path = QUERIES / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in list_queries())
        raise QueryError(f"no query named {name!r}", hint=f"known queries: {known}")
    return NamedQuery.of(name, path, path.read_text(encoding="utf-8"))


def list_updates() -> list[NamedQuery]:
    """Every SPARQL update kg runs as text (`queries/*.ru`), by name."""
    return [NamedQuery.of(p.stem, p, p.read_text(encoding="utf-8"))
            for p in sorted(QUERIES.glob("*.ru"))]


def named_update(name: str) -> NamedQuery:
    """The update `queries/NAME.ru` (kg's own; users' updates are not run by kg)."""
    path = QUERIES / f"{name}.ru"
    if not path.is_file():
        raise QueryError(f"no update named {name!r}")
    return NamedQuery.of(name, path, path.read_text(encoding="utf-8"))


def resolve(spec: str) -> NamedQuery:
    """A named query, a .rq file, or '-' for standard input."""
    if spec == "-":
        return NamedQuery.of("<stdin>", None, sys.stdin.read())
    path = Path(spec)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        return NamedQuery.of(path.stem, path, path.read_text(encoding="utf-8"))
    return named_query(spec)


def parse_binding(text: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """`var=value` from the command line: <iri>, prefix:name, a number, or a plain string."""
    import pyoxigraph as ox  # here, not at the top: `kg --help` does not load the engine

    if "=" not in text:
        raise QueryError(f"--bind {text!r}: expected var=value")
    name, value = text.split("=", 1)
    name = name.strip().lstrip("?$")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError(f"--bind {text!r}: {name!r} is not a SPARQL variable name")
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return name, ox.NamedNode(value[1:-1])
    prefix, _, local = value.partition(":")
    if local and prefix in PREFIXES and not local.startswith("//"):
        return name, ox.NamedNode(PREFIXES[prefix] + local)
    if re.fullmatch(r"-?\d+", value):
        return name, ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if re.fullmatch(r"-?\d*\.\d+(?:[eE][-+]?\d+)?", value):
        return name, ox.Literal(value, datatype=ox.NamedNode(XSD + "double"))
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if value.startswith(("http://", "https://")):
        return name, ox.NamedNode(value)
    return name, ox.Literal(value)
