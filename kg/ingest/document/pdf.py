"""A PDF with a text layer → :class:`~kg.ingest.document.form.Form`: lines, and ruled tables as cells.

Read with pdfplumber (on pdfminer.six), from the characters and their boxes, not from any text the
library strings together:

- **Tables** are found from their ruling lines (``find_tables`` with the ``lines`` strategy). Each
  grid row becomes a :class:`TableRow`; a cell merged over several rows is repeated on every row it
  covers, and a cell merged over several columns is followed by empty cells, as the 例規集 page
  reader does for ``rowspan``/``colspan`` (kg/ingest/page_text.py), so every row has the table's
  columns. A row of one cell across the table is a plain line (a pillar heading printed in it). A table
  continued over a page break is read page by page; its repeated header row is kept as a row (the
  annex reader skips a header it has already read).
- **Text in a cell** is joined line by line by the characters' positions: a line break inside a cell is
  not text (Japanese puts no space where a line wraps), a space printed between two characters is
  (a space glyph, or a gap wider than a fifth of the font size), so 「I C T」 wrapped over two lines
  stays 「I C T」. Where two lines meet between ASCII letters or digits with no space printed, they are
  joined with one space: a word processor wraps a Latin word whole, at a space.
- **Lines** outside tables are the characters grouped by their vertical position, in reading order
  (top to bottom, page by page); characters inside a table's box belong to the table only. A line that
  runs from the left margin to the right one and is followed, at the usual line spacing, by one that
  does not open a new provision (第N条, 「2 」, 「(1)」, a heading in brackets, 別表) is wrapped: the two are one line.
- **Unreadable glyphs**: a page printing glyphs its fonts map to no character (pdfminer's
  「(cid:123)」 for a font without a ToUnicode map, a control character or U+FFFD for a broken one) or
  外字 of the private use area is refused, page named:
  its text cannot be read as printed.
- **Scans with a text layer** (a "searchable PDF": an image covering a page, an OCR layer over it) are
  read by OCR as scans are, never as print: the layer is some other engine's reading.
- **Page furniture**: a line in the top or bottom tenth of a page that is only a page number
  (「- 3 -」, 「3」, 「3/8」, 「3ページ」), or whose text (digits aside) repeats there on most pages, is dropped.

Positions are PDF points from the page's top-left, as pdfplumber gives them.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kg.errors import InputError
from kg.ingest.document.form import Box, Cell, Form, Position, TableRow, TextLine, join_wrapped

__all__ = ["MEDIA_TYPE", "ScannedPdf", "page_count", "read_pdf"]

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/pdf"
READING = "pdf-text-layer"

#: A gap between two characters wider than this share of the font size is a printed space.
SPACE_GAP = 0.2
#: A gap of at least this share of the font size between two characters is a full-width space.
WIDE_GAP = 0.85
#: The share of a page an image must cover for the page to be a scan.
SCAN_COVER = 0.8
#: The top and bottom share of a page where headers, footers and page numbers stand.
MARGIN_ZONE = 0.1
_PAGE_NUMBER = re.compile(r"[-－‐―—–\s]*(?:p\.?\s*)?\d+(?:\s*[/／]\s*\d+)?\s*(?:ページ|頁)?[-－‐―—–\s]*",
                          re.IGNORECASE)
#: What opens a new provision or heading, so a line before it that reaches the margin is not wrapped
#: into it: 第N条, 「2 」 / 「２　」, 「(1)」, 「（目的）」, 別表, 附則, a kana item 「ア 」.
#: An article number must be followed by its separator (「第3条 」, 「第3条の2　」), so that a reference
#: wrapped to the start of a line (「…地方自治法」/「第252条の2第4項の規定により…」) is not one; a heading in
#: brackets stands alone on its line (「（目的）」), so that 「（以下「圏域」という。）を…」 is not one.
_N = "[0-9０-９一二三四五六七八九十百]+"
_OPENS = re.compile(rf"(?:第{_N}条(?:の{_N})*(?:[ \u3000]|$)|[0-9０-９]+[ \u3000]|[（(][^（）()]{{1,20}}[）)]$"
                    rf"|[（(]{_N}[）)]|別表|附\s*則|[ア-ン][ \u3000]|[a-zａ-ｚ][ \u3000]|[ivxⅰ-ⅹ]+[ \u3000])")


class ScannedPdf(Exception):  # noqa: N818 — a signal to the dispatcher, never shown to a user
    """Raised when a PDF has no text layer at all: the dispatcher hands it to OCR."""


@dataclass
class _Line:
    """A line being built: its characters (pdfplumber dicts) and where it stands."""

    chars: list[dict[str, Any]]
    page: int
    page_height: float

    @property
    def top(self) -> float:
        return min(float(c["top"]) for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(float(c["bottom"]) for c in self.chars)

    @property
    def x0(self) -> float:
        return min(float(c["x0"]) for c in self.chars)

    @property
    def x1(self) -> float:
        return max(float(c["x1"]) for c in self.chars if not str(c["text"]).isspace()) if self.ink else self.x0

    @property
    def ink(self) -> bool:
        return any(not str(c["text"]).isspace() for c in self.chars)

    @property
    def size(self) -> float:
        return statistics.median(float(c["size"]) for c in self.chars)

    @property
    def box(self) -> Box:
        return Box(self.x0, self.top, max(float(c["x1"]) for c in self.chars), self.bottom)


def _group_lines(chars: Iterable[dict[str, Any]], page: int, height: float) -> list[_Line]:
    """Characters → lines: a character belongs to the line whose vertical middle it shares."""
    lines: list[_Line] = []
    for c in sorted(chars, key=lambda c: (float(c["top"]), float(c["x0"]))):
        middle = (float(c["top"]) + float(c["bottom"])) / 2
        line = lines[-1] if lines else None
        if line is not None and line.top <= middle <= line.bottom:
            line.chars.append(c)
        else:
            lines.append(_Line([c], page, height))
    for line in lines:
        line.chars.sort(key=lambda c: float(c["x0"]))
    return lines


def _text(chars: Sequence[dict[str, Any]]) -> str:
    """The characters of one line as printed, with a space where a gap between two shows one."""
    out: list[str] = []
    previous: dict[str, Any] | None = None
    for c in chars:
        text = str(c["text"])
        if previous is not None and not text.isspace() and not str(previous["text"]).isspace():
            gap = float(c["x0"]) - float(previous["x1"])
            size = float(c["size"]) or 1.0
            if gap >= WIDE_GAP * size:
                out.append("\u3000")
            elif gap > SPACE_GAP * size:
                out.append(" ")
        out.append(text)
        previous = c
    return "".join(out)


def _cell_text(chars: list[dict[str, Any]], page: int, height: float) -> str:
    """A cell's text: its lines joined where they wrapped, the spaces around it dropped."""
    text = ""
    for line in _group_lines(chars, page, height):
        text = join_wrapped(text, _text(line.chars))
    return text.strip(" \u3000")


def _inside(c: dict[str, Any], box: Sequence[float]) -> bool:
    """Whether the middle of character ``c`` lies in ``box`` (x0, top, x1, bottom)."""
    x = (float(c["x0"]) + float(c["x1"])) / 2
    y = (float(c["top"]) + float(c["bottom"])) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


@dataclass
class _Table:
    """One ruled table on one page: its grid rows (each a tuple of cells) and their boxes."""

    rows: list[tuple[Cell, ...]]
    boxes: list[Box]
    bbox: tuple[float, float, float, float]


def _read_table(table: Any, chars: list[dict[str, Any]], page: int, height: float) -> _Table:
    """A pdfplumber table → its grid rows, merged cells repeated down and padded across."""
    cells = sorted(set(table.cells))
    # The grid's lines are every cell's edges: a merged cell spans several of its rows or columns.
    ys = _edges([y for b in cells for y in (b[1], b[3])])
    xs = _edges([x for b in cells for x in (b[0], b[2])])
    x0, top, x1, bottom = table.bbox
    row_boxes = [(x0, a, x1, b) for a, b in zip(ys, ys[1:], strict=False)]
    col_boxes = [(a, top, b, bottom) for a, b in zip(xs, xs[1:], strict=False)]
    n_rows, n_cols = len(row_boxes), len(col_boxes)
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for bbox in cells:
        rows = [r for r, b in enumerate(row_boxes) if bbox[1] <= (b[1] + b[3]) / 2 <= bbox[3]]
        cols = [c for c, b in enumerate(col_boxes) if bbox[0] <= (b[0] + b[2]) / 2 <= bbox[2]]
        if not rows or not cols:
            continue
        text = _cell_text([c for c in chars if _inside(c, bbox)], page, height)
        box = Box(*bbox)
        for r in rows:
            # Down the rows it covers the cell is repeated; across columns it is padded (colspan).
            grid[r][cols[0]] = Cell(text, r, cols[0], box)
            for c in cols[1:]:
                grid[r][c] = Cell("", r, c, box)
    rows_out = [tuple(cell or Cell("", r, c) for c, cell in enumerate(row)) for r, row in enumerate(grid)]
    return _Table(rows_out, [Box(*b) for b in row_boxes], tuple(table.bbox))


def _edges(values: list[float], tolerance: float = 2.0) -> list[float]:
    """Distinct positions of ruling lines: values closer than ``tolerance`` points are one line."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _furniture(lines: list[_Line], pages: int) -> set[int]:
    """Indices of lines that are page furniture: page numbers, and running headers and footers."""
    def in_margin(line: _Line) -> bool:
        return line.top < MARGIN_ZONE * line.page_height or line.bottom > (1 - MARGIN_ZONE) * line.page_height

    drop = {i for i, line in enumerate(lines) if in_margin(line) and _PAGE_NUMBER.fullmatch(_text(line.chars))}
    if pages >= 3:  # a running header needs pages to run over
        keys = [re.sub(r"\d+", "#", _text(line.chars)) if in_margin(line) else None for line in lines]
        on_pages: dict[str, set[int]] = {}
        for line, k in zip(lines, keys, strict=True):
            if k:
                on_pages.setdefault(k, set()).add(line.page)
        repeated = {k for k, seen in on_pages.items() if len(seen) > pages / 2}
        drop |= {i for i, k in enumerate(keys) if k in repeated}
    return drop


def _unwrap(blocks: list[tuple[_Line | None, TextLine | TableRow]]) -> list[TextLine | TableRow]:
    """Join body lines that wrapped at the right margin into the line they continue."""
    widths = [line.x1 for line, _ in blocks if line is not None]
    if not widths:
        return [block for _, block in blocks]
    right = max(widths)
    left = min(line.x0 for line, _ in blocks if line is not None)
    out: list[TextLine | TableRow] = []
    previous: _Line | None = None
    for line, block in blocks:
        if line is not None and previous is not None and isinstance(out[-1], TextLine):
            size = previous.size
            # A wrapped line runs the whole measure: from the left margin (give or take an indent of two
            # characters) to the right one. A right-aligned date or signature only reaches the right.
            full = previous.x1 >= right - 1.05 * size and previous.x0 <= left + 2.1 * size
            spacing = line.top - previous.bottom
            adjacent = line.page != previous.page or spacing <= 1.0 * size
            assert isinstance(block, TextLine)
            if full and adjacent and not _OPENS.match(block.text):
                last = out[-1]
                assert isinstance(last, TextLine)
                box = last.position.box if line.page != previous.page else _union(last.position.box, line.box)
                out[-1] = TextLine(join_wrapped(last.text, block.text), replace(last.position, box=box))
                previous = line
                continue
        out.append(block)
        previous = line
    return out


def _union(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return Box(min(a.x0, b.x0), min(a.top, b.top), max(a.x1, b.x1), max(a.bottom, b.bottom))


def _open(data: bytes, name: str) -> Any:
    """The parsed PDF, or a bilingual InputError for a file pdfplumber cannot open."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # parses the page tree: a broken file fails here
        return pdf
    except PDFPasswordIncorrect:
        raise InputError("the PDF is encrypted with a password; it cannot be read",
                         ja="パスワードで保護されたPDFのため読めません", file=name,
                         fix="save a copy without a password and ingest that",
                         fix_ja="パスワードを外したPDFを保存して読み込んでください") from None
    except (PDFSyntaxError, Exception) as e:  # pdfminer raises many unrelated types for a broken file
        log.debug("pdfplumber could not open %s: %r", name, e)
        raise InputError(f"not a readable PDF (the file is damaged or truncated: {type(e).__name__})",
                         ja="PDFとして読めません（ファイルが壊れているか途中で切れています）", file=name, line=1,
                         fix="download or export the PDF again",
                         fix_ja="PDFをもう一度ダウンロードするか書き出し直してください") from None


def read_pdf(data: bytes, name: str) -> Form:
    """Read a text PDF's lines and tables; raise :class:`ScannedPdf` if it has no text layer at all."""
    pdf = _open(data, name)
    try:
        return _read(pdf, name)
    except (InputError, ScannedPdf):
        raise
    except Exception as e:  # pdfminer fails lazily on a damaged page's content stream
        log.debug("pdfplumber failed on %s: %r", name, e)
        raise InputError(f"a page of the PDF cannot be read (damaged content: {type(e).__name__})",
                         ja="PDFのページが読めません（内容が壊れています）", file=name,
                         fix="download or export the PDF again",
                         fix_ja="PDFをもう一度ダウンロードするか書き出し直してください") from None
    finally:
        pdf.close()


#: A glyph the font maps to no character (pdfminer prints 「(cid:123)」; a broken map gives a control
#: character or U+FFFD), or a character of the private use area (a 外字 only the author's machine can
#: show): text that cannot be read as printed.
_UNREADABLE = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b-\x1f\x7f\ufffd\ue000-\uf8ff]")


def _check_glyphs(chars: list[dict[str, Any]], page: int, name: str) -> None:
    """Refuse a page whose text layer holds glyphs that map to no character: reading it would be wrong."""
    bad = next((str(c["text"]) for c in chars if _UNREADABLE.search(str(c["text"]))), None)
    if bad is None:
        return
    raise InputError(f"page {page} of the PDF prints characters its fonts do not name ({bad!r}: a font without a "
                     "ToUnicode map, or a 外字), so its text cannot be read as printed",
                     ja=f"PDFの{page}ページに、フォントが文字を特定できない字（{bad}：ToUnicode のないフォント"
                        "または外字）があり、印刷どおりに読めません",
                     file=name, page=page,
                     fix="export the PDF again with fonts embedded as Unicode (or replace the 外字), or give the text",
                     fix_ja="フォントを埋め込んだPDFとして書き出し直す（外字は通常の文字に置き換える）か、本文のテキストを"
                            "指定してください")


def _scanned(page: Any) -> bool:
    """Whether the page is a scan: an image covers most of it (text over it is then an OCR layer)."""
    area = float(page.width) * float(page.height)
    return any((float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])) >= SCAN_COVER * area
               for i in page.images)


def _read(pdf: Any, name: str) -> Form:
    pages = pdf.pages
    if any(_scanned(page) for page in pages):
        # A scan with a text layer (a "searchable PDF") carries some other engine's OCR: read it with ours,
        # which records that it is OCR and what it was unsure of, rather than pass it off as print.
        raise ScannedPdf(name)
    lines: list[_Line] = []
    placed: list[tuple[int, float, int, _Line | _Table]] = []  # (page, top, order, what)
    textless: list[int] = []
    for number, page in enumerate(pages, 1):
        page = page.dedupe_chars()
        chars = [c for c in page.chars if c.get("upright", True)]
        _check_glyphs(chars, number, name)
        if not any(not str(c["text"]).isspace() for c in chars):
            if page.images:
                textless.append(number)
            continue
        height = float(page.height)
        tables = [t for t in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
                  if len(t.rows) >= 1 and len(t.columns) >= 2]
        read = [_read_table(t, chars, number, height) for t in tables]
        free = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
        for line in _group_lines(free, number, height):
            if line.ink:
                lines.append(line)
                placed.append((number, line.top, len(placed), line))
        for table in read:
            placed.append((number, table.bbox[1], len(placed), table))
    if not lines and not any(isinstance(p[3], _Table) for p in placed):
        raise ScannedPdf(name)
    if textless:
        pages_text = ", ".join(str(n) for n in textless)
        raise InputError(f"page {pages_text} of the PDF is an image without a text layer (a scanned page in a "
                         "text PDF)",
                         ja=f"PDFの{pages_text}ページは文字情報のない画像です（テキストPDFに混じったスキャン）",
                         file=name, page=textless[0],
                         fix="export the whole document as a text PDF, or scan it whole for OCR",
                         fix_ja="文書全体をテキストPDFとして書き出すか、全体をスキャンしてOCRで読み込んでください")
    furniture = {id(lines[i]) for i in _furniture(lines, len(pages))}
    placed.sort(key=lambda p: (p[0], p[1], p[2]))
    blocks: list[tuple[_Line | None, TextLine | TableRow]] = []
    table_number = 0
    for page_number, _top, _order, what in placed:
        if isinstance(what, _Line):
            if id(what) not in furniture:
                text = _text(what.chars).rstrip(" \u3000")
                blocks.append((what, TextLine(text, Position(page=page_number, box=what.box))))
            continue
        table_number += 1
        for r, (cells, box) in enumerate(zip(what.rows, what.boxes, strict=True), 1):
            position = Position(page=page_number, box=box, table=table_number, row=r, cells=cells)
            if sum(1 for c in cells if c.box is not None and c.text) == 1 and len({c.box for c in cells}) == 1:
                # One cell across the whole table: a heading printed in it, not a row.
                blocks.append((None, TextLine(cells[0].text, position)))
            else:
                blocks.append((None, TableRow(cells, position)))
    return Form(name, MEDIA_TYPE, READING, _unwrap(blocks), pages=len(pages))


def page_count(data: bytes) -> int:
    """How many pages a PDF has (for the benchmark)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)

