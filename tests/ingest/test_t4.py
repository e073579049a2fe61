"""Layout T4 (福山市–三原市, composed as a 例規集 copy): role columns that carry cost sharing, no cost
article, a named council, a 変更等 article, 「および」 in the title, half-width brackets, 告示 with a
publication date two days after the signing, and 甲/乙 signature lines with office and name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kg.errors import IngestError
from kg.ingest import IngestResult

from .helpers import T4, select

AGREEMENT = "https://w3id.org/renkei/id/agreement/342076-342041-2015-03-25"
LINES = T4.read_text(encoding="utf-8").split("\n")


def test_t4_is_recognised_with_ko_and_otsu(t4: IngestResult) -> None:
    assert (t4.layout, str(t4.agreement)) == ("T4", AGREEMENT)
    rows = select(t4.graph, """SELECT ?code ?central WHERE { ?a renkei:party ?p .
        BIND(STRAFTER(STR(?p), "municipality/") AS ?code)
        BIND(EXISTS { ?a renkei:centralCity ?p } AS ?central) } ORDER BY DESC(?central)""")
    assert rows == [("342076", True), ("342041", False)]


def test_t4_keeps_signing_and_publication_dates_apart(t4: IngestResult) -> None:
    rows = select(t4.graph, """SELECT ?signed ?printed ?published ?notice WHERE { ?a eli:date_document ?signed ;
        renkei:printedDate ?printed ; eli:date_publication ?published ; dct:bibliographicCitation ?notice }""")
    assert rows == [(dt.date(2015, 3, 25), "平成27年3月25日", dt.date(2015, 3, 27), "三原市告示第41号")]


def test_t4_title_with_oyobi_and_the_reiki_mark_dropped(t4: IngestResult) -> None:
    rows = select(t4.graph, "SELECT ?t ?area WHERE { ?a dct:title ?t ; renkei:area ?area }")
    assert rows == [("福山市および三原市における連携中枢都市圏形成に係る連携協約",
                     "https://w3id.org/renkei/id/area/bingo")]


def test_t4_has_no_cost_article_but_a_council_and_a_change_article(t4: IngestResult) -> None:
    rows = select(t4.graph, """SELECT ?n ?h WHERE { ?x a renkei:Article ; renkei:number ?n ; renkei:heading ?h }
        ORDER BY ?n""")
    assert rows == [(1, "目的"), (2, "基本方針"), (3, "役割分担及び費用分担"), (4, "連携推進協議会"), (5, "変更等")]
    [(text,)] = select(t4.graph, f"SELECT ?t WHERE {{ <{AGREEMENT}/article/4/paragraph/1> renkei:text ?t }}")
    assert "備後圏域連携推進協議会を設置する" in text


def test_t4_roles_carry_who_pays(t4: IngestResult) -> None:
    rows = select(t4.graph, f"""SELECT ?code ?text ?lead WHERE {{ <{AGREEMENT}/initiative/3-3> renkei:role ?r .
        ?r renkei:actor ?m ; renkei:text ?text ; renkei:lead ?lead .
        BIND(STRAFTER(STR(?m), "municipality/") AS ?code) }} ORDER BY ?code""")
    assert rows == [("342041", "合同研修に職員を派遣する。派遣に要する経費は乙が負担する。", False),
                    ("342076", "合同研修を企画し、実施する。その経費は甲が負担する。", False)]


def test_t4_initiatives_per_pillar_and_leads(t4: IngestResult) -> None:
    per_pillar = select(t4.graph, """SELECT ?pillar (COUNT(?i) AS ?n) WHERE { ?a renkei:initiative ?i .
        ?i renkei:pillar ?p . BIND(STRAFTER(STR(?p), "framework/") AS ?pillar) } GROUP BY ?pillar ORDER BY ?pillar""")
    assert per_pillar == [("1", 2), ("2", 2), ("3", 3)]
    leads = select(t4.graph, """SELECT ?code (COUNT(?r) AS ?n) WHERE { ?i renkei:role ?r . ?r renkei:lead true ;
        renkei:actor ?m . BIND(STRAFTER(STR(?m), "municipality/") AS ?code) } GROUP BY ?code""")
    assert leads == [("342076", 6)]


def test_t4_categories(t4: IngestResult) -> None:
    rows = dict(select(t4.graph, """SELECT ?id ?notation WHERE { ?i dct:identifier ?id ; renkei:category ?c .
        BIND(STRAFTER(STR(?c), "framework/") AS ?notation) }"""))
    assert rows == {"1-(1)": "1.b", "1-(2)": "1.d", "2-(1)": "2.a", "2-(2)": "2.c", "3-(1)": "3.B.1",
                    "3-(2)": "3.A.7", "3-(3)": "3.C.1"}


def test_t4_signatories_with_ko_otsu_office_and_name(t4: IngestResult) -> None:
    rows = select(t4.graph, """SELECT ?code ?title ?name WHERE { ?a renkei:signatory ?s . ?s renkei:onBehalfOf ?m ;
        renkei:printedTitle ?title ; renkei:printedName ?name . BIND(STRAFTER(STR(?m), "municipality/") AS ?code) }
        ORDER BY ?code""")
    assert rows == [("342041", "三原市長", "天満 祥典"), ("342076", "福山市長", "羽田 皓")]


def test_t4_header_with_one_cost_column_and_one_plain_role_column_is_still_t4(
        ingest_text: Callable[..., IngestResult]) -> None:
    header = LINES.index("取組\t内容\t福山市の役割分担及び費用分担\t三原市の役割分担及び費用分担")
    lines = list(LINES)
    lines[header] = "取組\t内容\t福山市の役割分担及び費用分担\t三原市の役割"
    assert ingest_text("\n".join(lines)).layout == "T4"


def test_t4_row_with_a_missing_cell_is_refused_naming_the_row(ingest_text: Callable[..., IngestResult]) -> None:
    number = next(i for i, line in enumerate(LINES, 1) if line.startswith("(2) 災害時の相互応援"))
    lines = list(LINES)
    lines[number - 1] = lines[number - 1].rsplit("\t", 1)[0]
    with pytest.raises(IngestError) as e:
        ingest_text("\n".join(lines))
    assert (e.value.line, e.value.where) == (number, "別表 3-(2)")
