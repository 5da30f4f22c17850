"""The named SPARQL queries in `queries/`, and how a user's bindings reach them safely.

Each `.rq` file opens with a comment header: `# Answers:` says what question it answers,
`# Parameters:` which variables a caller may bind (`?subject (required, IRI) the entity`: a
parameter is required unless marked optional; an IRI parameter also takes a name, resolved by
kg.store.names), `# Audience:` whether it is meant for analysts or is one the validator,
reconciler or loader runs (`kg queries` lists them apart), and `# Needs: reconciliation` that it
reads the reconciler's verdicts, so whoever runs it knows to provide them (kg.graph) without
reading the query text. Python never edits a query's own text; parameters travel as bindings
(see kg.store), so the same file runs unchanged on every store. A user's own query (a file,
standard input, text) gets kg's prefixes declared for it. The few updates kg runs as text live
beside them as `.ru` files, read by `named_update`; `kg queries` does not list them.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import QueryError
from kg.core.resources import QUERIES
from kg.core.vocab import PREFIXES, XSD

RECONCILIATION = "reconciliation"
"""The `# Needs:` keyword of a query that reads the reconciliation graph's verdicts."""


@dataclass(frozen=True)
class Parameter:
    """One variable a query's header declares: `?name (required|optional[, IRI]) description`."""

    name: str
    required: bool
    iri: bool
    description: str


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


    @property
    def declared(self) -> list[Parameter]:
        """The parameters the header declares, in its order (none for a query without a header)."""
        text = self.parameters
        found = list(re.finditer(r"\?([A-Za-z_]\w*)\s*\(([^)]*)\)", text))
        out = []
        for i, m in enumerate(found):
            flags = [f.strip().lower() for f in re.split(r"[,;]", m.group(2))]
            if not flags or flags[0] not in ("required", "optional"):
                continue  # a variable mentioned in passing, not declared
            end = found[i + 1].start() if i + 1 < len(found) else len(text)
            description = text[m.end():end].strip().rstrip(";").strip()
            out.append(Parameter(m.group(1), flags[0] == "required", "iri" in flags, description))
        return out

    @property
    def audience(self) -> str:
        """"analyst" (the default) or "internal" (run by kg itself: validator, reconciler, loader)."""
        return (_header_field(self.text, "Audience").split() or ["analyst"])[0].lower()


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
    """A named query, a .rq file, or '-' for standard input (the last two with kg's prefixes)."""
    if spec == "-":
        return NamedQuery.of("<stdin>", None, with_prefixes(sys.stdin.read()))
    path = Path(spec)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        return NamedQuery.of(path.stem, path, with_prefixes(path.read_text(encoding="utf-8")))
    return named_query(spec)


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD"
                   r"|WITH)\b", re.I)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (or an update keyword): the first keyword of the query
    once comments, strings and IRIs are blanked out, so `kg query` prints each form its way."""
    from kg.store.sparql_text import blank_out

    found = _FORM.search(blank_out(text))
    return found.group(1).upper() if found else "SELECT"


def with_prefixes(text: str) -> str:
    """`text` with kg's prefixes (kg:, kge:, kgp:, prov:, skos:, ...) declared where it does not
    declare them itself: a user's query need not spell them out.


    The declarations go on the line of the query's first keyword, after any leading comments
    (so the `# Parameters:` header still opens the text) and before anything the query declares
    (a prologue may hold any number of PREFIX lines); line numbers in syntax errors stay right.
    """
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", text)}
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    if not missing:
        return text
    lead = re.match(r"(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*", text)
    at = lead.end() if lead else 0
    return text[:at] + " ".join(missing) + " " + text[at:]


def split_binding(text: str) -> tuple[str, str]:
    """`var=value` from the command line as (variable name, value text), the name checked."""
    if "=" not in text:
        raise QueryError(f"--bind {text!r}: expected var=value")
    name, value = text.split("=", 1)
    name = name.strip().lstrip("?$")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError(f"--bind {text!r}: {name!r} is not a SPARQL variable name")
    return name, value.strip()


def parse_binding(text: str):
    """`var=value` from the command line: <iri>, prefix:name, a number, or a plain string."""
    import pyoxigraph as ox

    name, value = split_binding(text)
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
