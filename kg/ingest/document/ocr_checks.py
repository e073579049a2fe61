"""When an OCR reading is refused rather than read wrongly: a page read with a mean confidence under
the floor or with print but no text, and a line whose numbering tesseract was unsure of.

Each refusal is an :class:`~kg.errors.IngestError` naming the page, in Japanese and English, with a
way to fix it (scan again, or give the text version).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from kg.errors import IngestError
from kg.ingest.document import image
from kg.ingest.document.ocr_merge import NUMBERING
from kg.ingest.document.ocr_text import Text, is_cjk

__all__ = ["Thresholds", "check_numbering", "check_page"]

_NUMBERING_FLOOR = 50.0  # under this even a number of a usual form is refused


@dataclass(frozen=True)
class Thresholds:
    """The confidences (0–100) a reading is held to: words under ``review`` are listed for a clerk, a page
    under ``floor`` is refused, a near miss under ``correct`` is corrected (Options, else Settings)."""

    review: float
    floor: float
    correct: float


def check_page(page: image.Page, name: str, mask: np.ndarray, confidences: list[tuple[float, int]],
               limits: Thresholds) -> None:
    """Refuse a page read with a mean confidence under the floor, or with ink but no text read."""
    chars = sum(n for _, n in confidences)
    inked = float(mask.mean()) / 255
    if chars == 0:
        if inked > 0.01:
            raise IngestError(
                f"page {page.number} cannot be read: OCR found no text on a page with print on it",
                ja=f"{page.number}ページを読めません: 印字があるのに OCR で文字を読み取れませんでした",
                fix="scan the page again at 300 dpi or more, upright and clean",
                fix_ja="300 dpi 以上で、傾きや汚れのないようにスキャンし直してください", file=name, page=page.number)
        return
    mean = sum(c * n for c, n in confidences) / chars
    if mean < limits.floor:
        raise IngestError(
            f"page {page.number} is too poor to read by OCR (mean confidence {mean:.0f} < {limits.floor:.0f}); "
            "it is refused rather than read wrongly",
            ja=f"{page.number}ページは画質が悪く OCR で正しく読めません（平均信頼度 {mean:.0f} < {limits.floor:.0f}）。"
               "誤って読むよりも読み込みを中止しました",
            fix="scan the page again at 300 dpi or more, without noise, or give the text (.txt, .docx, text PDF)",
            fix_ja="300 dpi 以上でノイズのないようにスキャンし直すか、"
                   "テキスト版（.txt・.docx・テキスト PDF）を使ってください",
            file=name, page=page.number)


def check_numbering(text: Text, page: int, name: str, limits: Thresholds) -> None:
    """Refuse a line whose numbering (「(b)」, 「ii」, 「2」: the first word, when it holds no kana or
    kanji) tesseract was unsure of — under the review threshold and of no usual form (「（⑪）」), or
    under 50 — : the structure is read from it, and a wrong one would not show."""
    if not text.words:
        return
    # the first word as it stands in the text: 「(⑪)」 is already read as 「(11)」 there (ocr_text._circled)
    spelled = "".join(c.text for c in text.chars if c.word == 0) or text.words[0].text
    first = replace(text.words[0], text=spelled)
    if first.confidence >= limits.review or len(first.text) > 4 or any(is_cjk(ch) for ch in first.text):
        return
    if not any(ch.isalnum() for ch in first.text) or first.text in ("〇", "○"):
        return  # punctuation, or the 例規集 mark (see ocr_text.mark)
    if NUMBERING.fullmatch(first.text) and first.confidence >= _NUMBERING_FLOOR:
        return  # a number of a usual form (「2」, 「(1)」, 「a」, 「ii」), only somewhat unsure
    raise IngestError(
        f"page {page}: the numbering 「{first.text}」 that starts the line 「{text.text[:20]}…」 is unsure "
        f"(OCR confidence {first.confidence:.0f}); the parts of the agreement are read from it, so the page is "
        "refused rather than read wrongly",
        ja=f"{page}ページ: 行「{text.text[:20]}…」の先頭の番号「{first.text}」を OCR で確かに読めません"
           f"（信頼度 {first.confidence:.0f}）。条・項・号の構造を誤って読むおそれがあるため、読み込みを中止しました",
        fix="scan the page again at 300 dpi or more, or give the text (.txt, .docx, text PDF)",
        fix_ja="300 dpi 以上でスキャンし直すか、テキスト版（.txt・.docx・テキスト PDF）を使ってください",
        file=name, page=page)
