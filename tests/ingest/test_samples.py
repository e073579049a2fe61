"""Layouts T3 (熊本市–山鹿市) and I1 (姫路市–稲美町) from shared/samples, checked by SPARQL."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.ingest import IngestResult

from .helpers import select

T3_AGREEMENT = "https://w3id.org/renkei/id/agreement/431001-432083-2022-03-28"
I1_AGREEMENT = "https://w3id.org/renkei/id/agreement/282014-283819-2015-04-05"


@pytest.fixture(params=["t3", "i1"])
def sample(request: pytest.FixtureRequest) -> IngestResult:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def _parties(r: IngestResult) -> list[tuple[object, ...]]:
    return select(r.graph, """SELECT ?code ?central WHERE { ?a renkei:party ?p .
        BIND(STRAFTER(STR(?p), "municipality/") AS ?code)
        BIND(EXISTS { ?a renkei:centralCity ?p } AS ?central) } ORDER BY ?code""")


def test_t3_and_i1_are_recognised(t3: IngestResult, i1: IngestResult) -> None:
    assert (t3.layout, str(t3.agreement)) == ("T3", T3_AGREEMENT)
    assert (i1.layout, str(i1.agreement)) == ("I1", I1_AGREEMENT)


def test_parties_defined_as_ko_and_otsu_resolve_to_codes(t3: IngestResult, i1: IngestResult) -> None:
    assert _parties(t3) == [("431001", True), ("432083", False)]
    assert _parties(i1) == [("282014", True), ("283819", False)]


def test_sample_dates(t3: IngestResult, i1: IngestResult) -> None:
    assert select(t3.graph, "SELECT ?d ?p WHERE { ?a eli:date_document ?d ; renkei:printedDate ?p }") == [
        (dt.date(2022, 3, 28), "令和4年3月28日")]
    assert select(i1.graph, "SELECT ?d ?p WHERE { ?a eli:date_document ?d ; renkei:printedDate ?p }") == [
        (dt.date(2015, 4, 5), "平成27年4月5日")]


def test_sample_areas_as_printed_and_registered(t3: IngestResult, i1: IngestResult) -> None:
    q = "SELECT ?area ?name WHERE { ?a renkei:area ?area ; renkei:areaName ?name }"
    assert select(t3.graph, q) == [("https://w3id.org/renkei/id/area/kumamoto", "熊本連携中枢都市圏")]
    assert select(i1.graph, q) == [("https://w3id.org/renkei/id/area/harima", "播磨圏域")]


def test_sample_titles_drop_the_reiki_mark(t3: IngestResult, i1: IngestResult) -> None:
    q = "SELECT ?t WHERE { ?a a renkei:Agreement ; dct:title ?t }"
    assert select(t3.graph, q) == [("熊本市及び山鹿市における連携中枢都市圏の形成に係る連携協約",)]
    assert select(i1.graph, q) == [("姫路市及び稲美町における連携中枢都市圏形成に係る連携協約",)]


ARTICLES = "SELECT ?n ?h WHERE { ?x a renkei:Article ; renkei:number ?n ; renkei:heading ?h } ORDER BY ?n"


def test_t3_has_five_articles_and_no_end_of_life_article(t3: IngestResult) -> None:
    assert select(t3.graph, ARTICLES) == [(1, "目的"), (2, "基本方針"), (3, "連携する取組及び役割分担"),
                                          (4, "費用分担"), (5, "連絡会議")]


def test_i1_has_six_articles_with_a_lapse_article_of_two_paragraphs(i1: IngestResult) -> None:
    assert select(i1.graph, ARTICLES) == [(1, "目的"), (2, "基本方針"),
                                          (3, "連携を図る事務並びに取組内容及び役割分担"), (4, "費用分担"),
                                          (5, "協議"), (6, "失効")]
    rows = select(i1.graph, f"""SELECT ?n ?t WHERE {{ <{I1_AGREEMENT}/article/6> eli:has_part ?p .
        ?p renkei:number ?n ; renkei:text ?t }} ORDER BY ?n""")
    assert [n for n, _ in rows] == [1, 2] and rows[1][1].startswith("前項の通告があったときは")


def test_t3_article_3_items_point_at_the_annex_tables(t3: IngestResult) -> None:
    rows = select(t3.graph, f"""SELECT ?n ?t WHERE {{ <{T3_AGREEMENT}/article/3/paragraph/1> eli:has_part ?i .
        ?i a renkei:Item ; renkei:number ?n ; renkei:text ?t }} ORDER BY ?n""")
    assert [(n, t.endswith(f"（別表第{n}）")) for n, t in rows] == [(1, True), (2, True), (3, True)]


PER_PILLAR = """SELECT ?pillar (COUNT(?i) AS ?n) WHERE { ?a renkei:initiative ?i . ?i renkei:pillar ?p .
    BIND(STRAFTER(STR(?p), "framework/") AS ?pillar) } GROUP BY ?pillar ORDER BY ?pillar"""


def test_initiatives_per_pillar(t3: IngestResult, i1: IngestResult) -> None:
    assert select(t3.graph, PER_PILLAR) == [("1", 3), ("2", 2), ("3", 4)]
    assert select(i1.graph, PER_PILLAR) == [("1", 2), ("2", 1), ("3", 3)]


def test_t3_annexes_carry_their_pillar_and_hold_the_rows(t3: IngestResult) -> None:
    rows = select(t3.graph, """SELECT ?n ?pillar (COUNT(?i) AS ?rows) WHERE { ?x a renkei:Annex ;
        renkei:number ?n ; renkei:pillar ?p ; eli:has_part ?i . ?i a renkei:Initiative .
        BIND(STRAFTER(STR(?p), "framework/") AS ?pillar) } GROUP BY ?n ?pillar ORDER BY ?n""")
    assert rows == [(1, "1", 3), (2, "2", 2), (3, "3", 4)]


def test_t3_rows_without_printed_numbers_are_numbered_by_position(t3: IngestResult) -> None:
    rows = select(t3.graph, """SELECT ?id ?title WHERE { ?i a renkei:Initiative ; dct:identifier ?id ;
        dct:title ?title } ORDER BY ?id""")
    assert rows[0] == ("1-1", "産学金官民一体となった経済戦略の推進")
    assert rows[-1] == ("3-4", "職員の人材育成")


def test_i1_ladder_gives_title_content_and_roles(i1: IngestResult) -> None:
    rows = select(i1.graph, f"""SELECT ?id ?title ?content ?first ?last WHERE {{
        <{I1_AGREEMENT}/initiative/1-2> dct:identifier ?id ; dct:title ?title ; renkei:content ?content ;
        eli:is_part_of <{I1_AGREEMENT}/article/3/item/1> ;
        prov:wasDerivedFrom [ renkei:firstLine ?first ; renkei:lastLine ?last ] }}""")
    assert rows == [("1-b", "戦略的な観光施策",
                     "圏域の歴史及び文化を生かした周遊観光を推進し、観光客の誘致を図る。",
                     36, 50)]
    roles = select(i1.graph, f"""SELECT ?code ?text ?lead WHERE {{ <{I1_AGREEMENT}/initiative/1-2>
        renkei:role ?r . ?r renkei:actor ?m ; renkei:text ?text ; renkei:lead ?lead .
        BIND(STRAFTER(STR(?m), "municipality/") AS ?code) }} ORDER BY ?code""")
    assert roles == [("282014", "圏域全体の観光情報の発信及び誘客活動において中心的な役割を果たす。", True),
                     ("283819", "町内の観光資源の魅力を高め、甲と連携して誘客活動に取り組む。", False)]


LEADS = """SELECT ?code (COUNT(?r) AS ?n) WHERE { ?i renkei:role ?r . ?r renkei:lead true ; renkei:actor ?m .
    BIND(STRAFTER(STR(?m), "municipality/") AS ?code) } GROUP BY ?code"""


def test_leads_count_shudo_and_chushinteki_na_yakuwari(t3: IngestResult, i1: IngestResult) -> None:
    # T3: 「主導する」 in 8 of 9 central-city roles (職員の人材育成 says only 企画し、実施する).
    assert select(t3.graph, LEADS) == [("431001", 8)]
    # I1: 「中心的な役割を果たす」 in 5 of 6 (圏域マネジメント能力の強化 says only 企画し、実施する).
    assert select(i1.graph, LEADS) == [("282014", 5)]


def test_every_initiative_has_one_role_per_party(sample: IngestResult) -> None:
    rows = select(sample.graph, """SELECT ?i (COUNT(DISTINCT ?actor) AS ?actors) (COUNT(?r) AS ?roles) WHERE {
        ?a renkei:initiative ?i . ?i renkei:role ?r . ?r renkei:actor ?actor } GROUP BY ?i""")
    assert rows and {(actors, roles) for _, actors, roles in rows} == {(2, 2)}


def test_signature_blocks_without_names(sample: IngestResult) -> None:
    rows = select(sample.graph, """SELECT ?title ?name WHERE { ?a renkei:signatory ?s .
        ?s renkei:printedTitle ?title OPTIONAL { ?s renkei:printedName ?name } } ORDER BY ?title""")
    assert len(rows) == 2 and all(name is None for _, name in rows)


# docs/framework.md, "Composed samples": the categories the framework rule gives these titles.
SAMPLE_CATEGORIES = {
    "t3": {"1-1": "1.a", "1-2": "1.b", "1-3": "1.d", "2-1": "2.a", "2-2": "2.b",
           "3-1": "3.A.3", "3-2": "3.A.7", "3-3": "3.A.4", "3-4": "3.C.1"},
    "i1": {"1-a": "1.a", "1-b": "1.d", "2-a": "2.a", "3-a": "3.A", "3-b": "3.B", "3-c": "3.C"},
}


@pytest.mark.parametrize("name", SAMPLE_CATEGORIES)
def test_sample_categories_follow_docs_framework(name: str, request: pytest.FixtureRequest) -> None:
    result: IngestResult = request.getfixturevalue(name)
    rows = dict(select(result.graph, """SELECT ?id ?notation WHERE { ?i dct:identifier ?id ;
        renkei:category ?c . BIND(STRAFTER(STR(?c), "framework/") AS ?notation) }"""))
    assert rows == SAMPLE_CATEGORIES[name]
