"""Every parser that sees user text, timed on long and pathological inputs: linear or capped.

Issue 18 found a figure of "671B" and 100,000 digits that kept `kg validate` busy for minutes
(the quantity parser's range split backtracked: 10k digits 11 s, 20k 45 s). This benchmark
feeds each parser kg runs on outside text the inputs that make regular expressions and
per-token loops blow up (long runs of digits, separators, brackets, quotes, unclosed markup,
many short tokens on one line) at three sizes, and asserts a time bound per input size: at
100,000 characters a parser takes at most `LINEAR` times 100 what it takes at 1,000 (plus
`FLOOR` for fixed costs) and never more than `CEILING` seconds. Parsers that cap their input
(a figure is at most 200 characters) are held to the same bound, which the cap makes easy.

Run: .venv/bin/python benchmarks/parsers.py   (writes benchmarks/results/parsers.md; exit 1
when a bound fails). The property tests for the same parsers are in tests/test_fuzz.py.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "parsers.md"
SIZES = (1_000, 10_000, 100_000)
LINEAR = 4.0  # superlinearity allowed between 1k and 100k (timer noise, caches)
FLOOR = 0.05  # seconds of fixed cost allowed on top
CEILING = 30.0  # seconds: no parser may take longer on 100,000 characters


def repeat(piece: str, n: int) -> str:
    return (piece * (n // len(piece) + 1))[:n]


# what makes each kind of parser work hard: (name, text of about n characters)
FIGURES: list[tuple[str, Callable[[int], str]]] = [
    ("671B + digits", lambda n: "671B" + "1" * (n - 4)),
    ("digits", lambda n: "1" * n),
    ("1-1-1-", lambda n: repeat("1-", n)),
    ("((((", lambda n: "(" * (n - 1) + "5"),
    ("$1,000$1,000", lambda n: repeat("$1,000", n)),
    ("a a a", lambda n: "5 " + repeat("a ", n - 2)),
    ("between", lambda n: repeat("between 1 and ", n)),
    ("1e5555", lambda n: "1e" + "5" * (n - 2)),
    ("~~~~", lambda n: "~" * (n - 1) + "5"),
]


def quantity_cases():
    from kg.core import quantity
    from kg.core.errors import QuantityError
    from kg.core.vocab import UNIT

    def parse(text: str) -> None:
        with contextlib.suppress(QuantityError):
            quantity.parse(text, UNIT + "NUM")

    return [("quantity (kg:stated)", name, make, parse) for name, make in FIGURES]


def bind_cases():
    from kg.core.errors import KgError
    from kg.store.queries import parse_binding

    def bind(text: str) -> None:
        with contextlib.suppress(KgError):
            parse_binding("x=" + text)

    return [("--bind value", name, make, bind) for name, make in [
        ("<aaaa>", lambda n: "<" + "a" * (n - 2) + ">"),
        ("<>>>>", lambda n: "<" + ">" * (n - 1)),
        ("kge:aaaa", lambda n: "kge:" + "a" * (n - 4)),
        ("digits.digits", lambda n: "1" * (n // 2) + "." + "1" * (n // 2) + "x"),
        ('"quoted"', lambda n: '"' + "a" * (n - 2) + '"'),
    ]]


def sparql_text_cases():
    from kg.store.bindings import with_values
    from kg.store.netguard import network_keyword
    from kg.store.queries import query_form

    def scan(text: str) -> None:
        network_keyword(text)
        query_form(text)
        with_values(text, {"x": "a"})

    return [("query text (network guard, form, bindings)", name, make, scan) for name, make in [
        ('""""', lambda n: '"' * n),
        ("<<<<", lambda n: "<" * n),
        ("#\\n#", lambda n: repeat("#\n", n)),
        ("'''", lambda n: "'''" + "a" * (n - 3)),
        ("kg:a kg:b", lambda n: "SELECT * WHERE { " + repeat("kg:a ", n) + "}"),
        ("?v ?v", lambda n: "SELECT " + repeat("?v ", n) + " WHERE {}"),
        ('"\\"\\"', lambda n: '"' + repeat('\\"', n)),
    ]]


PREFIX = "@prefix kg: <https://w3id.org/kg-compute/ontology#> .\n"


def turtle_cases(folder: Path):
    """A Turtle file through kg's checks: parse, literal datatypes, the line of each node."""
    from kg.core.errors import KgError
    from kg.load.turtle import literal_line, parse_file, subject_line

    def load(text: str) -> None:
        path = folder / "t.ttl"
        path.write_text(text, encoding="utf-8")
        try:
            quads = parse_file(path)
        except KgError:
            return
        for q in quads[:50]:
            subject_line(path, q.subject.value)
            literal_line(path, q.subject.value, getattr(q.object, "value", ""))

    return [("Turtle (parse_file, check_literals, lines)", name, make, load) for name, make in [
        ("long literal", lambda n: PREFIX + 'kg:a kg:b "' + "a" * n + '" .\n'),
        ("long IRI token", lambda n: PREFIX + "kg:" + "a" * n + " kg:b kg:c .\n"),
        ("many triples on a line", lambda n: PREFIX + repeat("kg:a kg:b kg:c . ", n) + "\n"),
        ("unterminated token", lambda n: PREFIX + "kg:" + "a" * n),
        ("ill-typed dates", lambda n: PREFIX + "".join(
            f'kg:a{i} kg:d "{"2" * 20}"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
            for i in range(n // 70))),
        ("long date literal", lambda n: PREFIX + 'kg:a kg:d "' + "2" * n
         + '"^^<http://www.w3.org/2001/XMLSchema#date> .\n'),
        ("many lines", lambda n: PREFIX + "".join(f"kg:s{i} kg:p kg:o .\n" for i in range(n // 20))),
    ]]


def csv_cases(folder: Path, resolver):
    """An Epoch table through the importer: reading, the cells as figures and dates."""
    from kg.core.errors import KgError
    from kg.ingest.epoch import import_epoch

    header = "Model,Parameters,Training compute (FLOP),Publication date\n"

    def load(text: str) -> None:
        path = folder / "notable_ai_models.csv"
        path.write_text(text, encoding="utf-8")
        with contextlib.suppress(KgError):
            import_epoch(path, resolver, snapshot="2025-11-03")

    return [("CSV import (kg import epoch)", name, make, load) for name, make in [
        ("long number cell", lambda n: header + "A," + "1" * n + ",1e24,2025-01-01\n"),
        ("exponent cell", lambda n: header + "A,1e" + "9" * n + ",1,2025-01-01\n"),
        ("long date cell", lambda n: header + "A,1,1," + "2" * n + "\n"),
        ("long name", lambda n: header + "A" * n + ",7e9,1e24,2025-01-01\n"),
        ("many rows", lambda n: header + "".join(f"M{i},{i}e9,1e24,2025-01-01\n"
                                                  for i in range(n // 30))),
        ("quote soup", lambda n: header + '"' + repeat('""', n) + '",1,1,2025-01-01\n'),
    ]]


def extraction_cases(folder: Path, resolver):
    """A document through `kg extract`: text, Markdown and HTML, one long line or many."""
    from kg.core.errors import KgError
    from kg.ingest.extract import extract_file

    def run(suffix: str):
        def extract(text: str) -> None:
            path = folder / f"doc{suffix}"
            path.write_text(text, encoding="utf-8")
            with contextlib.suppress(KgError):
                extract_file(path, resolver)
        return extract

    return [("extraction (kg extract)", f"{name} ({suffix})", make, run(suffix))
            for suffix, name, make in [
                (".txt", "figures on one line", lambda n: repeat("DeepSeek-V3 used 2.788M GPU hours, ", n)),
                (".txt", "digits", lambda n: "1" * n),
                (".txt", "dollar signs", lambda n: "$" * n),
                (".txt", "dates", lambda n: repeat("January 5, 2025 and ", n)),
                (".txt", "many lines", lambda n: repeat("DeepSeek-V3 has 671B parameters.\n", n)),
                (".md", "brackets", lambda n: "[" * n + "](x)"),
                (".md", "emphasis", lambda n: repeat("**a", n)),
                (".html", "unclosed tags", lambda n: "<p" * (n // 2)),
                (".html", "script", lambda n: "<script>" + "a" * n),
            ]]


def measure(fn: Callable[[str], None], text: str) -> float:
    best = float("inf")
    for _ in range(3 if len(text) <= 10_000 else 1):
        started = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    import warnings

    from kg import EvidenceGraph
    from kg.ingest.resolve import Resolver

    warnings.simplefilter("ignore")  # kg extract says it cuts long sentences: known here
    folder = Path(tempfile.mkdtemp(prefix="kg-parsers-"))
    resolver = Resolver.from_store(EvidenceGraph().store)
    cases = (quantity_cases() + bind_cases() + sparql_text_cases() + turtle_cases(folder)
             + csv_cases(folder, resolver) + extraction_cases(folder, resolver))
    rows, failed = [], []
    for parser, name, make, fn in cases:
        fn(make(100))  # warm up: imports, compiled patterns, the unit registry
        times = [measure(fn, make(n)) for n in SIZES]
        bound = min(CEILING, LINEAR * times[0] * SIZES[-1] / SIZES[0] + FLOOR)
        ok = times[-1] <= bound
        if not ok:
            failed.append(f"{parser}: {name}")
        rows.append((parser, name, *times, bound, ok))
        print(f"{'ok  ' if ok else 'SLOW'} {parser:45} {name:32} "
              + "  ".join(f"{t * 1000:9.2f} ms" for t in times), flush=True)
    write(rows)
    if failed:
        print("over the bound: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


def write(rows) -> None:
    lines = [
        "# Parsers of user text: time per input size",
        "",
        "`benchmarks/parsers.py` on this project's machine (2 cores, shared). Each parser gets",
        "inputs of 1,000, 10,000 and 100,000 characters built to make it work hard; the bound at",
        f"100,000 is {LINEAR:g} x 100 x the time at 1,000 plus {FLOOR * 1000:g} ms, and at most "
        f"{CEILING:g} s.",
        "",
        "| parser | input | 1k chars | 10k chars | 100k chars | bound | within |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for parser, name, t1, t2, t3, bound, ok in rows:
        lines.append(f"| {parser} | {name.replace('|', '/')} | {t1 * 1000:.2f} ms | {t2 * 1000:.2f} ms | "
                     f"{t3 * 1000:.2f} ms | {bound * 1000:.0f} ms | {'yes' if ok else '**no**'} |")
    RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
