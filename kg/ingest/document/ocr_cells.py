"""The cells of a page's ruled tables read by OCR: cut out inside their rules, stacked in one strip
read in one tesseract run per model, and given back cell by cell.

No line can run from one cell into the next, and tesseract's start-up is paid once per page, not
per cell (docs/ingest.md, "OCR": cells).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

from kg.ingest.document import grid, image, tesseract
from kg.ingest.document.form import Box
from kg.ingest.document.ocr_corrections import follow_sequences
from kg.ingest.document.ocr_merge import merge_readings
from kg.ingest.document.ocr_text import Text, char_size, join, line_text
from kg.ingest.document.vocabulary import Vocabulary

__all__ = ["read_cells"]

_INSET = 8  # pixels cut off inside a cell's rules: what is left of a rule after erasing it is not text
_STRIP_GAP = 60  # blank pixels between two cells stacked in one strip: more than a line's leading


def read_cells(gray: np.ndarray, ink: np.ndarray, tables: list[grid.Table], words_file: Path | None,
               scale: float, languages: Sequence[str], vocabulary: Vocabulary) -> dict[tuple[int, int, int], Text]:
    """Every cell's text, keyed by (table id, row, column) of the cell's first grid position.

    The cells are cut out inside their rules, trimmed to their ink and stacked one under another in a
    strip with blank bands between them, so that one tesseract run reads them all, each on its own
    (no line can run from one cell into the next), without paying tesseract's start-up per cell.
    """
    out: dict[tuple[int, int, int], Text] = {}
    crops: list[tuple[tuple[int, int, int], np.ndarray, int, int, Box]] = []
    for t in tables:
        for g in t.cells:
            key = (id(t), g.row, g.column)
            x0, y0, x1, y1 = (int(g.box.x0) + _INSET, int(g.box.top) + _INSET, int(g.box.x1) - _INSET,
                              int(g.box.bottom) - _INSET)
            crop = gray[y0:y1, x0:x1]
            dark = ink[y0:y1, x0:x1] > 0
            if crop.size == 0 or int(dark.sum()) < 30:
                out[key] = Text([], g.box)
                continue
            ys, xs = np.nonzero(dark)
            cy0, cy1, cx0, cx1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
            crops.append((key, crop[cy0:cy1, cx0:cx1], x0 + cx0, y0 + cy0, g.box))
    if not crops:
        return out
    width = max(c[1].shape[1] for c in crops) + 2 * _STRIP_GAP
    height = sum(c[1].shape[0] + _STRIP_GAP for c in crops) + _STRIP_GAP
    strip = np.full((height, width), 255, np.uint8)
    bands: list[tuple[int, int, int, int, tuple[int, int, int], Box]] = []
    y = _STRIP_GAP
    for key, crop, px, py, box in crops:
        h, w = crop.shape
        strip[y:y + h, _STRIP_GAP:_STRIP_GAP + w] = crop
        bands.append((y, y + h, px - _STRIP_GAP, py - y, key, box))
        y += h + _STRIP_GAP
    readings = [tesseract.recognise(Image.fromarray(strip), psm=6, user_words=words_file, scale=scale,
                                    language=language) for language in languages]
    strip_ink = image.ink(strip)
    merged = _by_cell(merge_readings(readings, vocabulary), bands, strip_ink, out)
    alternatives = [_by_cell(r, bands, strip_ink, {}) for r in readings[1:]]
    follow_sequences(tables, merged, alternatives)
    return merged


_Band = tuple[int, int, int, int, tuple[int, int, int], Box]


def _by_cell(lines: list[tesseract.OcrLine], bands: list[_Band], ink: np.ndarray,
             out: dict[tuple[int, int, int], Text]) -> dict[tuple[int, int, int], Text]:
    """``out`` with the text of each cell of the strip (its ``bands``) read from ``lines``."""
    out = dict(out)
    per_cell: dict[tuple[int, int, int], list[Text]] = {}
    em = char_size(lines)
    for line in lines:
        middle = (line.box.top + line.box.bottom) / 2
        band = next((b for b in bands if b[0] - _STRIP_GAP / 2 <= middle < b[1] + _STRIP_GAP / 2), None)
        if band is None:
            continue
        _, _, dx, dy, key, _ = band
        text = line_text(line, ink, em)
        moved = _shift(line, dx, dy)
        per_cell.setdefault(key, []).append(Text(text.chars, moved.box, list(moved.words)))
    for _, _, _, _, key, box in bands:
        parts = sorted(per_cell.get(key, []), key=lambda t: t.box.top)
        text = Text([], box)
        for part in parts:
            text = join(text, part) if text.chars else replace(part, box=box)
        out[key] = text
    return out


def _shift(line: tesseract.OcrLine, dx: float, dy: float) -> tesseract.OcrLine:
    """``line`` with its boxes moved by (dx, dy): from strip to page pixels."""
    def move(b: Box) -> Box:
        return Box(b.x0 + dx, b.top + dy, b.x1 + dx, b.bottom + dy)

    words = tuple(tesseract.Word(w.text, move(w.box), w.confidence,
                                 tuple(tesseract.Glyph(g.text, move(g.box), g.confidence) for g in w.glyphs))
                  for w in line.words)
    return tesseract.OcrLine(words, move(line.box))
