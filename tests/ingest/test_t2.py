"""Layout T2 (松山市–東温市, composed): 分野 and 基本方針 columns repeated on each row, one 別表
referenced by two articles, full-width article numbers, costs in the 都市圏ビジョン, a 連絡会議,
no end-of-life article, and a signature block with office and name on one line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kg.errors import IngestError
from kg.ingest import IngestResult

from .helpers import T2, select

AGREEMENT = "https://w3id.org/renkei/id/agreement/382019-382159-2016-07-08"
LINES = T2.read_text(encoding="utf-8").split("\n")


def test_t2_is_recognised_with_parties_named_in_full(t2: IngestResult) -> None:
    assert (t2.layout, str(t2.agreement)) == ("T2", AGREEMENT)
    rows = select(t2.graph, """SELECT ?code ?central WHERE { ?a renkei:party ?p .
        BIND(STRAFTER(STR(?p), "municipality/") AS ?code)
        BIND(EXISTS { ?a renkei:centralCity ?p } AS ?central) } ORDER BY ?code""")
    assert rows == [("382019", True), ("382159", False)]


def test_t2_title_date_area_and_basis(t2: IngestResult) -> None:
    rows = select(t2.graph, """SELECT ?title ?date ?printed ?area ?name ?basis WHERE { ?a dct:title ?title ;
        eli:date_document ?date ; renkei:printedDate ?printed ; renkei:area ?area ; renkei:areaName ?name ;
        eli:based_on ?basis }""")
    assert rows == [("松山市と東温市との間における連携中枢都市圏の形成に係る連携協約書", dt.date(2016, 7, 8),
                     "平成２８年７月８日", "https://w3id.org/renkei/id/area/matsuyama", "松山圏域",
                     "https://w3id.org/renkei/id/law/322AC0000000067/article/252-2/paragraph/1")]


def test_t2_full_width_articles_end_after_article_5(t2: IngestResult) -> None:
    rows = select(t2.graph, """SELECT ?n ?h WHERE { ?x a renkei:Article ; renkei:number ?n ; renkei:heading ?h }
        ORDER BY ?n""")
    assert rows == [(1, "目的"), (2, "基本方針"), (3, "連携を図る取組及び役割分担"), (4, "費用負担"), (5, "連絡会議")]
    [(text,)] = select(t2.graph, f"SELECT ?t WHERE {{ <{AGREEMENT}/article/4> renkei:text ?t }}")
    assert "松山圏域都市圏ビジョンに定めるところにより" in text


def test_t2_annex_relates_to_both_articles(t2: IngestResult) -> None:
    rows = select(t2.graph, f"""SELECT ?n WHERE {{ <{AGREEMENT}/annex/1> renkei:relatesTo ?art .
        ?art renkei:number ?n }} ORDER BY ?n""")
    assert rows == [(2,), (3,)]


def test_t2_sections_are_the_fields_with_their_basic_policy(t2: IngestResult) -> None:
    rows = select(t2.graph, """SELECT ?n ?heading ?pillar ?policy (COUNT(?i) AS ?rows) WHERE {
        ?s a renkei:AnnexSection ; renkei:number ?n ; renkei:heading ?heading ; renkei:pillar ?p ;
           dct:description ?policy ; eli:has_part ?i . BIND(STRAFTER(STR(?p), "framework/") AS ?pillar) }
        GROUP BY ?n ?heading ?pillar ?policy ORDER BY ?n""")
    assert [(n, heading, pillar, count) for n, heading, pillar, _, count in rows] == [
        (1, "圏域全体の経済成長のけん引", "1", 2), (2, "高次の都市機能の集積・強化", "2", 1),
        (3, "圏域全体の生活関連機能サービスの向上", "3", 4)]
    assert rows[0][3] == "圏域の産業の競争力を高め、雇用を生み出し、圏域全体の経済をけん引する。"


def test_t2_ditto_and_empty_cells_repeat_the_field_above(t2: IngestResult) -> None:
    rows = select(t2.graph, """SELECT ?id ?title ?first WHERE { ?i a renkei:Initiative ; dct:identifier ?id ;
        dct:title ?title ; prov:wasDerivedFrom [ renkei:firstLine ?first ] . FILTER(STRSTARTS(?id, "3-")) }
        ORDER BY ?id""")
    assert rows == [("3-1", "子育て支援の充実", 35), ("3-2", "災害時の相互応援", 36),
                    ("3-3", "地域公共交通の確保", 37), ("3-4", "職員の合同研修", 38)]


def test_t2_roles_and_leads(t2: IngestResult) -> None:
    rows = select(t2.graph, """SELECT ?code (COUNT(?r) AS ?n) WHERE { ?i renkei:role ?r . ?r renkei:lead true ;
        renkei:actor ?m . BIND(STRAFTER(STR(?m), "municipality/") AS ?code) } GROUP BY ?code""")
    # 主導 or 中心的な役割 in 6 of 7 central-city roles (職員の合同研修 says only 企画し、実施する).
    assert rows == [("382019", 6)]


def test_t2_categories(t2: IngestResult) -> None:
    rows = dict(select(t2.graph, """SELECT ?id ?notation WHERE { ?i dct:identifier ?id ; renkei:category ?c .
        BIND(STRAFTER(STR(?c), "framework/") AS ?notation) }"""))
    assert rows == {"1-1": "1.b", "1-2": "1.d", "2-1": "2.a", "3-1": "3.A.3", "3-2": "3.A.7", "3-3": "3.B.1",
                    "3-4": "3.C"}


def test_t2_signatories_print_office_and_name_on_one_line(t2: IngestResult) -> None:
    rows = select(t2.graph, """SELECT ?title ?name WHERE { ?a renkei:signatory ?s .
        ?s renkei:printedTitle ?title ; renkei:printedName ?name } ORDER BY ?title""")
    assert rows == [("東温市長", "高須賀　功"), ("松山市長", "野志　克仁")]


def _with(number: int, new: str) -> str:
    lines = list(LINES)
    lines[number - 1] = new
    return "\n".join(lines)


@pytest.mark.parametrize(("text", "line", "words"), [
    pytest.param(_with(32, "\t" + LINES[31].split("\t", 1)[1]), 32, "names no 分野", id="first-row-without-field"),
    pytest.param(_with(34, LINES[33].rsplit("\t", 1)[0]), 34, "5 columns", id="row-missing-a-column"),
    pytest.param(_with(36, "（注）同上は上の行と同じ。"), 36, "cannot read", id="note-in-table"),
])
def test_t2_rows_that_cannot_be_read_are_refused_at_their_line(
        ingest_text: Callable[..., IngestResult], text: str, line: int, words: str) -> None:
    with pytest.raises(IngestError) as e:
        ingest_text(text)
    assert e.value.line == line and words in str(e.value)
