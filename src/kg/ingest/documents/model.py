"""The document model: what a parsed document is, independent of the markup it came from.

Every block and every table cell carries the 1-based line of the source where its text starts, so
anything read from it (a candidate claim) keeps a locator a reviewer can open. Tables are stored
after `rowspan`/`colspan` expansion as a full grid, because a reader needs to ask "what is above
this cell" and "what is left of this cell" without re-doing the span arithmetic; a copy made by a
span is marked so that a figure is never read twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """Anything in the document's reading order."""

    line: int


@dataclass
class Heading(Block):
    level: int
    text: str


@dataclass
class Paragraph(Block):
    text: str


@dataclass
class ListItem(Block):
    text: str
    depth: int = 0


@dataclass
class Cell:
    """One grid position of a table after spans are expanded.

    `row`/`col` are the grid position; `origin` is the grid position of the source cell this one
    was copied from (itself unless `spanned`). `header` is true for `<th>`, cells in `<thead>` and
    the header row of a Markdown table."""

    text: str
    row: int
    col: int
    line: int
    header: bool = False
    rowspan: int = 1
    colspan: int = 1
    spanned: bool = False
    origin: tuple[int, int] = (0, 0)


@dataclass
class Row:
    """A table row. `kind` is "header", "body" or "group" (a section row spanning the full width,
    such as "Coding Tasks", which labels the rows below it rather than holding figures)."""

    cells: list[Cell]
    line: int
    kind: str = "body"

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Table(Block):
    rows: list[Row] = field(default_factory=list)
    source: str = "html"  # "html" or "markdown"

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


@dataclass
class Document:
    """A parsed document: its blocks in reading order, its source lines, and its YAML front
    matter when it has one (a Hugging Face model card's metadata, kept as text for
    kg.ingest.modelcard)."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    front_matter: str | None = None
    pages: list[int] = field(default_factory=list)   # a PDF's first line of each page, in order

    def page_of(self, line: int) -> int | None:
        """The page (1-based) a line of a PDF's text is on; None for other documents."""
        if not self.pages:
            return None
        return sum(1 for start in self.pages if start <= line) or 1

    @property
    def headline(self) -> str | None:
        """The document's own title: its first top-level heading, if it has one."""
        return next((b.text for b in self.blocks if isinstance(b, Heading) and b.level == 1
                     and b.text), None)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
