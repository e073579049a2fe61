"""English names for municipalities, transliterated from the MIC kana (our rendering, not official).

>>> english_name("ｺｵﾘﾔﾏｼ", "city")
'Koriyama City'
>>> english_name("ﾌｸｼﾏｹﾝ", "prefecture")
'Fukushima Prefecture'
"""

from __future__ import annotations

import re

import jaconv

__all__ = ["english_name"]

# Kana suffixes that name the kind of local government, longest first.
_SUFFIXES = {
    "city": ("ｼ",),
    "town": ("ﾁｮｳ", "ﾏﾁ"),
    "village": ("ｿﾝ", "ﾑﾗ"),
    "special-ward": ("ｸ",),
    "prefecture": ("ｹﾝ", "ﾄ", "ﾌ"),
}
_FIXED = {"ﾎｯｶｲﾄﾞｳ": "Hokkaido", "ﾄｳｷｮｳﾄ": "Tokyo Metropolis"}
_WORDS = {"city": "City", "town": "Town", "village": "Village", "special-ward": "City",
          "prefecture": "Prefecture"}


def _romanise(kana: str) -> str:
    latin = jaconv.kana2alphabet(jaconv.kata2hira(jaconv.h2z(kana)))
    # Hepburn as used in English place names (Tokyo, Koriyama): long vowels unmarked.
    return re.sub(r"ou|oo", "o", latin).replace("uu", "u")


def english_name(kana: str, kind: str) -> str:
    """'Koriyama City' from 'ｺｵﾘﾔﾏｼ'; Hokkaido stays 'Hokkaido'."""
    if kana in _FIXED:
        return _FIXED[kana]
    stem = kana
    for suffix in _SUFFIXES.get(kind, ()):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    return f"{_romanise(stem).capitalize()} {_WORDS.get(kind, '')}".strip()
