"""Checks SHACL cannot state: negative counts, unit slips, figures that do not fit their property,
unreadable values.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict

from kg.core.errors import QuantityError
from kg.core.vocab import KG, shorten
from kg.load.turtle import LoadReport
from kg.store.protocol import Store
from kg.store.queries import named_query
from kg.validate.findings import SHAPES_NS, Finding


def negative_values(store: Store, labels: dict[str, str], load_report: LoadReport | None
                    ) -> list[Finding]:
    """Figures below zero where none can be: an importer's sign error or a typo, a violation."""
    findings: dict[str, Finding] = {}
    for row in store.stream(named_query("negative-values").text):
        claim = row["claim"].value
        findings.setdefault(claim, Finding(
            severity="Violation", shape=SHAPES_NS + "value-not-negative", focus=claim,
            label=labels.get(claim), path="kg:amount",
            message=f"A {shorten(row['dimension'].value).split(':')[-1].lower()} cannot be "
                    "negative: the normalised value is below zero.",
            value=row["value"].value,
            file=load_report.file_of(claim) if load_report else None))
    return list(findings.values())


# a claim this far from the others' median, give or take 25 %, reads as a slipped magnitude word
SLIP_FACTORS = {1e3: "thousand", 1e6: "million", 1e9: "billion"}
SLIP_TOLERANCE = 1.25


def unit_slips(store: Store, labels: dict[str, str], load_report: LoadReport | None
               ) -> list[Finding]:
    """Claims ~1000x (or 10^6, 10^9) off the median of their statement's other claims: a warning.

    Statements are grouped as the reconciler groups them (subject, property, benchmark,
    baseline, scopes, chip; owl:sameAs is not followed here), per unit. A statement never spans
    two subjects, so a large graph is read a batch of subjects at a time: every numeric claim
    held at once was 104 MB of Python at 100,000 claims and most of an 11.9 GB peak at ten
    million (issue 19).
    """
    findings: list[Finding] = []
    for subjects in _subject_batches(store, SLIP_BATCH_CLAIMS):
        findings.extend(_slips_among(_numeric_claims(store, subjects), labels, load_report))
    return findings


# claims read at a time by unit_slips: a graph with fewer is read in one query, unbound
SLIP_BATCH_CLAIMS = 200_000


def _subject_batches(store: Store, most: int) -> list[list[str] | None]:
    """The subjects of the claims, in batches of about `most` claims; [None] (everything in
    one query) when the whole graph has no more than that."""
    counted = [int(row["claims"].value) for row in store.stream(named_query("claim-count").text)]
    if sum(counted) <= most:  # counted first: the usual case, one cheap query
        return [None]
    per_subject: dict[str, int] = defaultdict(int)
    for row in store.stream(named_query("claims-per-subject").text):
        per_subject[row["subject"].value] += int(row["claims"].value)
    batches: list[list[str] | None] = []
    batch: list[str] = []
    size = 0
    for subject in sorted(per_subject):
        batch.append(subject)
        size += per_subject[subject]
        if size >= most:
            batches.append(batch)
            batch, size = [], 0
    if batch:
        batches.append(batch)
    return batches


def _numeric_claims(store: Store, subjects: list[str] | None) -> dict[str, dict]:
    """claim -> its statement key, amount, stated text and scopes (of `subjects`, else all)."""
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound

    query = named_query("numeric-claims").text
    rows = store.stream(query) if subjects is None else stream_bound(
        store, query, "subject", [ox.NamedNode(s) for s in subjects])
    claims: dict[str, dict] = {}
    for row in rows:
        c = claims.setdefault(row["claim"].value, {
            "key": tuple(row[k].value if k in row else None
                         for k in ("subject", "property", "unit", "benchmark", "chip", "comparedTo")),
            "amount": _float(row["amount"].value),
            "stated": row["stated"].value if "stated" in row else row["amount"].value,
            "scopes": set()})
        if "scope" in row:
            c["scopes"].add(row["scope"].value)
    return claims


def _slips_among(claims: dict[str, dict], labels: dict[str, str],
                 load_report: LoadReport | None) -> list[Finding]:
    groups: dict[tuple, list[str]] = defaultdict(list)
    for iri, c in claims.items():
        if c["amount"] is not None and c["amount"] > 0:
            groups[c["key"] + (frozenset(c["scopes"]),)].append(iri)
    findings = []
    for members in groups.values():
        if len(members) < 2:
            continue
        for iri in members:
            others = [claims[o]["amount"] for o in members if o != iri]
            median = statistics.median(others)
            ratio = claims[iri]["amount"] / median
            slip = _slip(ratio)
            if slip is None:
                continue
            factor, word = slip
            direction = "below" if ratio < 1 else "above"
            shown = ", ".join(sorted({claims[o]["stated"] for o in members if o != iri})[:4])
            findings.append(Finding(
                severity="Warning", shape=SHAPES_NS + "likely-unit-slip", focus=iri,
                label=labels.get(iri), path="kg:stated",
                message=(f"Likely unit slip: {claims[iri]['stated']!r} is about {factor:,.0f}x "
                         f"{direction} the median of the {len(others)} other claim(s) of the same "
                         f"statement ({shown}); check the magnitude word ({word} apart)."),
                value=claims[iri]["stated"],
                file=load_report.file_of(iri) if load_report else None))
    return findings


def _slip(ratio: float) -> tuple[float, str] | None:
    if ratio <= 0:
        return None
    for factor, word in SLIP_FACTORS.items():
        for r in (ratio, 1 / ratio):
            if factor / SLIP_TOLERANCE <= r <= factor * SLIP_TOLERANCE:
                return factor, word
    return None


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def value_fit_findings(store: Store, labels: dict[str, str],
                       load_report: LoadReport | None) -> list[Finding]:
    """kgsh:ClaimValueFitsProperty, checked with one SPARQL query on the store.

    The shape's 17-way sh:or costs pySHACL several milliseconds per claim (three quarters of a
    validation run); the same rule as a query costs a fraction of a second for the whole graph.
    """
    message = ("The value does not fit the property: its unit or kind of value is not what the "
               "property's dimension takes (see kg:dimension in ontology/properties.ttl).")
    claims = [row["claim"].value for row in store.stream(named_query("check-value-fits-property").text)]
    fits = value_fits(store, set(claims))
    return [Finding(severity="Violation", shape=VALUE_FIT_SHAPE, focus=claim,
                    label=labels.get(claim), path=None, message=message, value=fits.get(claim),
                    file=load_report.file_of(claim) if load_report else None)
            for claim in claims]


VALUE_FIT_SHAPE = SHAPES_NS + "ClaimValueFitsProperty"
RANGE_SHAPE = SHAPES_NS + "ClaimValueInRange"


def range_findings(store: Store, labels: dict[str, str], load_report: LoadReport | None
                   ) -> list[Finding]:
    """kgsh:ClaimValueInRange: figures outside their property's range, which is data in
    ontology/properties.ttl (queries/check-value-in-range.rq), one finding per claim."""
    from kg.store.queries import named_query

    findings: dict[str, Finding] = {}
    for row in store.stream(named_query("check-value-in-range").text):
        claim = row["claim"].value
        if claim in findings:
            continue
        value = _float(row["value"].value)
        limits = []
        if "min" in row:
            limits.append(f"at least {_number(row['min'].value)}")
        if "max" in row:
            limits.append(f"at most {_number(row['max'].value)}")
        if "maxPercent" in row:
            limits.append(f"at most {_number(row['maxPercent'].value)} % as a percentage")
        shown = row["stated"].value if "stated" in row else row["value"].value
        findings[claim] = Finding(
            severity="Violation", shape=RANGE_SHAPE, focus=claim, label=labels.get(claim),
            path="kg:amount",
            message=(f"{shorten(row['property'].value)} is {' and '.join(limits)} (in "
                     f"{shorten(row['unit'].value)}: a share of 1 is 100 %); this claim "
                     f"states {shown!r}" + (f" (normalised {value:g})" if value is not None else "")
                     + ": check the figure, its unit and the property."),
            value=row["value"].value, file=load_report.file_of(claim) if load_report else None)
    return list(findings.values())


def _number(text: str) -> str:
    value = _float(text)
    return f"{value:g}" if value is not None else text


def value_fits(store: Store, claims: set[str]) -> dict[str, str]:
    """What each claim's misfit is: the value kind it carries against the property's dimension."""
    fits: dict[str, str] = {}
    for row in rows_for(store, "validate-value-fit", "claim", claims):
        prop, dimension, unit = (row[k].value if k in row else None
                                 for k in ("property", "dimension", "unit"))
        kinds = [shorten(KG + kind) for kind, flag in (("valueEntity", "entity"), ("valueDate", "date"),
                                                       ("valueBoolean", "boolean"), ("valueText", "text"))
                 if flag in row and row[flag].value in ("true", "1")]
        has = f"unit {shorten(unit)}" if unit is not None else ", ".join(kinds) or "no value"
        wants = shorten(dimension) if dimension is not None else "no dimension"
        fit = f"{has} for {shorten(prop) if prop is not None else 'no property'} ({wants})"
        # several units or dimensions: keep one, the same one whatever order the store answers in
        fits[row["claim"].value] = min(fit, fits.get(row["claim"].value, fit))
    return fits


def quantity_finding(problem: QuantityError, labels: dict[str, str],
                      load_report: LoadReport | None) -> Finding:
    claim = problem.claim or "?"
    return Finding(
        severity="Violation", shape=SHAPES_NS + "stated-value-readable", focus=claim,
        label=labels.get(claim), path="kg:stated",
        message=f"The quantity parser (kg.core.quantity) cannot read the value: {problem.reason}"
                + (f" ({problem.hint})" if problem.hint else ""),
        value=problem.text, file=load_report.file_of(claim) if load_report else None)


def rows_for(store: Store, query: str, variable: str, nodes: set[str]):
    """A named query with `variable` bound to each node, a few hundred nodes per query."""
    from kg.store.bindings import stream_bound
    from kg.validate.constraints import focus_iris

    return stream_bound(store, named_query(query).text, variable, focus_iris(nodes))

