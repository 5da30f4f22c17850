"""Exports: every format of the table, the reconciled graph and the report, deterministic to the byte.

- csv, md, json: the table (kg.report.layout);
- xlsx: the table in human units (parameters in billions, the unit in the header) and the
  conflicts with every candidate, each sheet with a frozen header (kg.report.workbook);
- ttl, jsonld: the curated graph plus the reconciliation, sorted; JSON-LD compacted with an
  `@context` of readable keys (kg.report.jsonld);
- html: the self-contained report (kg.report.html);
- claimreview: schema.org ClaimReview JSON-LD, one review per claim the reconciliation ranked in
  a statement it compared (kg.report.claimreview).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from kg.core.files import atomic_file, write_atomic
from kg.report.layout import write_table, write_table_to

FORMATS = ("csv", "md", "json", "xlsx", "ttl", "jsonld", "html", "claimreview")
BINARY_FORMATS = frozenset({"xlsx"})
# written piece by piece as they are made (write_export), never whole in memory (issue 19)
STREAMED_FORMATS = frozenset({"json", "ttl", "jsonld", "claimreview"})


def export_to(eg, fmt: str, output: Path, *, as_of: object = None) -> None:
    """Write one export; every writer is deterministic and the write is atomic (a streamed
    format goes to a temporary file renamed when complete: a failure midway leaves no half)."""
    if fmt in STREAMED_FORMATS:
        with atomic_file(output) as handle:
            write_export(eg, fmt, handle, as_of=as_of)
        return
    write_atomic(output, export_bytes(eg, fmt, as_of=as_of))


def write_export(eg, fmt: str, handle: BinaryIO, *, as_of: object = None) -> None:
    """A streamed export (STREAMED_FORMATS) written into `handle` (a file, standard output)
    piece by piece as it is made: export_bytes' bytes."""
    def write(text: str) -> None:
        handle.write(text.encode("utf-8"))

    if fmt == "json":
        write_table_to(eg.capability_table(as_of=as_of), fmt, write)
    elif fmt in ("ttl", "jsonld"):
        write_reconciled_graph(eg, fmt, handle, as_of=as_of)
    elif fmt == "claimreview":
        from kg.report.claimreview import write_claim_reviews

        write_claim_reviews(eg, write, as_of=as_of)
    else:
        raise ValueError(f"{fmt} is not a streamed export: export_bytes makes it")


def export_bytes(eg, fmt: str, *, as_of: object = None) -> bytes:
    """One export's bytes; with `as_of`, of the reconciliation of the evidence known that day
    (the claims known later are left out of the graph formats too)."""
    if fmt in STREAMED_FORMATS:
        out = io.BytesIO()
        write_export(eg, fmt, out, as_of=as_of)
        return out.getvalue()
    if fmt in ("csv", "md"):
        return write_table(eg.capability_table(as_of=as_of), fmt).encode("utf-8")
    if fmt == "xlsx":
        from kg.report.workbook import workbook

        return workbook(eg.capability_table(as_of=as_of), _reconciliation(eg, as_of))
    if fmt == "html":
        return html_report(eg, as_of=as_of).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")


def _reconciliation(eg, as_of: object = None):
    """The full reconciliation in memory, or the as-of one (not written)."""
    return eg.reconciliation if as_of is None else eg.reconcile(write=False, as_of=as_of)


def html_report(eg, *, as_of: object = None) -> str:
    """The self-contained report: table, charts, every cell's evidence and the sources; what
    changed between the store's last two runs and the values each cell has had (not in an
    as-of report, which is the view of one day)."""
    from kg.report.evidence import cell_claims, source_list
    from kg.report.html import render

    table = eg.capability_table(as_of=as_of)
    rec = _reconciliation(eg, as_of)
    run = eg.ensure_reconciled(as_of)
    scores = eg.query("benchmark-scores", {"run": run}).to_dict("records")
    groups = {c.group for r in table.rows for c in r.cells.values()}
    changes, values = (None, None) if as_of is not None else _history_for_report(eg, table)
    sources = source_list(eg.store)
    if as_of is not None:  # the sources known that day: a later one is no source of this view
        known = set(eg.known_since(as_of=rec.as_of)["document"])
        sources = [s for s in sources if s.iri in known]
    return render(table, rec, scores, evidence=cell_claims(eg.store, groups, run=run),
                  sources=sources, changes=changes, cell_values=values, as_of=rec.as_of)


def _history_for_report(eg, table):
    """What changed between the store's last two full runs, and the values each cell's claims
    have stated over time (by the date each became known)."""
    from kg.report.changes import diff
    from kg.report.timeline import cell_values

    full = [r for r in eg.runs() if r.cutoff is None]
    changes = diff(eg, full[1].id, full[0].id) if len(full) >= 2 else None
    return changes, cell_values(eg, table)


def reconciled_triples(eg, *, as_of: object = None) -> list:
    """Curated claims plus the reconciliation (ranks, verdicts, the run), blank nodes given
    canonical labels and the triples sorted, so the bytes repeat. As of a date, the claims
    not yet known then are left out: the file is the evidence of that day."""
    import pyoxigraph as ox

    from kg.core.turtle import label_blank_nodes
    from kg.reconcile.verdicts import to_quads

    rec = _reconciliation(eg, as_of)
    later: set[str] = set()
    if as_of is not None:
        known = set(eg.known_since(as_of=rec.as_of)["claim"])
        later = set(eg.known_since()["claim"]) - known
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in
                         ox.parse(eg.store.dump(), format=ox.RdfFormat.N_TRIPLES)
                         if q.subject.value not in later)
    for q in to_quads(rec):
        dataset.add(ox.Quad(q.subject, q.predicate, q.object))
    # blank nodes (rule operands, shape lists) get stable labels, so the bytes repeat; RDFC-1.0
    # crashed on 10,000 nested blank nodes (kg.core.turtle.label_blank_nodes says why)
    return sorted(label_blank_nodes(q.triple for q in dataset),
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def reconciled_graph(eg, fmt: str, *, as_of: object = None) -> bytes:
    """The reconciled graph as Turtle, or as JSON-LD with a readable `@context`."""
    out = io.BytesIO()
    write_reconciled_graph(eg, fmt, out, as_of=as_of)
    return out.getvalue()


def write_reconciled_graph(eg, fmt: str, handle: BinaryIO, *, as_of: object = None) -> None:
    """reconciled_graph's bytes written into `handle` as they are made (issue 19): the sorted
    triples are in memory, their text never all at once."""
    import pyoxigraph as ox

    from kg.core.turtle import write_rdf
    from kg.core.vocab import PREFIXES

    ordered = reconciled_triples(eg, as_of=as_of)
    if fmt == "jsonld":
        from kg.report.jsonld import write_compact

        write_compact(ordered, PREFIXES, lambda text: handle.write(text.encode("utf-8")))
        return
    write_rdf(ordered, handle, ox.RdfFormat.TURTLE, PREFIXES)
