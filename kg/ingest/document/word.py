"""A Word ``.docx`` → :class:`~kg.ingest.document.form.Form`: body paragraphs and tables, in body order.

Read with python-docx:

- **Paragraphs** of the body, each a :class:`TextLine` with ``Position.paragraph``, its 1-based index
  among the body's paragraphs (empty ones counted, as Word's own navigation counts them). A soft line
  break (Shift+Enter, ``<w:br/>``) in a body paragraph ends a printed line, as a line end of a text does.
- **Tables**, each row a :class:`TableRow` with ``Position(table=, row=)`` and its cells. A cell merged
  down several rows (``<w:vMerge>``) is repeated on every row it covers; a cell merged across columns
  (``<w:gridSpan>``) is followed by empty cells, as the 例規集 page reader does for ``rowspan`` and
  ``colspan`` (kg/ingest/page_text.py); grid columns a row skips (``<w:gridBefore>``/``<w:gridAfter>``)
  are empty cells. A row of one cell across the table is a plain line (a pillar heading). The
  paragraphs and soft line breaks inside a cell are joined as a PDF cell's wrapped lines are
  (:func:`~kg.ingest.document.form.join_wrapped`): a break inside a cell is layout, not text.

A 外字 (a private use character, Windows EUDC) is refused with its paragraph or table row, as a text's
is. Not read: text that Word computes (automatic list numbering 「第1条」 of a numbered style, fields),
text boxes, headers and footers, tracked changes' deleted text, and tables nested inside a cell.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from kg.errors import InputError
from kg.ingest.document.form import Cell, Form, Position, TableRow, TextLine, join_wrapped

__all__ = ["MEDIA_TYPE", "read_docx"]

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READING = "docx"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # 外字 (EUDC), as the text decoder refuses them


def _open(data: bytes, name: str) -> Any:
    """The parsed document, or a bilingual InputError for a file python-docx cannot open."""
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as e:  # zipfile, lxml and python-docx raise many unrelated types for a broken file
        log.debug("python-docx could not open %s: %r", name, e)
        raise InputError(f"not a readable Word document (the .docx is damaged or truncated: {type(e).__name__})",
                         ja="Word文書（.docx）として読めません（ファイルが壊れているか途中で切れています）",
                         file=name, line=1,
                         fix="open it in Word and save it again as .docx",
                         fix_ja="Wordで開き、.docx として保存し直してください") from None


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs and soft line breaks joined as wrapped lines are, without surrounding spaces."""
    text = ""
    for paragraph in cell.paragraphs:
        for part in paragraph.text.replace("\r", "\n").split("\n"):
            text = join_wrapped(text, part)
    return text.strip(" \u3000")


def _rows(table: Any, number: int) -> list[TextLine | TableRow]:
    """One table's rows on its grid: merged cells repeated down, padded across."""
    out: list[TextLine | TableRow] = []
    width = len(table.columns)
    for r, row in enumerate(table.rows, 1):
        values: list[str] = [""] * row.grid_cols_before
        sources: list[Any] = [None] * row.grid_cols_before
        previous = None
        for cell in row.cells:
            # python-docx repeats a cell once per grid column it spans: only the first holds the text.
            same = previous is not None and cell._tc is previous._tc
            values.append("" if same else _cell_text(cell))
            sources.append(cell._tc)
            previous = cell
        values += [""] * max(0, width - len(values))
        sources += [None] * max(0, width - len(sources))
        cells = tuple(Cell(text, r - 1, c) for c, text in enumerate(values))
        position = Position(table=number, row=r, cells=cells)
        if len({id(s) for s in sources}) == 1 and sources[0] is not None and width > 1:
            out.append(TextLine(values[0], position))  # one cell across the table: a heading
        else:
            out.append(TableRow(cells, position))
    return out


def read_docx(data: bytes, name: str) -> Form:
    """Read a Word document's body paragraphs and tables, in the order they stand."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = _open(data, name)
    blocks: list[TextLine | TableRow] = []
    paragraphs = tables = 0
    try:
        for part in document.iter_inner_content():
            if isinstance(part, Paragraph):
                paragraphs += 1
                for line in part.text.replace("\r", "\n").split("\n"):
                    blocks.append(TextLine(line.rstrip(" \u3000"), Position(paragraph=paragraphs)))
            elif isinstance(part, Table):
                tables += 1
                blocks.extend(_rows(part, tables))
    except Exception as e:  # a document.xml that parses but breaks python-docx's model
        log.debug("python-docx failed on %s: %r", name, e)
        raise InputError(f"the Word document's body cannot be read ({type(e).__name__})",
                         ja="Word文書の本文が読めません", file=name,
                         fix="open it in Word and save it again as .docx",
                         fix_ja="Wordで開き、.docx として保存し直してください") from None
    for block in blocks:
        text = "\t".join(c.text for c in block.cells) if isinstance(block, TableRow) else block.text
        if gaiji := _PRIVATE_USE.search(text):
            p = block.position
            where = f"paragraph {p.paragraph}" if p.paragraph else f"table {p.table}, row {p.row}"
            where_ja = f"{p.paragraph}段落" if p.paragraph else f"表{p.table}の{p.row}行"
            raise InputError(f"{where} holds a 外字 (U+{ord(gaiji.group()):04X}, a private character only the "
                             "author's machine can show): its text cannot be read as printed",
                             ja=f"{where_ja}に外字（U+{ord(gaiji.group()):04X}）があり、印刷どおりに読めません",
                             file=name, where=where, fix="replace the 外字 by ordinary characters",
                             fix_ja="外字を通常の文字に置き換えてください")
    if not any(isinstance(b, TableRow) or b.text.strip() for b in blocks):
        raise InputError("the Word document holds no text", ja="Word文書に本文がありません", file=name,
                         fix="check that the right file was given", fix_ja="指定したファイルが正しいか確かめてください")
    return Form(name, MEDIA_TYPE, READING, blocks)
