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

from kg.ingest.numerals import NUMERAL, to_int

__all__ = ["legal_basis"]

_CITATION = re.compile(
    rf"地方自治法(?:[（(][^）)]*[）)])?第(?P<article>{NUMERAL})条(?:の(?P<branch>{NUMERAL}))?"
    rf"(?:第(?P<paragraph>{NUMERAL})項)?"
)


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
