"""Scoring a reconciliation against the synthetic graph's known truth (truth.tsv): accuracy on
every statement and on contested ones, beside a majority vote's.

Split from kg.synth.generator: the generator writes the answer key, this module reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def read_truth(out: str | Path) -> dict[tuple, tuple[str, float | str]]:
    """truth.tsv as {(subject, property, scope, benchmark, chip): (statement id, true value)}."""
    table: dict[tuple, tuple[str, float | str]] = {}
    with (Path(out) / "truth.tsv").open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            sid, subject, prop, scope, bench, chip, value, unit = line.rstrip("\n").split("\t")[:8]
            true: float | str = value if not unit else float(value)
            table[(subject, prop, scope or None, bench or None, chip or None)] = (sid, true)
    return table


@dataclass
class Accuracy:
    """How often the preferred value is the true one, for the reconciler and for a majority vote.

    `contested` counts statements with more than one candidate value, where a choice was made;
    statements with a single candidate are right or wrong the same way for both methods.
    """

    statements: int = 0
    matched: int = 0
    contested: int = 0
    reconciler_right: int = 0
    majority_right: int = 0
    contested_reconciler_right: int = 0
    contested_majority_right: int = 0
    by_case: dict[str, list[int]] = field(default_factory=dict)  # case -> [n, reconciler, majority]

    def to_dict(self) -> dict:
        def share(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None
        return {"statements": self.statements, "matched": self.matched, "contested": self.contested,
                "reconciler": share(self.reconciler_right, self.matched),
                "majority": share(self.majority_right, self.matched),
                "contested_reconciler": share(self.contested_reconciler_right, self.contested),
                "contested_majority": share(self.contested_majority_right, self.contested),
                "by_case": {k: {"statements": n, "reconciler": share(r, n), "majority": share(m, n)}
                            for k, (n, r, m) in sorted(self.by_case.items())}}


def is_true_value(candidate, true: float | str) -> bool:
    if candidate is None:
        return False
    if isinstance(true, str):
        dates = [c.date for c in candidate.claims if c.date]
        return bool(dates) and all(true.startswith(d) or d.startswith(true) for d in dates)
    value = candidate.value
    if value is None:
        return False
    low, high = value.band()
    tol = abs(float(true)) * 1e-9
    return low - tol <= float(true) <= high + tol


def score(reconciliation, out: str | Path) -> Accuracy:
    """Score a reconciliation of a synthetic graph against the truth written beside it.

    Majority voting takes the same candidates (values that agree within their precision) and
    picks the one the most claims support, counting every claim, copies included: the baseline
    a reconciler must beat by weighing sources and counting independent origins.
    """
    scorer = Scorer(out)
    scorer.add(reconciliation.groups)
    return scorer.accuracy


class Scorer:
    """The same scoring, fed batch by batch (`reconcile(on_batch=...)`) so a million-claim run
    can be scored without keeping its statements."""

    def __init__(self, out: str | Path) -> None:
        self.truth = read_truth(out)
        self.cases: dict[str, set[str]] = {}
        with (Path(out) / "truth.tsv").open(encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                cells = line.rstrip("\n").split("\t")
                self.cases[cells[0]] = set(filter(None, cells[8].split(",")))
        self.accuracy = Accuracy(statements=len(self.truth))

    def add(self, groups) -> None:
        acc, truth = self.accuracy, self.truth
        for g in groups:
            scope = g.qualifiers.get("scope")
            key = (g.subject, g.property, scope[0] if scope and len(scope) == 1 else None,
                   g.qualifiers.get("benchmark"), g.qualifiers.get("chip"))
            if key not in truth:
                continue
            sid, true = truth[key]
            acc.matched += 1
            voted = [c for c in g.candidates if c.claims]
            majority = max(voted, key=lambda c: len(c.claims)) if voted else None
            rec_ok, maj_ok = is_true_value(g.preferred, true), is_true_value(majority, true)
            acc.reconciler_right += rec_ok
            acc.majority_right += maj_ok
            if len(g.candidates) > 1:
                acc.contested += 1
                acc.contested_reconciler_right += rec_ok
                acc.contested_majority_right += maj_ok
            for case in self.cases.get(sid, ()) or ("plain",):
                row = acc.by_case.setdefault(case, [0, 0, 0])
                row[0] += 1
                row[1] += rec_ok
                row[2] += maj_ok
