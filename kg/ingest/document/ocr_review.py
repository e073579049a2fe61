"""What a clerk checks of an OCR reading: the words under the review threshold and the corrections
each line or cell keeps, and :func:`review`, the list of them against the printed page.

OCR is never passed off as the printed text (docs/ingest.md, "OCR"): every position keeps its lowest
confidence, its unsure words and its corrections.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.errors import Problem
from kg.ingest.decode import SourceText
from kg.ingest.document.ocr_text import Text

__all__ = ["corrected", "low_words", "lowest", "review"]


def low_words(texts: Iterable[Text], below: float) -> tuple[tuple[str, float], ...]:
    """The words (as they stand in the text) whose confidence is under ``below``."""
    out = []
    for t in texts:
        spelled: dict[int, str] = {}
        for c in t.chars:
            if c.word >= 0:
                spelled[c.word] = spelled.get(c.word, "") + c.text
        for k, w in enumerate(t.words):
            if w.confidence < below:
                out.append((spelled.get(k, w.text), round(w.confidence, 1)))
    return tuple(out)


def lowest(texts: Iterable[Text]) -> float | None:
    """The lowest confidence of any word of ``texts`` (None for no word)."""
    return min((w.confidence for t in texts for w in t.words), default=None)


def corrected(texts: Iterable[Text]) -> tuple[tuple[str, str], ...]:
    """Every correction made in ``texts``: (as read, the known term)."""
    return tuple((c.read, c.term) for t in texts for c in t.corrections)


def review(source: SourceText, threshold: float) -> list[Problem]:
    """Every OCR'd word under ``threshold`` (default ``KG_OCR_REVIEW_CONFIDENCE``) with its page and its
    line or table cell, and every correction to a known term, Japanese first, for a clerk to check
    against the printed page.

    Only words under the threshold the text was read with were kept; a higher ``threshold`` here
    lists no more than those. A text not read by OCR has nothing to review.
    """
    if source.reading != "ocr" or source.positions is None:
        return []
    below = threshold
    problems = []
    for index, position in enumerate(source.positions):
        for read, term in position.corrected:
            problems.append(Problem(
                f"OCR の読み取り「{read}」を既知の語「{term}」に補正しました",
                f"OCR read 「{read}」, corrected to the known term 「{term}」",
                file=source.name, line=index + 1, page=position.page,
                fix_ja="原本と照らし合わせてください", fix_en="check it against the printed page"))
        for word, confidence in position.words:
            if confidence >= below:
                continue
            cell = next((c for c in position.cells if word in c.text), None)
            if cell is not None:
                where_ja = f"表{position.table} {cell.row + 1}行{cell.column + 1}列の"
                where_en = f"table {position.table}, row {cell.row + 1}, column {cell.column + 1}: "
            else:
                where_ja, where_en = "", ""
            problems.append(Problem(
                f"{where_ja}OCR の読み取り「{word}」は信頼度が低い（{confidence:.0f}）",
                f"{where_en}OCR read 「{word}」 with low confidence ({confidence:.0f})",
                file=source.name, line=index + 1, page=position.page,
                fix_ja="原本と照らし合わせ、誤りがあればテキスト版で直してください",
                fix_en="check it against the printed page; correct the text version if it is wrong"))
    return problems
