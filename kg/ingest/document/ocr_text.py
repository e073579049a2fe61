"""An OCR line as text: its characters with their confidences, a space where the print has one,
parentheses and circled numbers as printed, and the lines of a paragraph or cell joined.

Where a space goes is tesseract's judgement (its text output); which space, and whether one stays
beside full-width punctuation, is measured here on the page's ink against the character size, so
「I C T」 keeps its spaces and 「圏 域」 loses the one tesseract may insert (docs/ingest.md, "OCR").
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np

from kg.ingest.document import tesseract
from kg.ingest.document.form import Box
from kg.ingest.document.vocabulary import Char, Correction

__all__ = ["Text", "char_size", "is_cjk", "join", "line_text", "mark", "paragraphs"]

#: Full-width punctuation whose glyph leaves a wide blank beside it: a gap there is no space.
_WIDE = set("、。，．・「」『』（）［］【】〔〕｛｝〈〉《》：；！？")
_CJK_BLANK = 0.3  # the narrowest blank, in characters, that is a space between Japanese characters
_DIGIT = "[元0-9０-９一二三四五六七八九十]"
#: A line that is a date and nothing else (「令和4年3月28日」, 「平成二十七年四月五日」).
_DATE_LINE = re.compile(f"(?:令和|平成|昭和){_DIGIT}{{1,4}}年{_DIGIT}{{1,3}}月{_DIGIT}{{1,3}}日")
_NEW_PARAGRAPH_PREFIXES = ("第", "別表", "（", "(", "附則", "〇", "○")


@dataclass
class Text:
    """Text being assembled: its characters (with confidences and tesseract words), box, corrections."""

    chars: list[Char]
    box: Box
    words: list[tesseract.Word] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The characters as one string."""
        return "".join(c.text for c in self.chars)


def char_size(lines: list[tesseract.OcrLine]) -> float:
    """The character size of a run of lines: their median height (a parenthesis or 「係」 stands taller)."""
    return statistics.median(max(1.0, t.box.bottom - t.box.top) for t in lines) if lines else 40.0


def is_cjk(ch: str) -> bool:
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


def line_text(line: tesseract.OcrLine, ink: np.ndarray, em: float) -> Text:
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
    return Text(_latin_i(out), line.box, list(line.words))


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


def join(a: Text, b: Text) -> Text:
    """Two lines of one paragraph or cell joined as printed: no newline, a space only between Latin letters."""
    chars = list(a.chars)
    if chars and b.chars and chars[-1].text.isascii() and chars[-1].text.isalnum() \
            and b.chars[0].text.isascii() and b.chars[0].text.isalnum():
        chars.append(Char(" ", 100.0, -1))
    box = Box(min(a.box.x0, b.box.x0), min(a.box.top, b.box.top), max(a.box.x1, b.box.x1),
              max(a.box.bottom, b.box.bottom))
    offset = len(a.words)
    chars.extend(replace(c, word=c.word + offset) if c.word >= 0 else c for c in b.chars)
    return Text(chars, box, a.words + b.words, a.corrections + b.corrections)


def paragraphs(lines: list[Text], page_width: int) -> list[Text]:
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
    out: list[Text] = []
    last = lines[0].box  # the box of the paragraph's last line
    for t in lines:
        if out:
            height = t.box.bottom - t.box.top
            full = last.x1 >= right - 1.5 * height
            near = t.box.top - last.bottom <= usual * 1.4 + 0.1 * height
            if full and near and not _starts_part(t.text):
                out[-1] = join(out[-1], t)
                last = t.box
                continue
        out.append(t)
        last = t.box
    return out


def mark(text: Text) -> Text:
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
