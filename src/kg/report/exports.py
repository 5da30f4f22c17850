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

from pathlib import Path

from kg.core.files import write_atomic
from kg.report.layout import write_table

FORMATS = ("csv", "md", "json", "xlsx", "ttl", "jsonld", "html", "claimreview")
BINARY_FORMATS = frozenset({"xlsx"})


def export_to(eg, fmt: str, output: Path) -> None:
    """Write one export; every writer is deterministic and the write is atomic."""
    write_atomic(output, export_bytes(eg, fmt))


def export_bytes(eg, fmt: str) -> bytes:
    if fmt in ("csv", "md", "json"):
        return write_table(eg.capability_table(), fmt).encode("utf-8")
    if fmt == "xlsx":
        from kg.report.workbook import workbook

        return workbook(eg.capability_table(), eg.reconciliation)
    if fmt in ("ttl", "jsonld"):
        return reconciled_graph(eg, fmt)
    if fmt == "html":
        return html_report(eg).encode("utf-8")
    if fmt == "claimreview":
        from kg.report.claimreview import claim_reviews

        return claim_reviews(eg)
    raise ValueError(f"unknown export format {fmt!r}")


def html_report(eg) -> str:
    """The self-contained report: table, charts, every cell's evidence and the sources."""
    from kg.report.evidence import cell_claims, source_list
    from kg.report.html import render

    table = eg.capability_table()
    rec = eg.reconciliation
    scores = eg.query("benchmark-scores").to_dict("records")
    groups = {c.group for r in table.rows for c in r.cells.values()}
    return render(table, rec, scores, evidence=cell_claims(eg.store, groups),
                  sources=source_list(eg.store))


def reconciled_triples(eg) -> list:
    """Curated claims plus the reconciliation (ranks, verdicts, the run), blank nodes given
    canonical labels and the triples sorted, so the bytes repeat."""
    import pyoxigraph as ox

    from kg.core.turtle import label_blank_nodes
    from kg.reconcile.verdicts import to_quads

    rec = eg.reconciliation
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in
                         ox.parse(eg.store.dump(), format=ox.RdfFormat.N_TRIPLES))
    for q in to_quads(rec):
        dataset.add(ox.Quad(q.subject, q.predicate, q.object))
    # blank nodes (rule operands, shape lists) get stable labels, so the bytes repeat; RDFC-1.0
    # crashed on 10,000 nested blank nodes (kg.core.turtle.label_blank_nodes says why)
    return sorted(label_blank_nodes(q.triple for q in dataset),
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def reconciled_graph(eg, fmt: str) -> bytes:
    """The reconciled graph as Turtle, or as JSON-LD with a readable `@context`."""
    import pyoxigraph as ox

    from kg.core.turtle import rdf_bytes
    from kg.core.vocab import PREFIXES

    ordered = reconciled_triples(eg)
    if fmt == "jsonld":
        from kg.report.jsonld import compact

        return compact(ordered, PREFIXES)
    return rdf_bytes(ordered, ox.RdfFormat.TURTLE, PREFIXES)
