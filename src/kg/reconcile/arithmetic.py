"""Apply the declared arithmetic rules to the reconciled values and flag what does not add up.

A rule computes its target from the *preferred* values of its operands (point values, widened
by the rule's tolerance and a 2 % allowance for the operands' own rounding) and compares the
result with each candidate's stated band. A lone claim that the other figures contradict is an
arithmetic conflict; among several candidates, the one the arithmetic contradicts counts less.
"""

from __future__ import annotations

import re

from kg.core import display, quantity
from kg.core.vocab import UNIT
from kg.reconcile import scoring
from kg.reconcile.context import Context
from kg.reconcile.model import Candidate, Group, Kind, Status
from kg.reconcile.rules import Rule, applies, band
from kg.reconcile.weighing import score_group

OPERAND_SLACK = 0.02


def check(groups: list[Group], rules: list[Rule], ctx: Context, priors: scoring.Priors,
          trust: dict[str, float]) -> None:
    plain: dict[tuple[str, str], Group] = {}
    for g in sorted(groups, key=lambda g: -g.confidence):
        if "benchmark" not in g.qualifiers and "compared_to" not in g.qualifiers:
            plain.setdefault((g.subject, g.property), g)
    for g in groups:
        for rule in rules:
            if rule.target != g.property or not g.candidates:
                continue
            scopes = frozenset(g.qualifiers.get("scope") or ())
            if not applies(rule, scopes):
                continue
            results = [(cand, _computed(rule, cand, g, plain, ctx)) for cand in g.candidates]
            results = [(cand, r) for cand, r in results if r is not None]
            if not results:
                continue
            misfits = []
            for cand, (low, high, inputs) in results:
                if cand.value is None:
                    continue
                c_low, c_high = cand.value.band()
                if c_low > high or c_high < low:
                    misfits.append((cand, low, high, inputs))
            if not misfits:
                for cand, (_low, _high, inputs) in results:
                    cand.factors["arithmetic"] = f"consistent with {rule.label} ({inputs})"
                continue
            for cand, low, high, inputs in misfits:
                assert cand.value is not None  # misfits are numeric candidates (above)
                expect = _fmt_range(low, high, cand, ctx.default_unit.get(g.property))
                cand.note = (f"{rule.label} gives {expect} from {inputs}, not "
                             f"{display.format_value(cand.value, ctx.default_unit.get(g.property))}")
                cand.penalty *= priors.weight("ArithmeticMisfit")
            if len(misfits) == len(g.candidates):
                g.status, g.kind = Status.CONFLICT, Kind.ARITHMETIC
                g.explanation = "; ".join(c.note for c, *_ in misfits if c.note)
            score_group(g, ctx, priors, trust)


def _computed(rule: Rule, cand: Candidate, g: Group, plain: dict, ctx: Context):
    claim = cand.claims[0]
    values: dict[str, float] = {}
    shown = []
    for op in rule.operands:
        if op.on == "Qualifier":
            raw = getattr(claim, "rate", None) if op.qualifier == "rate" else None
            number = _rate(raw)
            if number is None:
                return None
            values[op.name] = number
            shown.append(f"{op.name} {raw}")
            continue
        if op.property is None:  # an operand on an entity names the property it reads
            return None
        if op.on == "Subject":
            entity: str | None = g.subject
        else:
            compared = g.qualifiers.get("compared_to")
            entity = (compared if isinstance(compared, str) else None) or claim.compared_to
        source = plain.get((entity, op.property)) if entity else None
        if not source or not source.preferred:
            return None
        number, text = _operand(source.preferred, ctx.default_unit.get(op.property))
        if number is None:
            return None
        values[op.name] = number
        shown.append(f"{ctx.label(entity)} {ctx.label(op.property)} {text}")
    bands = {k: (v, v) for k, v in values.items()}
    low, high = band(rule.formula, bands, rule.tolerance + OPERAND_SLACK)
    return low, high, "; ".join(shown)


def _operand(cand: Candidate, unit: str | None) -> tuple[float | None, str]:
    """A preferred value as a number: quantities by their centre, dates as hours since year 1."""
    if cand.value is not None:
        return cand.value.center, display.format_value(cand.value, unit)
    date = cand.claims[0].date if cand.claims else None
    if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        from datetime import date as Date

        return Date.fromisoformat(date).toordinal() * 24.0, date
    return None, ""


def _rate(text: str | None) -> float | None:
    """'$2/GPU-hr', '~$2 per GPU-hour': the price per unit the figure was derived with."""
    if not text:
        return None
    m = re.search(r"(\d+(?:\.\d+)?)", text.replace(",", ""))
    return float(m.group(1)) if m else None


def _fmt_range(low: float, high: float, cand: Candidate, shown_in: str | None) -> str:
    unit = cand.value.unit if cand.value else UNIT + "UNITLESS"
    mid = quantity.Quantity((low + high) / 2, low, high, unit, "point")
    return "~" + display.format_value(mid, shown_in).lstrip("~")

