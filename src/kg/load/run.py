"""load(): every Turtle file parsed and checked first, then loaded and normalised as one step.

All or nothing: a bad file leaves the store as it was, because nothing is added until every
file has parsed (kg.load.turtle) and no claim IRI is defined twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import InputError
from kg.load import state
from kg.load.normalise import normalise
from kg.load.turtle import CLAIM, TYPE, LoadReport, duplicate_claims, graph_files, parse_file
from kg.store.protocol import Store


def load(store: Store, paths: Sequence[str | Path] | None = None, *, ontology: bool = True,
         normalise_values: bool = True, progress=None, record: bool = False,
         cache: bool = False) -> LoadReport:
    """Parse every file first and load only when all parse: a bad file leaves the store as it was.

    `record` (persistent stores) marks the load started before the store changes and complete
    after, with each file's hash and subjects (kg.load.state). `cache` (an empty in-memory
    store) loads files checked before natively (kg.load.cache), and records a big load.
    """
    from kg.load import cache as checked

    files = graph_files(paths, ontology=ontology)
    read_files = None
    if cache and normalise_values and not record and checked.wanted(files):
        read_files = checked.read(files)
        known = checked.lookup(store, files, read_files)
        if known is not None:
            if progress:
                for path in files:
                    progress(path)
            return known
    report = LoadReport(files=files, digests=read_files.digests if read_files else [])
    parsed: list[list[ox.Quad]] = []
    for i, path in enumerate(report.files):
        quads = parse_file(path, read_files.data[i] if read_files else None)
        parsed.append(quads)
        origin = report.origin
        for q in quads:
            origin.setdefault(q.subject.value, path)  # type: ignore[union-attr]  # stub: an RDF 1.2 subject is no triple
        report.claims += sum(1 for q in quads if q.predicate == TYPE and q.object == CLAIM)
        if progress:
            progress(path)
    duplicates = duplicate_claims(report.files, parsed, report.origin)
    if duplicates:
        more = f"\n  and {len(duplicates) - 10} more" if len(duplicates) > 10 else ""
        raise InputError("\n  ".join(duplicates[:10]) + more,
                         hint="an IRI names one claim: mint a new IRI for the other reading "
                              "(graph/CURATION.md); nothing was loaded")
    if record:
        state.begin(store, state.sources_of(paths))
    for quads in parsed:
        store.load(quads)
        report.triples += len(quads)
    written: list[ox.Quad] = []
    if normalise_values:
        report.problems = normalise(store, report, written)
    if read_files is not None:
        checked.remember(report, read_files, written)
    if record:
        records, defines = [], {}
        for path, quads in zip(report.files, parsed, strict=True):
            found, blank = state.subjects(quads)
            records.append(state.file_record(path, ontology=state.is_ontology(path), blank_nodes=blank))
            defines[records[-1].path] = found
        state.record_files(store, records, defines)
        state.finish(store)
    return report
