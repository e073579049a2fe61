"""Scanned PDFs and images (PNG, TIFF, JPEG) → the intermediate form, by OCR (tesseract, Japanese).

Each page is brought to 300 dpi and deskewed (:mod:`~kg.ingest.document.image`); its ruled tables are
found from the rules (:mod:`~kg.ingest.document.grid`) and every cell is read on its own, with the
rules erased so that they are not read as 「|」; the text around the tables is read as lines, and lines
that run to the right margin are joined into their paragraph. tesseract is given the dataset's own
vocabulary as user words, and a near miss of a known term where tesseract was unsure is corrected
to it (:mod:`~kg.ingest.document.vocabulary`). Spaces are kept where the print has them: tesseract's
word gaps are measured against the character size, so 「I C T」 keeps its spaces and 「圏 域」 loses
the one tesseract may insert.

OCR is never passed off as the printed text: the form says ``reading="ocr"`` and the engine, and
every line and cell carries its lowest confidence, its words under the review threshold and its
corrections; :func:`review` lists those words for a clerk. A page read with too little confidence,
or whose table cannot be read, is refused (an :class:`~kg.errors.IngestError` naming the page).
"""

from __future__ import annotations

import difflib
import logging
import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image

from kg.errors import IngestError, InputError, Problem
from kg.ingest.decode import SourceText
from kg.ingest.document import grid, image, tesseract
from kg.ingest.document.form import Box, Cell, Form, Position, TableRow, TextLine
from kg.ingest.document.vocabulary import Char, Correction, Vocabulary, load
from kg.settings import Settings

__all__ = ["Options", "read_image", "read_scanned_pdf", "review"]

log = logging.getLogger(__name__)

#: Full-width punctuation whose glyph leaves a wide blank beside it: a gap there is no space.
_WIDE = set("、。，．・「」『』（）［］【】〔〕｛｝〈〉《》：；！？")
#: The forms a paragraph's, item's or ladder rung's number takes (「2」, 「(1)」, 「a」, 「(b)」, 「ii」, 「①」).
_NUMBERING = re.compile(r"[0-9０-９]{1,2}|[(（][0-9０-９a-z]{1,2}[)）]|[a-z]|[ivx]{1,4}|[①-⑳]")
_NUMBERING_FLOOR = 50.0  # under this even a number of a usual form is refused
_CJK_BLANK = 0.3  # the narrowest blank, in characters, that is a space between Japanese characters
_DIGIT = "[元0-9０-９一二三四五六七八九十]"
#: A line that is a date and nothing else (「令和4年3月28日」, 「平成二十七年四月五日」).
_DATE_LINE = re.compile(f"(?:令和|平成|昭和){_DIGIT}{{1,4}}年{_DIGIT}{{1,3}}月{_DIGIT}{{1,3}}日")
_NEW_PARAGRAPH_PREFIXES = ("第", "別表", "（", "(", "附則", "〇", "○")


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


@dataclass
class _Text:
    """Text being assembled: its characters (with confidences and tesseract words), box, corrections."""

    chars: list[Char]
    box: Box
    words: list[tesseract.Word] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)


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


@dataclass(frozen=True)
class _Thresholds:
    review: float
    floor: float
    correct: float


def _read(pages: list[image.Page], name: str, media: str, engine: str, options: Options,
          settings: Settings) -> Form:
    limits = _Thresholds(
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


def _read_page(page: image.Page, name: str, options: Options, limits: _Thresholds, vocabulary: Vocabulary,
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
    lines = _merged([tesseract.recognise(Image.fromarray(body), psm=4 if options.cells else 6, user_words=words_file,
                                         scale=options.scale, language=language) for language in languages],
                    vocabulary)
    placed: list[tuple[float, TextLine | TableRow]] = []
    confidences: list[tuple[float, int]] = []
    body_ink = np.where(body < 128, 255, 0).astype(np.uint8)
    em = _em(lines)
    for text in _paragraphs([_mark(_line(line, body_ink, em)) for line in lines], page.gray.shape[1]):
        confidences.extend((w.confidence, len(w.text)) for w in text.words)
        _check_numbering(text, page.number, name, limits)
        text = _finish(text, options, limits, vocabulary)
        placed.append((text.box.top, TextLine(text.text, _position(page.number, text, limits))))
    count = tables_before
    cell_texts = _read_cells(gray, np.where(gray < 128, 255, 0).astype(np.uint8), tables, words_file,
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
                    text = _Text([], g.box)
                low = min((w.confidence for w in text.words), default=None)
                cells.append((Cell(text.text, r, c, g.box, low), text))
            row_box = Box(t.box.x0, min(c.box.top for c, _ in cells if c.box), t.box.x1,
                          max(c.box.bottom for c, _ in cells if c.box))
            texts = [x for _, x in cells]
            first = [x for (c, x) in cells if (t.at(r, c.column).row, t.at(r, c.column).column) == (r, c.column)]
            position = Position(page=page.number, box=row_box, table=count, row=r + 1,
                                cells=tuple(c for c, _ in cells), confidence=_lowest(texts),
                                words=_low_words(texts, limits.review), corrected=_corrected(first))
            placed.append((row_box.top, TableRow(tuple(c for c, _ in cells), position)))
    _check_page(page, name, mask, confidences, limits)
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed], count


def _confidence(words: Sequence[tesseract.Word]) -> float:
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


def _merge(first: tesseract.OcrLine, other: tesseract.OcrLine, vocabulary: Vocabulary) -> tesseract.OcrLine:
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
    the structure is read from it (:func:`_check_numbering`), and no vocabulary can tell 「1」 from 「i」."""
    if not merged or not theirs:
        return merged
    mine = [u for u in merged if u.word == merged[0].word]
    other = [u for u in theirs if u.word == theirs[0].word]
    text, their_text = "".join(u.glyph.text for u in mine), "".join(u.glyph.text for u in other)
    if text == their_text or any(_is_cjk(ch) for ch in text + their_text) or not _NUMBERING.fullmatch(their_text):
        return merged
    if min(u.glyph.confidence for u in other) <= min(u.glyph.confidence for u in mine):
        return merged
    if len(other) == len(mine):  # the same glyphs read otherwise: keep their boxes (the blank after them)
        return [replace(u, glyph=replace(u.glyph, text=o.glyph.text, confidence=o.glyph.confidence), taken=True)
                for u, o in zip(mine, other, strict=True)] + merged[len(mine):]
    return [_Unit(u.glyph, merged[0].word, False, taken=True) for u in other] + merged[len(mine):]


def _merged(readings: list[list[tesseract.OcrLine]], vocabulary: Vocabulary) -> list[tesseract.OcrLine]:
    """The first model's lines, each merged (:func:`_merge`) with the other models' lines at the same place
    (overlapping it by more than half its height and width). The first reading decides the segmentation."""
    out = []
    for line in readings[0]:
        for other in readings[1:]:
            for candidate in other:
                if _overlap(line.box, candidate.box):
                    line = _merge(line, candidate, vocabulary)
        out.append(line)
    return out


def _overlap(a: Box, b: Box) -> bool:
    """Whether two line boxes overlap by more than half the smaller's height and width."""
    high = min(a.bottom, b.bottom) - max(a.top, b.top)
    wide = min(a.x1, b.x1) - max(a.x0, b.x0)
    return high > 0.5 * min(a.bottom - a.top, b.bottom - b.top) and wide > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)


def _check_page(page: image.Page, name: str, mask: np.ndarray, confidences: list[tuple[float, int]],
                limits: _Thresholds) -> None:
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


def _check_numbering(text: _Text, page: int, name: str, limits: _Thresholds) -> None:
    """Refuse a line whose numbering (「(b)」, 「ii」, 「2」: the first word, when it holds no kana or
    kanji) tesseract was unsure of — under the review threshold and of no usual form (「（⑪）」), or
    under 50 — : the structure is read from it, and a wrong one would not show."""
    if not text.words:
        return
    # the first word as it stands in the text: 「(⑪)」 is already read as 「(11)」 there (_circled)
    spelled = "".join(c.text for c in text.chars if c.word == 0) or text.words[0].text
    first = replace(text.words[0], text=spelled)
    if first.confidence >= limits.review or len(first.text) > 4 or any(_is_cjk(ch) for ch in first.text):
        return
    if not any(ch.isalnum() for ch in first.text) or first.text in ("〇", "○"):
        return  # punctuation, or the 例規集 mark (see _mark)
    if _NUMBERING.fullmatch(first.text) and first.confidence >= _NUMBERING_FLOOR:
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


# ---------------------------------------------------------------------------- lines and spaces


def _em(lines: list[tesseract.OcrLine]) -> float:
    """The character size of a run of lines: their median height (a parenthesis or 「係」 stands taller)."""
    return statistics.median(max(1.0, t.box.bottom - t.box.top) for t in lines) if lines else 40.0


def _is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a kanji or kana (not a full-width digit, a circled number or punctuation)."""
    return not ch.isascii() and unicodedata.category(ch) in ("Lo", "Lm")


def _blank(ink: np.ndarray, box: Box, left: float, right: float, em: float) -> float:
    """The widest run of ink-free columns of the line ``box`` between ``left`` and ``right``, in characters.

    tesseract's word boxes are estimates (they overlap, or leave out a glyph's edge); the gap a
    reader sees is measured on the page itself, between the two words' estimated edges (widened a
    little on each side).
    """
    x0, x1 = max(0, int(left)), min(ink.shape[1], int(right) + 1)
    band = ink[max(0, int(box.top)):int(box.bottom) + 1, x0:x1]
    if band.size == 0 or x1 <= x0:
        return 0.0
    inked = ((band > 0).sum(axis=0) >= 2).tolist()
    best = run = 0
    for on in inked:
        run = 0 if on else run + 1
        best = max(best, run)
    return best / em


def _line(line: tesseract.OcrLine, ink: np.ndarray, em: float) -> _Text:
    """One OCR line as text: parentheses set to the width their content says, spaces where the print has them.

    Where a space goes is tesseract's judgement (its text output); which space, and whether one stays
    beside full-width punctuation, is decided here: none beside 、。「」（）, whose glyphs leave a blank
    that is no space; U+3000 where the blank is a full character wide; and between two Latin letters or
    digits a space wherever the print leaves a blank (「I C T」), even inside one tesseract word.
    """
    chars: list[Char] = []
    boxes: list[Box] = []
    for k, word in enumerate(line.words):
        glyphs = word.glyphs or tuple(tesseract.Glyph(ch, word.box, word.confidence) for ch in word.text)
        for g in glyphs:
            for ch in g.text:
                if ch.strip():
                    chars.append(Char(ch, min(g.confidence, word.confidence), k))
                    boxes.append(g.box)
    spaced = _spaces_of(line.spaced, chars) if line.spaced else None
    chars, boxes, spaced = _circled(chars, boxes, spaced)
    chars = _parentheses(chars)
    out: list[Char] = []
    for i, c in enumerate(chars):
        if out:
            before = chars[i - 1]
            blank = _blank(ink, line.box, boxes[i - 1].x1 - em / 8, boxes[i].x0 + em / 8, em)
            if before.text.isascii() and c.text.isascii():
                # A spaced letter (「I C T」) leaves over half a character blank; two letters of one word
                # (「ii」, whose glyphs are thin) a third.
                space = " " if blank > 0.5 or (spaced is not None and i in spaced and blank > 0.25) else ""
            elif spaced is None:
                space = _space(before.text, c.text, blank) if before.word != c.word else ""
            elif i not in spaced or before.text in _WIDE or c.text in _WIDE or blank < _CJK_BLANK:
                space = ""
            else:
                space = "\u3000" if blank > 0.95 else " "
            if space:
                out.append(Char(space, 100.0, -1))
        out.append(c)
    return _Text(_latin_i(out), line.box, list(line.words))


def _latin_i(chars: list[Char]) -> list[Char]:
    """「1」, 「!」, 「l」 or 「|」 standing alone before a spaced capital (「1 C T」) is the letter I."""
    out = list(chars)
    for i, c in enumerate(chars):
        if c.text in "1!l|" and i + 2 < len(chars) and chars[i + 1].text == " " \
                and chars[i + 2].text.isascii() and chars[i + 2].text.isupper() \
                and (i == 0 or not chars[i - 1].text.isascii() or chars[i - 1].text == " "):
            out[i] = replace(c, text="I")
    return out


def _spaces_of(spaced: str, chars: list[Char]) -> set[int] | None:
    """The indexes of ``chars`` tesseract's text output prints a space before (None if they do not match)."""
    out = set()
    i = 0
    for ch in spaced:
        if not ch.strip():
            if i:
                out.add(i)
            continue
        if i >= len(chars) or chars[i].text != ch:
            return None
        i += 1
    return out if i == len(chars) else None


def _circled(chars: list[Char], boxes: list[Box],
             spaced: set[int] | None) -> tuple[list[Char], list[Box], set[int] | None]:
    """「①）」 or 「（①」 — a circled number against a parenthesis, which nobody prints — is tesseract's
    reading of 「(1)」: the parenthesis and the digit taken for one glyph."""
    out: list[Char] = []
    out_boxes: list[Box] = []
    shift: dict[int, int] = {}
    for i, c in enumerate(chars):
        shift[i] = len(out)
        before_len = len(out)
        n = ord(c.text) - ord("①") + 1 if len(c.text) == 1 and "①" <= c.text <= "⑳" else 0
        after = chars[i + 1].text if i + 1 < len(chars) else ""
        before = out[-1].text if out else ""
        if n and (after in ")）" and after or before in "(（" and before):
            opening = [] if before in "(（" and before else [replace(c, text="(")]
            closing = [] if after in ")）" and after else [replace(c, text=")")]
            out.extend([*opening, *(replace(c, text=d) for d in str(n)), *closing])
        else:
            out.append(c)
        out_boxes.extend([boxes[i]] * (len(out) - before_len))
    if spaced is None:
        return out, out_boxes, None
    return out, out_boxes, {shift[i] for i in spaced if i in shift}


def _parentheses(chars: list[Char]) -> list[Char]:
    """「(」 and 「)」 full-width when what they enclose is Japanese (（目的）), ASCII around ASCII ((1))."""
    out = list(chars)
    for i, c in enumerate(chars):
        if c.text in "(（":
            inner = next((x.text for x in chars[i + 1:] if x.text.strip()), "")
            out[i] = replace(c, text="(" if inner.isascii() else "（")
        elif c.text in ")）":
            inner = next((x.text for x in reversed(chars[:i]) if x.text.strip()), "")
            out[i] = replace(c, text=")" if inner.isascii() else "）")
    return out


def _space(before: str, after: str, gap: float) -> str:
    """The space printed between two characters ``gap`` character widths apart ('' for none)."""
    if before.isascii() and after.isascii():
        return " " if gap > 0.2 else ""
    if before in _WIDE or after in _WIDE:
        return "\u3000" if gap > 1.3 else ""
    if gap > 0.95:
        return "\u3000"
    return " " if gap > 0.6 else ""


def _join(a: _Text, b: _Text) -> _Text:
    """Two lines of one paragraph or cell joined as printed: no newline, a space only between Latin letters."""
    chars = list(a.chars)
    if chars and b.chars and chars[-1].text.isascii() and chars[-1].text.isalnum() \
            and b.chars[0].text.isascii() and b.chars[0].text.isalnum():
        chars.append(Char(" ", 100.0, -1))
    box = Box(min(a.box.x0, b.box.x0), min(a.box.top, b.box.top), max(a.box.x1, b.box.x1),
              max(a.box.bottom, b.box.bottom))
    offset = len(a.words)
    chars.extend(replace(c, word=c.word + offset) if c.word >= 0 else c for c in b.chars)
    return _Text(chars, box, a.words + b.words, a.corrections + b.corrections)


def _paragraphs(lines: list[_Text], page_width: int) -> list[_Text]:
    """Body lines joined into paragraphs: a line that runs to the right margin goes on in the next one
    when that follows at the page's usual line spacing and does not start as a new part does
    (第N条, （見出し）, 「2 」, 「(1)」, 別表)."""
    lines = sorted((t for t in lines if t.text.strip()), key=lambda t: t.box.top)
    if not lines:
        return []
    right = max(t.box.x1 for t in lines)
    if right - min(t.box.x0 for t in lines) < 0.6 * page_width:
        return lines  # no line runs across the page: its right end is no margin (a cover, a signature page)
    gaps = [b.box.top - a.box.bottom for a, b in zip(lines, lines[1:], strict=False)]
    usual = statistics.median(gaps) if gaps else 0.0
    out: list[_Text] = []
    last = lines[0].box  # the box of the paragraph's last line
    for t in lines:
        if out:
            height = t.box.bottom - t.box.top
            full = last.x1 >= right - 1.5 * height
            near = t.box.top - last.bottom <= usual * 1.4 + 0.1 * height
            if full and near and not _starts_part(t.text):
                out[-1] = _join(out[-1], t)
                last = t.box
                continue
        out.append(t)
        last = t.box
    return out


def _mark(text: _Text) -> _Text:
    """A line starting with 〇 (the kanji zero, which starts no Japanese sentence) starts with the 例規集
    mark ○ that tesseract took for it."""
    if len(text.chars) > 1 and text.chars[0].text == "〇" and not text.chars[1].text.isdigit():
        text.chars[0] = replace(text.chars[0], text="○")
    return text


def _starts_part(text: str) -> bool:
    """Whether a line starts as a new article, heading, paragraph, item or annex does, or is a date alone
    (the signing date under the closing sentence, which runs to the margin)."""
    if _DATE_LINE.fullmatch(text.strip()):
        return True
    if text.startswith(_NEW_PARAGRAPH_PREFIXES):
        return text.startswith("第") is False or "条" in text[:6]
    head = text[:3]
    return bool(head) and head[0] in "0123456789０１２３４５６７８９" and any(s in head for s in " \u3000")


def _finish(text: _Text, options: Options, limits: _Thresholds, vocabulary: Vocabulary) -> _Text:
    """The text after correction against the vocabulary (when that step runs)."""
    if not options.correct:
        return text
    chars, corrections = vocabulary.correct(text.chars, limits.correct)
    chars, whole = _whole(chars, vocabulary)
    return _Text(chars, text.box, text.words, text.corrections + corrections + whole)


#: The numbering a heading, rung or item may start with, and the space after it.
_LEADING = re.compile(r"\s*(?:[(（][0-9０-９a-zａ-ｚ]{1,2}[)）]|[0-9０-９]{1,2}|[a-z]|[ivx]{1,4})?[\s\u3000]*")


def _whole(chars: list[Char], vocabulary: Vocabulary) -> tuple[list[Char], list[Correction]]:
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


def _low_words(texts: Iterable[_Text], below: float) -> tuple[tuple[str, float], ...]:
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


def _lowest(texts: Iterable[_Text]) -> float | None:
    return min((w.confidence for t in texts for w in t.words), default=None)


def _corrected(texts: Iterable[_Text]) -> tuple[tuple[str, str], ...]:
    return tuple((c.read, c.term) for t in texts for c in t.corrections)


def _position(page: int, text: _Text, limits: _Thresholds) -> Position:
    return Position(page=page, box=text.box, confidence=_lowest([text]), words=_low_words([text], limits.review),
                    corrected=_corrected([text]))


# ---------------------------------------------------------------------------- table cells


_INSET = 8  # pixels cut off inside a cell's rules: what is left of a rule after erasing it is not text
_STRIP_GAP = 60  # blank pixels between two cells stacked in one strip: more than a line's leading


def _read_cells(gray: np.ndarray, ink: np.ndarray, tables: list[grid.Table], words_file: Path | None,
                scale: float, languages: Sequence[str], vocabulary: Vocabulary) -> dict[tuple[int, int, int], _Text]:
    """Every cell's text, keyed by (table id, row, column) of the cell's first grid position.

    The cells are cut out inside their rules, trimmed to their ink and stacked one under another in a
    strip with blank bands between them, so that one tesseract run reads them all, each on its own
    (no line can run from one cell into the next), without paying tesseract's start-up per cell.
    """
    out: dict[tuple[int, int, int], _Text] = {}
    crops: list[tuple[tuple[int, int, int], np.ndarray, int, int, Box]] = []
    for t in tables:
        for g in t.cells:
            key = (id(t), g.row, g.column)
            x0, y0, x1, y1 = (int(g.box.x0) + _INSET, int(g.box.top) + _INSET, int(g.box.x1) - _INSET,
                              int(g.box.bottom) - _INSET)
            crop = gray[y0:y1, x0:x1]
            dark = ink[y0:y1, x0:x1] > 0
            if crop.size == 0 or int(dark.sum()) < 30:
                out[key] = _Text([], g.box)
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
    merged = _by_cell(_merged(readings, vocabulary), bands, strip_ink, out)
    alternatives = [_by_cell(r, bands, strip_ink, {}) for r in readings[1:]]
    _follow_sequences(tables, merged, alternatives)
    return merged


_Band = tuple[int, int, int, int, tuple[int, int, int], Box]


def _by_cell(lines: list[tesseract.OcrLine], bands: list[_Band], ink: np.ndarray,
             out: dict[tuple[int, int, int], _Text]) -> dict[tuple[int, int, int], _Text]:
    """``out`` with the text of each cell of the strip (its ``bands``) read from ``lines``."""
    out = dict(out)
    per_cell: dict[tuple[int, int, int], list[_Text]] = {}
    em = _em(lines)
    for line in lines:
        middle = (line.box.top + line.box.bottom) / 2
        band = next((b for b in bands if b[0] - _STRIP_GAP / 2 <= middle < b[1] + _STRIP_GAP / 2), None)
        if band is None:
            continue
        _, _, dx, dy, key, _ = band
        text = _line(line, ink, em)
        moved = _shift(line, dx, dy)
        per_cell.setdefault(key, []).append(_Text(text.chars, moved.box, list(moved.words)))
    for _, _, _, _, key, box in bands:
        parts = sorted(per_cell.get(key, []), key=lambda t: t.box.top)
        text = _Text([], box)
        for part in parts:
            text = _join(text, part) if text.chars else replace(part, box=box)
        out[key] = text
    return out


_NUMBER_CELL = re.compile(r"[(（]?([0-9０-９]{1,2})[)）.]?")


def _number(text: _Text) -> int | None:
    m = _NUMBER_CELL.fullmatch(text.text.strip())
    return int(unicodedata.normalize("NFKC", m.group(1))) if m else None


def _follow_sequences(tables: list[grid.Table], cells: dict[tuple[int, int, int], _Text],
                      alternatives: list[dict[tuple[int, int, int], _Text]]) -> None:
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
                    cells[key] = replace(fit, corrections=[*fit.corrections, Correction(cells[key].text, fit.text,
                                                                                         _confidence(fit.words))])
                    before = _number(fit)
                elif n is not None:
                    before = n


def _shift(line: tesseract.OcrLine, dx: float, dy: float) -> tesseract.OcrLine:
    """``line`` with its boxes moved by (dx, dy): from strip to page pixels."""
    def move(b: Box) -> Box:
        return Box(b.x0 + dx, b.top + dy, b.x1 + dx, b.bottom + dy)

    words = tuple(tesseract.Word(w.text, move(w.box), w.confidence,
                                 tuple(tesseract.Glyph(g.text, move(g.box), g.confidence) for g in w.glyphs))
                  for w in line.words)
    return tesseract.OcrLine(words, move(line.box))


# ---------------------------------------------------------------------------- review


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
