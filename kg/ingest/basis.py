"""The legal basis the preamble cites: 地方自治法 第252条の2第1項 → ("252-2", 1).

Every 連携協約 is concluded under 地方自治法 (昭和22年法律第67号) 第252条の2第1項; the preamble
says so (「地方自治法（昭和22年法律第67号）第252条の2第1項の規定により」). The provision is read
from the text rather than assumed, so that a text citing nothing gets no ``eli:based_on``, which
the shapes then report.

>>> legal_basis(["…地方自治法（昭和22年法律第67号）第252条の2第1項の規定により、…"])
('252-2', 1)
>>> legal_basis(["地方自治法第二百五十二条の二第一項に基づき"])
('252-2', 1)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from kg.ingest.numerals import NUMERAL, to_int

__all__ = ["citations", "known_provisions", "legal_basis"]

_CITATION = re.compile(
    rf"地方自治法(?:[（(][^）)]*[）)])?第(?P<article>{NUMERAL})条(?:の(?P<branch>{NUMERAL}))?"
    rf"(?:第(?P<paragraph>{NUMERAL})項)?"
)


def citations(text: str) -> list[tuple[str, int | None]]:
    """Every provision of 地方自治法 ``text`` cites, in order, each once.

    >>> citations("…地方自治法第252条の2第4項の規定により、…")
    [('252-2', 4)]
    """
    found: list[tuple[str, int | None]] = []
    for m in _CITATION.finditer(text):
        article, branch = to_int(m["article"]), to_int(m["branch"]) if m["branch"] else None
        if article is None:
            continue
        cited = (f"{article}-{branch}" if branch else str(article)), to_int(m["paragraph"]) if m["paragraph"] else None
        if cited not in found:
            found.append(cited)
    return found


@cache
def known_provisions(law: Path) -> frozenset[tuple[str, int | None]]:
    """The (article, paragraph) of every provision the statute graph (data/reference/law.ttl) holds."""
    pattern = re.compile(r"/article/([0-9-]+)(?:/paragraph/([0-9]+))?>")
    return frozenset((m[1], int(m[2]) if m[2] else None) for m in pattern.finditer(law.read_text(encoding="utf-8")))


def legal_basis(texts: Iterable[str]) -> tuple[str, int | None] | None:
    """The first provision of 地方自治法 cited in ``texts``: (article, paragraph), e.g. ("252-2", 1)."""
    for text in texts:
        m = _CITATION.search(text)
        if m is None:
            continue
        article, branch = to_int(m["article"]), to_int(m["branch"]) if m["branch"] else None
        paragraph = to_int(m["paragraph"]) if m["paragraph"] else None
        if article is None:
            continue
        return (f"{article}-{branch}" if branch else str(article)), paragraph
    return None
