"""Scanned PDFs and images (PNG, TIFF, JPEG) → the intermediate form, by OCR (tesseract, Japanese).

Each page is brought to 300 dpi and deskewed (:mod:`~kg.ingest.document.image`); its ruled tables are
found from the rules (:mod:`~kg.ingest.document.grid`) and every cell is read on its own, with the
rules erased so that they are not read as 「|」 (:mod:`~kg.ingest.document.ocr_cells`); the text around
the tables is read as lines, and lines that run to the right margin are joined into their paragraph
(:mod:`~kg.ingest.document.ocr_text`). Every page is read by each Japanese model and the readings
merged (:mod:`~kg.ingest.document.ocr_merge`); a near miss of a known term where tesseract was unsure
is corrected to it (:mod:`~kg.ingest.document.vocabulary`, :mod:`~kg.ingest.document.ocr_corrections`).
Spaces are kept where the print has them: tesseract's word gaps are measured against the character
size, so 「I C T」 keeps its spaces and 「圏 域」 loses the one tesseract may insert.

OCR is never passed off as the printed text: the form says ``reading="ocr"`` and the engine, and
every line and cell carries its lowest confidence, its words under the review threshold and its
corrections; :func:`review` (:mod:`~kg.ingest.document.ocr_review`) lists those words for a clerk.
A page read with too little confidence, or whose table cannot be read, is refused (an
:class:`~kg.errors.IngestError` naming the page; :mod:`~kg.ingest.document.ocr_checks`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from PIL import Image

from kg.errors import InputError
from kg.ingest.document import grid, image, tesseract
from kg.ingest.document.form import Box, Cell, Form, Position, TableRow, TextLine
from kg.ingest.document.ocr_cells import read_cells
from kg.ingest.document.ocr_checks import Thresholds, check_numbering, check_page
from kg.ingest.document.ocr_corrections import correct_whole
from kg.ingest.document.ocr_merge import merge_readings
from kg.ingest.document.ocr_review import corrected, low_words, lowest, review
from kg.ingest.document.ocr_text import Text, char_size, line_text, mark, paragraphs
from kg.ingest.document.vocabulary import Vocabulary, load
from kg.settings import Settings

__all__ = ["Options", "read_image", "read_scanned_pdf", "review"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    """Which steps of the pipeline run (all of them, unless a benchmark measures one's gain)."""

    deskew: bool = True
    binarise: bool = True  # give tesseract black on white (Otsu's threshold) rather than the grey scan
    scale: float = 1.0  # enlarge the page (and the strip of cells) by this before tesseract reads it
    cells: bool = True  # find the ruled tables and read each cell on its own (else the page whole)
    user_words: bool = False  # measured: tesseract's user words cost more than they gain (docs/ingest.md)
    correct: bool = True
    second_opinion: bool = True  # read with every Japanese model installed; keep each line's most confident
    review_below: float | None = None  # default: Settings.ocr_review_confidence
    page_floor: float | None = None  # default: Settings.ocr_page_confidence
    correct_below: float | None = None  # default: Settings.ocr_correct_confidence


def read_image(data: bytes, name: str, options: Options | None = None, *, settings: Settings) -> Form:
    """A PNG, TIFF (every frame a page) or JPEG scan, read by OCR."""
    engine = tesseract.engine(name)
    try:
        pages = image.image_pages(data)
    except (OSError, ValueError, Image.DecompressionBombError) as e:
        # line 1: the file is unreadable from its start (its header), as a text's first bad byte is named
        reason = type(e).__name__ if "object at 0x" in str(e) else str(e)
        raise InputError(f"not a readable image: {reason}", ja="画像として読めません", file=name, line=1,
                         fix="send the scan as PNG, TIFF or JPEG",
                         fix_ja="PNG・TIFF・JPEG の画像にしてください") from None
    media = _image_media_type(data)
    return _read(pages, name, media, engine, options or Options(), settings)


def read_scanned_pdf(data: bytes, name: str, options: Options | None = None, *, settings: Settings) -> Form:
    """A PDF of scanned pages (no text layer), every page rendered at 300 dpi and read by OCR."""
    engine = tesseract.engine(name)
    try:
        pages = image.pdf_pages(data)
    except ValueError as e:
        raise InputError(f"not a readable PDF: {e}", ja="PDF として読めません", file=name) from None
    return _read(pages, name, "application/pdf", engine, options or Options(), settings)


def _image_media_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    return "application/octet-stream"


def _read(pages: list[image.Page], name: str, media: str, engine: str, options: Options,
          settings: Settings) -> Form:
    limits = Thresholds(
        options.review_below if options.review_below is not None else settings.ocr_review_confidence,
        options.page_floor if options.page_floor is not None else settings.ocr_page_confidence,
        options.correct_below if options.correct_below is not None else settings.ocr_correct_confidence)
    vocabulary = load(settings.root)
    blocks: list[TextLine | TableRow] = []
    tables = 0
    for page in pages:
        if options.deskew:
            page = image.deskew(page)
        page_blocks, tables = _read_page(page, name, options, limits, vocabulary, tables)
        blocks.extend(page_blocks)
    return Form(name, media, "ocr", blocks, engine=engine, pages=len(pages))


def _read_page(page: image.Page, name: str, options: Options, limits: Thresholds, vocabulary: Vocabulary,
               tables_before: int) -> tuple[list[TextLine | TableRow], int]:
    """The blocks of one page in reading order, and the number of tables read so far."""
    words_file = vocabulary.words_file() if options.user_words else None
    mask = image.ink(page.gray)
    tables: list[grid.Table] = []
    # tesseract reads the page as black ink on white (Otsu's threshold of the whole page, no filter:
    # a median filter eats the thin strokes of 二 and 主): measured in docs/performance.md, "OCR".
    gray = _otsu(page.gray) if options.binarise else page.gray
    if options.cells:
        tables, rules = grid.find_tables(mask)
        gray = _erase(gray, rules)
    body = gray.copy()
    for t in tables:
        b = t.box
        body[max(0, int(b.top) - 4):int(b.bottom) + 4, max(0, int(b.x0) - 4):int(b.x1) + 4] = 255
    languages = tesseract.models(name) if options.second_opinion else (tesseract.model(name),)
    readings = [tesseract.recognise(Image.fromarray(body), psm=4 if options.cells else 6, user_words=words_file,
                                    scale=options.scale, language=language) for language in languages]
    lines = merge_readings(readings, vocabulary)
    placed: list[tuple[float, TextLine | TableRow]] = []
    confidences: list[tuple[float, int]] = []
    body_ink = np.where(body < 128, 255, 0).astype(np.uint8)
    em = char_size(lines)
    for text in paragraphs([mark(line_text(line, body_ink, em)) for line in lines], page.gray.shape[1]):
        confidences.extend((w.confidence, len(w.text)) for w in text.words)
        check_numbering(text, page.number, name, limits)
        text = _finish(text, options, limits, vocabulary)
        placed.append((text.box.top, TextLine(text.text, _position(page.number, text, limits))))
    count = tables_before
    cell_texts = read_cells(gray, np.where(gray < 128, 255, 0).astype(np.uint8), tables, words_file,
                            options.scale, languages, vocabulary)
    for t in tables:
        count += 1
        for r in range(t.row_count):
            cells = []
            for c in range(t.column_count):
                g = t.at(r, c)
                text = cell_texts[(id(t), g.row, g.column)]
                if (g.row, g.column) == (r, c):
                    confidences.extend((w.confidence, len(w.text)) for w in text.words)
                    text = _finish(text, options, limits, vocabulary)
                    cell_texts[(id(t), g.row, g.column)] = text
                if c != g.column:  # merged across: the text in the first column, as the PDF reader pads
                    text = Text([], g.box)
                low = min((w.confidence for w in text.words), default=None)
                cells.append((Cell(text.text, r, c, g.box, low), text))
            row_box = Box(t.box.x0, min(c.box.top for c, _ in cells if c.box), t.box.x1,
                          max(c.box.bottom for c, _ in cells if c.box))
            texts = [x for _, x in cells]
            first = [x for (c, x) in cells if (t.at(r, c.column).row, t.at(r, c.column).column) == (r, c.column)]
            position = Position(page=page.number, box=row_box, table=count, row=r + 1,
                                cells=tuple(c for c, _ in cells), confidence=lowest(texts),
                                words=low_words(texts, limits.review), corrected=corrected(first))
            placed.append((row_box.top, TableRow(tuple(c for c, _ in cells), position)))
    check_page(page, name, mask, confidences, limits)
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed], count


def _otsu(gray: np.ndarray) -> np.ndarray:
    """``gray`` as black and white, at Otsu's threshold."""
    import cv2

    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.asarray(out, dtype=np.uint8)


def _erase(gray: np.ndarray, rules: np.ndarray) -> np.ndarray:
    """``gray`` with the table rules (slightly grown) painted white."""
    import cv2

    grown = cv2.dilate(rules, np.ones((5, 5), np.uint8))
    out = gray.copy()
    out[grown > 0] = 255
    return out


def _finish(text: Text, options: Options, limits: Thresholds, vocabulary: Vocabulary) -> Text:
    """The text after correction against the vocabulary (when that step runs)."""
    if not options.correct:
        return text
    chars, corrections = vocabulary.correct(text.chars, limits.correct)
    chars, whole = correct_whole(chars, vocabulary)
    return Text(chars, text.box, text.words, text.corrections + corrections + whole)


def _position(page: int, text: Text, limits: Thresholds) -> Position:
    return Position(page=page, box=text.box, confidence=lowest([text]), words=low_words([text], limits.review),
                    corrected=corrected([text]))
