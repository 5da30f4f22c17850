"""Figures that only look comparable: one subject and property, different scopes.
"""

from __future__ import annotations

from collections import defaultdict

from kg.reconcile.context import Context
from kg.reconcile.grouping import key_order
from kg.reconcile.model import Group, Kind, Resolution, Status
from kg.reconcile.wording import format_candidate

# ---------------------------------------------------------------- scope


def find_scope_differences(groups: list[Group], ctx: Context) -> list[Group]:
    """Figures that only look comparable: one subject and property, different scopes.

    Annotated scopes explain the difference (status agree, resolution explained); a claim with
    no scope beside scoped ones that disagree with it cannot be placed (conflict, ambiguous).
    Figures stated for the model's developer (a lab's hardware spend) join the comparison.
    """
    blocks: dict[tuple, list[Group]] = defaultdict(list)
    for g in groups:
        if g.property not in ctx.needs_scope:
            continue
        blocks[(g.subject, g.property, g.qualifiers.get("benchmark"),
                g.qualifiers.get("compared_to"))].append(g)
    models_of: dict[str, list[str]] = defaultdict(list)
    for model, lab in ctx.developer.items():
        models_of[lab].append(model)
    for g in groups:  # a lab's figures join the comparison for each of its models that has some
        if g.property not in ctx.needs_scope:
            continue
        for model in models_of.get(g.subject, ()):
            own = blocks.get((model, g.property, None, None))
            if own and any(m.subject == model and m.qualifiers.get("scope") for m in own):
                own.append(g)
    findings = []
    for (subject, prop, bench, base), members in sorted(blocks.items(), key=lambda kv: key_order(kv[0])):
        scopes = {tuple(m.qualifiers.get("scope") or ()) for m in members}
        if len(scopes) < 2:
            continue
        finding = Group(subject, prop, {k: v for k, v in (("benchmark", bench),
                                                          ("compared_to", base)) if v},
                        [c for m in members for c in m.claims], kind=Kind.SCOPE, members=members)
        own = [m for m in members if m.subject == subject]
        unscoped = [m for m in own if not m.qualifiers.get("scope")]
        unit = ctx.default_unit.get(prop)
        parts = []
        for m in sorted(members, key=lambda m: str(m.qualifiers.get("scope"))):
            scope = ", ".join(ctx.label(s) for s in m.qualifiers.get("scope") or []) or "scope not stated"
            whose = "" if m.subject == subject else f" [stated for {ctx.label(m.subject)}]"
            if m.preferred:
                parts.append(f"{scope}: {format_candidate(m.preferred, unit)}{whose}")
        scoped_own = [o for o in own if o.qualifiers.get("scope") and o.preferred]
        ambiguous = [m for m in unscoped if m.preferred and scoped_own and not any(
            o.preferred is not None and o.preferred.value_agrees(m.preferred) for o in scoped_own)]
        if ambiguous:
            finding.status, finding.resolution = Status.CONFLICT, Resolution.AMBIGUOUS
            finding.explanation = ("figures differ and some state no scope, so they cannot be "
                                   "placed: " + "; ".join(parts))
        else:
            finding.status, finding.resolution = Status.AGREE, Resolution.EXPLAINED
            finding.explanation = "explained by scope, not a contradiction: " + "; ".join(parts)
        scoped = [m for m in members if m.qualifiers.get("scope") and m.subject == subject]
        finding.candidates = [m.preferred for m in sorted(
            scoped, key=lambda m: -m.confidence) if m.preferred]
        finding.confidence = max((m.confidence for m in scoped), default=0.0)
        findings.append(finding)
    return findings
