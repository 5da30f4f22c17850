"""Documents read as documents: headings, paragraphs, list items and tables with source lines.

`kg extract` used to see a model card as lines of text with the markup stripped, so a table with a
column per model became a run of unrelated numbers. This package parses Markdown and HTML with real
parsers into a small document model (kg.ingest.documents.model) that keeps every block's 1-based source
line, and reads tables as figures with their row and column labels (kg.ingest.documents.tables). It knows
nothing about RDF: mapping labels to kg entities and properties is a later step.
"""

from __future__ import annotations

from pathlib import Path

from kg.ingest.documents.model import Block, Cell, Document, Heading, ListItem, Paragraph, Row, Table

__all__ = ["Cell", "Document", "Heading", "ListItem", "Paragraph", "Row", "Table", "parse_file"]


def parse_file(path: Path | str) -> Document:
    """Parse a file by its suffix: HTML (or anything that looks like an HTML page), plain text
    (.txt: one paragraph per line, as the text is laid out), PDF (its text, read as plain text;
    see `parse_pdf`), else Markdown. A Markdown file's YAML
    front matter is set aside (its lines left blank, so every other line keeps its number)."""
    from kg.ingest.documents import html as html_parser
    from kg.ingest.documents import markdown as markdown_parser

    path = Path(path)
    if path.suffix.lower() == ".pdf":
        return parse_pdf(path)
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


def parse_pdf(path: Path) -> Document:
    """A PDF's text (a lab's technical report), page by page, read as plain text: one paragraph per
    line, each line's page kept (`Document.page_of`) so a locator can say "page 5". Needs pypdf,
    an optional dependency (`pip install 'kg[pdf]'`): pure Python, well kept, and enough for the
    text of a typeset report (tables come out as runs of figures, for the reviewer to read)."""
    from kg.core.errors import InputError

    try:
        import pypdf
    except ImportError as exc:
        raise InputError(f"{path}: reading a PDF needs pypdf, which is not installed",
                         hint="pip install 'kg[pdf]' (or pip install pypdf), or convert the PDF "
                              "to text first and extract the .txt") from exc
    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many kinds for a damaged or encrypted file
        raise InputError(f"{path}: the PDF cannot be read ({type(exc).__name__}: {exc})",
                         hint="check the file is a complete, unencrypted PDF") from exc
    lines: list[str] = []
    starts: list[int] = []
    for text in pages:
        starts.append(len(lines) + 1)
        lines.extend(text.replace("\x00", "").splitlines())
    blocks: list[Block] = [Paragraph(i, line.strip()) for i, line in enumerate(lines, 1) if line.strip()]
    return Document(str(path), blocks, lines, None, starts)
