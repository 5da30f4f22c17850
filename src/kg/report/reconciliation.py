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
    buf = io.StringIO()
    write_text(rec, buf.write, everything=everything, markdown=markdown)
    return buf.getvalue()


def write_text(rec: Reconciliation, write: Callable[[str], object], *, everything: bool = False,
               markdown: bool = False) -> None:
    """The report for people, given to `write` section by section as it is made: the conflicts
    (held: they are sorted worst first), then one pass over the other statements, the explained
    ones written as they come and the agreeing ones spooled to a temporary file until their
    section starts; a run kept on disk is never held whole (issue 19)."""
    import tempfile

    ctx = rec.context
    # of a run kept on disk, read twice (counted, then written) rather than held: see
    # Reconciliation.conflicts_where
    conflicts = rec.conflicts_where(None if everything else compared)
    h = "## " if markdown else ""
    by_kind: dict[str, int] = {}
    for g in conflicts:
        by_kind[g.kind or "value"] = by_kind.get(g.kind or "value", 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items()))
    write(f"{h}Reconciliation: {len(conflicts)} conflict(s) ({kinds or 'none'}), "
          f"{rec.explained} difference(s) explained by scope, condition or time, "
          f"{rec.compared} statement(s) compared, {rec.statements} in all\n\n")

    def title(text: str) -> str:
        return f"{h}{text}\n\n" if markdown else f"{text}\n{'=' * len(text)}\n"

    def one(g: Group) -> str:
        part = io.StringIO()
        _write_group(part, g, ctx, markdown)
        return part.getvalue()

    if conflicts:
        write(title("Conflicts, worst first"))
        for g in conflicts:
            write(one(g))
        write("\n")
    explained = False
    with tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8") as agreeing:
        any_agreeing = False
        for g in rec.each_group():
            if g.status == "conflict" or not (everything or compared(g)):
                continue
            if g.kind is not None:
                if not explained:
                    write(title("Differences explained (scope, condition, time): "
                                "not contradictions"))
                    explained = True
                write(one(g))
            else:
                any_agreeing = True
                agreeing.write(one(g))
        if explained:
            write("\n")
        if any_agreeing:
            write(title("Agreeing statements"))
            agreeing.seek(0)
            for block in iter(lambda: agreeing.read(1 << 20), ""):
                write(block)
            write("\n")


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
