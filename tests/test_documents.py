"""kg.ingest.documents: parsing Markdown and HTML into blocks with lines, and reading tables as figures.

Tiny inline fixtures pin each structural case (rowspan, colspan, section rows, pipe tables, HTML
inside Markdown); the two real model cards in ../shared/data/documents check that every labelled
table figure comes out of the parser as a cell with the same text on the same line."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from kg.ingest.documents import Heading, ListItem, Paragraph, Table
from kg.ingest.documents.html import parse_html
from kg.ingest.documents.markdown import parse_markdown
from kg.ingest.documents.tables import read_table, split_figure

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "data" / "documents"
LABELS = ROOT / "tests" / "data" / "extraction"

SPANS = """<table>
<tr><th>Benchmark</th><th>Metric</th><th>Model A</th><th>Model B</th></tr>
<tr><td colspan=4><strong>Coding Tasks</strong></td></tr>
<tr><td rowspan="2">SWE-bench Verified</td><td>Single (Acc)</td><td>65.8</td><td>72.7<sup>*</sup></td></tr>
<tr><td>Multiple (Acc)</td><td>71.6</td><td>—</td></tr>
</table>"""


def _tables(blocks):
    return [b for b in blocks if isinstance(b, Table)]


def test_rowspan_and_colspan_expand_into_a_grid():
    table = _tables(parse_html(SPANS))[0]
    assert table.width == 4
    assert [r.kind for r in table.rows] == ["header", "group", "body", "body"]
    copy = table.rows[3].cells[0]
    assert copy.text == "SWE-bench Verified" and copy.spanned and copy.origin == (2, 0)
    assert table.rows[2].cells[0].line == 4 and copy.line == 4
    assert table.rows[3].cells[1].line == 5


def test_section_row_becomes_the_group_and_rowspan_label_the_row_label():
    figures = read_table(_tables(parse_html(SPANS))[0])
    got = [(f.figure, f.subject, f.row_label, f.group, f.note) for f in figures]
    assert got == [
        ("65.8", "Model A", "SWE-bench Verified (Single (Acc))", "Coding Tasks", None),
        ("72.7", "Model B", "SWE-bench Verified (Single (Acc))", "Coding Tasks", "*"),
        ("71.6", "Model A", "SWE-bench Verified (Multiple (Acc))", "Coding Tasks", None),
    ]
    assert all(f.layout == "models-in-header" for f in figures)
    assert "Model A" in figures[0].evidence and "SWE-bench Verified" in figures[0].evidence


def test_colspan_header_groups_columns():
    html = """<table>
<thead><tr><th rowspan=2>Benchmark</th><th colspan=2>Open models</th></tr>
<tr><th>M1</th><th>M2</th></tr></thead>
<tbody><tr><td>MMLU</td><td>80.1</td><td>81.2</td></tr></tbody></table>"""
    figures = read_table(_tables(parse_html(html))[0])
    got = [(f.subject, f.group, f.line) for f in figures]
    assert got == [("M1", "Open models", 4), ("M2", "Open models", 4)]


def test_models_in_the_first_column_with_units_from_the_header():
    html = """<table>
  <tr>
   <td></td>
   <td><strong>Training Time (GPU hours)</strong>
   </td>
   <td><strong>Power (W)</strong></td>
  </tr>
  <tr>
   <td>Model 8B
   </td>
   <td>1.46M
   </td>
   <td>700</td>
  </tr>
</table>"""
    figures = read_table(_tables(parse_html(html, line_offset=100))[0])
    assert [(f.figure, f.subject, f.row_label, f.unit, f.line) for f in figures] == [
        ("1.46M", "Model 8B", "Training Time (GPU hours)", "GPU hours", 111),
        ("700", "Model 8B", "Power (W)", "W", 113),
    ]
    assert figures[0].layout == "models-in-rows"


def test_markdown_pipe_table_and_category_column_carried_down():
    md = """# Results

|  | Benchmark (Metric) | # Shots | Alpha | Beta |
|---|---|---|---|---|
| | # Total Params | - | 236B | 671B |
| English | MMLU (Acc.) | 5-shot | 78.4 | **87.1** |
| | BBH (EM) | 3-shot | 78.8 | 87.5 |
| Code | HumanEval (Pass@1) | 0 | 43.3 | - |
"""
    blocks = parse_markdown(md)
    assert isinstance(blocks[0], Heading) and blocks[0].line == 1
    table = _tables(blocks)[0]
    assert table.source == "markdown" and table.rows[0].kind == "header"
    figures = read_table(table)
    got = [(f.line, f.figure, f.subject, f.row_label, f.group) for f in figures]
    assert got == [
        (5, "236B", "Alpha", "# Total Params", None),
        (5, "671B", "Beta", "# Total Params", None),
        (6, "78.4", "Alpha", "MMLU (Acc., 5-shot)", "English"),
        (6, "87.1", "Beta", "MMLU (Acc., 5-shot)", "English"),
        (7, "78.8", "Alpha", "BBH (EM, 3-shot)", "English"),
        (7, "87.5", "Beta", "BBH (EM, 3-shot)", "English"),
        (8, "43.3", "Alpha", "HumanEval (Pass@1, 0-shot)", "Code"),
    ]


def test_a_sub_header_row_of_variants_qualifies_each_column():
    """Markdown has one header row, so a card writes the shots as the first body row under it;
    the same benchmark twice is then two variants, and a footnote mark is no part of a name."""
    md = """| Model | Alpha-Bench | Alpha-Bench | Beta-QA(dev)<sup>*</sup> | Gamma |
|---|---|---|---|---|
| | 0-shot | 5-shot | 3-shot | - |
| Foo-7B | 41.5 | 44.0 | 30.1 | 12.0 |
| Bar-13B | 50.2 | 52.8 | - | 15.5 |
"""
    figures = read_table(_tables(parse_markdown(md))[0])
    got = [(f.line, f.figure, f.subject, f.column_label) for f in figures]
    assert got == [
        (4, "41.5", "Foo-7B", "Alpha-Bench (0-shot)"), (4, "44.0", "Foo-7B", "Alpha-Bench (5-shot)"),
        (4, "30.1", "Foo-7B", "Beta-QA (dev, 3-shot)"), (4, "12.0", "Foo-7B", "Gamma"),
        (5, "50.2", "Bar-13B", "Alpha-Bench (0-shot)"), (5, "52.8", "Bar-13B", "Alpha-Bench (5-shot)"),
        (5, "15.5", "Bar-13B", "Gamma"),
    ]
    assert {f.layout for f in figures} == {"models-in-rows"}


def test_a_column_written_once_per_group_is_the_group_whatever_its_header():
    """A first column headed "Benchmark" but filled only where a group starts, beside an
    unnamed column that names every row, groups the rows; the second column names the measure."""
    md = """| Benchmark | | Foo-7B | Bar-13B |
|---|---|---|---|
| Knowledge | AlphaQA(0-shot) | 60.1 | 55.0 |
| | BetaQA(5-shot) | 40.2 | 44.4 |
| Code | GammaEval(Pass@1) | 30.0 | 35.5 |
"""
    figures = read_table(_tables(parse_markdown(md))[0])
    got = [(f.figure, f.subject, f.row_label, f.group) for f in figures]
    assert got == [
        ("60.1", "Foo-7B", "AlphaQA (0-shot)", "Knowledge"),
        ("55.0", "Bar-13B", "AlphaQA (0-shot)", "Knowledge"),
        ("40.2", "Foo-7B", "BetaQA (5-shot)", "Knowledge"),
        ("44.4", "Bar-13B", "BetaQA (5-shot)", "Knowledge"),
        ("30.0", "Foo-7B", "GammaEval (Pass@1)", "Code"),
        ("35.5", "Bar-13B", "GammaEval (Pass@1)", "Code"),
    ]


def test_a_text_row_with_a_name_stays_in_the_body():
    """Only a row whose name cell is empty qualifies the header: a model row without figures
    is a row of the table, not more header."""
    md = "| Model | Licence | Score |\n|---|---|---|\n| Foo-7B | Apache | - |\n| Bar-13B | MIT | 61.0 |\n"
    figures = read_table(_tables(parse_markdown(md))[0])
    assert [(f.figure, f.subject, f.column_label) for f in figures] == [("61.0", "Bar-13B", "Score")]


def test_two_column_summary_has_no_subject():
    md = "| | |\n|:---:|:---:|\n| **Total Parameters** | 1T |\n| **Architecture** | MoE |\n"
    figures = read_table(_tables(parse_markdown(md))[0])
    assert [(f.figure, f.subject, f.row_label, f.layout) for f in figures] == [
        ("1T", None, "Total Parameters", "no-subject")]


def test_html_inside_markdown_keeps_file_lines_across_blank_lines():
    md = """## Scores

Some prose with 32 billion parameters.

- an item
- another

<div align="center">
<table>
<tr><th>Benchmark</th><th>X</th></tr>
<tr><td>A</td><td>1.0</td></tr>

<tr><td>B</td><td>2.0</td></tr>
</table>
</div>
<sup>
• a footnote with 65.8% in it
</sup>
"""
    blocks = parse_markdown(md)
    assert Paragraph(3, "Some prose with 32 billion parameters.") in blocks
    assert [b for b in blocks if isinstance(b, ListItem)] == [ListItem(5, "an item"), ListItem(6, "another")]
    tables = _tables(blocks)
    assert len(tables) == 1, "a blank line inside an HTML table must not split it"
    figures = read_table(tables[0])
    assert [(f.figure, f.line, f.row_label) for f in figures] == [("1.0", 11, "A"), ("2.0", 13, "B")]
    notes = [b for b in blocks if isinstance(b, Paragraph) and "65.8%" in b.text]
    assert notes and notes[0].line == 17


def test_split_figure():
    assert split_figure("72.7 *") == ("72.7", None, "*")
    assert split_figure("15T+") == ("15T+", None, None)
    assert split_figure("2,040") == ("2,040", None, None)
    assert split_figure("65.8%") == ("65.8%", "%", None)
    assert split_figure("Multilingual Text") is None
    assert split_figure("3-5") is None
    assert split_figure("December 2023") is None


def _labels(name: str) -> list[dict]:
    with (LABELS / f"{name}.labels.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _cells(path: Path) -> set[tuple[int, str]]:
    """(line, text) of every table cell the parser produced, figure marks removed."""
    from kg.ingest.documents import parse_file

    out = set()
    for table in parse_file(path).tables:
        for row in table.rows:
            for cell in row.cells:
                parsed = split_figure(cell.text) if cell.text else None
                out.add((cell.line, parsed[0] if parsed else cell.text))
    return out


@pytest.mark.parametrize("name", ["kimi-k2-readme", "llama-3.1-model-card", "deepseek-v3-readme-tables"])
def test_every_labelled_table_figure_is_a_parsed_cell(name):
    path = (LABELS if name.startswith("deepseek") else DOCS) / f"{name}.md"
    if not path.exists():
        pytest.skip(f"{path} is absent: the real model cards live in ../shared/data/documents")
    source = path.read_text(encoding="utf-8").splitlines()
    cells = _cells(path)
    missing = []
    table_labels = 0
    for label in _labels(name):
        line = int(label["line"])
        text = source[line - 1]
        if not re.search(r"<t[dh]\b|^\s*\|", text):
            continue  # a figure in prose, not in a table
        table_labels += 1
        if (line, label["figure"]) not in cells:
            missing.append((line, label["figure"]))
    assert table_labels > 50
    assert missing == []
