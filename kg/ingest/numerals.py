"""Numbers as printed in Japanese legal text → int: half-width, full-width and kanji numerals.

Articles are printed 第3条, 第３条 or 第三条; years 令和元年 (元 = the first year of an era) or
令和2年 or 令和二年; kanji may be positional (二〇一九) or use 十/百/千 (二千十九).

>>> [to_int(s) for s in ("3", "３", "三", "十八", "二十", "百二", "二〇一九", "元")]
[3, 3, 3, 18, 20, 102, 2019, 1]
>>> to_int("3a") is None
True
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NUMERAL", "to_int"]

#: A regex fragment matching one printed number in any of the accepted forms.
NUMERAL = r"[0-9０-９〇零一二三四五六七八九十百千]+|元"

_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def _kanji(text: str) -> int | None:
    """Kanji numerals: positional (二〇一九) or with units (二千十九); None if malformed."""
    if not any(c in _UNITS for c in text):
        value = 0
        for c in text:
            value = value * 10 + _DIGITS[c]
        return value
    total, digit, last_unit = 0, None, 10_000
    for c in text:
        if c in _DIGITS:
            if digit is not None:
                return None  # two digits in a row inside a unit numeral: 二三十
            digit = _DIGITS[c]
        else:
            unit = _UNITS[c]
            if unit >= last_unit:
                return None  # units must decrease: 十百 is not a number
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def to_int(text: str) -> int | None:
    """The value of one printed number, or None if ``text`` is not one."""
    text = text.strip()
    if text == "元":
        return 1
    if not text:
        return None
    ascii_ = unicodedata.normalize("NFKC", text)
    if ascii_.isascii():
        return int(ascii_) if re.fullmatch(r"[0-9]+", ascii_) else None
    if all(c in _DIGITS or c in _UNITS for c in text):
        return _kanji(text)
    return None
