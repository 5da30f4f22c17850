"""One pass over the values the shapes test, proving which constraints cannot fail.

kg.validate.constraints asks the store one question per (shape, constraint): about ninety
queries at 100,000 claims, each scanning the claims' triples again (about 5 s of CPU, the store
visiting each claim's subject three times: for sh:minCount, sh:maxCount and sh:class). On a
graph that mostly conforms nearly all of them answer "nothing". The survey reads every triple on
the shapes' paths once (queries/shacl-path-triples.rq) and the instances of the classes the
shapes name (queries/shacl-instances.rq), and decides in Python, from the shapes read as data,
which constraints no node can fail: every instance has a value, none has two, every value is an
instance of the class, has the datatype, lies in the range. Only the constraints it cannot clear
run their own query, so the results (and their order) are exactly what the per-shape queries
give: the survey only ever skips a query that would have answered nothing.

Its answers err one way only. Values are taken from every subject, not only the target's
instances (a superset); a literal whose kind or number kg.validate.literals is not sure of, a
blank node, an unknown component: not cleared, the store decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg.core.vocab import KG
from kg.store.bindings import with_table
from kg.store.protocol import Store, stream_positional
from kg.validate import literals
from kg.validate.constraints import Check, Constraint, datatype_matches

Term = ox.NamedNode | ox.BlankNode | ox.Literal
# how kg's survey queries return a blank node: servers name them in forms a results parser may
# refuse (Virtuoso's nodeID://), and an id means nothing outside its answer anyway
BLANK_MARK = ox.Literal("_:", datatype=ox.NamedNode(KG + "blankNode"))


class PathValues:
    """One predicate's values by subject: the first value of each, and any further ones apart
    (most subjects have one value on a path, so no list per subject)."""

    def __init__(self, pairs: list[tuple[str, Term]]) -> None:
        self.first: dict[str, Term] = dict(pairs)  # built in C: a subject's last value
        self.more: dict[str, list[Term]] = {}
        if len(self.first) < len(pairs):  # some subject has two values: keep them all
            self.first = {}
            for focus, value in pairs:
                if focus in self.first:
                    self.more.setdefault(focus, []).append(value)
                else:
                    self.first[focus] = value

    def of(self, focus: str) -> list[Term]:
        if focus not in self.first:
            return []
        return [self.first[focus], *self.more.get(focus, ())]

    def distinct(self) -> set[Term]:
        found = set(self.first.values())
        for extra in self.more.values():
            found.update(extra)
        return found


class Survey:
    """The values on the shapes' paths and the instances of their classes, read once."""

    def __init__(self, store: Store, checks: Sequence[Check],
                 also: Sequence[ox.NamedNode] = ()) -> None:
        """`also`: further predicates to read in the same pass, for checks that use their
        values besides the shapes (kg.validate.shared)."""
        self.store = store
        paths: dict[ox.NamedNode, None] = dict.fromkeys(also)
        for check in checks:
            paths.update(dict.fromkeys(check.shape.path))
            for constraint in check.shape.constraints:
                if constraint.component == "lessThanOrEquals":
                    paths[constraint.value] = None  # type: ignore[index]
        self.paths = {path: PathValues(_pairs_of(store, path)) for path in paths}
        self._instances: dict[ox.NamedNode, frozenset[Term]] = {}
        self._distinct: dict[tuple[ox.NamedNode, ...], set[Term]] = {}
        self._targets: dict[ox.NamedNode, frozenset[str] | None] = {}
        self._numbers: dict[tuple[ox.NamedNode, ...], list[float] | None] = {}

    def instances(self, cls: ox.NamedNode) -> frozenset[Term]:
        """The instances of a class, subclasses included (asked once per class)."""
        if cls not in self._instances:
            query = with_table(_template("shacl-instances"), {"targetClass": [cls]})
            found = frozenset(row[0] for row in stream_positional(self.store, query, ("focus",)))
            if BLANK_MARK in found:  # a blank instance, as a server answers: one fresh node
                found = found - {BLANK_MARK} | {ox.BlankNode()}
            self._instances[cls] = found
        return self._instances[cls]

    def targets(self, cls: ox.NamedNode) -> frozenset[str] | None:
        """The instances' IRIs, the keys of PathValues; None if one is a blank node, whose id
        in one answer need not name the node of that id in another (a SPARQL server relabels
        them per answer)."""
        if cls not in self._targets:
            found = self.instances(cls)
            self._targets[cls] = None if any(isinstance(n, ox.BlankNode) for n in found) else (
                frozenset(n.value for n in found))
        return self._targets[cls]

    def values(self, path: tuple[ox.NamedNode, ...]) -> set[Term]:
        """The distinct values on the path, of any subject."""
        if path not in self._distinct:
            found: set[Term] = set()
            for predicate in path:
                found |= self.paths[predicate].distinct()
            self._distinct[path] = found
        return self._distinct[path]

    def floats(self, predicate: ox.NamedNode) -> dict[str, float]:
        """Each subject's value on the predicate as a float, where it has one value and that
        is certainly a number."""
        table = self.paths[predicate]
        found = {}
        for node, value in table.first.items():
            number = literals.number(value)
            if number is not None and node not in table.more:
                found[node] = float(number)
        return found

    def numbers(self, path: tuple[ox.NamedNode, ...]) -> list[float] | None:
        """The path's distinct values as numbers, or None if one is not certainly a number."""
        if path not in self._numbers:
            found = [literals.number(v) for v in self.values(path)]
            self._numbers[path] = None if None in found else [float(n) for n in found]  # type: ignore[arg-type]
        return self._numbers[path]

    def cleared(self, check: Check, constraint: Constraint) -> bool:
        """Whether no instance of the check's target can fail the constraint (False: ask)."""
        rule = _RULES.get(constraint.component)
        return rule is not None and rule(self, check, constraint.value)


def _pairs_of(store: Store, path: ox.NamedNode) -> list[tuple[str, Term]]:
    """Every (subject, value) on the predicate, the subject as its IRI or blank node id: from
    the store's index where it offers one (kg.store.embedded), else one query (a server)."""
    native = getattr(store, "predicate_pairs", None)
    if native is not None:
        return native(path)
    query = with_table(_template("shacl-path-triples"), {"path": [path]})
    return [("_:" if focus == BLANK_MARK else focus.value, ox.BlankNode() if value == BLANK_MARK else value)
            for focus, value in stream_positional(store, query, ("focus", "value"))]


def _template(name: str) -> str:
    from kg.store.queries import named_query

    return named_query(name).text


def _count(term: object) -> int | None:
    """A count parameter (sh:minCount 1) as an int; None when it is not a plain integer."""
    value = literals.number(term) if isinstance(term, ox.Literal) else None
    return value if isinstance(value, int) else None


def _targets(survey: Survey, check: Check) -> frozenset[str] | None:
    """The check's focus nodes; None if one is a blank node, whose id in one answer need not
    name the node of the same id in another (a SPARQL server relabels them per answer)."""
    return survey.targets(check.target_class)


def _min_count(survey: Survey, check: Check, minimum: object) -> bool:
    least, targets = _count(minimum), _targets(survey, check)
    if least is None or targets is None:
        return False
    if least <= 0:
        return True
    tables = [survey.paths[p] for p in check.shape.path]
    if least == 1:
        having = set().union(*(t.first.keys() for t in tables)) if len(tables) > 1 else tables[0].first.keys()
        return having >= targets
    # the distinct values of one predicate: a lower bound of the path's
    return all(max(len(set(t.of(node))) for t in tables) >= least for node in targets)


def _max_count(survey: Survey, check: Check, maximum: object) -> bool:
    most, targets = _count(maximum), _targets(survey, check)
    if most is None or targets is None:
        return False
    tables = [survey.paths[p] for p in check.shape.path]
    if most == 0:
        return not any(node in t.first for t in tables for node in targets)
    if len(tables) == 1:
        # triples per subject: an upper bound of its distinct values
        return all(len(extra) + 1 <= most for node, extra in tables[0].more.items() if node in targets)
    nodes = set().union(*(t.first.keys() for t in tables)) & targets
    return all(sum(len(t.of(node)) for t in tables) <= most for node in nodes)


def _passes_class(survey: Survey, value: Term, cls: object) -> bool:
    return isinstance(value, ox.NamedNode) and isinstance(cls, ox.NamedNode) and (
        value in survey.instances(cls))


def _passes_datatype(value: Term, datatype: object) -> bool:
    kind = literals.kind(value)
    return kind is not None and isinstance(datatype, ox.NamedNode) and datatype_matches(datatype, kind)


def _each_value(survey: Survey, check: Check, passes) -> bool:
    return all(passes(value) for value in survey.values(check.shape.path))


def _class(survey: Survey, check: Check, cls: object) -> bool:
    if not isinstance(cls, ox.NamedNode):
        return False
    values, members = survey.values(check.shape.path), survey.instances(cls)
    return all(isinstance(v, ox.NamedNode) for v in values) and values <= members


def _datatype(survey: Survey, check: Check, datatype: object) -> bool:
    return _each_value(survey, check, lambda v: _passes_datatype(v, datatype))


def _in(survey: Survey, check: Check, members: object) -> bool:
    return isinstance(members, tuple) and survey.values(check.shape.path) <= set(members)


def _or(survey: Survey, check: Check, members: object) -> bool:
    if not isinstance(members, tuple):
        return False
    tests = []
    for member in members:
        if member.component == "datatype":
            tests.append(lambda v, d=member.value: _passes_datatype(v, d))
        elif member.component == "class":
            tests.append(lambda v, c=member.value: _passes_class(survey, v, c))
        else:
            return False
    return _each_value(survey, check, lambda v: any(test(v) for test in tests))


def _length(longest: bool):
    def rule(survey: Survey, check: Check, limit: object) -> bool:
        n = _count(limit)
        if n is None:
            return False
        return _each_value(survey, check, lambda v: not isinstance(v, ox.BlankNode) and (
            len(v.value) <= n if longest else len(v.value) >= n))
    return rule


def _range(component: str):
    def rule(survey: Survey, check: Check, bound: object) -> bool:
        if not isinstance(bound, ox.Literal):
            return False
        numbers, limit = survey.numbers(check.shape.path), literals.number(bound)
        if numbers is not None and limit is not None and (not numbers or literals.clear_of(
                component, (min if component.startswith("min") else max)(numbers), float(limit))):
            return True  # the extreme value is clear of the bound, so every value is
        return _each_value(survey, check, lambda v: literals.certainly(component, v, bound))
    return rule


def _less_than_or_equals(survey: Survey, check: Check, other: object) -> bool:
    # a blank subject here may be another answer's blank node of another id: no blank
    # instances, then a blank subject is no focus node
    if not isinstance(other, ox.NamedNode) or _targets(survey, check) is None:
        return False
    others = survey.paths[other]
    highs = survey.floats(other)
    for predicate in check.shape.path:
        lows = survey.floats(predicate)
        for node, value in _pairs(survey.paths[predicate]):
            low, high = lows.get(node), highs.get(node)
            if low is not None and high is not None and literals.clear_of("max", low, high):
                continue  # one number each, far apart: as the store would compare them
            if not all(literals.at_most(value, bound) for bound in others.of(node)):
                return False
    return True


def _pairs(table: PathValues) -> Iterable[tuple[str, Term]]:
    yield from table.first.items()
    for node, extra in table.more.items():
        for value in extra:
            yield node, value


_RULES = {
    "minCount": _min_count, "maxCount": _max_count, "class": _class, "datatype": _datatype,
    "in": _in, "or": _or, "minLength": _length(False), "maxLength": _length(True),
    "lessThanOrEquals": _less_than_or_equals,
    **{c: _range(c) for c in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive")},
}
