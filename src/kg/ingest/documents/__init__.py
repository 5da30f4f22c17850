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
    """Parse a Markdown or HTML file by its suffix (Markdown unless it looks like an HTML page)."""
    from kg.ingest.documents import html as html_parser
    from kg.ingest.documents import markdown as markdown_parser

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    head = text.lstrip()[:200].lower()
    if path.suffix.lower() in (".html", ".htm") or head.startswith(("<!doctype html", "<html")):
        return Document(str(path), html_parser.parse_html(text))
    return Document(str(path), markdown_parser.parse_markdown(text))
