"""How well the table reader (kg.ingest.documents.tables) finds the hand-labelled figures.

Against tests/data/extraction/*.labels.tsv, on the table figures the reader proposes. Two
matchings, each one-to-one on the same line:
  - figure: the same figure text;
  - figure + subject: additionally the same subject, after normalising both the reader's subject
    label and the gold subject (kg.ingest.resolve.normalise on the label, hyphens in the gold slug read as
    spaces; a trailing parenthesis without digits in a header, such as "(non-thinking)", dropped).
Precision = matched / proposed; recall = matched / labelled. Recall counts every labelled figure,
prose included, so it shows how much of a document the tables alone cover; "table recall" counts
only labels on lines that are table rows. Subjects are compared as names, not as kg IRIs: mapping
"Deepseek-V3-Base" to kge:deepseek-v3 is the resolver's job, so such pairs count as misses here.

Run: .venv/bin/python benchmarks/extraction_tables.py  (writes benchmarks/results/extraction_tables.md)
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "data" / "documents"
LABELS = ROOT / "tests" / "data" / "extraction"
RESULT = ROOT / "benchmarks" / "results" / "extraction_tables.md"
DOCUMENTS = [("kimi-k2-readme", DOCS), ("llama-3.1-model-card", DOCS), ("deepseek-v3-readme-tables", LABELS)]


def subject_key(name: str | None) -> str:
    """A subject label or slug folded for comparison."""
    from kg.ingest.resolve import normalise

    if not name:
        return ""
    name = re.sub(r"\s*\([^()\d]*\)\s*$", "", name)  # "(non-thinking)" goes, "(05-20)" stays
    return normalise(name.replace("-", " ")).replace(".", " ")


def _match(found, gold, with_subject: bool) -> int:
    used: set[int] = set()
    hits = 0
    for f in found:
        for i, g in enumerate(gold):
            if i in used or int(g["line"]) != f.line or g["figure"] != f.figure:
                continue
            if with_subject and subject_key(f.subject) != subject_key(g["subject"]):
                continue
            used.add(i)
            hits += 1
            break
    return hits


def run() -> str:
    from kg.ingest.documents import parse_file
    from kg.ingest.documents.tables import read_tables

    lines = ["# Table reader benchmark", "",
             "`kg.ingest.documents.tables` against the hand-labelled figures in tests/data/extraction. "
             "One-to-one matches on the same line. P = precision, R = recall over all labels, "
             "table R = recall over labels on table rows.", "",
             "| document | proposed | labelled | on table rows | figure P | figure R | figure table R | "
             "fig+subj P | fig+subj R | fig+subj table R |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, folder in DOCUMENTS:
        path = folder / f"{name}.md"
        if not path.exists():
            lines.append(f"| {name} | absent: {path} | | | | | | | | |")
            continue
        source = path.read_text(encoding="utf-8").splitlines()
        with (LABELS / f"{name}.labels.tsv").open(encoding="utf-8") as fh:
            gold = list(csv.DictReader(fh, delimiter="\t"))
        in_tables = [g for g in gold if re.search(r"<t[dh]\b|^\s*\|", source[int(g["line"]) - 1])]
        found = read_tables(parse_file(path))
        fig, full = _match(found, gold, False), _match(found, gold, True)
        lines.append(
            f"| {name} | {len(found)} | {len(gold)} | {len(in_tables)} | {_pct(fig, len(found))} | "
            f"{_pct(fig, len(gold))} | {_pct(fig, len(in_tables))} | {_pct(full, len(found))} | "
            f"{_pct(full, len(gold))} | {_pct(full, len(in_tables))} |")
    lines.append("")
    return "\n".join(lines)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


if __name__ == "__main__":
    if not DOCS.is_dir():
        print(f"note: {DOCS} is absent; only the excerpt in tests/data/extraction is measured",
              file=sys.stderr)
    text = run()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text, encoding="utf-8")
    print(text)
