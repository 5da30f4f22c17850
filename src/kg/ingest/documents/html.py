"""HTML to the document model, with selectolax (lexbor) and source lines kept.

selectolax builds the tree the way a browser would (implicit `</td>`, `<tbody>`, stray tags), but it
does not report source positions. So the source is first tokenised with the standard library's
HTML tokenizer, which does report them, and every start tag gets a `data-kg-line` attribute holding
the line where its text starts; the tree then carries its own line numbers. Bare text outside any
block element (footnotes in `<sup>` after a table) is matched in order against the tokenizer's text
chunks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from selectolax.lexbor import LexborHTMLParser, LexborNode

from kg.ingest.documents.model import Block, Cell, Heading, ListItem, Paragraph, Row, Table

LINE_ATTR = "data-kg-line"
HEADINGS = {f"h{i}": i for i in range(1, 7)}
CONTAINERS = {"html", "body", "div", "section", "article", "main", "header", "footer", "nav", "aside",
              "center", "picture", "figure", "blockquote", "details", "ul", "ol", "dl", "form"}
SKIP = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "img", "svg", "hr"}
BREAKS = {"br", "hr"}
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Collapse whitespace, including the non-breaking spaces model cards use for layout."""
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


class _Locator(HTMLParser):
    """Finds, for each start tag, where to insert the line attribute and the line its text starts on."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts = [0]
        for m in re.finditer("\n", source):
            self.starts.append(m.end())
        self.tags: list[list[int]] = []      # [insert offset, tag line, text line or 0]
        self.open: list[tuple[str, int]] = []  # (tag, index into self.tags) still waiting for text
        self.chunks: list[tuple[int, str]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("td", "th"):
            self.open = [(t, i) for t, i in self.open if t not in ("td", "th")]
        elif tag == "tr":
            self.open = [(t, i) for t, i in self.open if t not in ("td", "th", "tr")]
        self.tags.append([self._offset() + 1 + len(tag), self.getpos()[0], 0])
        self.open.append((tag, len(self.tags) - 1))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.tags.append([self._offset() + 1 + len(tag), self.getpos()[0], 0])

    def handle_endtag(self, tag: str) -> None:
        for k in range(len(self.open) - 1, -1, -1):
            if self.open[k][0] == tag:
                del self.open[k:]
                break

    def handle_data(self, data: str) -> None:
        stripped = data.lstrip()
        if not stripped.strip():
            return
        line = self.getpos()[0] + data[: len(data) - len(stripped)].count("\n")
        self.chunks.append((line, clean(data)))
        for _, i in self.open:
            if not self.tags[i][2]:
                self.tags[i][2] = line
        self.open = []


def _annotate(source: str) -> tuple[str, list[tuple[int, str]]]:
    loc = _Locator(source)
    loc.feed(source)
    loc.close()
    out, last = [], 0
    for offset, tag_line, text_line in loc.tags:
        out.append(source[last:offset])
        out.append(f' {LINE_ATTR}="{text_line or tag_line}"')
        last = offset
    out.append(source[last:])
    return "".join(out), loc.chunks


class _Walker:
    def __init__(self, chunks: list[tuple[int, str]], offset: int) -> None:
        self.chunks = chunks
        self.cursor = 0
        self.offset = offset
        self.blocks: list[Block] = []
        self.run: list[str] = []
        self.run_line = 0

    def line_of(self, node: LexborNode, fallback: int = 1) -> int:
        value = (node.attributes or {}).get(LINE_ATTR) if node.is_element_node else None
        return int(value) + self.offset if value else fallback

    def text_line(self, text: str, fallback: int) -> int:
        """The line of a bare text node: the next tokenizer chunk that starts the same way."""
        key = text[:20]
        for k in range(self.cursor, len(self.chunks)):
            if self.chunks[k][1].startswith(key) or key.startswith(self.chunks[k][1][:20]):
                self.cursor = k + 1
                return self.chunks[k][0] + self.offset
        return fallback

    def flush(self) -> None:
        text = clean(" ".join(self.run))
        if text:
            self.blocks.append(Paragraph(self.run_line, text))
        self.run, self.run_line = [], 0

    def add_inline(self, text: str, line: int) -> None:
        if not clean(text):
            return
        if not self.run:
            self.run_line = line
        self.run.append(text)

    def walk(self, node: LexborNode, depth: int = 0, last_line: int = 1) -> int:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = child.text_content or ""
                if clean(text):
                    last_line = self.text_line(clean(text), last_line)
                    self.add_inline(text, last_line)
                continue
            if not child.is_element_node or tag in SKIP:
                if tag in BREAKS:
                    self.flush()
                continue
            line = self.line_of(child, last_line)
            last_line = line
            if tag in BREAKS:
                self.flush()
            elif tag in HEADINGS:
                self.flush()
                self.blocks.append(Heading(line, HEADINGS[tag], _text(child)))
                self._skip_chunks(child)
            elif tag == "p":
                self.flush()
                if _text(child):
                    self.blocks.append(Paragraph(line, _text(child)))
                self._skip_chunks(child)
            elif tag == "li":
                self.flush()
                self.blocks.append(ListItem(line, _text(child, skip_lists=True), depth))
                self._skip_chunks(child, skip_lists=True)
                last_line = self.walk_lists(child, depth + 1, line)
            elif tag == "table":
                self.flush()
                self.blocks.append(read_table(child, self.offset, line))
                self._skip_chunks(child)
            elif tag in CONTAINERS:
                self.flush()
                last_line = self.walk(child, depth + (tag in ("ul", "ol")), line)
                self.flush()
            else:  # inline element: part of the current run of text
                text = _text(child)
                if text:
                    self.add_inline(text, line)
                    self._skip_chunks(child)
        return last_line

    def walk_lists(self, li: LexborNode, depth: int, line: int) -> int:
        for sub in li.iter():
            if sub.tag in ("ul", "ol"):
                line = self.walk(sub, depth, line)
        return line

    def _skip_chunks(self, node: LexborNode, skip_lists: bool = False) -> None:
        """Move the bare-text cursor past the text of an element already read through the tree."""
        for n in node.traverse(include_text=True):
            if n.tag == "-text" and clean(n.text_content or ""):
                self.text_line(clean(n.text_content or ""), 0)


def _text(node: LexborNode, skip_lists: bool = False) -> str:
    parts: list[str] = []
    for n in node.iter(include_text=True):
        if n.tag == "-text":
            parts.append(n.text_content or "")
        elif n.tag in SKIP or (skip_lists and n.tag in ("ul", "ol")):
            continue
        elif n.tag == "br":
            parts.append(" ")
        elif n.is_element_node:
            parts.append(" " + _text(n, skip_lists) + " ")
    return clean("".join(parts))


def _own_rows(table: LexborNode) -> list[LexborNode]:
    """The table's rows in order, leaving out rows of tables nested inside its cells."""
    rows = []
    for tr in table.css("tr"):
        parent = tr.parent
        while parent is not None and parent.tag != "table":
            parent = parent.parent
        if parent is not None and parent.mem_id == table.mem_id:
            rows.append(tr)
    return rows


def _span(node: LexborNode, name: str) -> int:
    try:
        return max(1, int(str((node.attributes or {}).get(name) or "1").strip().strip('"')))
    except ValueError:
        return 1


def read_table(table: LexborNode, offset: int = 0, line: int = 1) -> Table:
    """A table with `rowspan`/`colspan` expanded into a full grid and section rows marked as groups."""
    trs = _own_rows(table)
    grid: dict[tuple[int, int], Cell] = {}
    row_lines: list[int] = []
    for r, tr in enumerate(trs):
        in_head = tr.parent is not None and tr.parent.tag == "thead"
        tr_value = (tr.attributes or {}).get(LINE_ATTR)
        row_line = int(tr_value) + offset if tr_value else line
        col = 0
        first_line = 0
        for td in tr.iter():
            if td.tag not in ("td", "th"):
                continue
            while (r, col) in grid:
                col += 1
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            value = (td.attributes or {}).get(LINE_ATTR)
            cell_line = int(value) + offset if value else row_line
            first_line = first_line or cell_line
            text = _text(td)
            for dr in range(rs):
                for dc in range(cs):
                    if dr and r + dr >= len(trs):
                        continue  # a rowspan running past the last row (the Llama card has one)
                    grid[(r + dr, col + dc)] = Cell(
                        text, r + dr, col + dc, cell_line, td.tag == "th" or in_head, rs, cs,
                        spanned=bool(dr or dc), origin=(r, col))
            col += cs
        row_lines.append(first_line or row_line)
    width = max((c for _, c in grid), default=-1) + 1
    rows: list[Row] = []
    for r in range(len(trs)):
        cells = [grid.get((r, c)) or Cell("", r, c, row_lines[r], spanned=True, origin=(r, c))
                 for c in range(width)]
        own = [c for c in cells if not c.spanned and c.text]
        kind = "body"
        if cells and all(c.header for c in cells if c.text):
            kind = "header" if any(c.text for c in cells) else "body"
        if width > 1 and len(own) == 1 and own[0].colspan >= width:
            kind = "group"
        rows.append(Row(cells, row_lines[r], kind))
    return Table(line, rows, "html")


def inert_brackets(source: str) -> str:
    """A `<` that another `<` follows before any `>` opens no tag: written as `&lt;`, in one pass.

    The standard library's HTML parser (which finds each tag's line) scans from every such `<`
    to the end of the text: 50,000 of them ("<p<p<p...") took 30 s (issue 18).
    """
    out, at, closed = [], 0, -1
    while True:
        opened = source.find("<", at)
        if opened < 0:
            out.append(source[at:])
            return "".join(out)
        if closed != len(source) and closed <= opened:  # the next '>' is found once per stretch
            closed = source.find(">", opened + 1)
            closed = len(source) if closed < 0 else closed
        after = source.find("<", opened + 1)
        out.append(source[at:opened])
        out.append("&lt;" if closed == len(source) or 0 <= after < closed else "<")
        at = opened + 1


def parse_html(source: str, line_offset: int = 0) -> list[Block]:
    """Blocks of an HTML document or fragment; `line_offset` is added to every line (for HTML
    embedded in Markdown, the 0-based line where the fragment starts)."""
    annotated, chunks = _annotate(inert_brackets(source))
    tree = LexborHTMLParser(annotated)
    walker = _Walker(chunks, line_offset)
    root = tree.body
    if root is not None:
        walker.walk(root, 0, line_offset + 1)
        walker.flush()
    return walker.blocks
