"""Layout P (宮崎市–国富町, composed from the description of 宮崎's draft): 区分 enumerated in 第二条,
the default division of labour in its second paragraph (pillars 1–2 led by the central city,
pillar 3 joint), a 別表 by 区分, kanji numerals, an area not in the registry, a 失効 article with
paragraphs, and a signature block without names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kg.errors import IngestError
from kg.ingest import IngestResult

from .helpers import P, select

AGREEMENT = "https://w3id.org/renkei/id/agreement/452017-453820-2025-03-25"
LINES = P.read_text(encoding="utf-8").split("\n")
DIVISION = 15  # the line of 第二条第2項


def test_p_is_recognised_with_kanji_dates_and_articles(p: IngestResult) -> None:
    assert (p.layout, str(p.agreement)) == ("P", AGREEMENT)
    rows = select(p.graph, """SELECT ?d ?printed ?basis WHERE { ?a eli:date_document ?d ; renkei:printedDate ?printed ;
        eli:based_on ?basis }""")
    assert rows == [(dt.date(2025, 3, 25), "令和七年三月二十五日",
                     "https://w3id.org/renkei/id/law/322AC0000000067/article/252-2/paragraph/1")]
    articles = select(p.graph, """SELECT ?n ?h WHERE { ?x a renkei:Article ; renkei:number ?n ; renkei:heading ?h }
        ORDER BY ?n""")
    assert articles == [(1, "目的"), (2, "連携する取組の区分及び役割分担"), (3, "連携する取組"), (4, "費用負担"),
                        (5, "連絡会議"), (6, "失効")]


def test_p_area_not_in_the_registry_is_kept_as_printed(p: IngestResult) -> None:
    assert select(p.graph, "SELECT ?name WHERE { ?a renkei:areaName ?name }") == [("宮崎広域連携中枢都市圏",)]
    assert select(p.graph, "SELECT ?area WHERE { ?a renkei:area ?area }") == []


def test_p_sections_are_the_kubun_of_article_2(p: IngestResult) -> None:
    rows = select(p.graph, """SELECT ?n ?heading ?pillar (COUNT(?i) AS ?rows) WHERE { ?s a renkei:AnnexSection ;
        renkei:number ?n ; renkei:heading ?heading ; renkei:pillar ?pl ; eli:has_part ?i .
        BIND(STRAFTER(STR(?pl), "framework/") AS ?pillar) } GROUP BY ?n ?heading ?pillar ORDER BY ?n""")
    assert rows == [(1, "圏域全体の経済成長のけん引", "1", 2), (2, "高次の都市機能の集積・強化", "2", 1),
                    (3, "圏域全体の生活関連機能サービスの向上", "3", 3)]


def test_p_default_division_leads_pillars_1_and_2_and_shares_pillar_3(p: IngestResult) -> None:
    rows = select(p.graph, """SELECT ?pillar ?code ?lead (COUNT(?r) AS ?n) WHERE { ?i renkei:pillar ?pl ;
        renkei:role ?r . ?r renkei:actor ?m ; renkei:lead ?lead . BIND(STRAFTER(STR(?pl), "framework/") AS ?pillar)
        BIND(STRAFTER(STR(?m), "municipality/") AS ?code) } GROUP BY ?pillar ?code ?lead ORDER BY ?pillar ?code""")
    assert rows == [("1", "452017", True, 2), ("1", "453820", False, 2), ("2", "452017", True, 1),
                    ("2", "453820", False, 1), ("3", "452017", False, 3), ("3", "453820", False, 3)]


def test_p_default_roles_are_the_printed_clauses_of_the_division_paragraph(p: IngestResult) -> None:
    rows = select(p.graph, """SELECT ?id ?code ?text ?first WHERE { ?i dct:identifier ?id ; renkei:role ?r .
        ?r renkei:actor ?m ; renkei:text ?text ; prov:wasDerivedFrom [ renkei:firstLine ?first ] .
        FILTER(?id IN ("1-1", "3-1")) BIND(STRAFTER(STR(?m), "municipality/") AS ?code) } ORDER BY ?id ?code""")
    assert rows == [("1-1", "452017", "宮崎市が中心となって取り組み", DIVISION),
                    ("1-1", "453820", "国富町は宮崎市と連携して取り組むものとし", DIVISION),
                    ("3-1", "452017", "宮崎市及び国富町が共同して取り組むものとする。", DIVISION),
                    ("3-1", "453820", "宮崎市及び国富町が共同して取り組むものとする。", DIVISION)]


def test_p_categories_and_empty_kubun_cells(p: IngestResult) -> None:
    rows = dict(select(p.graph, """SELECT ?id ?notation WHERE { ?i dct:identifier ?id ; renkei:category ?c .
        BIND(STRAFTER(STR(?c), "framework/") AS ?notation) }"""))
    assert rows == {"1-1": "1.b", "1-2": "1.d", "2-1": "2.a", "3-1": "3.A.3", "3-2": "3.B.1", "3-3": "3.A.8"}


def test_p_lapse_article_has_two_paragraphs_and_signatures_no_names(p: IngestResult) -> None:
    paragraphs = select(p.graph, f"""SELECT ?n WHERE {{ <{AGREEMENT}/article/6> eli:has_part ?x .
        ?x renkei:number ?n }} ORDER BY ?n""")
    assert paragraphs == [(1,), (2,)]
    names = select(p.graph, "SELECT ?t ?n WHERE { ?s renkei:printedTitle ?t OPTIONAL { ?s renkei:printedName ?n } }")
    assert sorted(names) == [("国富町長", None), ("宮崎市長", None)]


def test_p_role_columns_in_the_table_override_the_default(ingest_text: Callable[..., IngestResult]) -> None:
    table = LINES.index("区分\t取組\t内容")
    lines = [*LINES[:table], "区分\t取組\t内容\t宮崎市の役割\t国富町の役割"]
    lines += [f"{row}\t圏域の取組を主導する。\t宮崎市と連携して取り組む。" for row in LINES[table + 1:] if row]
    result = ingest_text("\n".join(lines))
    rows = select(result.graph, """SELECT DISTINCT ?text WHERE { ?i renkei:role ?r . ?r renkei:text ?text }""")
    assert sorted(rows) == [("圏域の取組を主導する。",), ("宮崎市と連携して取り組む。",)]


def test_p_kubun_that_article_2_does_not_enumerate_is_refused(ingest_text: Callable[..., IngestResult]) -> None:
    number = LINES.index("(2)\t高度な医療サービスの提供\t救急医療と高度医療の提供体制を圏域全体で確保する。") + 1
    lines = list(LINES)
    lines[number - 1] = lines[number - 1].replace("(2)", "(4)", 1)
    with pytest.raises(IngestError, match="区分 「\\(4\\)」 is none of") as e:
        ingest_text("\n".join(lines))
    assert e.value.line == number


def test_p_kubun_by_wording(ingest_text: Callable[..., IngestResult]) -> None:
    lines = [line.replace("(2)\t", "高次の都市機能の集積・強化\t", 1) for line in LINES]
    result = ingest_text("\n".join(lines))
    assert select(result.graph, """SELECT ?t WHERE { ?i dct:identifier "2-1" ; dct:title ?t }""") == [
        ("高度な医療サービスの提供",)]


def test_p_without_a_division_gives_initiatives_without_roles(ingest_text: Callable[..., IngestResult]) -> None:
    lines = list(LINES)
    lines[DIVISION - 1] = "2 前項の区分ごとの取組の実施に関し必要な事項は、別に定める。"
    result = ingest_text("\n".join(lines))
    assert select(result.graph, "SELECT ?r WHERE { ?i renkei:role ?r }") == []
    assert len(select(result.graph, "SELECT ?i WHERE { ?i a renkei:Initiative }")) == 6
