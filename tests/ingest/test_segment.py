"""segment: front matter, articles with headings, paragraphs and items, closing, signatures, annexes."""

from __future__ import annotations

import pytest

from kg.errors import DateError, IngestError
from kg.ingest.decode import decode
from kg.ingest.segment import segment
from kg.ingest.structure import Document

from .helpers import SEED, T3


def _doc(text: str) -> Document:
    return segment(decode(text.encode("utf-8"), "case.txt"))


def test_seed_parts_and_their_lines() -> None:
    doc = segment(decode(SEED.read_bytes(), SEED.name))
    assert [t.number for t in doc.titles] == [3, 9]
    assert [line.number for line, _ in doc.dates] == [5, 41]
    assert [p.number for p in doc.preamble] == [11]
    assert [(a.number, a.span.first, a.span.last) for a in doc.articles] == [
        (1, 13, 15), (2, 17, 19), (3, 21, 25), (4, 27, 29), (5, 31, 33), (6, 35, 37)]
    assert [c.number for c in doc.closing] == [39]
    assert [s.text for s in doc.signatures] == ["郡山市", "郡山市長", "品川 萬里",
                                                "二本松市", "二本松市長", "三保、忠一"]
    [annex] = doc.annexes
    assert (annex.number, annex.relates_to, annex.title, annex.span.first) == (1, (3,), None, 59)


@pytest.mark.parametrize(("line", "number", "rest"), [
    ("第1条 この連携協約は、", 1, "この連携協約は、"),
    ("第１条　この連携協約は、", 1, "この連携協約は、"),
    ("第三条 甲及び乙は、", 3, "甲及び乙は、"),
    ("第十二条この連携協約は、", 12, "この連携協約は、"),
], ids=["half-width", "full-width", "kanji", "no-separator"])
def test_article_number_accepts_half_full_width_and_kanji(line: str, number: int, rest: str) -> None:
    doc = _doc(f"協約\n\n（目的）\n{line}\n")
    [article] = doc.articles
    assert (article.number, article.text, article.heading) == (number, rest, "目的")


def test_heading_in_half_width_brackets() -> None:
    [article] = _doc("(目的)\n第1条 目的とする。\n").articles
    assert article.heading == "目的" and article.span.first == 1


def test_article_without_heading() -> None:
    [article] = _doc("前文。\n第1条 目的とする。\n").articles
    assert article.heading is None and article.span.first == 2


def test_paragraphs_are_numbered_from_2_and_items_kept_in_the_text() -> None:
    doc = segment(decode(T3.read_bytes(), T3.name))
    art = doc.article(3)
    assert art is not None
    assert [p.number for p in art.paragraphs] == [1, 2]
    assert [i.number for i in art.paragraphs[0].items] == [1, 2, 3]
    assert art.paragraphs[0].items[0].text == "圏域全体の経済成長のけん引に係る政策分野（別表第1）"
    assert art.paragraphs[1].text.startswith("前項の取組に基づく")
    assert art.text.split("\n")[-1].startswith("2\u3000前項")  # later paragraphs keep their number


def test_a_number_out_of_sequence_is_text_not_a_paragraph() -> None:
    [article] = _doc("第1条 次のとおり。\n3 これは第3項ではない。\n").articles
    assert len(article.paragraphs) == 1


def test_branch_article_citations_do_not_start_articles() -> None:
    doc = _doc("第1条 目的とする。\n第252条の2第1項の規定による。\n")
    assert [a.number for a in doc.articles] == [1]


def test_duplicated_article_number_is_refused_at_the_second() -> None:
    with pytest.raises(IngestError) as e:
        _doc("（目的）\n第1条 目的。\n（目的）\n第1条 再び。\n")
    assert (e.value.line, e.value.where) == (4, "第1条") and "line 2" in str(e.value)


def test_text_without_articles_is_refused() -> None:
    with pytest.raises(IngestError, match="no article"):
        _doc("お知らせ\n本文。\n")


def test_impossible_date_line_is_refused_with_its_line() -> None:
    with pytest.raises(DateError) as e:
        _doc("協約\n令和元年13月45日\n第1条 目的。\n")
    assert e.value.line == 2


def test_numbered_annexes_with_titles() -> None:
    doc = segment(decode(T3.read_bytes(), T3.name))
    assert [(a.number, a.relates_to, a.title) for a in doc.annexes] == [
        (1, (3,), "圏域全体の経済成長のけん引に係る政策分野"),
        (2, (3,), "高次の都市機能の集積・強化に係る政策分野"),
        (3, (3,), "圏域全体の生活関連機能サービスの向上に係る政策分野")]


def test_duplicated_annex_number_is_refused() -> None:
    with pytest.raises(IngestError, match="別表 number 1 appears twice") as e:
        _doc("第1条 目的。\n別表第1（第1条関係）\n取組\t内容\n別表第1（第1条関係）\n")
    assert e.value.line == 4


def test_signing_date_is_the_one_above_the_signatures() -> None:
    doc = _doc("協約\n令和2年1月6日\n第1条 目的。\nこの協約の締結を証するため、保有する。\n"
               "令和元年12月25日\n甲 郡山市長\n")
    found = doc.signing_date()
    assert found is not None and found[1].printed == "令和元年12月25日"


@pytest.mark.parametrize("front", [
    "○甲と乙との連携協約\n平成27年3月27日\n三原市告示第41号\n",
    "○甲と乙との連携協約\n三原市告示第41号\n平成27年3月27日\n",
    "○甲と乙との連携協約\n平成27年3月27日三原市告示第41号\n",
], ids=["date-above-notice", "date-below-notice", "date-on-the-notice-line"])
def test_publication_date_beside_the_notice_is_not_the_signing_date(front: str) -> None:
    doc = _doc(front + "甲及び乙は、締結する。\n第1条 目的とする。\n本書2通を作成し、証するため、\n平成27年3月25日\n")
    assert doc.notice is not None and doc.notice.text == "三原市告示第41号"
    assert doc.publication is not None and doc.publication[1].printed == "平成27年3月27日"
    signing = doc.signing_date()
    assert signing is not None and signing[1].printed == "平成27年3月25日"


def test_a_cover_date_without_a_notice_stays_a_signing_date_candidate() -> None:
    doc = _doc("連携協約\n令和元年10月18日\n甲及び乙は、締結する。\n第1条 目的とする。\n")
    signing = doc.signing_date()
    assert doc.publication is None and doc.notice is None
    assert signing is not None and signing[1].printed == "令和元年10月18日"


def test_a_row_keeps_its_empty_first_cells() -> None:
    doc = _doc("甲及び乙は、締結する。\n第1条 目的とする。\n別表\n分野\t取組\t内容\n\t\t地域振興\t内容\t\n")
    assert [line.text for line in doc.annexes[0].lines] == ["分野\t取組\t内容", "\t\t地域振興\t内容\t"]
