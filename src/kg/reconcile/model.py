"""What reconciliation works on: candidates (values a statement could have) and groups (statements
with their verdict).
"""

from __future__ import annotations

import builtins
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from kg.core.quantity import Quantity
from kg.reconcile.statement import Claim


class Status(StrEnum):
    """A statement's verdict: its claims agree (or differ only in an explained way), or not."""

    AGREE = "agree"
    CONFLICT = "conflict"


class Kind(StrEnum):
    """What kind of difference a statement shows (`kg:ConflictKind` in ontology/kg.ttl)."""

    VALUE = "value"
    SCOPE = "scope"
    TEMPORAL = "temporal"
    IDENTITY = "identity"
    ARITHMETIC = "arithmetic"


class Resolution(StrEnum):
    """How a difference of scope, basis, condition or time was settled."""

    EXPLAINED = "explained"   # the difference is accounted for: not a contradiction
    AMBIGUOUS = "ambiguous"   # it could be accounted for, but the sources do not say so


@dataclass
class Candidate:
    """One value a statement could have, with the claims that support it and its score."""

    value: Quantity | None
    display: str
    claims: list[Claim] = field(default_factory=list)
    score: float = 0.0
    factors: dict[str, object] = field(default_factory=dict)
    note: str | None = None          # why this candidate is (dis)favoured beyond its sources
    borrowed_from: str | None = None  # a related entity whose preferred value this is
    penalty: float = 1.0
    doubt: float = 0.0  # a likely slip: the share of an unreliable claim's weight it loses
    factor: float | None = None       # the basis factor that relates it to the preferred value
    superseded_by: list[str] | None = None  # claims of the later figure that replaced it

    @property
    def basis(self) -> list[str]:
        """What its claims say the figure is measured against (dense, FP8, list price...)."""
        return sorted({b for c in self.claims for b in c.basis})

    @property
    def snapshot(self) -> str | None:
        """The newest database snapshot among its claims (a curated database's dated copy)."""
        dates = [c.document_date for c in self.claims if c.database and c.document_date]
        return max(dates) if dates else None

    @property
    def comparable(self) -> tuple[str, str | bool] | str | None:
        return self.claims[0].comparable_value() if self.claims else self.display

    def value_agrees(self, other: Candidate) -> bool:
        """Whether two candidates give the same value: a date agrees with one it contains or
        lies in ("December 2025" and 2025-12-01), as a claim does in `agrees`."""
        if self.value is not None and other.value is not None:
            return self.value.agrees(other.value)
        return _same_value(self.comparable, other.comparable)

    def agrees(self, claim: Claim) -> bool:
        if self.value is not None and claim.value is not None:
            return self.value.agrees(claim.value)
        if self.value is not None or claim.value is not None:
            return False
        return _same_value(self.comparable, claim.comparable_value())


def _same_value(mine: object, theirs: object) -> bool:
    """Equal comparable values; dates (ISO text at any precision) when one lies in the other."""
    if isinstance(mine, tuple) and isinstance(theirs, tuple) and mine[0] == theirs[0] == "date":
        a, b = str(mine[1]), str(theirs[1])  # dates: ISO text, a month within its year
        return a.startswith(b) or b.startswith(a)
    return mine == theirs


Qualifiers = dict[str, str | list[str]]
"""A statement's splitting qualifiers: benchmark, compared_to and chip (IRIs), scope (a sorted list)."""


@dataclass
class Group:
    """One statement (subject, property, splitting qualifiers) and what the reconciler made of it."""

    subject: str
    property: str
    qualifiers: Qualifiers
    claims: list[Claim]
    candidates: list[Candidate] = field(default_factory=list)
    status: Status = Status.AGREE
    kind: Kind | None = None
    confidence: float = 0.0
    explanation: str = ""
    resolution: Resolution | None = None  # differences of scope, basis or time: explained or not
    members: list[Group] = field(default_factory=list)  # scope findings: the statements compared
    superseded: dict[str, list[str]] = field(default_factory=dict)  # claim -> claims replacing it

    @builtins.property
    def finding(self) -> bool:
        """A comparison across statements (a scope finding), not a statement of its own."""
        return bool(self.members)

    @builtins.property  # the field `property` shadows the builtin in this class body
    def preferred(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def index_key(self, subject: str | None = None) -> tuple:
        """The statement's identity with another subject put in: used to find a relative's figure."""
        quals = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                             for k, v in self.qualifiers.items()))
        return (subject or self.subject, self.property, quals)

    @cached_property  # a statement's identity never changes once grouped; asked for often
    def key(self) -> str:
        text = "|".join([self.subject, self.property] +
                        [f"{k}={v}" for k, v in sorted(self.qualifiers.items())])
        return hashlib.sha1(text.encode()).hexdigest()[:16]
