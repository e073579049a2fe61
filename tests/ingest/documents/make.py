"""Render the composed fixture texts as the documents agreements are published and drafted in (issue 10, 5).

A text PDF (reportlab, Debian's IPA Mincho, A4) and a Word ``.docx`` (python-docx) of one fixture text:
each non-blank line a paragraph that wraps at the right margin as a word processor wraps it, each run of
tab-separated lines (the 別表) a ruled table whose header row repeats on every page it runs over, cells
that wrap, and in the grouping columns (分野, 基本方針, 区分) equal cells on consecutive rows merged
vertically, as clerks draw them. A page number 「- N -」 stands at the foot of every PDF page.

Run it to look at the documents::

    .venv/bin/python -m tests.ingest.documents.make tests/data/ingest/t2-field-policy-columns.txt /tmp/out
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FONT_FILE = Path("/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf")
FONT = "IPAMincho"
BODY_SIZE = 10.5  # pt, the size Word and 例規集 PDFs print body text in
CELL_SIZE = 9.0
#: Header labels of the columns that group rows (their equal cells are merged over rows).
GROUPING = ("分野", "基本方針", "区分")


@dataclass
class Table:
    """A run of tab-separated lines: the header row, then the rows."""

    rows: list[list[str]]


def blocks(text: str) -> Iterator[str | Table | None]:
    """The text's paragraphs (str), tables and blank lines (None), in order."""
    table: list[list[str]] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\t" in line:
            table.append(line.split("\t"))
            continue
        if table and not line.strip():
            continue  # a blank line between two rows does not end the table
        if table:
            yield Table(table)
            table = []
        yield line if line.strip() else None
    if table:
        yield Table(table)


def merges(table: Table) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of each run of equal, non-empty cells in a grouping column."""
    spans: list[tuple[int, int, int]] = []
    header = table.rows[0]
    for c, label in enumerate(header):
        if not label.startswith(GROUPING):
            continue
        start = 1
        for r in range(2, len(table.rows) + 1):
            same = r < len(table.rows) and table.rows[r][c] == table.rows[start][c] and table.rows[r][c]
            if not same:
                if r - 1 > start:
                    spans.append((c, start, r - 1))
                start = r
    return spans


def read_text(path: Path) -> str:
    """A fixture text as the ingester decodes it (UTF-8 with or without BOM, or CP932; any line ends)."""
    from kg.ingest.decode import decode

    return "\n".join(decode(path.read_bytes(), path.name).lines) + "\n"


# ── PDF ───────────────────────────────────────────────────────────────────────────────────────────


def register_font() -> None:
    """Register IPA Mincho with reportlab (once)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``, broken as a word processor breaks Japanese: anywhere
    between two characters, except inside a run of ASCII letters and digits (a Latin word moves to the
    next line whole); a space at the break stays at the end of the line it ends."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_font()
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and ch != " " and stringWidth(line + ch, FONT, size) > width:
            cut = len(line)
            if ch.isascii() and ch.isalnum():
                while cut > 0 and line[cut - 1].isascii() and line[cut - 1].isalnum():
                    cut -= 1
                cut = cut or len(line)
            lines.append(line[:cut])
            line = line[cut:]
        line += ch
    if line or not lines:
        lines.append(line)
    return lines


def to_pdf(text: str, path: Path, *, column_widths: dict[int, list[float]] | None = None) -> Path:
    """Write ``text`` as an A4 text PDF at ``path``.

    ``column_widths`` gives, for a table (0-based, in order), its column widths as fractions of the
    text width; by default a column's width follows the length of its longest cell.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RlTable

    register_font()
    margin = 25 * mm
    frame_width = A4[0] - 2 * margin
    leading = BODY_SIZE * 1.5

    class Line(Flowable):  # type: ignore[misc]
        """One printed line of body text, exactly as given."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return frame_width, leading

        def draw(self) -> None:
            self.canv.setFont(FONT, BODY_SIZE)
            self.canv.drawString(0, (leading - BODY_SIZE) / 2 + 2, self.text)

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {doc.page} -")

    story: list[Flowable] = []
    table_number = 0
    for block in blocks(text):
        if block is None:
            story.append(Spacer(1, leading / 2))
        elif isinstance(block, str):
            story.extend(Line(part) for part in wrap(block, frame_width, BODY_SIZE))
        else:
            n_cols = len(block.rows[0])
            fractions = (column_widths or {}).get(table_number)
            if fractions is None:
                longest = [max(len(row[c]) if c < len(row) else 0 for row in block.rows) for c in range(n_cols)]
                weights = [max(4.0, float(n) ** 0.7) for n in longest]
                fractions = [w / sum(weights) for w in weights]
            widths = [f * frame_width for f in fractions]
            pad = 3.0
            data = [["\n".join(wrap(row[c] if c < len(row) else "", widths[c] - 2 * pad, CELL_SIZE))
                     for c in range(n_cols)] for row in block.rows]
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), FONT),
                     ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE), ("LEADING", (0, 0), (-1, -1), CELL_SIZE * 1.35),
                     ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), pad),
                     ("RIGHTPADDING", (0, 0), (-1, -1), pad)]
            for c, first, last in merges(block):
                style.append(("SPAN", (c, first), (c, last)))
                for r in range(first + 1, last + 1):
                    data[r][c] = ""
            story.append(RlTable(data, colWidths=widths, repeatRows=1, style=style, splitInRow=0))
            table_number += 1
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=margin, title=path.stem, invariant=1)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


# ── Word ──────────────────────────────────────────────────────────────────────────────────────────


def to_docx(text: str, path: Path, *, breaks: dict[str, str] | None = None) -> Path:
    """Write ``text`` as a Word document at ``path``: paragraphs, and real Word tables.

    ``breaks`` maps a cell's text to the same text with 「\\n」 where a soft line break (Shift+Enter)
    is typed inside the cell.
    """
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(BODY_SIZE)
    for block in blocks(text):
        if block is None:
            continue
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        n_cols = len(block.rows[0])
        table = document.add_table(rows=len(block.rows), cols=n_cols)
        table.style = "Table Grid"
        merged = merges(block)
        covered = {(r, c) for c, first, last in merged for r in range(first + 1, last + 1)}
        for r, row in enumerate(block.rows):
            for c in range(n_cols):
                if (r, c) in covered:
                    continue
                value = row[c] if c < len(row) else ""
                cell = table.cell(r, c)
                parts = (breaks or {}).get(value, value).split("\n")
                run = cell.paragraphs[0].add_run(parts[0])
                for part in parts[1:]:
                    run.add_break()
                    run.add_text(part)
        for c, first, last in merged:
            top = table.cell(first, c)
            top.merge(table.cell(last, c))
    document.save(str(path))
    return path


def main(argv: list[str]) -> int:
    """``make.py TEXT OUTDIR``: write OUTDIR/<stem>.pdf and .docx."""
    text_path, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    text = read_text(text_path)
    print(to_pdf(text, out / f"{text_path.stem}.pdf"))
    print(to_docx(text, out / f"{text_path.stem}.docx"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
