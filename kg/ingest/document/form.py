"""The intermediate form every document reader produces: lines and table rows with their positions.

A :class:`Form` is a list of blocks in reading order. A :class:`TextLine` is one printed line; a
:class:`TableRow` is one row of a table, its :class:`Cell` s in column order (a cell merged over
several columns or rows is repeated, as the 例規集 page reader does, so every row has the table's
columns). Positions are kept so that every triple can point back into the document: the page (1-based)
and the box in PDF points (origin top-left, as pdfplumber gives them) or image pixels, the Word
paragraph or table cell, and the OCR engine's confidence (0–100) where the text was read by OCR.

>>> form = Form("a.pdf", "application/pdf", "pdf-text-layer", [
...     TextLine("第1条 目的", Position(page=1, box=Box(72, 90, 300, 102))),
...     TableRow((Cell("取組", 0, 0), Cell("内容", 0, 1)), Position(page=2, table=1, row=1))])
>>> src = to_source(form, b"%PDF-1.7 ...")
>>> src.lines, src.media_type, src.positions[1].page
(('第1条 目的', '取組\\t内容'), 'application/pdf', 2)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from kg.ingest.decode import SourceText

__all__ = ["Box", "Cell", "Form", "Position", "TableRow", "TextLine", "join_wrapped", "to_source"]


@dataclass(frozen=True)
class Box:
    """A rectangle on a page: left, top, right, bottom (PDF points from the top-left, or image pixels)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def __str__(self) -> str:
        """``x0,top,x1,bottom`` rounded to whole units, as a selector value would print it."""
        return ",".join(str(round(v)) for v in (self.x0, self.top, self.x1, self.bottom))


@dataclass(frozen=True)
class Cell:
    """One table cell: its text (wrapped lines joined as printed), row and column (0-based) and box."""

    text: str
    row: int
    column: int
    box: Box | None = None
    confidence: float | None = None  # OCR: the lowest word confidence in the cell (0–100)


@dataclass(frozen=True)
class Position:
    """Where a line or row stands in its document; every field is optional."""

    page: int | None = None  # 1-based page of a PDF or a multi-page image
    box: Box | None = None  # the line's (or row's) box on that page
    paragraph: int | None = None  # Word: the 1-based paragraph of the document body
    table: int | None = None  # the 1-based table of the document (PDF or Word)
    row: int | None = None  # the 1-based row in that table
    cells: tuple[Cell, ...] = ()  # a table row's cells with their boxes
    confidence: float | None = None  # OCR: the lowest word confidence on the line (0–100)
    words: tuple[tuple[str, float], ...] = ()  # OCR: words under the review threshold, with confidence
    corrected: tuple[tuple[str, str], ...] = ()  # OCR: (as read, as written) for each near miss of a known term


@dataclass(frozen=True)
class TextLine:
    """One printed line of text."""

    text: str
    position: Position = field(default_factory=Position)


@dataclass(frozen=True)
class TableRow:
    """One row of a table, its cells in column order."""

    cells: tuple[Cell, ...]
    position: Position = field(default_factory=Position)


@dataclass
class Form:
    """A document read into lines and table rows, with how it was read.

    ``reading`` names the method: ``pdf-text-layer``, ``ocr``, ``docx``; ``engine`` the tool and its
    version (「tesseract 5.3.0 jpn」) for a reading the graph must record as derived (OCR).
    """

    name: str
    media_type: str
    reading: str
    blocks: list[TextLine | TableRow]
    engine: str | None = None
    pages: int | None = None


def join_wrapped(first: str, second: str) -> str:
    """Two lines one printed line wrapped into, joined: no separator (Japanese), but a space between two
    ASCII letters or digits that meet with none printed (a Latin word wraps whole, at a space).

    >>> join_wrapped("二本松市と連携して、I C ", "T インフラ"), join_wrapped("イン", "フラ")
    ('二本松市と連携して、I C T インフラ', 'インフラ')
    >>> join_wrapped("I C", "T")
    'I C T'
    """
    if not first or not second:
        return first + second
    a, b = first[-1], second[0]
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
        return f"{first} {second}"
    return first + second


def _row_text(row: TableRow) -> str:
    """A row as the text pipeline reads one: cells joined by tabs (a tab inside a cell becomes a space)."""
    return "\t".join(cell.text.replace("\t", " ") for cell in row.cells)


def to_source(form: Form, data: bytes) -> SourceText:
    """The form as the text the pipeline reads; line ``i`` keeps the position of block ``i``."""
    lines: list[str] = []
    positions: list[Position] = []
    for block in form.blocks:
        if isinstance(block, TableRow):
            text = _row_text(block)
            position = block.position if block.position.cells else _with_cells(block)
        else:
            text, position = block.text, block.position
        if text.strip():
            lines.append(text)
            positions.append(position)
    return SourceText(name=form.name, lines=tuple(lines), encoding=None, sha256=hashlib.sha256(data).hexdigest(),
                      media_type=form.media_type, positions=tuple(positions), reading=form.reading,
                      engine=form.engine)


def _with_cells(row: TableRow) -> Position:
    """The row's position with its cells attached (so a role can point at its cell)."""
    p = row.position
    return replace(p, cells=row.cells)
