"""Property tests (Hypothesis) for the two parsers of outside text: kg.core.quantity and the Epoch importer.

Bounded for the suite (a few hundred examples each, seconds in all). A bigger run is one
environment variable away: KG_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import MINI_GRAPH as MINI
from kg.core import display, quantity, units
from kg.core.errors import KgError, QuantityError
from kg.core.vocab import KG, KGU, UNIT

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 300,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Extraction reads a whole document per example (about 0.1 s): a third as many examples keeps it
# to seconds; KG_FUZZ_EXAMPLES raises both for a longer hunt.
FUZZ_DOCUMENTS = settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))

# (default unit of a property, its dimension) as ontology/properties.ttl pairs them
PROPERTIES = [(UNIT + "NUM", "Count"), (KGU + "FLOP", "Compute"), (KGU + "GPU-HR", "ComputeTime"),
              (UNIT + "CCY_USD", "Money"), (UNIT + "HR", "Duration"), (UNIT + "PERCENT", "Ratio"),
              (UNIT + "PERCENT", "Score"), (KGU + "USD-PER-MegaTOK", "UnitPrice"), (None, None)]

# pieces analysts write around a figure, so generated text reaches deep into the parser
PIECES = ["~", "about ", "under ", "over ", "up to ", "at least ", "$", "US$", "RMB ", "¥", "-", "–",
          " to ", "between ", " and ", "+", " or more", "B", "M", "K", "T", " billion", " million",
          " trillion", " thousand", "%", " percent", "x", "-fold", " GPU-hours", " GPU hours",
          " H800 hours", " FLOP", " FLOPs", "e+24", "e-07", " hours", " days", " months", " weeks",
          " years", "/M tokens", " per million tokens", ",000", ".5", "1/", ":", "(", ")", " ",
          "high tens of millions", "a few", "dozens", "hundreds of", "0", "1", "2", "7", "9",
          "2,788", "5.576", "671", "1e400", "nan", "inf", " GB/s", " GW", " W", " bytes", "1.5"]
figure_text = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)
any_text = st.one_of(st.text(max_size=40), figure_text,
                     st.text(alphabet="0123456789.,-+~$%eEBMKTkbmx ()/:–", max_size=20))


@FUZZ
@given(text=any_text, prop=st.sampled_from(PROPERTIES))
def test_parse_raises_only_quantity_error(text, prop):
    unit, dimension = prop
    try:
        q = quantity.parse(text, unit, dimension=dimension, claim="kgc:fuzz")
    except QuantityError as exc:
        assert exc.claim == "kgc:fuzz" and exc.reason
        return
    values = [v for v in (q.amount, q.low, q.high) if v is not None]
    assert values and all(math.isfinite(v) for v in values), q
    assert q.shape in ("point", "interval", "lower", "upper")
    if q.low is not None and q.high is not None:
        assert q.low <= q.high, q


def _close(a: float | None, b: float | None, rel: float) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


@FUZZ
@given(text=figure_text, prop=st.sampled_from(PROPERTIES))
def test_normalising_is_idempotent(text, prop):
    """Normalise, write the value back, normalise again: the same value and the same text."""
    unit, dimension = prop
    try:
        q = quantity.parse(text, unit, dimension=dimension)
    except QuantityError:
        return
    shown = display.format_value(q)
    again = quantity.parse(shown, q.unit, dimension=dimension)
    assert again.unit == q.unit, (text, shown, again)
    assert again.shape == q.shape, (text, shown, again)
    # format_value keeps four significant digits, so a second pass may round once. What a shape
    # states is compared: a vague "high tens of millions" is an interval with no point amount,
    # and reads back as the same interval with its midpoint (found by the 20,000-case run)
    stated = {"point": ("amount",), "interval": ("low", "high"), "lower": ("low",),
              "upper": ("high",)}[q.shape]
    for name in stated:
        assert _close(getattr(q, name), getattr(again, name), 1e-3), (text, shown, q, again)
    # the text settles after one more pass: format_value decides "67,170x" vs "6.717e+04x" before
    # rounding to four digits, so "6716710" (percent) shows as 6.717e+04x, then 67,170x, then
    # stays (reported to kg.core.quantity's owner; the value itself is stable, asserted above)
    settled = display.format_value(again)
    assert display.format_value(quantity.parse(settled, q.unit, dimension=dimension)) == settled, \
        (text, shown, settled)


BASE = sorted(set(units.BASE_UNITS.values()))  # normalised values are in these units only


@FUZZ
@given(value=st.floats(min_value=1e-3, max_value=1e27, allow_nan=False, allow_infinity=False),
       unit=st.sampled_from(BASE), shape=st.sampled_from(["point", "lower", "upper", "interval"]))
def test_a_value_and_its_formatting_round_trip(value, unit, shape):
    """A value written by format_value parses back to itself, to the four digits written."""
    value = float(f"{value:.4g}")
    assume(value > 0)
    low, high = {"point": (value, value), "lower": (value, None), "upper": (None, value),
                 "interval": (value, value * 2)}[shape]
    q = quantity.Quantity(value if shape != "interval" else (low + high) / 2, low, high, unit, shape)
    shown = display.format_value(q)
    back = quantity.parse(shown, unit)
    assert back.unit == unit and back.shape == shape, (q, shown, back)
    for a, b in ((q.low, back.low), (q.high, back.high)) if shape != "point" else ((q.amount, back.amount),):
        assert _close(a, b, 1e-3), (q, shown, back)


# ------------------------------------------------------------------ the Epoch CSV importer

JUNK = st.one_of(st.sampled_from(["", "NaN", "nan", "inf", "-Infinity", "1,000", "12 B", "n/a", "?",
                                  "-5", "-0", "0", "1e-400", "1e400", "1_000", "٣", "0x1F", "1e+24",
                                  "7000000000.0", " 42 ", "3.4E+24", ".", "-", "+7", "1.2.3",
                                  "2025-02-30", "2025-13-01", "2024-12-24"]),
                 st.text(max_size=12))
COLUMNS = ["Model", "Organization", "Publication date", "Domain", "Parameters",
           "Training compute (FLOP)", "Training dataset size (gradients)", "Confidence",
           "Country (of organization)", "Training time (hours)", "Training hardware",
           "Hardware quantity", "Hardware utilization (MFU)", "Training compute cost (2023 USD)",
           "Model accessibility"]
NAMES = st.one_of(st.sampled_from(["Example Model", "Fuzz-LM 7B", "???", "", "Ünïcode Modél"]),
                  st.text(max_size=15))


@st.composite
def epoch_csv(draw) -> tuple[bytes, list[str]]:
    columns = draw(st.lists(st.sampled_from(COLUMNS), unique=True, max_size=len(COLUMNS)))
    if draw(st.booleans()):
        columns = ["Model", "Parameters"] + [c for c in columns if c not in ("Model", "Parameters")]
    rows = draw(st.lists(st.fixed_dictionaries({c: (NAMES if c == "Model" else JUNK)
                                                for c in columns}), max_size=4))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    if columns:
        writer.writeheader()
        writer.writerows(rows)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "empty",
                                     "nul"]))
    if encoding == "empty":
        return b"", columns
    if encoding == "nul":
        return text.encode() + b"\x00junk", columns
    return text.encode(encoding, errors="replace"), columns


@pytest.fixture(scope="module")
def resolver():
    from kg.graph import EvidenceGraph
    from kg.ingest.resolve import Resolver

    return Resolver.from_store(EvidenceGraph([MINI]).store)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=epoch_csv())
def test_epoch_import_never_turns_junk_into_numbers(data, resolver, scratch):
    """Only kg errors; every imported figure is its cell read as written; junk is reported."""
    from kg.ingest.epoch import import_epoch, iter_claims
    from kg.ingest.epoch_columns import EpochColumns

    raw, _columns = data
    path = scratch / "notable_ai_models.csv"
    path.write_bytes(raw)
    try:
        result = import_epoch(path, resolver, snapshot="2025-11-03")
    except KgError:
        return
    stated = {t.subject.value: t.object.value for t in result.triples
              if t.predicate.value == KG + "stated"}
    amounts = {t.subject.value: float(t.object.value) for t in result.triples
               if t.predicate.value == KG + "amount"}
    for claim in iter_claims(result):
        if claim in amounts:
            cell = stated[claim]
            assert re.fullmatch(r"\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", cell), cell
            assert amounts[claim] == float(Decimal(cell)) and math.isfinite(amounts[claim])
            assert amounts[claim] > 0, (cell, amounts[claim])
    figure_columns = {f.column for f in EpochColumns.from_ontology().of("models")}
    numeric_cells = {stated[c] for c in amounts}
    for _row, column, cell, why in result.unparsed:
        assert column in figure_columns | {"Publication date"} and why
        assert column == "Publication date" or cell not in numeric_cells, (column, cell)
    # the Turtle written from it loads (no ill-typed literal, no duplicate IRI)
    from kg.core.turtle import to_turtle
    from kg.load.turtle import check_literals

    out = path.with_suffix(".ttl")
    out.write_text(to_turtle(result.triples), encoding="utf-8")
    import pyoxigraph as ox

    check_literals(out, list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE)))


# ------------------------------------------------------------------ long and pathological text
# Issue 18: every parser that sees user text, with the inputs that blow up regular expressions.
# Time per input size is asserted by benchmarks/parsers.py, not here: these check behaviour.

NASTY = ["1", "0", "9", "-", "–", "(", ")", "$", ",", ".", "e", "E", "B", "M", "to ", " ", "~", "%",
         "<", ">", "{", "}", '"', "'", "\\", "#", "\n", "\t", "\ufeff", "\x00", "\x1b", "é", "٣",
         ":", "?", "kg:", "SERVICE", "LOAD", "WHERE {", "'''", '"""', "[", "]", "*", "_"]
nasty_text = st.one_of(
    st.lists(st.sampled_from(NASTY), max_size=60).map("".join),
    st.builds(lambda piece, n: piece * n, st.sampled_from(NASTY + ["1-", "$1,000", "a "]),
              st.integers(min_value=50, max_value=3_000)),
    st.text(max_size=300))


def _old_range_split(s: str):
    """The pattern the one-pass splitter replaced (it backtracked on long input)."""
    m = re.match(r"^(.*?\d[^\s-]*?(?:\s*[a-z%]*)?)\s*(?:(?<!\d[eE])-|to|–)\s*"
                 r"((?:[$~]|us\$|rmb|¥)?\s*(?:\d|\.\d|1/).*)$", s, re.I)
    return (m.group(1).strip(), m.group(2).strip()) if m else None


@FUZZ
@given(text=st.lists(st.sampled_from(list("0123456789 -–toTOeE$~us¥rmb%kKxM/.,a\t٣")),
                     max_size=16).map("".join))
def test_the_range_split_answers_as_the_pattern_it_replaced(text):
    from kg.core.quantity import _range_sides

    new = _range_sides(text)
    assert _old_range_split(text) == ((new[0].strip(), new[1].strip()) if new else None)


@FUZZ
@given(text=nasty_text, prop=st.sampled_from(PROPERTIES))
def test_parse_long_and_pathological_text_raises_only_quantity_error(text, prop):
    unit, dimension = prop
    try:
        quantity.parse(text, unit, dimension=dimension, claim="kgc:fuzz")
    except QuantityError as exc:
        assert len(str(exc)) < 1_000  # a long value is shown by its start and length
        return


@FUZZ
@given(value=nasty_text)
def test_bind_values_are_a_term_or_one_kg_error(value):
    """Any --bind value is an IRI or a literal, or a one-line kg error; bound, it comes back
    unchanged from a query and cannot change the query's shape."""
    import pyoxigraph as ox

    from kg.store.embedded import OxigraphStore
    from kg.store.queries import parse_binding

    try:
        name, term = parse_binding(f"x={value}")
    except KgError:
        return
    from kg.store.results import to_python

    rows = OxigraphStore(timeout=0).select("SELECT ?x WHERE { }", {name: term})
    assert [to_python(r["x"]) for r in rows] == [to_python(term)]  # "00" comes back as 0
    assert isinstance(term, ox.NamedNode | ox.Literal)


def _old_network_keyword(text: str) -> str | None:
    not_keywords = re.compile(
        r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
        r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
        r'|<[^<>"{}|^`\\\s]*>|#[^\n]*|[?$][\w]+|[A-Za-z_][\w.-]*:[\w.:%\\-]*|:[\w.:%\\-]+')
    keyword = re.compile(r"(?<![\w:\-.])(SERVICE|LOAD)(?![\w:\-])", re.I)
    match = keyword.search(not_keywords.sub(" ", text))
    return match.group(1).upper() if match else None


SPARQL_PIECES = ["SERVICE", "LOAD", "service", " ", "\n", "?load", "$service", "kgc:load-1",
                 "load:x", "<http://x/load>", '"LOAD"', "'service'", "# LOAD\n", "{", "}", ".",
                 "SELECT * WHERE", '"""a LOAD"""', "ex:a.load", "-", "x"]


@FUZZ
@given(text=st.lists(st.sampled_from(SPARQL_PIECES), max_size=12).map("".join))
def test_the_network_guard_reads_queries_as_before(text):
    from kg.store.netguard import network_keyword

    assert network_keyword(text) == _old_network_keyword(text)


@FUZZ
@given(text=nasty_text)
def test_blanking_sparql_text_keeps_its_shape(text):
    from kg.store.bindings import with_values
    from kg.store.netguard import network_keyword
    from kg.store.queries import query_form
    from kg.store.sparql_text import blank_out

    blanked = blank_out(text)
    assert len(blanked) == len(text)
    assert [i for i, c in enumerate(blanked) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]
    network_keyword(text)
    query_form(text)
    with_values(text, {"x": "a"})


DATATYPES = ["date", "gYearMonth", "gYear", "dateTime", "decimal", "integer", "double", "boolean"]


@FUZZ
@given(text=st.one_of(nasty_text, st.dates().map(str), st.from_regex(r"-?\d{4,6}-\d\d-\d\d", fullmatch=True)),
       datatype=st.sampled_from(DATATYPES))
def test_literal_checks_decide_every_text(text, datatype):
    """The loader's datatype check (dates among them) answers for any text, and a date it
    accepts is a real calendar date."""
    import datetime

    import pyoxigraph as ox

    from kg.core.vocab import XSD
    from kg.load.turtle import _ill_typed

    try:
        literal = ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))
    except ValueError:
        return
    bad = _ill_typed(literal)
    if datatype == "date" and not bad and re.fullmatch(r"\d{4}-\d\d-\d\d", text.strip()):
        datetime.date.fromisoformat(text.strip())


@FUZZ
@given(body=st.one_of(nasty_text, st.binary(max_size=200)))
def test_turtle_through_kgs_checks_is_loaded_or_refused_in_one_message(body, scratch):
    """Any file handed to kg as Turtle is read, or refused with one kg error naming the file."""
    from kg.load.turtle import parse_file

    path = scratch / "fuzz.ttl"
    prefix = b"@prefix kg: <https://w3id.org/kg-compute/ontology#> .\n"
    path.write_bytes(prefix + (body if isinstance(body, bytes) else
                               f'kg:a kg:b "{body}" .\nkg:c kg:d {body} .\n'.encode("utf-8", "replace")))
    try:
        parse_file(path)
    except KgError as exc:
        assert str(path) in str(exc) and "\ufeff" not in str(exc)


@FUZZ
@given(cell=nasty_text, column=st.sampled_from(["Model", "Parameters", "Publication date",
                                                 "Training compute (FLOP)"]))
def test_epoch_import_reads_long_and_odd_cells_or_refuses_them(cell, column, resolver, scratch):
    from kg.ingest.epoch import import_epoch

    row = {"Model": "Fuzz Model", "Parameters": "7e9", "Publication date": "2025-01-01",
           "Training compute (FLOP)": "1e24"}
    row[column] = cell
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    path = scratch / "notable_ai_models.csv"
    path.write_text(out.getvalue(), encoding="utf-8", errors="replace")
    try:
        result = import_epoch(path, resolver, snapshot="2025-11-03")
    except KgError:
        return
    for _row, _column, shown, why in result.unparsed:
        assert why and len(str(shown)) <= max(len(cell), 1) + 100


@FUZZ_DOCUMENTS
@given(text=nasty_text, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_extraction_proposes_claims_on_real_lines_or_nothing(text, suffix, resolver, scratch):
    """Any document gives candidates (each on a line the document has, its evidence from that
    line) or a kg error; never another exception."""
    import warnings

    from kg.ingest.extract import extract_file, read_document

    path = scratch / f"doc{suffix}"
    path.write_text(text, encoding="utf-8", errors="replace")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # long sentences are read in pieces, and said so
        try:
            result = extract_file(path, resolver)
        except KgError:
            return
        lines = read_document(path).lines
    for p in result.proposals:
        assert 1 <= p.line <= max(len(lines), 1), (p.line, len(lines))
        assert p.stated.strip()
