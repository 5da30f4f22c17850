"""Table figures as proposed claims: subject from the header or first column, property from the label.

kg.ingest.documents.tables reads a table's layout and hands over each figure with its labels; this
module decides what they mean in kg's terms, recording how in `decided_by`:

- **Subject**: the model the header (or first column) names, known by exact or normalised label,
  or proposed as a new entity with that label; a trailing mode in parentheses ("(non-thinking)")
  becomes a condition. A family name spanning several rows ("Llama 3.1" over rows 8B, 70B,
  405B) names each row's model with the row's parameter count ("Llama 3.1 8B"), while a value
  spanning the whole group stays on the family. A "Total" row, and a table that names no model
  (a "Model Summary"), take the document's main subject.
- **Property**: a row (or column) label that is one of a property's names (`rdfs:label`,
  `skos:altLabel`: "#Total Params", "Context Length"); else a label whose stated unit fits a
  property whose cue word it contains ("Training Time (GPU hours)"); else, in a table of models
  against measures, a benchmark score on the benchmark the row names (variant in the condition);
  else `kgp:other` with the label as condition.
"""

from __future__ import annotations

import re

from kg.core import quantity
from kg.core.errors import QuantityError
from kg.core.vocab import KGP
from kg.ingest.cues import Vocabulary, label_key, strip_parenthesis
from kg.ingest.documents.tables import MEASURE_HEADER, TableFigure
from kg.ingest.names import Choice, EntityBook, clean_name
from kg.ingest.prose import date_value

TOTAL_ROWS = {"total", "all", "overall", "all models", "sum", "combined"}
_VARIANT = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


def unit_iri(text: str | None) -> str | None:
    """The unit (in kg's base units) a header's unit words name, read by kg.core.quantity the way
    it reads a figure's ("GPU hours" -> GPU-hours, "W" -> watts, "%" -> a fraction); None when
    they name no unit kg knows ("tons CO2eq")."""
    if not text or not text.strip():
        return None
    words = text.strip()
    try:
        q = quantity.parse("$1" if words in ("$", "USD") else f"1 {words}")
    except QuantityError:
        return None
    return q.unit


def _label_unit(label: str, figure_unit: str | None) -> tuple[str | None, str | None]:
    """(unit as written, unit IRI) from the cell or the label's trailing parenthesis."""
    if figure_unit:
        return figure_unit, unit_iri(figure_unit)
    m = re.search(r"\(([^()]*)\)\s*$", label)
    if m and unit_iri(m.group(1)):
        return m.group(1).strip(), unit_iri(m.group(1))
    return None, None


def decide_subject(f: TableFigure, vocab: Vocabulary, book: EntityBook, main: Choice | None
                   ) -> tuple[Choice | None, str | None]:
    """(subject, mode) for one table figure."""
    if f.layout == "no-subject" or not f.subject:
        if main is None:
            return None, None
        return Choice(main.iri, main.label, main.new,
                      f"the table names no model: {main.how or 'the document main subject'}",
                      main.classes), None
    name, mode = clean_name(f.subject)
    if label_key(name) in TOTAL_ROWS and main is not None:
        return Choice(main.iri, main.label, main.new,
                      f"row {f.subject!r} sums the models: {main.how or 'the main subject'}",
                      main.classes), "total of the models in the table"
    sized = None
    if f.subject_rowspan > 1 and f.rowspan < f.subject_rowspan:
        size = _size_in_row(f, vocab)
        if size:
            sized = f"{name} {size}"
    choice = book.choose(sized or name)
    where = "column header" if f.layout == "models-in-header" else "first column"
    if sized:
        choice.how = (f"{where} {f.subject!r} spans rows; this row's size {sized.split()[-1]!r} "
                      f"names {sized!r}: {choice.how}")
    else:
        choice.how = f"{where} {f.subject!r}: {choice.how}"
    return choice, mode


def _size_in_row(f: TableFigure, vocab: Vocabulary) -> str | None:
    params = vocab.get(KGP + "totalParameters").aliases
    if label_key(strip_parenthesis(f.column_label)) in params and re.fullmatch(r"\d+(?:\.\d+)?[BMK]",
                                                                                f.figure):
        return f.figure
    for head, text in (f.row_figures or {}).items():
        if label_key(strip_parenthesis(head)) in params and re.fullmatch(r"\d+(?:\.\d+)?[BMK]", text):
            return text
    return None


def decide_property(f: TableFigure, vocab: Vocabulary, book: EntityBook
                    ) -> tuple[str, str, str | None, Choice | None]:
    """(property IRI, how, condition, benchmark) for one table figure."""
    label = f.row_label  # a models-in-rows figure: its column, qualified by the row where needed
    unit_text, unit = _label_unit(label, f.unit)
    if f.kind == "date":
        found = [p for p in vocab.by_alias(label) if p.dimension == "DateValue"]
        if found:
            prop = found[0]
            cond = strip_parenthesis(label) if prop.iri == KGP + "eventDate" else None
            return prop.iri, f"label {label!r} names {prop.local}", cond, None
        for _s, _e, cue in vocab.cues_in(label):
            if vocab.get(cue.node).dimension == "DateValue":
                return cue.node, f"date cue word {cue.text!r} in label {label!r}", label, None
        return KGP + "eventDate", f"a date under label {label!r}", label, None
    numeric = [p for p in vocab.by_alias(label)
               if p.dimension not in ("DateValue", "EntityValue", "TextValue", "BooleanValue")
               and (unit is None or vocab.fits(p.iri, unit))]
    if len(numeric) == 1:
        return numeric[0].iri, f"label {label!r} is a name of {numeric[0].local}", None, None
    if unit is not None:
        fitting = [(e - s, cue) for s, e, cue in vocab.cues_in(label)
                   if vocab.fits(cue.node, unit)
                   and vocab.get(cue.node).dimension not in ("Count", "Ratio", "Score")]
        if fitting:
            cue = max(fitting, key=lambda x: x[0])[1]
            return cue.node, (f"label {label!r} states {unit_text!r}, which fits "
                              f"{vocab.get(cue.node).local} (cue {cue.text!r})"), None, None
    measure_like = _measure_like(label)
    if label and (f.layout == "models-in-header" or (f.layout == "models-in-rows" and not measure_like)):
        base, variant = _benchmark_name(label)
        bench = book.choose(base, cls="Benchmark", classes=("Benchmark",))
        cond = ", ".join(p for p in (variant,) if p) or None
        where = "row" if f.layout == "models-in-header" else "column"
        return (KGP + "benchmarkScore",
                f"{where} {label!r} of a table of models against benchmarks: a benchmark score",
                cond, bench)
    measure = label or f.column_label or "unlabelled figure"
    if unit_text and unit_text not in measure:
        measure = f"{measure} ({unit_text})"
    return KGP + "other", f"label {label!r} names no property: kgp:other", measure, None


def _measure_like(label: str) -> bool:
    """True for a label that names a measure of the model ("Params", "Training Time (GPU
    hours)"), not a benchmark: a measure word outside its parenthesis, or a parenthesis that
    names a unit. "MMLU (5-shot)" and "C-Eval (val)" are benchmarks with their variants."""
    m = re.search(r"\(([^()]*)\)\s*$", label)
    if m and unit_iri(m.group(1)):
        return True
    bare = re.sub(r"\([^()]*\)", " ", label)
    return bool(MEASURE_HEADER.search(bare) or re.search(r"emission|consumption|power", bare, re.I))


def _benchmark_name(label: str) -> tuple[str, str | None]:
    """"MMLU (Acc., 5-shot)" -> ("MMLU", "Acc., 5-shot")."""
    m = _VARIANT.match(label)
    if m and m.group(1):
        return m.group(1).strip(), m.group(2).strip()
    return label.strip(), None


def table_proposal_parts(f: TableFigure, vocab: Vocabulary, book: EntityBook, main: Choice | None):
    """Everything a proposal needs from one table figure, or None when it cannot be read."""
    subject, mode = decide_subject(f, vocab, book, main)
    if subject is None:
        return None
    prop, how, condition, bench = decide_property(f, vocab, book)
    conditions = [c for c in (condition, mode, f"marked {f.note}" if f.note else None) if c]
    value_date = None
    q = None
    if f.kind == "date":
        value_date = date_value(f.figure)
        if value_date is None:
            return None
    else:
        words = vocab.get(prop)
        try:
            q = quantity.parse(f.figure, words.default_unit, dimension=words.dimension)
        except QuantityError:
            return None
    return subject, prop, how, "; ".join(conditions) or None, bench, q, value_date
