"""How printed text is cut into the search index's tokens, how a query is read, and how a snippet is cut.

Japanese has no spaces between words, so text is indexed as overlapping character bigrams (「公共交通」 →
公共 共交 交通), the method bench/search_bench.py measured best here (docs/perf/search.md). Before
cutting, each character is folded: NFKC (full-width ＩＣＴ → ICT, half-width ｶﾅ → カナ) and case-folded;
characters that are neither letters nor digits (spaces, punctuation) are dropped, so 「I C T」 matches
``ICT``. The folding is derived for matching only: the index keeps every text exactly as printed, and a
snippet is cut from the printed text.

>>> fold("ＩＣＴ インフラ")
'ictインフラ'
>>> bigrams("公共交通")
'公共 共交 交通 通'
>>> match_expression(parse_query("災害　応援"))
'"災害" AND "応援"'
>>> Snippet.of("大規模災害に備え、相互応援体制を整える。", ("災害", "応援")).marked()
'大規模【災害】に備え、相互【応援】体制を整える。'
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

__all__ = ["SNIPPET_CHARS", "Snippet", "bigrams", "fold", "folded_with_positions", "match_expression",
           "parse_query"]

#: About how many printed characters a snippet shows around its first hit.
SNIPPET_CHARS = 80
#: Printed characters shown before the first hit of a snippet (the rest after it).
_LEAD = 20


class _FoldTable(dict[int, str]):
    """Each character's folded form by code point, made the first time the character is met: the table
    :meth:`str.translate` folds a whole text with (≈ 10× a loop over its characters in Python; the
    search index folds 25,000 distinct texts at 4,000 agreements). A character folds alone, so a text
    folds as its characters do, in order. It keeps at most :data:`_FOLD_TABLE_SIZE` characters (a
    server folds what users send: Unicode's million code points would be ≈ 100 MB); the rest are
    folded each time they are met."""

    def __missing__(self, code: int) -> str:
        folded = "".join(c for c in unicodedata.normalize("NFKC", chr(code)).casefold() if c.isalnum())
        if len(self) < _FOLD_TABLE_SIZE:
            self[code] = folded
        return folded


#: The most characters :class:`_FoldTable` keeps (Japanese texts use a few thousand).
_FOLD_TABLE_SIZE = 1 << 16


_FOLDED = _FoldTable()


def folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` folded for matching, and for each folded character the index of the printed one it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = _FOLDED[ord(ch)]
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def fold(text: str) -> str:
    """``text`` as it is matched: NFKC, case-folded, letters and digits only."""
    return text.translate(_FOLDED)


def bigrams(text: str) -> str:
    """The index's tokens of ``text``: its folded character bigrams, then its last character alone (so a
    one-character query, read as a prefix, also finds a text's last character), separated by spaces."""
    folded = fold(text)
    if not folded:
        return ""
    return " ".join([folded[i:i + 2] for i in range(len(folded) - 1)] + [folded[-1]])


def parse_query(query: str) -> tuple[str, ...]:
    """The terms of a user's query: its words split on spaces (ASCII or 全角), each folded; empty ones
    dropped. Every term must occur in a hit (AND); a term matches as a substring of the folded text."""
    terms: list[str] = []
    for word in query.split():
        term = fold(word)
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


def match_expression(terms: tuple[str, ...]) -> str:
    """The SQLite FTS5 MATCH expression for ``terms``: each a phrase of its bigrams (consecutive, so the
    term occurs as written), a one-character term a prefix of the bigrams; all of them required."""
    parts: list[str] = []
    for term in terms:
        if len(term) == 1:
            parts.append(f'"{term}"*')
        else:
            parts.append('"' + " ".join(term[i:i + 2] for i in range(len(term) - 1)) + '"')
    return " AND ".join(parts)


@dataclass(frozen=True)
class Snippet:
    """A short stretch of printed text around the hits: a sequence of (text, is_hit) pieces."""

    pieces: tuple[tuple[str, bool], ...]

    @classmethod
    def of(cls, printed: str, terms: tuple[str, ...], width: int = SNIPPET_CHARS) -> Snippet:
        """The snippet of ``printed`` for the folded ``terms``: about ``width`` characters from a little
        before the first hit, every occurrence of a term in it marked; 「…」 where the text was cut."""
        folded, where = folded_with_positions(printed)
        spans: list[tuple[int, int]] = []
        for term in terms:
            start = folded.find(term)
            while start >= 0:
                spans.append((where[start], where[start + len(term) - 1] + 1))
                start = folded.find(term, start + 1)
        spans.sort()
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        first = merged[0][0] if merged else 0
        lo = max(0, min(first - _LEAD, len(printed) - width))
        hi = min(len(printed), lo + width)
        pieces: list[tuple[str, bool]] = [("…", False)] if lo > 0 else []
        at = lo
        for a, b in merged:
            if b <= lo or a >= hi:
                continue
            a, b = max(a, lo), min(b, hi)
            if a > at:
                pieces.append((printed[at:a], False))
            pieces.append((printed[a:b], True))
            at = b
        if at < hi:
            pieces.append((printed[at:hi], False))
        if hi < len(printed):
            pieces.append(("…", False))
        return cls(tuple(pieces))

    def marked(self, open_: str = "【", close: str = "】") -> str:
        """The snippet as plain text, each hit between ``open_`` and ``close``."""
        return "".join(f"{open_}{text}{close}" if hit else text for text, hit in self.pieces)

    def html(self) -> str:
        """The snippet as HTML: the text escaped, each hit in ``<mark>``."""
        return "".join(f"<mark>{html.escape(text)}</mark>" if hit else html.escape(text)
                       for text, hit in self.pieces)

    @property
    def text(self) -> str:
        """The snippet's text, unmarked."""
        return "".join(text for text, _ in self.pieces)
