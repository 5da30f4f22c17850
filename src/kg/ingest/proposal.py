"""What extraction proposes: one `ProposedClaim` per figure, with what a reviewer needs to judge it.

Named for what it is, a claim proposed by software and not yet reviewed, so that it is never
confused with reconciliation's `kg.reconcile.model.Candidate` (a value competing in a statement).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field

from kg.core import quantity


@dataclass
class ProposedClaim:
    """One proposed claim: figure, subject, property, qualifiers, reference and how each was decided.

    `subject_label` and `subject_new` say whether the subject is a known entity or one the
    document names and the graph lacks (proposed with that label). `decided_by` explains the
    subject and property choice in words; `status` is "unreviewed" until a person reviews it.
    """

    line: int
    stated: str
    subject: str | None
    property: str
    hedge: str = "Stated"
    evidence: str = ""
    confidence: float = 0.5
    subject_label: str = ""
    subject_new: bool = False
    value_date: str | None = None
    chip: str | None = None
    benchmark: str | None = None
    benchmark_label: str = ""
    benchmark_new: bool = False
    condition: str | None = None
    scope: str | None = None
    unit: str | None = None            # a unit IRI when the table or text states one the property lacks
    locator: str = ""
    source: str = "prose"              # "prose", "table" or "metadata"
    decided_by: str = ""
    status: str = "unreviewed"         # unreviewed | accept | reject (after review: reviewed | corrected)
    value: quantity.Quantity | None = None
    value_entity: str | None = None    # for entity-valued properties (a licence, a base model)
    value_text: str | None = None
    value_boolean: bool | None = None  # for yes/no properties (open weights)
    reasons: list[str] = field(default_factory=list)
    proposed_as: str | None = None     # what extraction proposed, once a reviewer corrected it

    def fingerprint(self) -> str:
        """Subject, property, benchmark and value as proposed, in one line: the `proposed`
        column of the CSV, against which `kg add --from-review` sees what a reviewer changed."""
        from kg.core.vocab import shorten

        parts = [f"subject {shorten(self.subject) if self.subject else '?'}",
                 f"property {shorten(self.property)}"]
        if self.benchmark:
            parts.append(f"benchmark {shorten(self.benchmark)}")
        parts.append(f"value {self.stated}")
        return "; ".join(parts)

    @builtins.property  # the field `property` shadows the builtin in this class body
    def key(self) -> tuple[int, str, str | None, str]:
        return (self.line, self.stated, self.subject, self.property)
