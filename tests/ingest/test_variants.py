"""Printings of the same agreement give the same graph (bar the source's bytes and what is printed).

The variants are made from the seed here rather than committed as copies.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.ingest import ingest_bytes
from kg.namespaces import RENKEI
from kg.settings import Settings

from .helpers import BY_LAYOUT, SEED

TEXT = SEED.read_text(encoding="utf-8")
_KANJI = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    """18 → 十八, 10 → 十, 3 → 三 (unit style, as 例規 print article numbers and dates)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _KANJI[tens] + "十")
    return head + ("" if ones == 0 else _KANJI[ones])


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _fullwidth_articles(text: str) -> str:
    return re.sub(r"(?m)^第(\d+)条", lambda m: "第" + m[1].translate(_FULLWIDTH) + "条", text)


def _kanji_articles_and_dates(text: str) -> str:
    text = re.sub(r"(?m)^第(\d+)条", lambda m: f"第{_kanji(int(m[1]))}条", text)
    return text.replace("令和元年10月18日", "令和元年十月十八日")


VARIANTS: dict[str, Callable[[], bytes]] = {
    "cp932": lambda: TEXT.encode("cp932"),
    "utf8-bom-crlf": lambda: codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"),
    "fullwidth-article-numbers": lambda: _fullwidth_articles(TEXT).encode("utf-8"),
    "kanji-article-numbers-and-dates": lambda: _kanji_articles_and_dates(TEXT).encode("utf-8"),
}

# What may differ between printings: the bytes (sha256, encoding) and the date as printed.
_SPDX_VALUE = URIRef("http://spdx.org/rdf/terms#checksumValue")
_CNT_ENCODING = URIRef("http://www.w3.org/2011/content#characterEncoding")
_PRINTED = {RENKEI.sha256, RENKEI.encoding, RENKEI.printedDate, _SPDX_VALUE, _CNT_ENCODING}


def _comparable(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if p not in _PRINTED:
            out.add((s, p, o))
    return out


@pytest.fixture(scope="module")
def original(settings: Settings) -> Graph:
    return ingest_bytes(SEED.read_bytes(), SEED.name, settings).graph


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_variant_gives_the_same_graph(variant: str, original: Graph, settings: Settings) -> None:
    data = VARIANTS[variant]()
    assert data != SEED.read_bytes()
    got = ingest_bytes(data, SEED.name, settings).graph
    assert isomorphic(_comparable(got), _comparable(original))


def test_kanji_variant_keeps_its_printed_date(settings: Settings) -> None:
    got = ingest_bytes(VARIANTS["kanji-article-numbers-and-dates"](), SEED.name, settings).graph
    assert set(got.objects(None, RENKEI.printedDate)) == {Literal("令和元年十月十八日", lang="ja")}


def test_kanji_helper_writes_unit_numerals() -> None:
    assert [_kanji(n) for n in (3, 10, 18, 20, 23)] == ["三", "十", "十八", "二十", "二十三"]


def test_cp932_variant_records_its_encoding(settings: Settings) -> None:
    got = ingest_bytes(VARIANTS["cp932"](), SEED.name, settings).graph
    assert {str(o) for o in got.objects(None, RENKEI.encoding)} == {"Shift_JIS"}


@pytest.mark.parametrize("layout", [name for name in BY_LAYOUT if name != "T1"])
@pytest.mark.parametrize("variant", ["cp932", "utf8-bom-crlf"])
def test_every_layout_reads_the_same_in_cp932_and_with_bom_and_crlf(layout: str, variant: str,
                                                                   settings: Settings) -> None:
    path = BY_LAYOUT[layout]
    text = path.read_text(encoding="utf-8")
    data = text.encode("cp932") if variant == "cp932" else codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode()
    original = ingest_bytes(path.read_bytes(), path.name, settings).graph
    assert isomorphic(_comparable(ingest_bytes(data, path.name, settings).graph), _comparable(original))
