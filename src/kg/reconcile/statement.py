"""Claims as the reconciler sees them, and the rule for when two claims make the same statement.

Two claims make **the same statement** when they agree on:
  1. the subject, after identity resolution (owl:sameAs merges nodes; nothing else does: a
     variant or successor is a different subject, compared only to explain identity slips);
  2. the property;
  3. the *splitting* qualifiers: benchmark (exact variant), comparedTo (the baseline of a
     relative figure), scope (final-run vs all-in cost; input vs output price) and chip. A chip
     one claim leaves out is a wildcard (a GPU-hours figure without a chip still speaks of the
     model's run) when exactly one chip is stated for the statement; a missing scope is a
     wildcard only where the property says what an unscoped figure means (`kg:unscopedMeans`:
     GPU-hours without a stage are the whole run's): a cost without a scope cannot be placed, so
     it is reported as ambiguous instead, and Epoch's training compute never joins its finetune
     compute.
Qualifiers that do *not* split a statement but explain a difference within it: asOf (the
figure changed over time), hedge (a projection vs a later statement), the document's date (and
a database snapshot's date), the basis (dense vs sparse, list price vs launch discount: a
known factor explains the difference, `kg.reconcile.basis`), and the free-text condition
(curators' notes are too varied to define identity by).
"""

from __future__ import annotations

import builtins
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from kg.core import quantity
from kg.core.vocab import KG, PROV
from kg.store.protocol import Row
from kg.store.results import to_python


@dataclass(slots=True)  # a million of them in a large reconcile: no per-object __dict__
class Claim:
    iri: str
    subject: str
    property: str
    dimension: str | None
    stated: str | None
    value: quantity.Quantity | None = None
    entity: str | None = None
    date: str | None = None
    text: str | None = None
    boolean: bool | None = None
    scopes: frozenset[str] = frozenset()
    benchmark: str | None = None
    chip: str | None = None
    compared_to: str | None = None
    as_of: str | None = None
    condition: str | None = None
    rate: str | None = None
    hedge: str | None = None
    document: str = ""
    document_kind: str | None = None
    document_date: str | None = None
    origin: str | None = None
    origin_kind: str | None = None
    attributed_to: str | None = None
    attributed_kind: str | None = None  # the class of the credited agent, when it has a prior
    basis: frozenset[str] = frozenset()  # what the figure is measured against (kg:basis)
    database: str | None = None  # the database whose snapshot the document is (dcterms:isVersionOf)
    supersedes: frozenset[str] = frozenset()  # claims the text says this one replaced
    converted_from: quantity.Quantity | None = None  # the value as stated, before a conversion
    factor: float | None = None  # what the stated value was multiplied by (constant dollars)
    spend_year: int | None = None  # the year whose dollars a converted value is in

    @builtins.property  # the field `property` shadows the builtin in this class body
    def numeric(self) -> bool:
        return self.value is not None

    @builtins.property
    def has_value(self) -> bool:
        return any(v is not None for v in (self.value, self.entity, self.date, self.text,
                                            self.boolean))

    def display_value(self) -> str:
        if self.stated:
            return self.stated
        return str(self.entity or self.date or self.text or self.boolean)

    def comparable_value(self) -> tuple[str, str | bool] | None:
        """A hashable stand-in for non-numeric values: entity IRI, date, normalised text."""
        if self.entity:
            return ("entity", self.entity)
        if self.date:
            return ("date", self.date)
        if self.boolean is not None:
            return ("bool", self.boolean)
        if self.text is not None:
            return ("text", " ".join(self.text.lower().split()))
        return None


class StatementKey(NamedTuple):
    """The identity of a statement: see the module docstring for why these and only these."""

    subject: str
    property: str
    benchmark: str | None
    compared_to: str | None
    scopes: frozenset[str]
    chip: str | None

    @builtins.property  # the field `property` shadows the builtin in this class body
    def block(self) -> tuple[str, str, str | None, str | None]:
        """Statements compared for scope differences: same subject, property, benchmark and
        baseline, whatever the scope and chip."""
        return (self.subject, self.property, self.benchmark, self.compared_to)


def statement_key(c: Claim, subject: str, prop: str | None = None) -> StatementKey:
    """The statement a claim belongs to, its subject already resolved through owl:sameAs (and
    its property, where a projection speaks of another: `kg:projectionOf`)."""
    return StatementKey(subject, prop or c.property, c.benchmark, c.compared_to, c.scopes, c.chip)


_SETS = {KG + "scope": "scopes", KG + "basis": "basis", KG + "supersedes": "supersedes"}
_FACTS = {KG + "subject": "subject", KG + "property": "property", KG + "stated": "stated",
          KG + "amount": "amount", KG + "lowerBound": "low", KG + "upperBound": "high",
          KG + "unit": "unit", KG + "valueShape": "shape", KG + "approximate": "approximate",
          KG + "valueEntity": "valueEntity", KG + "valueDate": "valueDate",
          KG + "valueText": "valueText", KG + "valueBoolean": "valueBoolean",
          KG + "benchmark": "benchmark", KG + "chip": "chip", KG + "comparedTo": "comparedTo",
          KG + "asOf": "asOf", KG + "condition": "condition", KG + "rate": "rate",
          KG + "hedge": "hedge", PROV + "wasDerivedFrom": "document",
          PROV + "hadPrimarySource": "origin", PROV + "wasAttributedTo": "attributedTo"}


def from_facts(rows: Iterable[tuple], documents: Mapping[str, tuple], dimensions: Mapping[str, str],
               databases: Mapping[str, str] | None = None) -> list[Claim]:
    """Fold `claim-facts.rq` rows, (claim, predicate, value) term tuples in any order, into claims.

    `documents` gives each document's (kind, date) term pair, `dimensions` each property's
    dimension IRI, `databases` the database each snapshot document is a version of. A claim
    with no document is no evidence and is left out, as is a second value where the shapes
    allow one (the smallest is kept, so every store reads the same).
    Claims come out ordered by subject, property and IRI.
    """
    facts: dict[str, dict] = {}
    for claim, predicate_term, value in rows:  # a million at 100,000 claims: a dict per claim
        seen = facts.get(claim.value)
        if seen is None:
            seen = facts[claim.value] = {"claim": claim}
        predicate = predicate_term.value
        name = _SETS.get(predicate)
        if name is not None:
            members = seen.get(name)
            if members is None:
                seen[name] = {value.value}
            else:
                members.add(value.value)
            continue
        name = _FACTS.get(predicate)
        if name and (name not in seen or str(value) < str(seen[name])):
            seen[name] = value
    convert = _converter()
    out = []
    for seen in facts.values():
        if "document" not in seen or "subject" not in seen or "property" not in seen:
            continue
        for prefix, node in (("document", seen["document"]), ("origin", seen.get("origin"))):
            kind, date = documents.get(node.value, (None, None)) if node is not None else (None, None)
            if kind is not None:
                seen[prefix + "Kind"] = kind
            if date is not None:
                seen[prefix + "Date"] = date
        dimension = dimensions.get(seen["property"].value)
        if dimension:
            seen["dimension"] = dimension
        made = _claim(seen, convert)
        made.scopes = frozenset(seen.get("scopes", ()))
        made.basis = frozenset(seen.get("basis", ()))
        made.supersedes = frozenset(seen.get("supersedes", ()))
        made.database = databases.get(made.document) if databases else None
        out.append(made)
    out.sort(key=lambda c: (c.subject, c.property, c.iri))
    return out


def _converter() -> Callable[[object], object]:
    """`to_python` once per distinct term: a hundred thousand claims carry 2.6 M terms, most of
    them the same few hundred thousand (units, kinds, documents, dates, flags)."""
    cache: dict[object, object] = {}

    def convert(term: object) -> object:
        if term is None:
            return None
        value = cache.get(term, cache)
        if value is cache:
            value = cache[term] = to_python(term)
        return value
    return convert


_NOT_TERMS = frozenset({"claim", "scopes", "basis", "supersedes"})
_IRI_FIELDS = ("benchmark", "chip", "comparedTo", "documentKind", "documentDate", "origin",
               "originKind", "attributedTo", "hedge")


def _claim(row: Row, convert: Callable[[object], object] = to_python) -> Claim:
    # each fact the claim has, converted (a hundred thousand claims: no call per absent field)
    v: dict[str, Any] = {name: convert(term) for name, term in row.items() if name not in _NOT_TERMS}
    get = v.get

    def required(name: str) -> str:  # from_facts keeps only claims that have it
        return sys.intern(row[name].value)

    # subjects, documents, kinds repeat: one string each
    benchmark, chip, compared_to, document_kind, document_date, origin, origin_kind, \
        attributed_to, hedge = [sys.intern(x) if isinstance(x, str) else None
                                for x in map(get, _IRI_FIELDS)]
    value = None
    numbers = [v[n] for n in ("amount", "low", "high") if n in v]
    # NaN and INF are no figures (kgsh:claim-value-finite): INF would agree with everything
    finite = all(isinstance(n, int | float) and math.isfinite(n) for n in numbers)
    if "unit" in row and numbers and finite:
        shape = (get("shape") or KG + "Point").rsplit("#", 1)[-1]
        value = quantity.Quantity(
            amount=get("amount"), low=get("low"), high=get("high"), unit=required("unit"),
            shape={"Point": "point", "Interval": "interval", "LowerBound": "lower",
                   "UpperBound": "upper"}.get(shape, "point"),
            approximate=bool(get("approximate")), text=get("stated") or "")
    dimension = get("dimension")
    return Claim(
        iri=row["claim"].value, subject=required("subject"), property=required("property"),
        dimension=dimension.rsplit("#", 1)[-1] if dimension else None, stated=get("stated"),
        value=value, entity=get("valueEntity"), date=get("valueDate"), text=get("valueText"),
        boolean=get("valueBoolean"),
        scopes=frozenset({row["scope"].value}) if "scope" in row else frozenset(),
        benchmark=benchmark, chip=chip, compared_to=compared_to,
        as_of=get("asOf"), condition=get("condition"), rate=get("rate"),
        document=required("document"), document_kind=document_kind,
        document_date=document_date, origin=origin, origin_kind=origin_kind,
        attributed_to=attributed_to, hedge=hedge)
