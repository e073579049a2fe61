"""Pillar headings in an annex: 「1 圏域全体の経済成長のけん引に関する取組」 and every printing of it.

A heading is a line of its own (or a table row with one filled cell, a heading printed across the
table) that starts with a number in any of the numberings agreements use — 1, 1., (1), （１）, 一,
第1, ①, Ⅰ — or none, and either names one of the framework's pillars (its Japanese labels in
``ontology/framework.ttl``), with or without 「…に関する取組」, or is numbered and ends in 取組
(「1 …に関する取組」, whose pillar the number then gives).

>>> h = heading_of("(2) 高次の都市機能の集積・強化", PILLAR_KEYS)
>>> (h.number, h.text) if h else None
(2, '高次の都市機能の集積・強化')
>>> heading_of("① 圏域全体の経済成長のけん引に関する取組", PILLAR_KEYS).number
1
>>> heading_of("Ⅲ　圏域全体の生活関連機能サービスの向上", PILLAR_KEYS).number
3
>>> heading_of("圏域全体の生活関連機能サービスの向上", PILLAR_KEYS).number is None
True
>>> heading_of("圏域の観光資源を結ぶ周遊ルートを整える。", PILLAR_KEYS) is None
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.ingest.normalise import key
from kg.ingest.numerals import NUMERAL, to_int

__all__ = ["PILLAR_KEYS", "Heading", "heading_of", "strip_number"]

#: For the doctests: keys of the three pillars' labels (the real ones come from framework.ttl).
PILLAR_KEYS: tuple[str, ...] = (
    "圏域全体の経済成長のけん引", "経済成長のけん引", "高次の都市機能の集積・強化", "都市機能の集積・強化",
    "圏域全体の生活関連機能サービスの向上", "生活関連機能サービスの向上",
)

_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①…⑳
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "Ⅵ": 6, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
_SEP = r"[ \u3000.．、:：)）]*"
_NUMBERED = re.compile(
    rf"^(?:[（(](?P<paren>{NUMERAL})[）)]|第(?P<dai>{NUMERAL})(?![条項号])|(?P<circled>[①-⑳])"
    rf"|(?P<roman>[ⅠⅡⅢⅣⅤⅥ]|(?:III|II|IV|VI|I|V)(?=[ \u3000.．、]))|(?P<plain>{NUMERAL})(?=[ \u3000.．、]))"
    rf"{_SEP}"
)
#: What follows a pillar's wording in a heading and is not part of it.
_SUFFIX = re.compile(r"(?:に関する取組|に係る取組|に関すること|に係る政策分野|における取組|の取組|の分野|分野)$")
_MAX = 60  # a heading is short; a longer line is text


@dataclass(frozen=True)
class Heading:
    """A pillar heading as printed: its number (None when unnumbered) and its text after the number."""

    number: int | None
    text: str
    named: bool  # True when the text names a pillar of the framework


def strip_number(text: str) -> tuple[int | None, str]:
    """(number, rest) of a heading's leading number in any numbering; (None, text) if it has none."""
    m = _NUMBERED.match(text)
    if m is None:
        return None, text
    if m["circled"]:
        number: int | None = _CIRCLED[m["circled"]]
    elif m["roman"]:
        number = _ROMAN[unicodedata.normalize("NFKC", m["roman"]) if m["roman"] in "ⅠⅡⅢⅣⅤⅥ" else m["roman"]]
    else:
        number = to_int(m["paren"] or m["dai"] or m["plain"])
    rest = text[m.end():].strip(" \u3000")
    return (number, rest) if number is not None and rest else (None, text)


def heading_of(text: str, pillar_keys: tuple[str, ...]) -> Heading | None:
    """The heading ``text`` is, or None; ``pillar_keys`` are the normalised labels of the pillars."""
    if len(text) > _MAX or text.endswith("。") or "\t" in text:
        return None
    number, rest = strip_number(text)
    k = _SUFFIX.sub("", key(rest))
    named = bool(k) and any(p in k for p in pillar_keys) and len(k) <= 2 * max(len(p) for p in pillar_keys)
    if named:
        return Heading(number, rest, True)
    if number is not None and key(rest).endswith("取組"):
        return Heading(number, rest, False)
    return None
