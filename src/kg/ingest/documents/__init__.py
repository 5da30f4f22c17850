"""Documents read as documents: headings, paragraphs, list items and tables with source lines.

`kg extract` used to see a model card as lines of text with the markup stripped, so a table with a
column per model became a run of unrelated numbers. This package parses Markdown and HTML with real
parsers into a small document model (kg.ingest.documents.model) that keeps every block's 1-based source
line, and reads tables as figures with their row and column labels (kg.ingest.documents.tables). It knows
nothing about RDF: mapping labels to kg entities and properties is a later step.
"""

from __future__ import annotations

from pathlib import Path

from kg.ingest.documents.model import Cell, Document, Heading, ListItem, Paragraph, Row, Table

__all__ = ["Cell", "Document", "Heading", "ListItem", "Paragraph", "Row", "Table", "parse_file"]


def parse_file(path: Path | str) -> Document:
    """Parse a file by its suffix: HTML (or anything that looks like an HTML page), plain text
    (.txt: one paragraph per line, as the text is laid out), else Markdown. A Markdown file's YAML
    front matter is set aside (its lines left blank, so every other line keeps its number)."""
    from kg.ingest.documents import html as html_parser
    from kg.ingest.documents import markdown as markdown_parser

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    head = text.lstrip()[:200].lower()
    if path.suffix.lower() in (".html", ".htm") or head.startswith(("<!doctype html", "<html")):
        return Document(str(path), html_parser.parse_html(text), lines)
    if path.suffix.lower() == ".txt":
        return Document(str(path), [Paragraph(i, line.strip()) for i, line in enumerate(lines, 1)
                                    if line.strip()], lines)
    front = None
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            front = "\n".join(lines[1:end])
            text = "\n" * (end + 1) + "\n".join(lines[end + 1:])
    return Document(str(path), markdown_parser.parse_markdown(text), lines, front)
