"""The reconciliation written out for people (text, Markdown) and machines (JSON).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator

from kg.core.tabular import JsonItems, json_text, md_text, terminal_text
from kg.core.tabular import write_json as write_json_text
from kg.reconcile.model import Candidate, Group
from kg.reconcile.run import Reconciliation, compared
from kg.reconcile.verdicts import VERSION
from kg.reconcile.wording import format_candidate, sources_text


def selected(rec: Reconciliation, everything: bool) -> list[Group]:
    return list(selected_groups(rec, everything))


def selected_groups(rec: Reconciliation, everything: bool) -> Iterator[Group]:
    """The groups a report shows, in its order: the conflicts worst first (the one sort, over
    the conflicts alone), then every other group in the order the run settled them; one at a
    time, so a writer holds one group's output, not every group's."""
    rest = (g for g in rec.each_group() if g.status != "conflict")  # from disk for a big run
    groups = itertools.chain(rec.conflicts, rest)
    return groups if everything else (g for g in groups if compared(g))


# ---------------------------------------------------------------- JSON


def to_json(rec: Reconciliation, *, everything: bool = False) -> str:
    """The reconciliation as one JSON text (README: the format); write_json streams the same
    bytes."""
    return json_text(json_document(rec, everything=everything), indent=2, ensure_ascii=False,
                     sort_keys=False) + "\n"


def write_json(rec: Reconciliation, write: Callable[[str], object], *,
               everything: bool = False) -> None:
    """to_json's bytes given to `write` group by group as they are encoded: at a million claims
    the document is over a gigabyte, which built whole (dicts, then one string) doubled the
    peak memory of `kg reconcile --format json` (issue 19)."""
    write_json_text(json_document(rec, everything=everything), write, indent=2,
                    ensure_ascii=False)
    write("\n")


def json_document(rec: Reconciliation, *, everything: bool = False) -> dict[str, object]:
    """The JSON document with its groups made one at a time, as they are written."""
    ctx = rec.context

    def group(g: Group) -> dict[str, object]:
        return {
            "subject": g.subject, "subject_label": ctx.label(g.subject),
            "property": g.property, "property_label": ctx.label(g.property),
            "qualifiers": {k: v for k, v in sorted(g.qualifiers.items())},
            "status": g.status, "kind": g.kind, "resolution": g.resolution,
            "confidence": round(g.confidence, 4), "explanation": g.explanation,
            "preferred": _candidate(g.preferred) if g.preferred else None,
            "candidates": [_candidate(c) for c in g.candidates],
        }

    return {"version": VERSION,
            "groups": JsonItems(map(group, selected_groups(rec, everything)))}


def _candidate(c: Candidate) -> dict:
    value: object
    if c.value is not None:
        value = c.value.amount if c.value.amount is not None else c.value.center
    else:
        cmp = c.comparable
        value = cmp[1] if isinstance(cmp, tuple) else c.display
    return {
        "value": value,
        "unit": c.value.unit if c.value is not None else None,
        "low": c.value.low if c.value is not None else None,
        "high": c.value.high if c.value is not None else None,
        "stated": c.display,
        "score": round(c.score, 4),
        "factors": c.factors,
        "note": c.note,
        "borrowed_from": c.borrowed_from,
        "basis": c.basis,
        "factor": c.factor,
        "superseded_by": c.superseded_by,
        "snapshot": c.snapshot,
        "claims": sorted({cl.iri for cl in c.claims}),
        "sources": sorted({cl.document for cl in c.claims} |
                          {cl.origin for cl in c.claims if cl.origin}),
    }


# ---------------------------------------------------------------- people


def to_text(rec: Reconciliation, *, everything: bool = False, markdown: bool = False) -> str:
    ctx = rec.context
    groups = selected(rec, everything)
    conflicts = [g for g in groups if g.status == "conflict"]
    explained = [g for g in groups if g.status != "conflict" and g.kind is not None]
    agreeing = [g for g in groups if g.status != "conflict" and g.kind is None]
    buf = io.StringIO()
    h = "## " if markdown else ""
    by_kind: dict[str, int] = {}
    for g in conflicts:
        by_kind[g.kind or "value"] = by_kind.get(g.kind or "value", 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items()))
    buf.write(f"{h}Reconciliation: {len(conflicts)} conflict(s) ({kinds or 'none'}), "
              f"{len(explained)} difference(s) explained by scope, condition or time, "
              f"{rec.compared} statement(s) compared, {rec.statements} in all\n\n")
    for title, items in (("Conflicts, worst first", conflicts),
                         ("Differences explained (scope, condition, time): not contradictions",
                          explained),
                         ("Agreeing statements", agreeing)):
        if not items:
            continue
        buf.write(f"{h}{title}\n\n" if markdown else f"{title}\n{'=' * len(title)}\n")
        for g in items:
            _write_group(buf, g, ctx, markdown)
        buf.write("\n")
    return buf.getvalue()


def _write_group(buf: io.StringIO, g: Group, ctx, markdown: bool) -> None:
    text = md_text if markdown else terminal_text  # labels, figures and sources quote data
    quals = ", ".join(f"{k.replace('_', ' ')} {_qual(v, ctx)}" for k, v in sorted(g.qualifiers.items()))
    head = text(f"{ctx.label(g.subject)} / {ctx.label(g.property)}" + (f" [{quals}]" if quals else ""))
    tag = f"{g.kind} {g.resolution or ''}".strip() if g.kind else g.status
    bullet = "- " if markdown else "* "
    buf.write(f"{bullet}{'**' if markdown else ''}{head}{'**' if markdown else ''} "
              f"({tag}, confidence {g.confidence:.2f})\n")
    buf.write(f"    {text(g.explanation)}\n")
    if len(g.candidates) > 1 or g.kind:
        unit = ctx.default_unit.get(g.property)
        for i, c in enumerate(g.candidates):
            mark = "preferred" if i == 0 and not g.finding else "candidate"
            bullet = '-' if markdown else '·'
            buf.write(f"    {bullet} {mark}: {text(format_candidate(c, unit))}  score {c.score:.2f}"
                      f"  [{text(sources_text(c, ctx))}]\n")


def _qual(value: object, ctx) -> str:
    if isinstance(value, list):
        return " + ".join(ctx.label(v) for v in value)
    if isinstance(value, str) and value.startswith("http"):
        return ctx.label(value)
    return str(value)
