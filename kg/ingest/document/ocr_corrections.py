"""Corrections of an OCR reading beyond one character: a line or cell that is nothing but a near miss
of one known term, and a column of numbers that breaks its sequence where another model's reading
keeps it; each recorded as a correction for review.

A near miss inside a sentence is corrected character by character, gated by tesseract's confidence,
in :meth:`~kg.ingest.document.vocabulary.Vocabulary.correct`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from kg.ingest.document import grid
from kg.ingest.document.ocr_merge import mean_confidence
from kg.ingest.document.ocr_text import Text
from kg.ingest.document.vocabulary import Char, Correction, Vocabulary

__all__ = ["correct_whole", "follow_sequences"]

#: The numbering a heading, rung or item may start with, and the space after it.
_LEADING = re.compile(r"\s*(?:[(（][0-9０-９a-zａ-ｚ]{1,2}[)）]|[0-9０-９]{1,2}|[a-z]|[ivx]{1,4})?[\s\u3000]*")


def correct_whole(chars: list[Char], vocabulary: Vocabulary) -> tuple[list[Char], list[Correction]]:
    """A line or cell that is, after its numbering, nothing but a near miss of one known term is that term,
    however sure tesseract was (「(b) 役割分揚」 is the rung 「(b) 役割分担」; both models read 揚 at 95):
    headings, header cells and rungs are written in the formulae, and a near miss standing alone is no
    other word. A near miss inside a sentence is left to the confidence-gated :meth:`Vocabulary.correct`
    (「協力して」 is a word, not a misreading of 「協議して」)."""
    text = "".join(c.text for c in chars)
    lead = _LEADING.match(text)
    start = lead.end() if lead else 0
    body = text[start:].rstrip()
    term = vocabulary.whole(body)
    if term is None:
        return chars, []
    confidence = min(c.confidence for c in chars[start:start + len(body)])
    word = chars[start].word
    fixed = chars[:start] + [Char(ch, confidence, word) for ch in term] + chars[start + len(body):]
    return fixed, [Correction(body, term, confidence)]


_NUMBER_CELL = re.compile(r"[(（]?([0-9０-９]{1,2})[)）.]?")


def _number(text: Text) -> int | None:
    m = _NUMBER_CELL.fullmatch(text.text.strip())
    return int(unicodedata.normalize("NFKC", m.group(1))) if m else None


def follow_sequences(tables: list[grid.Table], cells: dict[tuple[int, int, int], Text],
                     alternatives: list[dict[tuple[int, int, int], Text]]) -> None:
    """A column of numbers ((1), (1), (2), (3) down a 区分 column) goes on by 0 or 1 a row. Where the first
    model's number breaks that and another model reads the cell as a number that keeps it (「(6)」 read
    as 「(3)」 after 「(2)」), the other reading is kept, and the change recorded as a correction."""
    for t in tables:
        for column in range(t.column_count):
            before: int | None = None
            for row in range(t.row_count):
                g = t.at(row, column)
                if (g.row, g.column) != (row, column):
                    continue
                key = (id(t), row, column)
                n = _number(cells[key])
                expected = (1,) if before is None else (before, before + 1)
                if n is not None and n in expected or before is None and n is None:
                    before = n if n is not None else before
                    continue
                if before is None and not any(key in a and _number(a[key]) is not None for a in alternatives):
                    continue
                fit = next((a[key] for a in alternatives if key in a and _number(a[key]) in expected), None)
                if fit is not None:
                    correction = Correction(cells[key].text, fit.text, mean_confidence(fit.words))
                    cells[key] = replace(fit, corrections=[*fit.corrections, correction])
                    before = _number(fit)
                elif n is not None:
                    before = n
