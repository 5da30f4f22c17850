"""What the first real use of the ingest pipeline (issue 20: the labs' own cards) found it lacked:
`kg extract --subject` resolving names as every other command does, a card's licence on the models
the card releases rather than the one it names most, a corrected CSV row landing as corrected with
what was proposed, and the source's locator, version and date basis recorded by `kg add`."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from kg.cli.main import main
from kg.core.resources import GRAPH

NOTE = """# Notes on a model

The model has 35B total parameters and 3B activated.
"""

# a card whose prose names its bigger sibling most, whose download table lists two checkpoints and
# whose licence section covers both (the shape of DeepSeek's V4 card)
CARD = """---
license: mit
library_name: transformers
---
# Foo-LM 3: a made-up card

We present Foo-LM 3 Pro with 900B parameters and Foo-LM 3 Flash with 90B parameters.
Foo-LM 3 Pro leads on knowledge tasks. Foo-LM 3 Pro is slower. Foo-LM 3 Pro is larger.

## Model Downloads

| **Model** | **#Total Params** | **Download** |
| :---: | :---: | :---: |
| Foo-LM 3 Flash | 90B | [link](https://example.org/flash) |
| Foo-LM 3 Pro | 900B | [link](https://example.org/pro) |

## License

This repository and the model weights are licensed under the MIT License.
"""

# no download table: the licence goes on the model the headline names, not the one named most
CARD_NO_TABLE = """# Bar-LM 2 release notes

Bar-LM 2 Mini is small. Bar-LM 2 Mini is fast. Bar-LM 2 Mini is cheap. Bar-LM 2 has 70B parameters.

## License

The weights are released under the Apache 2.0 license.
"""


@pytest.fixture()
def graph(tmp_path) -> Path:
    target = tmp_path / "graph"
    shutil.copytree(GRAPH, target, ignore=shutil.ignore_patterns(".kg-add.lock"))
    return target


def _rows(runner, doc: Path, *extra: str) -> list[dict[str, str]]:
    out = doc.with_suffix(".csv")
    res = runner.invoke(main, ["extract", str(doc), "--format", "csv", "-o", str(out), *extra])
    assert res.exit_code == 0, res.output
    return list(csv.DictReader(out.open(encoding="utf-8")))


def _write(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


# ---------------------------------------------------------------------- (a) --subject
@pytest.mark.parametrize("given", ["kge:deepseek-v3", "deepseek v3", "DeepSeek-V3",
                                   "https://w3id.org/kg-compute/entity/deepseek-v3"])
def test_subject_takes_iris_prefixed_names_labels_and_aliases(runner, tmp_path, given):
    doc = tmp_path / "note.md"
    doc.write_text(NOTE, encoding="utf-8")
    rows = _rows(runner, doc, "--subject", given)
    assert {r["subject"] for r in rows} == {"kge:deepseek-v3"}
    assert {r["subject_label"] for r in rows} == {""}          # a known entity, not a new one


def test_an_unknown_subject_name_is_a_new_entity_with_that_label(runner, tmp_path):
    doc = tmp_path / "note.md"
    doc.write_text(NOTE, encoding="utf-8")
    rows = _rows(runner, doc, "--subject", "Example-LM 9")
    assert {r["subject"] for r in rows} == {"kge:example-lm-9"}
    assert {r["subject_label"] for r in rows} == {"Example-LM 9"}
    out = tmp_path / "note.ttl"
    res = runner.invoke(main, ["extract", str(doc), "-o", str(out), "--subject", "Example-LM 9"])
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert 'kge:example-lm-9 a kg:Model' in text and 'skos:prefLabel "Example-LM 9"' in text
    assert "kge-" not in text                                  # never a mangled prefixed name


def test_an_unknown_iri_as_subject_is_an_error_naming_near_names(runner, tmp_path):
    doc = tmp_path / "note.md"
    doc.write_text(NOTE, encoding="utf-8")
    res = runner.invoke(main, ["extract", str(doc), "--subject", "kge:deepseek-v33"])
    assert res.exit_code == 2
    assert "no entity kge:deepseek-v33" in res.output and "DeepSeek-V3" in res.output
    assert "Traceback" not in res.output


# ---------------------------------------------------------------------- (b) licences
def test_a_licence_goes_on_the_models_the_card_releases(runner, tmp_path):
    doc = tmp_path / "card.md"
    doc.write_text(CARD, encoding="utf-8")
    rows = [r for r in _rows(runner, doc) if r["property"] == "kgp:licence"]
    # front matter (line 2) and the licence sentence (line 19), each on both released checkpoints
    assert sorted((r["line"], r["subject_label"]) for r in rows) == [
        ("19", "Foo-LM 3 Flash"), ("19", "Foo-LM 3 Pro"), ("2", "Foo-LM 3 Flash"), ("2", "Foo-LM 3 Pro")]
    assert {r["value_entity"] for r in rows} == {"kge:mit-license"}
    assert all("download table" in r["decided_by"] for r in rows)
    # a subject a person gives takes the licence alone
    rows = [r for r in _rows(runner, doc, "--subject", "Foo-LM 3 Flash") if r["property"] == "kgp:licence"]
    assert {r["subject_label"] for r in rows} == {"Foo-LM 3 Flash"} and len(rows) == 2


def test_without_a_download_table_the_headline_model_takes_the_licence(runner, tmp_path):
    doc = tmp_path / "notes.md"
    doc.write_text(CARD_NO_TABLE, encoding="utf-8")
    rows = [r for r in _rows(runner, doc) if r["property"] == "kgp:licence"]
    assert [(r["subject_label"], r["value_entity"]) for r in rows] == [("Bar-LM 2", "kge:apache-2-0")]
    assert "headline" in rows[0]["decided_by"]


# ---------------------------------------------------------------------- (c) corrected in a CSV
def test_a_csv_row_fixed_by_the_reviewer_lands_as_corrected_with_what_was_proposed(runner, tmp_path, graph):
    doc = tmp_path / "card.md"
    doc.write_text(CARD, encoding="utf-8")
    rows = _rows(runner, doc)
    assert all(r["proposed"] for r in rows)
    for row in rows:
        row["status"] = "accept"
    params = [r for r in rows if r["property"] == "kgp:totalParameters"]
    params[0]["subject"] = "kge:deepseek-v3"            # a subject fixed in place, status accept
    params[1]["status"] = "corrected"                    # said to be corrected, nothing visible changed
    fixed_from = params[0]["proposed"]
    reviewed = _write(rows, tmp_path / "reviewed.csv")
    res = runner.invoke(main, ["add", "--from-review", str(reviewed), "--graph-dir", str(graph),
                               "--title", "Foo-LM 3 card", "--date", "2026-01-02",
                               "--publisher", "DeepSeek", "--kind", "PrimaryReport", "--no-summary"])
    assert res.exit_code == 0, res.output
    text = (graph / "added" / "foo-lm-3-card-2026.ttl").read_text()
    assert text.count("kg:reviewStatus kg:Corrected") == 2
    assert f'kg:proposedAs "{fixed_from}"' in text and "subject kge:foo-lm-3" in fixed_from
    assert text.count("kg:proposedAs") == 2
    assert text.count("kg:reviewStatus kg:Reviewed") >= len(rows) - 2
    check = runner.invoke(main, ["validate", "--graph", str(graph)])
    assert check.exit_code == 0, check.output


def test_an_unknown_status_names_the_choices(runner, tmp_path, graph):
    doc = tmp_path / "note.md"
    doc.write_text(NOTE, encoding="utf-8")
    rows = _rows(runner, doc, "--subject", "DeepSeek-V3")
    rows[0]["status"], rows[1]["status"] = "accept", "perhaps"
    res = runner.invoke(main, ["add", "--from-review", str(_write(rows, tmp_path / "r.csv")),
                               "--graph-dir", str(graph)])
    assert res.exit_code == 2 and "corrected" in res.output


# ---------------------------------------------------------------------- (d) the source's record
def test_add_records_locator_version_and_date_basis(runner, tmp_path, graph):
    doc = tmp_path / "note.md"
    doc.write_text(NOTE, encoding="utf-8")
    rows = _rows(runner, doc, "--subject", "DeepSeek-V3")
    for row in rows:
        row["status"] = "accept"
    reviewed = _write(rows, tmp_path / "reviewed.csv")
    url = "https://github.com/deepseek-ai/DeepSeek-V3/blob/4c2fdb8f55e049553b9f4f1a3241f86d739c8cf8/README.md"
    res = runner.invoke(main, ["add", "--from-review", str(reviewed), "--graph-dir", str(graph),
                               "--title", "A note", "--date", "2024-12-26", "--publisher", "DeepSeek",
                               "--kind", "PrimaryReport", "--url", url,
                               "--date-basis", "committer date of 4c2fdb8 (git log -1)",
                               "--references", "kgs:deepseek-v3-technical-report", "--no-summary"])
    assert res.exit_code == 0, res.output
    text = (graph / "added" / "a-note-2024.ttl").read_text()
    assert f"dcterms:source <{url}>" in text
    assert ('dcterms:identifier "github:deepseek-ai/DeepSeek-V3@4c2fdb8f55e049553b9f4f1a3241f86d739c8cf8'
            ':README.md"') in text
    assert 'kg:versionRead "4c2fdb8f55e049553b9f4f1a3241f86d739c8cf8"' in text
    assert 'kg:dateBasis "committer date of 4c2fdb8 (git log -1)"' in text
    assert "dcterms:references kgs:deepseek-v3-technical-report" in text
    check = runner.invoke(main, ["validate", "--graph", str(graph)])
    assert check.exit_code == 0, check.output


def test_the_source_record_survives_review_and_a_bad_url_is_refused(runner, tmp_path, graph):
    doc = tmp_path / "note.md"
    doc.write_text(NOTE, encoding="utf-8")
    proposals = tmp_path / "note.ttl"
    res = runner.invoke(main, ["extract", str(doc), "-o", str(proposals), "--subject", "DeepSeek-V3",
                               "--url", "https://example.org/notes.md", "--version", "v2"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "reviewed.ttl"
    res = runner.invoke(main, ["review", str(proposals), "-o", str(out), "--date-basis", "the page's footer"],
                        input="A\nA note\n2025-03-01\nDeepSeek\nNews\n")
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "dcterms:source <https://example.org/notes.md>" in text
    assert 'dcterms:identifier "https://example.org/notes.md@v2"' in text
    assert 'kg:versionRead "v2"' in text and 'kg:dateBasis "the page\'s footer"' in text
    res = runner.invoke(main, ["add", str(out), "--graph-dir", str(graph), "--title", "ignored?"])
    assert res.exit_code == 2 and "kg review" in res.output
    res = runner.invoke(main, ["extract", str(doc), "--url", "not a url"])
    assert res.exit_code == 2 and "not an http(s) URL" in res.output


# ---------------------------------------------------------------------- PDF reports, yes/no values
def _pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with one text line per entry (Helvetica), built by hand so the test needs no
    PDF writer: what a typeset technical report gives pypdf to read."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        text = " ".join(f"({line}) Tj T*" for line in lines)
        stream = f"BT /F1 11 Tf 14 TL 50 750 Td {text} ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_a_pdf_report_is_read_with_its_pages_in_the_locator(runner, tmp_path):
    pytest.importorskip("pypdf", reason="reading PDFs needs the optional pypdf (kg[pdf])")
    report = tmp_path / "report.pdf"
    report.write_bytes(_pdf([["Example-LM 9 Technical Report", "A short abstract."],
                             ["We pre-train Example-LM 9 on 36 trillion tokens."]]))
    rows = _rows(runner, report, "--subject", "Example-LM 9")
    tokens = [r for r in rows if r["property"] == "kgp:trainingTokens"]
    assert [r["stated"] for r in tokens] == ["36 trillion"]
    assert tokens[0]["locator"].startswith("page 2, ")


def test_a_yes_no_property_lands_as_a_boolean(runner, tmp_path, graph):
    doc = tmp_path / "note.md"
    doc.write_text(NOTE, encoding="utf-8")
    rows = _rows(runner, doc, "--subject", "DeepSeek-V3")
    for row in rows:
        row["status"] = "reject"
    rows.append({**rows[0], "stated": "weights on Hugging Face", "property": "kgp:openWeights",
                 "value_text": "yes", "status": "accept", "proposed": ""})
    res = runner.invoke(main, ["add", "--from-review", str(_write(rows, tmp_path / "r.csv")),
                               "--graph-dir", str(graph), "--title", "A note", "--date", "2025",
                               "--publisher", "DeepSeek", "--kind", "News", "--no-summary"])
    assert res.exit_code == 0, res.output
    text = (graph / "added" / "a-note-2025.ttl").read_text()
    assert "kg:valueBoolean true" in text and "kg:valueText" not in text
    rows[-1]["value_text"] = "perhaps"
    res = runner.invoke(main, ["add", "--from-review", str(_write(rows, tmp_path / "r2.csv")),
                               "--graph-dir", str(graph), "--title", "Another note", "--date", "2025",
                               "--publisher", "DeepSeek", "--kind", "News", "--no-summary"])
    assert res.exit_code == 2 and "takes true or false" in res.output


def test_every_source_flag_reaches_the_reviewed_file(runner, tmp_path, graph):
    doc = tmp_path / "note.md"
    doc.write_text(NOTE, encoding="utf-8")
    proposals = tmp_path / "note.ttl"
    res = runner.invoke(main, ["extract", str(doc), "-o", str(proposals), "--subject", "DeepSeek-V3",
                               "--date-basis", "the commit date", "--references",
                               "kgs:deepseek-v3-technical-report"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "reviewed.ttl"
    res = runner.invoke(main, ["review", str(proposals), "-o", str(out), "--url",
                               "https://example.org/report.html", "--version", "rev 7", "--references",
                               "https://w3id.org/kg-compute/source/deepseek-v3-readme"],
                        input="A\nA report\n2024-12-27\nDeepSeek\nPrimaryReport\n")
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert 'kg:dateBasis "the commit date"' in text and 'kg:versionRead "rev 7"' in text
    assert "dcterms:references kgs:deepseek-v3-readme" in text   # the flag given last wins
    rows = _rows(runner, doc, "--subject", "DeepSeek-V3")
    for row in rows:
        row["status"] = "accept"
    res = runner.invoke(main, ["add", "--from-review", str(_write(rows, tmp_path / "r.csv")),
                               "--graph-dir", str(graph), "--title", "A report", "--date", "2024",
                               "--publisher", "DeepSeek", "--kind", "PrimaryReport", "--no-summary",
                               "--url", "https://example.org/report.html", "--version", "rev 7"])
    assert res.exit_code == 0, res.output
    added = (graph / "added" / "a-report-2024.ttl").read_text()
    assert 'dcterms:identifier "https://example.org/report.html@rev 7"' in added
