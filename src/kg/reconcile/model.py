"""What reconciliation works on: candidates (values a statement could have) and groups (statements
with their verdict).
"""

from __future__ import annotations

import builtins
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from kg.core.quantity import Quantity
from kg.reconcile.statement import Claim


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

    @property
    def comparable(self) -> tuple[str, str | bool] | str | None:
        return self.claims[0].comparable_value() if self.claims else self.display

    def value_agrees(self, other: Candidate) -> bool:
        if self.value is not None and other.value is not None:
            return self.value.agrees(other.value)
        return self.comparable == other.comparable

    def agrees(self, claim: Claim) -> bool:
        if self.value is not None and claim.value is not None:
            return self.value.agrees(claim.value)
        if self.value is not None or claim.value is not None:
            return False
        mine, theirs = self.comparable, claim.comparable_value()
        if isinstance(mine, tuple) and theirs and mine[0] == theirs[0] == "date":
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
    status: str = "agree"
    kind: str | None = None
    confidence: float = 0.0
    explanation: str = ""
    resolution: str | None = None     # for scope findings: "explained" or "ambiguous"
    members: list[Group] = field(default_factory=list)  # scope findings: the statements compared

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
