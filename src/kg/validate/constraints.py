"""SHACL core constraint components evaluated as SPARQL on the store: kg validate's default engine.

pySHACL checks every value node in Python, about two milliseconds per claim (four minutes for
100,000 claims, with the store copied into rdflib first). The shapes in ontology/shapes.ttl use
a handful of core components, and each (shape, component) pair is one set question a store
answers in a fraction of a second: which instances of a class lack a value, have two, or have a
value of the wrong class. So the shapes graph is read once (it is small), and each pair runs one
template from queries/shacl-*.rq with the shape's terms bound (target class, predicate, class,
count), never pasted, on whichever store holds the graph: in memory, on disk or on a server.

Two components are decided per distinct value rather than per node, because that is where the
work is: sh:datatype and an sh:or of datatypes look at the kinds of value on a path (a dozen
kinds stand for 100,000 literals), and sh:in at the distinct values; the nodes are fetched only
for the kinds or values that fail. sh:maxCount first compares the path's triples with its
distinct subjects, and groups only when some node has two values.

Results are what pySHACL reports (tests/test_constraints.py compares the two engines): focus
node, path, value, severity, message, source shape. Shapes that nothing targets are not
evaluated, as in pySHACL. A component or path form this engine does not implement raises
UnsupportedShape naming the shape and the component: a constraint is never skipped silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import KgError
from kg.core.vocab import OWL, RDF, RDFS, SH, XSD, shorten
from kg.store.bindings import with_table
from kg.store.protocol import Row, Store

Term = ox.NamedNode | ox.BlankNode | ox.Literal
ANONYMOUS_SHAPE = "(anonymous shape)"
COMPLEX_PATH = "(complex path)"  # how the pySHACL engine prints a path that is not an IRI or a list
BATCH = 500  # focus nodes per query in incremental mode, as a VALUES block

_TYPE = ox.NamedNode(RDF + "type")
_FIRST, _REST, _NIL = (ox.NamedNode(RDF + n) for n in ("first", "rest", "nil"))
_STRING, _LANG_STRING = ox.NamedNode(XSD + "string"), ox.NamedNode(RDF + "langString")
_LITERAL, _DATATYPE = ox.NamedNode(RDFS + "Literal"), ox.NamedNode(RDFS + "Datatype")

# what a shape may say besides its constraints: naming, documentation, reporting
_DESCRIPTIVE = {"name", "description", "order", "group", "severity", "message", "deactivated",
                "defaultValue"}
_VALUE_RANGE = ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive")
# the constraint components of a property shape this engine evaluates
PROPERTY_COMPONENTS = frozenset({
    "minCount", "maxCount", "datatype", "class", "in", "hasValue", "or", "minLength", "maxLength",
    "lessThanOrEquals", *_VALUE_RANGE})
# what an alternative of an sh:or may constrain (each alternative is a node shape on the value)
OR_MEMBER_COMPONENTS = frozenset({"datatype", "class"})


class UnsupportedShape(KgError):
    """A shape uses a SHACL feature the SPARQL engine does not implement (exit 2: could not run)."""


@dataclass(frozen=True)
class Constraint:
    """One constraint component of a shape with its parameter (a term, or a tuple for lists)."""

    component: str  # the sh: local name: "minCount", "class", "or", ...
    value: object


@dataclass(frozen=True)
class PropertyShape:
    node: ox.NamedNode | ox.BlankNode
    path: tuple[ox.NamedNode, ...]  # one predicate, or the alternatives of an sh:alternativePath
    path_text: str
    severity: str
    message: str | None
    constraints: tuple[Constraint, ...]

    @property
    def name(self) -> str:
        return self.node.value if isinstance(self.node, ox.NamedNode) else ANONYMOUS_SHAPE


@dataclass(frozen=True)
class Check:
    """A property shape applied to the instances of one target class."""

    target_class: ox.NamedNode
    shape: PropertyShape


@dataclass(frozen=True)
class Result:
    """One validation result, the fields a pySHACL sh:ValidationResult carries (IRIs in full)."""

    severity: str
    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str


# ------------------------------------------------------------------ reading the shapes


class _Shapes:
    """The shapes graph as a subject -> predicate -> objects index (it is a few hundred triples)."""

    def __init__(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        self.out: dict[object, dict[ox.NamedNode, list]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[t.subject][t.predicate].append(t.object)

    def objects(self, node, predicate: str) -> list:
        return self.out.get(node, {}).get(ox.NamedNode(predicate), [])

    def one(self, node, predicate: str):
        found = self.objects(node, predicate)
        return found[0] if found else None

    def sh_predicates(self, node) -> dict[str, list]:
        """The node's sh: predicates by local name."""
        return {p.value[len(SH):]: objs for p, objs in self.out.get(node, {}).items()
                if p.value.startswith(SH)}

    def items(self, head, shape: str, component: str) -> list:
        """The members of an RDF list (sh:in, sh:or, sh:alternativePath)."""
        members, node, seen = [], head, set()
        while node != _NIL:
            first = self.objects(node, RDF + "first")
            if len(first) != 1 or node in seen:
                raise UnsupportedShape(f"{shape}: {component} is not a well-formed RDF list")
            seen.add(node)
            members.append(first[0])
            rest = self.objects(node, RDF + "rest")
            node = rest[0] if rest else _NIL
        return members


def read_shapes(path: Path) -> tuple[Check, ...]:
    """The checks a shapes file asks for, parsed once per file version."""
    return _read_shapes(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_shapes(path: Path, _mtime: int) -> tuple[Check, ...]:
    try:
        graph = _Shapes(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise UnsupportedShape(f"{path}: bad Turtle: {exc}") from exc
    return shapes_checks(graph)


def shapes_checks(graph: _Shapes) -> tuple[Check, ...]:
    """Every (target class, property shape) pair: what pySHACL would evaluate, in file order."""
    checks: list[Check] = []
    for node in list(graph.out):
        preds = graph.sh_predicates(node)
        name = _shape_name(node)
        for target in ("targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
            if target in preds:
                raise UnsupportedShape(
                    f"shape {name}: sh:{target} is not implemented by the SPARQL engine",
                    hint="use sh:targetClass, or run kg validate --engine pyshacl")
        is_class = {ox.NamedNode(RDFS + "Class"), ox.NamedNode(OWL + "Class")} & set(
            graph.objects(node, RDF + "type"))
        if is_class and ox.NamedNode(SH + "NodeShape") in graph.objects(node, RDF + "type"):
            raise UnsupportedShape(f"shape {name}: implicit class targets (a shape that is also a "
                                   "class) are not implemented by the SPARQL engine",
                                   hint="give the shape an sh:targetClass instead")
        if "targetClass" not in preds or _deactivated(graph, node):
            continue
        if "path" in preds:  # a property shape with its own target
            shapes = [_property_shape(graph, node)]
        else:
            _node_level(graph, node, preds)
            shapes = [_property_shape(graph, p) for p in preds.get("property", [])
                      if not _deactivated(graph, p)]
        for target in preds["targetClass"]:
            if not isinstance(target, ox.NamedNode):
                raise UnsupportedShape(f"shape {name}: sh:targetClass must be an IRI")
            checks.extend(Check(target, shape) for shape in shapes)
    return tuple(checks)


def _shape_name(node) -> str:
    return shorten(node.value) if isinstance(node, ox.NamedNode) else ANONYMOUS_SHAPE


def _deactivated(graph: _Shapes, node) -> bool:
    flag = graph.one(node, SH + "deactivated")
    return isinstance(flag, ox.Literal) and flag.value in ("true", "1")


def _node_level(graph: _Shapes, node, preds: Mapping[str, list]) -> None:
    """A targeted node shape may only group property shapes: node-level constraints are refused."""
    allowed = _DESCRIPTIVE | {"targetClass", "property"}
    for component in preds:
        if component not in allowed:
            raise UnsupportedShape(
                f"shape {_shape_name(node)}: node-level sh:{component} is not implemented by the "
                "SPARQL engine (it evaluates property shapes)",
                hint="move the constraint into a property shape, or run kg validate --engine pyshacl")


def _property_shape(graph: _Shapes, node) -> PropertyShape:
    name = _shape_name(node)
    preds = graph.sh_predicates(node)
    path, path_text = _path(graph, node, name)
    constraints: list[Constraint] = []
    for component, values in preds.items():
        if component in _DESCRIPTIVE or component == "path":
            continue
        if component not in PROPERTY_COMPONENTS:
            raise UnsupportedShape(
                f"shape {name}: sh:{component} is not implemented by the SPARQL engine",
                hint="run kg validate --engine pyshacl, or add the component to kg.validate.constraints")
        for value in values:
            if component == "in":
                value = tuple(graph.items(value, name, "sh:in"))
            elif component == "or":
                value = tuple(_or_member(graph, m, name) for m in graph.items(value, name, "sh:or"))
            elif component == "lessThanOrEquals" and not isinstance(value, ox.NamedNode):
                raise UnsupportedShape(f"shape {name}: sh:lessThanOrEquals must be an IRI")
            constraints.append(Constraint(component, value))
    severity = graph.one(node, SH + "severity")
    message = graph.one(node, SH + "message")
    return PropertyShape(
        node=node, path=path, path_text=path_text,
        severity=severity.value.rsplit("#", 1)[-1] if severity is not None else "Violation",
        message=message.value if message is not None else None,
        constraints=tuple(constraints))


def _path(graph: _Shapes, node, name: str) -> tuple[tuple[ox.NamedNode, ...], str]:
    paths = graph.objects(node, SH + "path")
    if len(paths) != 1:
        raise UnsupportedShape(f"shape {name}: a property shape needs exactly one sh:path")
    path = paths[0]
    if isinstance(path, ox.NamedNode):
        return (path,), shorten(path.value)
    alternatives = graph.objects(path, SH + "alternativePath")
    if alternatives:
        members = graph.items(alternatives[0], name, "sh:alternativePath")
        if members and all(isinstance(m, ox.NamedNode) for m in members):
            return tuple(members), COMPLEX_PATH
        raise UnsupportedShape(f"shape {name}: an sh:alternativePath of anything but IRIs is not "
                               "implemented by the SPARQL engine",
                               hint="run kg validate --engine pyshacl")
    form = ("a sequence path" if graph.objects(path, RDF + "first") else
            next((f"sh:{k}" for k in graph.sh_predicates(path)), "this path form"))
    raise UnsupportedShape(f"shape {name}: {form} is not implemented by the SPARQL engine "
                           "(it evaluates IRI paths and sh:alternativePath of IRIs)",
                           hint="run kg validate --engine pyshacl")


def _or_member(graph: _Shapes, member, name: str) -> Constraint:
    """One alternative of an sh:or: a node shape with one sh:datatype or one sh:class."""
    preds = {k: v for k, v in graph.sh_predicates(member).items() if k not in _DESCRIPTIVE}
    components = [(k, v) for k, vs in preds.items() for v in vs]
    if len(components) == 1 and components[0][0] in OR_MEMBER_COMPONENTS:
        return Constraint(*components[0])
    what = ", ".join(f"sh:{k}" for k in preds) or "no constraint"
    raise UnsupportedShape(
        f"shape {name}: an sh:or alternative with {what} is not implemented by the SPARQL engine "
        "(each alternative must be one sh:datatype or one sh:class)",
        hint="run kg validate --engine pyshacl")


# ------------------------------------------------------------------ evaluating them


def evaluate(store: Store, checks: Sequence[Check], focus: set[str] | None = None,
             workers: int | None = None) -> list[Result]:
    """Every check on the store; with `focus`, only on those nodes (incremental validation).

    The (check, constraint) pairs are independent queries: they run on `workers` threads
    (kg.core.parallel; default one per core), their results assembled in the pairs' order."""
    from kg.core.parallel import in_order

    return merge(in_order(evaluation_tasks(store, checks, focus), workers))


def evaluation_tasks(store: Store, checks: Sequence[Check], focus: set[str] | None = None
                     ) -> list[Callable[[], list[Result]]]:
    """One task per (focus batch, check, constraint), in the order `evaluate` reports them: each
    runs its queries and reads all their rows, so it can run on a thread of its own."""
    nodes = focus_iris(focus or ())
    batches = [None] if focus is None else [nodes[start:start + BATCH]
                                             for start in range(0, len(nodes), BATCH)]
    return [partial(_evaluate_one, store, check, constraint, batch)
            for batch in batches for check in checks for constraint in check.shape.constraints]


def merge(parts: Iterable[list[Result]]) -> list[Result]:
    """The tasks' results as one list, in their order, each result once."""
    return list(dict.fromkeys(result for part in parts for result in part))


def _evaluate_one(store: Store, check: Check, constraint: Constraint,
                  batch: list[ox.NamedNode] | None) -> list[Result]:
    run = _Runner(store, check, batch)
    return [_result(check.shape, constraint, node, value)
            for node, value in _EVALUATORS[constraint.component](run, constraint.value)]


def focus_iris(nodes: Iterable[str]) -> list[ox.NamedNode]:
    """The focus nodes a query can name, sorted: a blank node's id means nothing to the store."""
    iris = []
    for node in sorted(nodes):
        try:
            iris.append(ox.NamedNode(node))
        except ValueError:
            continue
    return iris


class _Runner:
    """Runs the shacl-*.rq templates for one check: the path (and focus batch) as rows."""

    def __init__(self, store: Store, check: Check, focus: list[ox.NamedNode] | None) -> None:
        self.store, self.check, self.focus = store, check, focus

    def rows(self, name: str, bindings: Mapping[str, object] | None = None,
             **rows: Sequence[object]) -> Iterator[Row]:
        columns: dict[str, Sequence[object]] = {"path": self.check.shape.path}
        columns.update({variable: [value] for variable, value in (bindings or {}).items()})
        columns.update(rows)
        if self.focus is not None:
            columns["focus"] = self.focus
        # kg's own known-good queries: streamed, past the per-query fork that guards user queries
        return self.store.stream(with_table(_template(name), columns))

    def targeted(self, name: str, bindings: Mapping[str, object] | None = None,
                 **rows: Sequence[object]) -> Iterator[tuple[Term, Term | None]]:
        """(focus node, value) pairs from a template that checks the target class."""
        for row in self.rows(name, {"targetClass": self.check.target_class, **(bindings or {})},
                             **rows):
            yield row["focus"], row.get("value")


@lru_cache(maxsize=64)
def _template(name: str) -> str:
    from kg.store.queries import named_query

    return named_query(name).text


Pairs = Iterator[tuple[Term, Term | None]]


def _min_count(run: _Runner, minimum: ox.Literal) -> Pairs:
    if _number(minimum) != 1:
        return run.targeted("shacl-min-count", {"minCount": minimum})
    # no value at all: a test per node instead of a count per node, half the time at scale
    lacking: dict[Term, set[Term]] = defaultdict(set)
    for row in run.rows("shacl-min-count-one", {"targetClass": run.check.target_class}):
        lacking[row["focus"]].add(row["path"])
    return ((node, None) for node, paths in lacking.items() if len(paths) == len(run.check.shape.path))


def _max_count(run: _Runner, maximum: ox.Literal) -> Pairs:
    if len(run.check.shape.path) == 1:  # the counts below are per predicate
        usage = next(iter(run.rows("shacl-path-usage")), {})
        triples = int(usage["triples"].value) if "triples" in usage else 0
        subjects = int(usage["subjects"].value) if "subjects" in usage else 0
        if triples == 0 or (triples == subjects and _number(maximum) >= 1):
            return iter(())  # no node has two values: no maximum of one or more can be exceeded
    over = [node for node, _ in run.targeted("shacl-max-count", {"maxCount": maximum})]
    return ((node, None) for node in _instances(run, over))


def _instances(run: _Runner, nodes: list[Term]) -> list[Term]:
    """The nodes that are instances of the check's target class, in their order. Asked apart
    for the few nodes a count found over the maximum: the EXISTS inside HAVING's IF that did it
    in the count's query is beyond Virtuoso 7.2's compiler."""
    if not nodes:
        return []
    from kg.store.bindings import stream_bound

    found = {row["focus"] for row in stream_bound(
        run.store, _template("shacl-targets"), "focus", nodes,
        fixed={"targetClass": [run.check.target_class]})}
    return [node for node in nodes if node in found]


def _class(run: _Runner, cls: ox.NamedNode) -> Pairs:
    return run.targeted("shacl-class", {"class": cls})


def _datatype(run: _Runner, datatype: ox.NamedNode) -> Pairs:
    return _failing_kinds(run, lambda kind: datatype_matches(datatype, kind))


def _failing_kinds(run: _Runner, passes) -> Pairs:
    kinds = {row["kind"].value for row in run.rows("shacl-value-kinds") if "kind" in row}
    bad = [ox.Literal(kind) for kind in sorted(kinds) if not passes(kind)]
    return run.targeted("shacl-values-of-kind", kind=bad) if bad else iter(())


def datatype_matches(datatype: ox.NamedNode, kind: str) -> bool:
    """Whether a value of this kind (shacl-value-kinds.rq) has the datatype, as pySHACL decides.

    A literal matches its own datatype unless ill-typed; every literal is an rdfs:Literal; every
    literal but a plain or language-tagged string has an rdfs:Datatype (rdflib gives those none).
    """
    if not kind.startswith("Literal "):
        return False
    own, _, flaw = kind[len("Literal "):].partition(" ")
    if datatype == _LITERAL:
        return True
    if datatype == _DATATYPE:
        return own not in (_STRING.value, _LANG_STRING.value)
    return own == datatype.value and not flaw


def _in(run: _Runner, members: tuple) -> Pairs:
    allowed = set(members)
    bad = list(dict.fromkeys(row["value"] for row in run.rows("shacl-path-values")
                             if row["value"] not in allowed))
    return (pair for start in range(0, len(bad), BATCH)
            for pair in run.targeted("shacl-value-nodes", value=bad[start:start + BATCH]))


def _has_value(run: _Runner, value: Term) -> Iterator[tuple[Term, None]]:
    return ((node, None) for node, _ in run.targeted("shacl-has-value", {"hasValue": value}))


def _or(run: _Runner, members: tuple[Constraint, ...]) -> Pairs:
    """A value fails sh:or when it fails every alternative: datatypes by kind, classes by query."""
    datatypes = [m.value for m in members
                 if m.component == "datatype" and isinstance(m.value, ox.NamedNode)]
    classes = [m.value for m in members if m.component == "class" and isinstance(m.value, ox.NamedNode)]
    failing: set | None = None
    if datatypes:
        failing = set(_failing_kinds(
            run, lambda kind: any(datatype_matches(d, kind) for d in datatypes)))
    for cls in classes:
        if failing == set():
            break
        failed = set(_class(run, cls))
        failing = failed if failing is None else failing & failed
    return iter(failing or ())


def _min_length(run: _Runner, length: ox.Literal) -> Pairs:
    return run.targeted("shacl-min-length", {"minLength": length})


def _max_length(run: _Runner, length: ox.Literal) -> Pairs:
    return run.targeted("shacl-max-length", {"maxLength": length})


def _range(component: str):
    def evaluate_range(run: _Runner, bound: ox.Literal) -> Pairs:
        return run.targeted("shacl-value-range", {"component": ox.Literal(component), "bound": bound})
    return evaluate_range


def _less_than_or_equals(run: _Runner, other: ox.NamedNode) -> Pairs:
    return run.targeted("shacl-less-than-or-equals", {"lessThanOrEquals": other})


_EVALUATORS = {
    "minCount": _min_count, "maxCount": _max_count, "class": _class, "datatype": _datatype,
    "in": _in, "hasValue": _has_value, "or": _or, "minLength": _min_length,
    "maxLength": _max_length, "lessThanOrEquals": _less_than_or_equals,
    **{c: _range(c) for c in _VALUE_RANGE},
}
assert set(_EVALUATORS) == PROPERTY_COMPONENTS


def _number(term: ox.Literal) -> float:
    try:
        return float(term.value)
    except ValueError:
        return float("nan")


def _result(shape: PropertyShape, constraint: Constraint, node: Term,
            value: Term | None) -> Result:
    return Result(severity=shape.severity, shape=shape.name, focus=node.value,
                  path=shape.path_text, value=value.value if value is not None else None,
                  message=shape.message or _default_message(shape, constraint, node, value))


def _default_message(shape: PropertyShape, constraint: Constraint, node: Term,
                     value: Term | None) -> str:
    """pySHACL's wording for a shape without sh:message (IRIs shortened by kg's prefixes)."""
    def show(term) -> str:
        return shorten(term.value) if isinstance(term, ox.NamedNode) else str(
            getattr(term, "value", term))

    c, p = constraint.value, constraint.component
    focus, path = show(node), shape.path_text
    members = c if isinstance(c, tuple) else ()  # sh:in's values, sh:or's alternatives
    alternatives = [m for m in members if isinstance(m, Constraint)]
    texts = {
        "minCount": lambda: f"Less than {show(c)} values on {focus}->{path}",
        "maxCount": lambda: f"More than {show(c)} values on {focus}->{path}",
        "datatype": lambda: f"Value is not Literal with datatype {show(c)}",
        "class": lambda: f"Value does not have class {show(c)}",
        "in": lambda: f"Value {show(value)} not in list {[show(m) for m in members]}",
        "hasValue": lambda: f"Node {focus}->{path} does not contain Value {show(c)}",
        "or": lambda: f"Node {show(value)} must conform to one or more shapes in "
                      + " , ".join(f"[sh:{m.component} {show(m.value)}]" for m in alternatives),
        "minLength": lambda: f"String length not >= {show(c)}",
        "maxLength": lambda: f"String length not <= {show(c)}",
        "minInclusive": lambda: f"Value is not >= {show(c)}",
        "maxInclusive": lambda: f"Value is not <= {show(c)}",
        "minExclusive": lambda: f"Value is not > {show(c)}",
        "maxExclusive": lambda: f"Value is not < {show(c)}",
        "lessThanOrEquals": lambda: f"Value of {focus}->{show(c)} < {show(value)}",
    }
    return texts[p]()
