"""Arithmetic rules: figures that contradict what other figures imply.

The rules themselves are data (`ontology/rules.ttl`, read through SPARQL); this module only
evaluates them. A formula is plain arithmetic over operand names, parsed with `ast` and never
`eval`-ed. Evaluation is interval arithmetic on precision bands, so "2.788M GPU-hours at $2"
agrees with "$5.6M" and "44% less bandwidth" disagrees with 400 vs 900 GB/s.
"""

from __future__ import annotations

import ast
import itertools
import operator
from dataclasses import dataclass

from kg.core.errors import KgError
from kg.store.protocol import Store
from kg.store.queries import named_query


@dataclass(frozen=True)
class Operand:
    name: str
    property: str | None
    on: str  # "Subject" | "Baseline" | "Qualifier"
    qualifier: str | None = None


@dataclass(frozen=True)
class Rule:
    iri: str
    label: str
    target: str
    formula: str
    operands: tuple[Operand, ...]
    tolerance: float = 0.0
    target_scope: str | None = None


def load_rules(store: Store) -> list[Rule]:
    rows = store.select(named_query("arithmetic-rules").text)
    by_rule: dict[str, dict] = {}
    for r in rows:
        rule = by_rule.setdefault(r["rule"].value, {
            "label": r["label"].value, "target": r["target"].value,
            "formula": r["formula"].value,
            "tolerance": float(r["tolerance"].value) if "tolerance" in r else 0.0,
            "scope": r["targetScope"].value if "targetScope" in r else None, "operands": {}})
        on = r["on"].value.rsplit("#", 1)[-1] if "on" in r else "Qualifier"
        rule["operands"][r["name"].value] = Operand(
            r["name"].value, r["property"].value if "property" in r else None, on,
            r["fromQualifier"].value.rsplit("#", 1)[-1] if "fromQualifier" in r else None)
    rules = [Rule(iri, d["label"], d["target"], d["formula"], tuple(d["operands"].values()),
                  d["tolerance"], d["scope"]) for iri, d in sorted(by_rule.items())]
    for made in rules:
        _check_formula(made)
    return rules


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


_ALLOWED = (ast.Expression, ast.BinOp, ast.Name, ast.Constant, ast.Load, ast.UnaryOp, ast.USub,
            *_OPS)


def _check_formula(rule: Rule) -> None:
    names = {o.name for o in rule.operands}
    try:
        tree = ast.parse(rule.formula, mode="eval")
    except SyntaxError as exc:
        raise KgError(f"rule {rule.iri}: formula {rule.formula!r} is not arithmetic") from exc
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names:
            raise KgError(f"rule {rule.iri}: formula uses {node.id!r}, which is not an operand")
        if not isinstance(node, _ALLOWED):
            raise KgError(f"rule {rule.iri}: formula {rule.formula!r} may use only + - * / "
                          "numbers and operand names")


def evaluate(formula: str, values: dict[str, float]) -> float:
    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp):
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        raise KgError(f"unsupported formula element in {formula!r}")

    return walk(ast.parse(formula, mode="eval"))


def band(formula: str, bands: dict[str, tuple[float, float]], tolerance: float = 0.0
         ) -> tuple[float, float]:
    """The range a formula can take when each operand lies anywhere in its band (corners suffice
    for the monotone + - * / used here, with positive divisors)."""
    names = list(bands)
    results = []
    for corner in itertools.product(*(bands[n] for n in names)):
        try:
            results.append(evaluate(formula, dict(zip(names, corner, strict=True))))
        except ZeroDivisionError:
            continue
    if not results:
        raise KgError(f"formula {formula!r} divides by zero")
    low, high = min(results), max(results)
    return low - abs(low) * tolerance, high + abs(high) * tolerance


def applies(rule: Rule, scopes: frozenset[str]) -> bool:
    return rule.target_scope is None or rule.target_scope in scopes

