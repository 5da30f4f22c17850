"""Markdown to the document model, with markdown-it-py (CommonMark plus GFM pipe tables).

Model cards mix Markdown with raw HTML: a `<table>` inside a `<div>`, often broken by blank lines
into several CommonMark HTML blocks. Consecutive HTML blocks separated only by blank lines are
joined again, from the source lines, and handed to kg.ingest.documents.html with their line offset, so a
table split by a blank line is still one table and its cells keep their lines in the file.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kg.ingest.documents.html import clean, parse_html
from kg.ingest.documents.model import Block, Cell, Heading, ListItem, Paragraph, Row, Table


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def inline_text(token: Token | None) -> str:
    """Plain text of an inline token: markup dropped, link text and code kept, breaks as spaces."""
    if token is None:
        return ""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
                child.type == "html_inline" and child.content.lower().startswith("<br")):
            parts.append(" ")
    return clean("".join(parts))


def _table(tokens: list[Token], i: int) -> tuple[Table, int]:
    """Read a pipe table starting at tokens[i] (table_open); return it and the index after it."""
    start = (tokens[i].map or [0, 1])[0] + 1
    rows: list[Row] = []
    header = False
    cells: list[Cell] = []
    row_line = start
    i += 1
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "thead_open":
            header = True
        elif t.type == "tbody_open":
            header = False
        elif t.type == "tr_open":
            cells = []
            row_line = (t.map or [row_line - 1])[0] + 1
        elif t.type in ("th_open", "td_open"):
            text = inline_text(tokens[i + 1])
            r = len(rows)
            c = len(cells)
            cells.append(Cell(text, r, c, row_line, header or t.type == "th_open", origin=(r, c)))
        elif t.type == "tr_close":
            rows.append(Row(cells, row_line, "header" if header else "body"))
        i += 1
    return Table(start, rows, "markdown"), i + 1


def parse_markdown(source: str) -> list[Block]:
    """Blocks of a Markdown document in reading order, each with its 1-based source line."""
    lines = source.splitlines()
    tokens = _parser().parse(source)
    blocks: list[Block] = []
    depth = 0
    i = 0
    while i < len(tokens):
        t = tokens[i]
        line = (t.map or [0])[0] + 1
        if t.type == "heading_open":
            blocks.append(Heading(line, int(t.tag[1:]), inline_text(tokens[i + 1])))
            i += 3
            continue
        if t.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif t.type == "list_item_open":
            # the item's own text is its first paragraph; nested lists come as their own items
            j = i + 1
            while tokens[j].type not in ("inline", "list_item_close"):
                j += 1
            text = inline_text(tokens[j]) if tokens[j].type == "inline" else ""
            blocks.append(ListItem(line, text, max(depth - 1, 0)))
            if tokens[j].type == "inline":
                i = j + 2  # past inline and paragraph_close
                continue
        elif t.type == "paragraph_open":
            if not (i and tokens[i - 1].type == "list_item_open"):
                text = inline_text(tokens[i + 1])
                if text:
                    blocks.append(Paragraph(line, text))
            i += 3
            continue
        elif t.type == "table_open":
            table, i = _table(tokens, i)
            blocks.append(table)
            continue
        elif t.type == "html_block":
            first, last = t.map or [0, 0]
            j = i + 1
            while j < len(tokens) and tokens[j].type == "html_block":
                span = tokens[j].map
                if not span or any(lines[k].strip() for k in range(last, span[0])):
                    break
                last = span[1]
                j += 1
            blocks.extend(parse_html("\n".join(lines[first:last]), first))
            i = j
            continue
        i += 1
    return blocks
