"""One model's card (`kg show`) and one cell explained (`kg explain`): the analyst's two questions
after the table, "what does kg know about this model?" and "why this value and not that one?".

The card reads the reconciliation in the store (`queries/model-card.rq` for the statements,
`queries/cell-evidence.rq` for the claims that won and lost), so it works on every store. The
explanation also needs the factors behind each candidate's score, which only the reconciler
computes (the verdict graph keeps ranks and values, not scores), so it takes a
`Reconciliation` and reads where each claim was found with `queries/claim-evidence.rq`.
"""

from __future__ import annotations

import builtins
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.core.display import format_value, readable_stated
from kg.core.quantity import Quantity
from kg.core.tabular import people_table
from kg.core.vocab import KGR, UNIT, shorten
from kg.reconcile.model import Candidate, Group
from kg.reconcile.run import Reconciliation
from kg.reconcile.verdicts import VERSION
from kg.store.bindings import stream_bound
from kg.store.protocol import Store
from kg.store.queries import named_query
from kg.store.results import as_text, to_python

_KIND_WORDS = {"PrimaryReport": "primary report", "OfficialRecord": "official record",
               "CuratedDatabase": "curated database", "AnalystFirm": "analyst firm", "News": "news",
               "Newsletter": "newsletter", "ResearchNote": "research note",
               "AISynthesis": "AI-generated synthesis", "SocialPost": "social post"}


# ---------------------------------------------------------------- kg show


@dataclass
class CardRow:
    group: str
    property: str
    property_label: str
    qualifiers: dict[str, list[str]]  # benchmark / scope / chip / compared to: labels
    value: str
    amount: float | None
    unit: str | None
    confidence: float
    status: str
    kind: str | None
    explanation: str
    claims: int
    borrowed_from: str | None = None
    resolution: str | None = None  # "explained" or "ambiguous" for a difference of scope or time
    sources: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    @builtins.property  # the field `property` shadows the builtin in this class body
    def statement(self) -> str:
        """The property with the qualifiers that split it: "benchmark score: MMLU (chat ...)"."""
        named = [("vs " if key == "compared_to" else "") + v
                 for key in ("benchmark", "scope", "chip", "compared_to")
                 for v in self.qualifiers.get(key, [])]
        return f"{self.property_label}: {', '.join(named)}" if named else self.property_label


@dataclass
class Card:
    model: str
    label: str
    rows: list[CardRow]

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{
            "statement": r.statement, "property": r.property, "property_label": r.property_label,
            "qualifiers": {k: v for k, v in r.qualifiers.items() if v}, "value": r.value,
            "amount": r.amount, "unit": r.unit, "confidence": round(r.confidence, 4),
            "status": r.status, "kind": r.kind, "resolution": r.resolution,
            "borrowed_from": r.borrowed_from,
            "sources": r.sources, "lost": r.lost, "claims": r.claims,
            "explanation": r.explanation, "group": r.group} for r in self.rows])


def model_card(store: Store, model: str, label: str) -> Card:
    """Every reconciled statement about `model`, with its preferred value and its sources."""
    rows: dict[str, CardRow] = {}
    for r in store.select(named_query("model-card").text, {"model": ox.NamedNode(model)}):
        v = {k: to_python(t) for k, t in r.items()}
        s = {k: as_text(x) for k, x in v.items()}  # the same row where text is wanted
        group = str(v["group"])
        row = rows.get(group)
        if row is None:
            unit = s.get("unit")
            value = s.get("entityLabel") or s.get("date") or _card_value(v)
            borrowed = s.get("borrowedFrom")
            amount = v.get("amount")
            prop = str(v["property"])
            row = rows[group] = CardRow(
                group, prop, s.get("propertyLabel") or shorten(prop),
                defaultdict(list), value,
                amount if isinstance(amount, int | float) else None, unit,
                float(str(v["confidence"])),
                _local(str(v["status"])).lower(), _kind(s.get("kind")), s.get("explanation") or "",
                int(v.get("claims") or 0),
                (s.get("borrowedFromLabel") or shorten(borrowed)) if borrowed else None,
                resolution=s.get("resolution"))
        for key, name in (("benchmark", "benchmarkLabel"), ("scope", "scopeLabel"),
                          ("chip", "chipLabel"), ("compared_to", "comparedToLabel")):
            iri = s.get({"compared_to": "comparedTo"}.get(key, key))
            if iri:
                text = s.get(name) or shorten(iri)
                if text not in row.qualifiers[key]:
                    row.qualifiers[key].append(text)
    _add_evidence(store, model, rows)
    ordered = sorted(rows.values(), key=lambda r: (r.property_label.lower(), r.statement.lower()))
    return Card(model, label, ordered)


def _card_value(v: dict) -> str:
    """The preferred value as its source wrote it ("~$5.6M", "about 5.5%"), unless that is a bare
    number (a database's "0.34", "2048"): then the normalised value in the property's unit
    ("34%", "2,048"), since a bare number does not say its unit."""
    stated, amount, unit = v.get("stated"), v.get("amount"), v.get("unit")
    if amount is not None and unit and re.fullmatch(r"-?[\d.]+(?:[eE][-+]?\d+)?", (stated or "").strip()):
        q = Quantity(float(amount), None, None, unit, "point", False, stated or "")
        return format_value(q, v.get("defaultUnit")) + _other_unit(unit)
    return readable_stated(stated, unit)


def _other_unit(unit: str | None) -> str:
    """" (2023 US$)" for a value in a unit kg does not convert (Epoch's constant dollars)."""
    from kg.report.columns import OTHER_UNIT_WORDS

    words = OTHER_UNIT_WORDS.get(unit or "")
    return f" ({words})" if words and unit != UNIT + "CCY_CNY" else ""


def _add_evidence(store: Store, model: str, rows: dict[str, CardRow]) -> None:
    """Each statement's winning sources and losing values (cell-evidence.rq)."""
    won: dict[str, set[str]] = defaultdict(set)
    lost: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in store.select(named_query("cell-evidence").text, {"model": ox.NamedNode(model)}):
        v: dict[str, Any] = {k: to_python(t) for k, t in r.items()}
        if v["group"] not in rows:
            continue
        name = source_name(v)
        if v["role"] == "preferred":
            won[v["group"]].add(name)
        else:
            unit = rows[v["group"]].unit
            lost[v["group"]][readable_stated(as_text(v.get("stated")), unit)].add(name)
    for group, row in rows.items():
        row.sources = sorted(won.get(group, ()))
        row.lost = [f"{value} ({', '.join(sorted(names))})"
                    for value, names in sorted(lost.get(group, {}).items())]


def write_card(card: Card, fmt: str, *, width: int | None = None) -> str:
    """The card for people (a table), Markdown, CSV or JSON."""
    frame = card.to_frame()
    if fmt == "json":
        records = frame.to_dict("records") if len(frame) else []
        return json.dumps({"model": card.model, "label": card.label, "statements": records},
                          indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        flat = frame.copy()
        for col in ("sources", "lost"):
            if col in flat:
                flat[col] = flat[col].map("; ".join)
        if "qualifiers" in flat:
            flat["qualifiers"] = flat["qualifiers"].map(
                lambda q: "; ".join(f"{k}={', '.join(v)}" for k, v in q.items()))
        return flat.to_csv(index=False, lineterminator="\n")
    columns = ["Statement", "Value", "Confidence", "Status", "Sources"]
    records = []
    for r in card.rows:
        status = r.status if r.status != "conflict" else f"conflict ({r.kind or 'value'})"
        if r.status != "conflict" and r.kind:  # a difference of scope, basis or time, explained
            status += f" ({r.kind}{', ' + r.resolution if r.resolution else ''})"
        if r.lost:
            status += "; lost: " + "; ".join(r.lost)
        value = r.value + (f" (from {r.borrowed_from})" if r.borrowed_from else "")
        records.append([r.statement, value, f"{r.confidence:.2f}", status,
                        "; ".join(r.sources)])
    title = f"{card.label} ({shorten(card.model)}): {len(card.rows)} statements"
    if fmt == "md":
        from kg.core.tabular import markdown

        return f"### {title}\n\n" + markdown(columns, records)
    if not records:
        return f"{title}\n\nNo source in the graph states a figure about it.\n"
    return people_table(columns, records, title=title, width=width) + \
        "  `kg explain MODEL PROPERTY` shows how a value was chosen.\n"


# ---------------------------------------------------------------- kg explain


def explain(store: Store, rec: Reconciliation, groups: Sequence[str]) -> dict:
    """Each of `groups` (statement IRIs) explained: status and confidence, every candidate with
    its score and the factors behind it, every claim with its evidence phrase, locator and
    document, and the reconciliation run the verdict came from."""
    by_iri = {KGR + ("scope-" if g.finding else "group-") + g.key: g
              for g in rec.all_groups()}
    ctx = rec.context
    found = [by_iri[g] for g in groups if g in by_iri]
    claims = sorted({c.iri for g in found for cand in g.candidates for c in cand.claims})
    evidence = {to_python(r["claim"]): {k: to_python(t) for k, t in r.items()}
                for r in stream_bound(store, named_query("claim-evidence").text, "claim",
                                      [ox.NamedNode(c) for c in claims])}
    out = []
    for iri in groups:
        g = by_iri.get(iri)
        if g is None:
            continue
        unit = ctx.default_unit.get(g.property)
        out.append({
            "group": iri, "subject": g.subject, "subject_label": ctx.label(g.subject),
            "property": g.property, "property_label": ctx.label(g.property),
            "qualifiers": {k: v for k, v in sorted(g.qualifiers.items())},
            "qualifier_labels": {k: [ctx.label(x) for x in (v if isinstance(v, list) else [v])]
                                 for k, v in sorted(g.qualifiers.items())},
            "status": g.status, "kind": g.kind, "resolution": g.resolution,
            "confidence": round(g.confidence, 4), "explanation": g.explanation,
            "candidates": [_candidate(c, i, g, unit, evidence, ctx)
                           for i, c in enumerate(g.candidates)],
        })
    return {"run": KGR + "run-" + rec.run, "method": VERSION, "statements": out}


def _candidate(c: Candidate, i: int, g: Group, unit: str | None, evidence: dict, ctx) -> dict:
    value = _value_text(c, unit)
    role = "preferred" if i == 0 else ("agrees" if g.status != "conflict" else "lost")
    return {
        "value": value, "role": role, "score": round(c.score, 4), "factors": c.factors,
        "note": c.note,
        "borrowed_from": c.borrowed_from,
        "borrowed_from_label": ctx.label(c.borrowed_from) if c.borrowed_from else None,
        "claims": [_claim(cl.iri, evidence.get(cl.iri, {})) for cl in
                   sorted(c.claims, key=lambda cl: cl.iri)],
    }


def _value_text(c: Candidate, unit: str | None) -> str:
    """The candidate's value in the property's unit; a score a card gave as points ("88.5",
    stored unitless) is not multiplied into a percentage of a percentage."""
    if c.value is None:
        return c.display
    q = c.value
    if unit == UNIT + "PERCENT" and q.unit == UNIT + "UNITLESS" and q.center and abs(q.center) > 1:
        return ("~" if q.approximate else "") + f"{q.center:.4g}"
    if _other_unit(q.unit):  # not convertible: in its own unit, said so
        return format_value(q) + _other_unit(q.unit)
    return format_value(q, unit)


def _claim(iri: str, v: dict) -> dict:
    return {"claim": iri, "subject": v.get("subject"), "subject_label": v.get("subjectLabel"),
            "stated": v.get("stated"), "evidence": v.get("evidence"),
            "locator": v.get("locator"), "line": v.get("line"), "condition": v.get("condition"),
            "hedge": v.get("hedgeLabel") or (shorten(v["hedge"]) if v.get("hedge") else None),
            "document": v.get("document"), "source": source_name(v) if v else None,
            "origin": v.get("origin"), "origin_title": v.get("originTitle")}


def explanation_frame(result: dict):
    """One row per claim behind the statements explained: for a notebook."""
    import pandas as pd

    rows = []
    for s in result["statements"]:
        for c in s["candidates"]:
            for cl in c["claims"]:
                rows.append({"statement": s["group"], "property": s["property_label"],
                             "status": s["status"], "kind": s["kind"],
                             "confidence": s["confidence"], "value": c["value"],
                             "role": c["role"], "score": c["score"], **{
                                 f"factor_{k}": v for k, v in c["factors"].items()},
                             "note": c["note"], **cl, "run": result["run"]})
    return pd.DataFrame(rows)


def write_explanation(result: dict, fmt: str, *, width: int | None = None) -> str:
    import textwrap

    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"
    width = width or 100
    md = fmt == "md"

    def wrap(text: str, indent: str = "", more: str = "      ") -> list[str]:
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + more,
                             break_long_words=False, break_on_hyphens=False)

    lines: list[str] = []
    for s in result["statements"]:
        quals = "; ".join(f"{k.replace('_', ' ')} {', '.join(v)}"
                          for k, v in s["qualifier_labels"].items())
        head = f"{s['subject_label']} / {s['property_label']}" + (f" [{quals}]" if quals else "")
        verdict = (f"conflict ({s['kind'] or 'value'})" if s["status"] == "conflict"
                   else ("agree" if len(s["candidates"]) == 1 or s["kind"] is None
                         else f"agree ({s['kind']})"))
        lines += [("### " if md else "") + head,
                  f"{verdict}, confidence {s['confidence']:.2f}"
                  + (f", {s['resolution']}" if s["resolution"] else ""), ""]
        lines += wrap("Why: " + s["explanation"], "", "  ") if s["explanation"] else []
        lines.append("")
        for c in s["candidates"]:
            mark = {"preferred": "✔", "lost": "✘", "agrees": "·"}[c["role"]]
            borrowed = (f" (the value of {c['borrowed_from_label']})" if c["borrowed_from"]
                        else "")
            lines.append(f"{'- ' if md else ''}{mark} {c['value']}{borrowed}  {c['role']}, "
                         f"score {c['score']:.2f}")
            lines += wrap(_factors_text(c["factors"]), "      ", "  ")
            if c["note"]:
                lines += wrap(("why it lost: " if c["role"] == "lost" else "note: ") + c["note"],
                              "      ", "  ")
            for cl in c["claims"]:
                where = ", ".join(x for x in (
                    cl["source"],
                    f"line {cl['line']}" if cl["line"] and not (cl["locator"] or "").startswith(
                        ("line", "README.md line", "MODEL_CARD.md line")) else None,
                    cl["locator"]) if x)
                said = f" — “{cl['evidence']}”" if cl["evidence"] else ""
                about = (f" about {cl['subject_label']}" if cl["subject_label"]
                         and cl["subject"] != s["subject"] else "")
                text = (f"{shorten(cl['claim'])}: {readable_stated(cl['stated'])}{about}{said}"
                        f" — {where}" + (f"; hedge {cl['hedge']}" if cl["hedge"] else "")
                        + (f"; citing {cl['origin_title']}" if cl["origin_title"] else "")
                        + (f"; {cl['condition']}" if cl["condition"] else ""))
                lines += wrap(text, "    ", "    ")
            lines.append("")
    lines += wrap(f"From reconciliation run {shorten(result['run'])} ({result['method']}); "
                  "`kg reconcile --format json` has every statement.")
    return "\n".join(lines) + "\n"


def _factors_text(f: dict) -> str:
    """The score's factors as the reconciler combines them (kg.reconcile.weighing)."""
    if not f:
        return ""
    parts = [f"best claim weight {f.get('best_claim_weight', 0):.2f} = (quality "
             f"{f.get('quality', 0):.2f} + reliability {f.get('reliability', 0):.2f}) / 2 × hedge "
             f"{f.get('hedge', 1):.2f} × timing {f.get('timing', 1):.2f} × penalty "
             f"{f.get('penalty', 1):.2f}"]
    parts.append(f"{f.get('independent_origins', 0)} independent origin(s), "
                 f"{f.get('claims', 0)} claim(s)")
    if "arithmetic" in f:
        parts.append(str(f["arithmetic"]))
    return "; ".join(parts)


# ---------------------------------------------------------------- shared


def source_name(v: dict) -> str:
    """A document as a reader recognises it: "corpus 002 (newsletter, 2025-01-05)", "DeepSeek-V3
    README (primary report, 2025-06-16)" (a title's parenthesised gloss left out)."""
    title = (v.get("title") or "").split(" (")[0].strip("[]“”\"")
    name = (f"corpus {v['file'][:3]}" if v.get("file") else
            (title or shorten(v.get("document") or "?")))
    kind = _KIND_WORDS.get(_local(v.get("kind") or ""), "")
    extra = ", ".join(x for x in (kind, str(v.get("date") or "")) if x)
    return f"{name} ({extra})" if extra else name


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _kind(iri: str | None) -> str | None:
    return _local(iri).replace("Conflict", "").lower() if iri else None
