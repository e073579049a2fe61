"""Two OCR models' readings merged line by line: a stretch the second model reads otherwise is taken
where it spells more of the dataset's known terms, and a leading numbering where the second is surer.

Each model has its own blind spots (:mod:`~kg.ingest.document.tesseract`); the first model's lines
decide the segmentation, and the second is heeded only where the vocabulary agrees with it — never on
its confidence alone (docs/ingest.md, "OCR": two models).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.ingest.document import tesseract
from kg.ingest.document.form import Box
from kg.ingest.document.ocr_text import is_cjk
from kg.ingest.document.vocabulary import Vocabulary

__all__ = ["NUMBERING", "mean_confidence", "merge", "merge_readings"]

#: The forms a paragraph's, item's or ladder rung's number takes (「2」, 「(1)」, 「a」, 「(b)」, 「ii」, 「①」).
NUMBERING = re.compile(r"[0-9０-９]{1,2}|[(（][0-9０-９a-z]{1,2}[)）]|[a-z]|[ivx]{1,4}|[①-⑳]")


def mean_confidence(words: Sequence[tesseract.Word]) -> float:
    """The mean confidence of ``words``, each weighing as many characters as it has (0 for none)."""
    chars = sum(len(w.text) for w in words)
    return sum(w.confidence * len(w.text) for w in words) / chars if chars else 0.0


def _coverage(chars: Sequence[str], vocabulary: Vocabulary) -> int:
    """How many characters of a reading spell the dataset's known terms, punctuation aside
    (「以下「乙」という」 spells 以下乙という; 「との役割」 spells no term, 「乙の役割」 does)."""
    return vocabulary.coverage("".join(ch for ch in chars if unicodedata.category(ch[:1] or " ")[0] in "LN"))


@dataclass(frozen=True)
class _Unit:
    """One glyph of a merged reading: the glyph, the first reading's word it belongs to, and whether the
    first reading's text output printed a space before it."""

    glyph: tesseract.Glyph
    word: int
    spaced: bool
    taken: bool = False  # the character is the other model's reading


def _units(line: tesseract.OcrLine) -> list[_Unit]:
    """The glyphs of a line in order, each with its word and whether a space is printed before it."""
    out = [_Unit(g, k, False) for k, w in enumerate(line.words)
           for g in (w.glyphs or tuple(tesseract.Glyph(ch, w.box, w.confidence) for ch in w.text))]
    if line.spaced is None:
        return out
    marks, i = set(), 0
    for ch in line.spaced:
        if not ch.strip():
            marks.add(i)
        elif i < len(out) and out[i].glyph.text.startswith(ch):
            i += 1
    return [replace(u, spaced=j in marks and j > 0) for j, u in enumerate(out)]


def merge(first: tesseract.OcrLine, other: tesseract.OcrLine, vocabulary: Vocabulary) -> tesseract.OcrLine:
    """``first`` with each stretch where ``other`` reads differently taken from ``other`` where that spells
    more of the dataset's known terms (「甲及びが」 and 「甲及び乙が」 give 「甲及び乙が」; 「都市圏」 stays
    where the other reads 「都市岡」). Each model has its own blind spots (tesseract.py's docstring); the
    second is heeded only where the vocabulary agrees with it — never on its confidence alone: the two
    models' confidences are not on one scale, and the second spaces and doubles characters."""
    units, theirs = _units(first), _units(other)
    ops = difflib.SequenceMatcher(None, [u.glyph.text for u in units], [u.glyph.text for u in theirs],
                                  autojunk=False).get_opcodes()
    merged = list(units)
    for tag, i1, i2, j1, j2 in reversed(ops):  # right to left: the indexes before each stretch still hold
        if tag == "equal" or not merged:
            # where both read alike the first model's confidence stands: they share blind spots (both read
            # 「費用分担」 as 「費用分揚」), so agreeing makes no reading surer
            continue
        word = merged[min(i1, len(merged) - 1)].word if tag != "insert" or i1 == 0 else merged[i1 - 1].word
        if i2 - i1 == j2 - j1:  # the same glyphs read otherwise: their boxes (and the blanks beside them) stay
            stretch = [replace(u, glyph=replace(u.glyph, text=t.glyph.text, confidence=t.glyph.confidence),
                               taken=True) for u, t in zip(merged[i1:i2], theirs[j1:j2], strict=True)]
        else:
            stretch = [_Unit(u.glyph, word, False, taken=True) for u in theirs[j1:j2]]
        after = merged[i2:]
        if tag == "insert" and after and j2 < len(theirs) and after[0].glyph.text == theirs[j2].glyph.text:
            # the glyph after a dropped one: the first model's box for it spans both (that is how it was
            # dropped), so its box, and whether a space comes before it, are the other model's
            after = [replace(after[0], glyph=replace(after[0].glyph, box=theirs[j2].glyph.box),
                             spaced=theirs[j2].spaced), *after[1:]]
        candidate = merged[:i1] + stretch + after
        if _coverage([u.glyph.text for u in candidate], vocabulary) > \
                _coverage([u.glyph.text for u in merged], vocabulary):
            merged = candidate
    merged = _numbering(merged, theirs)
    words = []
    for k, w in enumerate(first.words):
        mine = [u for u in merged if u.word == k]
        if mine:
            glyphs = tuple(u.glyph for u in mine)
            surest = min(g.confidence for g in glyphs)
            # a word the other model read is as sure as that reading; one of the first's no surer than it was
            confidence = surest if all(u.taken for u in mine) else min(w.confidence, surest)
            words.append(tesseract.Word("".join(g.text for g in glyphs), w.box, confidence, glyphs))
    spaced = None if first.spaced is None else "".join((" " if u.spaced else "") + u.glyph.text for u in merged)
    return tesseract.OcrLine(tuple(words), first.box, spaced)


def _numbering(merged: list[_Unit], theirs: list[_Unit]) -> list[_Unit]:
    """``merged`` with its leading numbering (「1」, 「(b)」, 「ii」: the first word, when it holds no kana or
    kanji) as the other model read it, where the two differ and the other's is of a usual form and surer:
    the structure is read from it (:func:`~kg.ingest.document.ocr_checks.check_numbering`), and no
    vocabulary can tell 「1」 from 「i」."""
    if not merged or not theirs:
        return merged
    mine = [u for u in merged if u.word == merged[0].word]
    other = [u for u in theirs if u.word == theirs[0].word]
    text, their_text = "".join(u.glyph.text for u in mine), "".join(u.glyph.text for u in other)
    if text == their_text or any(is_cjk(ch) for ch in text + their_text) or not NUMBERING.fullmatch(their_text):
        return merged
    if min(u.glyph.confidence for u in other) <= min(u.glyph.confidence for u in mine):
        return merged
    if len(other) == len(mine):  # the same glyphs read otherwise: keep their boxes (the blank after them)
        return [replace(u, glyph=replace(u.glyph, text=o.glyph.text, confidence=o.glyph.confidence), taken=True)
                for u, o in zip(mine, other, strict=True)] + merged[len(mine):]
    return [_Unit(u.glyph, merged[0].word, False, taken=True) for u in other] + merged[len(mine):]


def merge_readings(readings: list[list[tesseract.OcrLine]], vocabulary: Vocabulary) -> list[tesseract.OcrLine]:
    """The first model's lines, each merged (:func:`merge`) with the other models' lines at the same place
    (overlapping it by more than half its height and width). The first reading decides the segmentation."""
    out = []
    for line in readings[0]:
        for other in readings[1:]:
            for candidate in other:
                if _overlap(line.box, candidate.box):
                    line = merge(line, candidate, vocabulary)
        out.append(line)
    return out


def _overlap(a: Box, b: Box) -> bool:
    """Whether two line boxes overlap by more than half the smaller's height and width."""
    high = min(a.bottom, b.bottom) - max(a.top, b.top)
    wide = min(a.x1, b.x1) - max(a.x0, b.x0)
    return high > 0.5 * min(a.bottom - a.top, b.bottom - b.top) and wide > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)
