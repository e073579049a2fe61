"""Issue 9, point 1 and 2: texts the reader by meaning must read, composed before it was written.

Each text in ``tests/data/ingest/fresh9/`` prints its annex in an arrangement real agreements use
and the six layout parsers did not read: the column header printed once above the first pillar
heading or again on each page, pillar headings numbered （１）/ 一 / 第1 / ① / Ⅰ / 1. and without
「…に関する取組」, role columns headed 「〈市〉の役割分担及び費用分担」 with the pillar headings between
the rows, a 分野 / 基本方針 table without a 内容 column, 番号 / 区分 / 備考 columns, the wordings
事業 / 項目 / 取組項目, 概要 / 事業概要 / 取組の内容, 役割分担 / 〈市〉の役割分担, 別表第１…第３, CP932
files with 「～」「－」「∥」, 例規集 pages whose 別表 is one ``<table>``, and role cells holding only
「－」「―」「なし」 or nothing. Parties and dates are real (shared/domain/areas.csv); the wording is
composed, not the official text.

The expectations are what a reader of each text finds in it, written without looking at the code.
Categories are keyed by title (the framework rule works on the title; a title that names several
framework items gets every one of them, issue 9 point 1). Identifiers are checked only where the
printed numbering leaves no doubt about them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.ingest import IngestResult, ingest_file
from kg.settings import Settings
from kg.validation.report import Severity
from kg.validation.validate import validate_path

from .helpers import DATA, select

FRESH9 = DATA / "fresh9"
ID = "https://w3id.org/renkei/id/"
#: What a role cell holds when the party takes no part in the row (issue 9, point 2).
NO_PART = ("－", "―", "なし", "-", "")

#: The framework categories of every title used in the fresh texts: every concept under the pillar
#: whose wording (prefLabel, altLabel, hiddenLabel of ontology/framework.ttl) the title contains.
CATEGORIES: dict[str, list[str]] = {
    "産学金官民一体となった経済戦略の推進": ["1.a"],
    "創業支援と企業誘致の推進": ["1.b"],
    "地場産品の販路拡大": ["1.c"],
    "広域観光の推進": ["1.d"],
    "創業支援及び観光の振興": ["1.b", "1.d"],          # names two items of pillar 1
    "高度な医療サービスの提供": ["2.a"],
    "広域的公共交通網の構築": ["2.b"],
    "大学等と連携した人材の育成": ["2.c"],
    "地域医療・福祉・子育ての充実": ["3.A.1", "3.A.3"],  # the issue's own example
    "図書館等の相互利用": ["3.A.4"],
    "災害時の相互応援体制の構築": ["3.A.7"],
    "消防の連携": ["3.A.7"],
    "地域公共交通の確保": ["3.B.1"],
    "地域公共交通・道路の整備": ["3.B.1", "3.B.3"],     # names two items of pillar 3
    "移住・定住の促進": ["3.B.5"],
    "職員の合同研修": ["3.C"],
    "ごみ処理の広域化": ["3.A.8"],
    "環境保全の推進": ["3.A.8"],
    "高齢者の介護予防": ["3.A.2"],
}


@dataclass(frozen=True)
class Expected:
    """What a reader of the text finds in it."""

    layout: str  # the family recorded on the agreement: T1, T2, T3, T4 (shared/domain/layouts.md)
    key: str  # central-partner-date
    articles: list[tuple[int, str]]
    titles: list[tuple[str, str]]  # (pillar notation, title as printed without its number), in text order
    leads: dict[str, int]  # municipality code → roles that lead
    identifiers: list[str] | None = None  # dct:identifier of the rows, where the numbering leaves no doubt
    no_part: dict[str, str] = field(default_factory=dict)  # title → code of the party that takes no part
    has_content: bool = True
    extra: dict[str, object] = field(default_factory=dict)


EXPECTED: dict[str, Expected] = {
    # header row printed once, above 「1 …に関する取組」
    "t1-header-once-niigata-sanjo.txt": Expected(
        "T1", "151009-152048-2017-03-28",
        [(1, "目的"), (2, "基本方針"), (3, "連携する取組等"), (4, "費用分担"), (5, "協議"), (6, "協約の変更及び廃止")],
        [("1", "産学金官民一体となった経済戦略の推進"), ("1", "広域観光の推進"), ("2", "高度な医療サービスの提供"),
         ("3", "地域医療・福祉・子育ての充実"), ("3", "災害時の相互応援体制の構築"), ("3", "地域公共交通の確保")],
        {"151009": 6}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)", "3-(3)"]),
    # header row per pillar and printed again mid-pillar 3 (a page break); 「および」
    "t1-header-per-page-kagoshima-hioki.txt": Expected(
        "T1", "462012-462161-2017-01-19",
        [(1, "目的"), (2, "基本方針"), (3, "連携する取組及び役割分担"), (4, "費用負担"), (5, "連絡会議"), (6, "失効")],
        [("1", "創業支援と企業誘致の推進"), ("1", "地場産品の販路拡大"), ("2", "広域的公共交通網の構築"),
         ("3", "地域医療・福祉・子育ての充実"), ("3", "図書館等の相互利用"), ("3", "災害時の相互応援体制の構築"),
         ("3", "地域公共交通の確保"), ("3", "移住・定住の促進")],
        {"462012": 8}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)", "3-(3)", "3-(4)", "3-(5)"],
        extra={"title": "鹿児島市および日置市における連携中枢都市圏形成に係る連携協約書"}),
    # CP932 with CRLF; pillar headings 「（１）圏域全体の経済成長のけん引」; rows ア, イ; 甲/乙
    "t1-paren-pillars-cp932-morioka-shizukuishi.txt": Expected(
        "T1", "032018-033014-2016-01-15",
        [(1, "目的"), (2, "連携する取組及び役割分担"), (3, "費用負担"), (4, "協議")],
        [("1", "広域観光の推進"), ("1", "地場産品の販路拡大"), ("2", "高度な医療サービスの提供"),
         ("3", "図書館等の相互利用"), ("3", "消防の連携"), ("3", "職員の合同研修")],
        {"032018": 5},
        extra={"encoding": "Windows-31J",
               "contents": ["小岩井農場～網張温泉の周遊ルートを整え、盛岡駅からの誘客を図る。"]}),
    # kanji numerals: 第一条…, 「一　…に関する取組」, 令和元年十二月二十五日
    "t1-kanji-pillars-aomori-hiranai.txt": Expected(
        "T1", "022012-023019-2019-12-25",
        [(1, "目的"), (2, "連携する取組等"), (3, "経費の負担"), (4, "協議"), (5, "変更等")],
        [("1", "産学金官民一体となった経済戦略の推進"), ("1", "広域観光の推進"), ("2", "高度な医療サービスの提供"),
         ("3", "災害時の相互応援体制の構築"), ("3", "ごみ処理の広域化")],
        {"022012": 5}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)"],
        extra={"printed": "令和元年十二月二十五日"}),
    # 「第1　経済成長のけん引」 (the short form), header once above it, rows numbered 1, 2
    "t1-dai-pillars-nagano-suzaka.txt": Expected(
        "T1", "202011-202070-2016-03-29",
        [(1, "目的"), (2, "基本方針"), (3, "連携を図る取組及び役割分担"), (4, "費用負担"), (5, "連携推進会議")],
        [("1", "地場産品の販路拡大"), ("1", "創業支援と企業誘致の推進"), ("2", "広域的公共交通網の構築"),
         ("2", "大学等と連携した人材の育成"), ("3", "高齢者の介護予防"), ("3", "移住・定住の促進")],
        {"202011": 6, "202070": 1}),
    # 「①　圏域全体の経済成長のけん引」; partner cells 「―」, 「なし」 and empty
    "t1-circled-pillars-no-part-oita-beppu.txt": Expected(
        "T1", "442011-442020-2016-03-29",
        [(1, "目的"), (2, "連携する取組及び役割分担"), (3, "費用負担"), (4, "連絡会議")],
        [("1", "広域観光の推進"), ("1", "産学金官民一体となった経済戦略の推進"), ("2", "高度な医療サービスの提供"),
         ("3", "図書館等の相互利用"), ("3", "地域公共交通の確保"), ("3", "ごみ処理の広域化")],
        {"442011": 6}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)", "3-(3)"],
        no_part={"産学金官民一体となった経済戦略の推進": "442020", "高度な医療サービスの提供": "442020",
                 "ごみ処理の広域化": "442020"}),
    # 「Ⅰ　…に関する取組」; 事業 / 概要 / 〈市〉の役割分担 / 備考
    "t1-roman-pillars-remarks-toyama-namerikawa.txt": Expected(
        "T1", "162019-162060-2018-01-10",
        [(1, "目的"), (2, "連携する取組及び役割分担"), (3, "費用負担"), (4, "協議"), (5, "協約の変更及び廃止")],
        [("1", "創業支援と企業誘致の推進"), ("1", "広域観光の推進"), ("2", "広域的公共交通網の構築"),
         ("3", "地域医療・福祉・子育ての充実"), ("3", "地域公共交通の確保"), ("3", "職員の合同研修")],
        {"162019": 6}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)", "3-(3)"],
        extra={"remarks": ["ほたるいかの観光を含む。", "病児保育の相互利用は令和元年度から"]}),
    # 「1.　…」; 番号 / 取組項目 / 取組の内容 / 甲の役割 / 乙の役割, header once
    "t1-dot-pillars-number-column-kanazawa-hakusan.txt": Expected(
        "T1", "172014-172103-2016-03-28",
        [(1, "目的"), (2, "基本方針"), (3, "連携する取組等"), (4, "費用負担"), (5, "協議")],
        [("1", "産学金官民一体となった経済戦略の推進"), ("1", "地場産品の販路拡大"),
         ("2", "大学等と連携した人材の育成"), ("3", "図書館等の相互利用"), ("3", "災害時の相互応援体制の構築"),
         ("3", "環境保全の推進")],
        {"172014": 6}, extra={"title": "金沢市と白山市との連携中枢都市圏形成に係る連携協約書"}),
    # T4 role columns 〈市〉の役割分担及び費用分担, header once, pillar headings between the rows
    "t4-headings-between-rows-kurashiki-soja.txt": Expected(
        "T4", "332020-332089-2015-03-27",
        [(1, "目的"), (2, "役割分担及び費用分担"), (3, "高梁川流域連携中枢都市圏連携会議"), (4, "変更等")],
        [("1", "広域観光の推進"), ("1", "地場産品の販路拡大"), ("2", "高度な医療サービスの提供"),
         ("3", "災害時の相互応援体制の構築"), ("3", "地域公共交通の確保")],
        {"332020": 4}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)"],
        extra={"roles": {("災害時の相互応援体制の構築", "332089"):
                         "倉敷市と連携して相互応援体制の構築に取り組む。応援に要する経費は、応援を受けた市が負担する。"}}),
    # T2: 分野 / 基本方針 / 取組 / roles, and no 内容 column
    "t2-no-content-matsuyama-tobe.txt": Expected(
        "T2", "382019-384020-2016-07-08",
        [(1, "目的"), (2, "基本方針"), (3, "連携する取組及び役割分担"), (4, "費用負担"), (5, "連絡会議")],
        [("1", "地場産品の販路拡大"), ("1", "広域観光の推進"), ("2", "高度な医療サービスの提供"),
         ("3", "図書館等の相互利用"), ("3", "地域医療・福祉・子育ての充実")],
        {"382019": 5}, ["1-1", "1-2", "2-1", "3-1", "3-2"], has_content=False),
    # T2: 番号 / 分野 / 取組 / 内容 / roles / 備考, no 基本方針
    "t2-field-column-remarks-kochi-nankoku.txt": Expected(
        "T2", "392014-392049-2018-03-28",
        [(1, "目的"), (2, "連携する取組等"), (3, "費用負担"), (4, "協議"), (5, "協約の変更及び廃止")],
        [("1", "創業支援と企業誘致の推進"), ("1", "広域観光の推進"), ("2", "広域的公共交通網の構築"),
         ("3", "地域公共交通の確保"), ("3", "移住・定住の促進"), ("3", "災害時の相互応援体制の構築")],
        {"392014": 6}, extra={"remarks": ["高知龍馬空港の利用促進を含む。"]}),
    # T3, CP932 with CRLF, 別表第１…第３ (full-width), 「～」「－」「∥」 in contents, a role cell 「－」
    "t3-cp932-kumamoto-tamana.txt": Expected(
        "T3", "431001-432067-2023-10-24",
        [(1, "目的"), (2, "基本方針"), (3, "連携する取組及び役割分担"), (4, "費用分担"), (5, "連絡会議")],
        [("1", "地場産品の販路拡大"), ("1", "広域観光の推進"), ("2", "広域的公共交通網の構築"),
         ("3", "地域公共交通の確保"), ("3", "災害時の相互応援体制の構築"), ("3", "職員の合同研修")],
        {"431001": 6}, ["1-1", "1-2", "2-1", "3-1", "3-2", "3-3"],
        no_part={"災害時の相互応援体制の構築": "432067"},
        extra={"encoding": "Windows-31J", "printed": "令和５年１０月２４日",
               "contents": ["熊本城～高瀬裏川～玉名温泉を結ぶ周遊ルートを整え、誘客を図る。",
                            "ＪＲ鹿児島本線∥九州新幹線の駅と中心拠点を結ぶ公共交通の利便性を高める。",
                            "熊本市－玉名市間の路線バス等の生活交通を確保し、その利用を促進する。"]}),
    # T1, CP932, the partner printed with its prefecture (山口県柳井市), header once; the 例規集
    # publication date (3月31日) comes before the signing date (3月30日)
    "t1-cp932-prefecture-partner-hiroshima-yanai.txt": Expected(
        "T1", "341002-352128-2016-03-30",
        [(1, "目的"), (2, "基本方針"), (3, "連携する取組等"), (4, "費用分担"), (5, "協議")],
        [("1", "広域観光の推進"), ("1", "産学金官民一体となった経済戦略の推進"), ("2", "高度な医療サービスの提供"),
         ("3", "災害時の相互応援体制の構築"), ("3", "地域公共交通の確保")],
        {"341002": 5}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)"],
        extra={"encoding": "Windows-31J",
               "contents": ["宮島～柳井の白壁の町並み～周防大島を結ぶ瀬戸内の周遊ルートを整え、誘客を図る。",
                            "ＪＲ山陽本線（広島駅－柳井駅間）と路線バスの乗継ぎの利便性を高める。"]}),
    # 区分 column (sub-fields) before 取組, pillar headings with the header under each
    "t1-kubun-column-hachinohe-sannohe.txt": Expected(
        "T1", "022039-024414-2017-03-22",
        [(1, "目的"), (2, "基本方針"), (3, "連携する取組及び役割分担"), (4, "費用負担"), (5, "失効")],
        [("1", "創業支援と企業誘致の推進"), ("1", "広域観光の推進"), ("2", "高度な医療サービスの提供"),
         ("3", "地域医療・福祉・子育ての充実"), ("3", "地域公共交通の確保"), ("3", "職員の合同研修")],
        {"022039": 6}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)", "3-(3)"]),
    # titles spanning several framework items; full-width digits; header once above 「１　…」
    "t1-multi-category-kitakyushu-nogata.txt": Expected(
        "T1", "401005-402044-2016-04-18",
        [(1, "目的"), (2, "基本方針"), (3, "連携を図る取組及び役割分担"), (4, "費用負担"), (5, "協議")],
        [("1", "創業支援及び観光の振興"), ("1", "創業支援と企業誘致の推進"), ("2", "高度な医療サービスの提供"),
         ("3", "地域公共交通・道路の整備"), ("3", "地域医療・福祉・子育ての充実"), ("3", "環境保全の推進")],
        {"401005": 6}, ["1-(1)", "1-(2)", "2-(1)", "3-(1)", "3-(2)", "3-(3)"]),
    # 例規集 page: 別表 is ONE <table>, header row once at the top, pillar headings as colspan rows
    "page-t1-one-table-takamatsu-miki.html": Expected(
        "T1", "372013-373419-2016-02-16",
        [(1, "目的"), (2, "基本方針"), (3, "連携する取組等"), (4, "費用分担"), (5, "協議")],
        [("1", "産学金官民一体となった経済戦略の推進"), ("1", "広域観光の推進"), ("2", "高度な医療サービスの提供"),
         ("2", "広域的公共交通網の構築"), ("3", "地域医療・福祉・子育ての充実"), ("3", "図書館等の相互利用"),
         ("3", "災害時の相互応援体制の構築")],
        {"372013": 7}, ["1-(1)", "1-(2)", "2-(1)", "2-(2)", "3-(1)", "3-(2)", "3-(3)"],
        extra={"encoding": "UTF-8"}),
    # 例規集 page: one <table>, two-row header 役割分担 → 岐阜市 / 瑞穂市, pillars 「（１）…」, rows ア, イ
    "page-t1-one-table-two-level-header-gifu-mizuho.html": Expected(
        "T1", "212016-212164-2017-11-02",
        [(1, "目的"), (2, "連携する取組及び役割分担"), (3, "費用負担"), (4, "連携推進会議"), (5, "失効")],
        [("1", "創業支援と企業誘致の推進"), ("1", "地場産品の販路拡大"), ("2", "大学等と連携した人材の育成"),
         ("3", "移住・定住の促進"), ("3", "高齢者の介護予防"), ("3", "ごみ処理の広域化")],
        {"212016": 6},
        extra={"encoding": "UTF-8",
               "roles": {("創業支援と企業誘致の推進", "212016"):
                         "瑞穂市と連携して、中心となって創業支援と企業誘致に取り組む。",
                         ("創業支援と企業誘致の推進", "212164"): "岐阜市と連携して、創業支援と企業誘致に取り組む。"}}),
}
FILES = sorted(p for p in FRESH9.iterdir() if p.suffix in {".txt", ".html"})


def test_the_folder_yields_at_least_fifteen_texts_each_with_its_expectations() -> None:
    assert len(FILES) >= 15
    assert [p.name for p in FILES] == sorted(EXPECTED)


def test_the_folder_covers_the_arrangements_of_issue_9() -> None:
    layouts = Counter(e.layout for e in EXPECTED.values())
    assert {"T1", "T2", "T3", "T4"} <= set(layouts)
    assert sum(p.suffix == ".html" for p in FILES) >= 2
    cp932 = [p for p in FILES if p.suffix == ".txt" and not _is_utf8(p.read_bytes())]
    assert len(cp932) >= 2
    assert any(not e.has_content for e in EXPECTED.values())
    assert any(e.no_part for e in EXPECTED.values())
    assert any(len(CATEGORIES[t]) > 1 for e in EXPECTED.values() for _, t in e.titles)
    assert {t for e in EXPECTED.values() for _, t in e.titles} <= set(CATEGORIES)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def fresh(request: pytest.FixtureRequest) -> tuple[IngestResult, Expected, Path]:
    path = FRESH9 / request.param
    return ingest_file(path, Settings()), EXPECTED[request.param], path


def _initiatives(result: IngestResult) -> dict[str, tuple[str, str]]:
    """Every initiative of the agreement: IRI → (pillar notation, title)."""
    rows = select(result.graph, """SELECT ?i ?pillar ?title WHERE { ?a renkei:initiative ?i .
        ?i dct:title ?title ; renkei:pillar ?p . BIND(STRAFTER(STR(?p), "framework/") AS ?pillar) }""")
    return {str(i): (pillar, title) for i, pillar, title in rows}


def _by_title(result: IngestResult, title: str) -> str:
    found = [i for i, (_, t) in _initiatives(result).items() if t == title]
    assert len(found) == 1, f"{title}: {len(found)} initiatives"
    return found[0]


def test_layout_parties_and_date(fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    central, partner, date = want.key.split("-", 2)
    assert (result.layout, str(result.agreement)) == (want.layout, f"{ID}agreement/{want.key}")
    rows = select(result.graph, """SELECT ?central ?date WHERE { ?a renkei:centralCity ?c ; eli:date_document ?date .
        BIND(STRAFTER(STR(?c), "municipality/") AS ?central) }""")
    assert rows == [(central, dt.date.fromisoformat(date))]
    parties = {str(p).rsplit("/", 1)[-1] for (p,) in select(result.graph, "SELECT ?p WHERE { ?a renkei:party ?p }")}
    assert parties == {central, partner}


def test_articles_and_headings(fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    assert select(result.graph, """SELECT ?n ?h WHERE { ?x a renkei:Article ; renkei:number ?n ; renkei:heading ?h }
        ORDER BY ?n""") == want.articles


def test_every_row_is_one_initiative_under_its_pillar_with_its_title(
        fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    # Neither a header row (printed once, per pillar or per page) nor a pillar heading becomes an
    # initiative, and no printed number (（１）, ア, 1, (1) in a 番号 column) stays in a title.
    assert sorted(_initiatives(result).values()) == sorted(want.titles)


def test_identifiers_where_the_numbering_leaves_no_doubt(fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    if want.identifiers is None:
        pytest.skip("the printed numbering (ア, 1, a 番号 column) does not fix the identifier")
    rows = select(result.graph, "SELECT ?id WHERE { ?a renkei:initiative ?i . ?i dct:identifier ?id }")
    assert sorted(i for (i,) in rows) == sorted(want.identifiers)


def test_content_is_read_from_the_content_column(fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    rows = select(result.graph, """SELECT ?i ?c WHERE { ?a renkei:initiative ?i . ?i renkei:content ?c }""")
    if not want.has_content:
        assert rows == []  # no 内容 column: nothing is made up, and no other column is taken for it
        return
    contents = Counter(str(i) for i, _ in rows)
    assert set(contents) == set(_initiatives(result)) and set(contents.values()) == {1}
    roles = {t for (t,) in select(result.graph, "SELECT ?t WHERE { ?r a renkei:Role ; renkei:text ?t }")}
    assert all(c and c not in roles for _, c in rows)


def test_one_role_per_party_except_where_the_party_takes_no_part(
        fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    central, partner, _ = want.key.split("-", 2)
    rows = select(result.graph, """SELECT ?i ?code ?t ?part ?lead WHERE { ?a renkei:initiative ?i . ?i renkei:role ?r .
        ?r renkei:actor ?m . OPTIONAL { ?r renkei:text ?t } OPTIONAL { ?r renkei:takesPart ?part }
        OPTIONAL { ?r renkei:lead ?lead } BIND(STRAFTER(STR(?m), "municipality/") AS ?code) }""")
    taking_part = Counter((str(i), code) for i, code, text, part, _ in rows if part is not False and text)
    expected, absent = set(), set()
    for iri, (_, title) in _initiatives(result).items():
        for code in (central, partner):
            (absent if want.no_part.get(title) == code else expected).add((iri, code))
    assert set(taking_part) == expected and set(taking_part.values()) == {1}
    # a party that takes no part has no role, or a role that says so (renkei:takesPart false) and does not lead
    assert all(part is False and lead is not True for i, code, _, part, lead in rows if (str(i), code) in absent)


def test_a_no_part_mark_is_not_a_role_text(fresh: tuple[IngestResult, Expected, Path]) -> None:
    # issue 9 point 2: 「－」「―」「なし」 or nothing is read as "takes no part", not passed on as a role text
    result, _, _ = fresh
    texts = [t for (t,) in select(result.graph, "SELECT ?t WHERE { ?r a renkei:Role ; renkei:text ?t }")]
    assert [t for t in texts if t.strip() in NO_PART] == []


def test_who_leads(fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    rows = select(result.graph, """SELECT ?code (COUNT(?r) AS ?n) WHERE { ?i renkei:role ?r . ?r renkei:lead true ;
        renkei:actor ?m . BIND(STRAFTER(STR(?m), "municipality/") AS ?code) } GROUP BY ?code""")
    assert dict(rows) == want.leads


def test_every_category_a_title_names(fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    rows = select(result.graph, """SELECT ?title ?notation WHERE { ?a renkei:initiative ?i . ?i dct:title ?title ;
        renkei:category ?c . BIND(STRAFTER(STR(?c), "framework/") AS ?notation) }""")
    found: dict[str, list[str]] = {}
    for title, notation in rows:
        found.setdefault(title, []).append(notation)
    assert {t: sorted(n) for t, n in found.items()} == {t: CATEGORIES[t] for _, t in want.titles}


def test_what_is_particular_to_each_text(fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, want, _ = fresh
    g, a = result.graph, result.agreement
    for name, value in want.extra.items():
        if name == "title":
            query = f"SELECT ?t WHERE {{ <{a}> dct:title ?t ; eli:is_realized_by/eli:title ?t }}"
            assert select(g, query) == [(value,)]
        elif name == "printed":
            assert select(g, f"SELECT ?t WHERE {{ <{a}> renkei:printedDate ?t }}") == [(value,)]
        elif name == "encoding":
            assert select(g, "SELECT ?e WHERE { ?s renkei:encoding ?e }") == [(value,)]
        elif name == "contents":
            # CP932 as Windows wrote it: 「～」 is U+FF5E (never 〜 U+301C), 「－」 U+FF0D, 「∥」 U+2225
            contents = {c for (c,) in select(g, "SELECT ?c WHERE { ?i renkei:content ?c }")}
            assert isinstance(value, list)
            assert set(value) <= contents
            assert not any("\u301c" in c or "\u2016" in c or "\u2212" in c for c in contents)
        elif name == "remarks":
            # 備考 is a remark on the row: not a role, not part of the title or content
            literals = [str(o) for _, p, o in g if str(p).endswith(("#text", "#content", "/title"))]
            assert isinstance(value, list)
            assert not [text for text in literals for remark in value if remark in text]
        elif name == "roles":
            assert isinstance(value, dict)
            for (title, code), text in value.items():
                iri = _by_title(result, title)
                assert select(g, f"""SELECT ?t WHERE {{ <{iri}> renkei:role ?r .
                    ?r renkei:actor <{ID}municipality/{code}> ; renkei:text ?t }}""") == [(text,)]
        else:
            pytest.fail(f"unknown expectation {name}")


def _row_line(path: Path, title: str) -> int:
    """The 1-based line of the file (as decoded) that holds the row with ``title``."""
    data = path.read_bytes()
    text = data.decode("utf-8") if _is_utf8(data) else data.decode("cp932")
    lines = [n for n, line in enumerate(text.splitlines(), start=1)
             if title in line and ("\t" in line or "<td" in line)]
    assert len(lines) == 1, (title, lines)
    return lines[0]


def _warnings(path: Path, result: IngestResult) -> list[tuple[str, int | None]]:
    """Every warning about ``path``: the ingester's own (if it reports any) and the shapes' (Severity.WARNING),
    each as (all its words, ja and en, location and message; its first line)."""
    found: list[tuple[str, int | None]] = []
    for attr in ("warnings", "problems", "notes"):
        for w in getattr(result, attr, ()) or ():
            words = " ".join(str(x) for x in (getattr(w, "where", None), getattr(w, "ja", None),
                                              getattr(w, "en", None)) if x)
            found.append((words, getattr(w, "line", None)))
    report = validate_path(path, Settings())
    for r in report.results:
        if r.severity is Severity.WARNING:
            found.append((" ".join((r.location.text.ja, r.location.text.en, r.message.ja, r.message.en)),
                          r.location.first_line))
    return found


NO_PART_TEXTS = sorted(name for name, e in EXPECTED.items() if e.no_part)


@pytest.mark.parametrize("name", NO_PART_TEXTS)
def test_a_no_part_cell_is_a_warning_naming_its_row(name: str) -> None:
    path, want = FRESH9 / name, EXPECTED[name]
    result = ingest_file(path, Settings())
    identifiers = dict(select(result.graph, """SELECT ?title ?id WHERE { ?a renkei:initiative ?i .
        ?i dct:title ?title ; dct:identifier ?id }"""))
    warnings = _warnings(path, result)
    for title in want.no_part:
        line, identifier = _row_line(path, title), identifiers.get(title)
        named = [w for w, first in warnings if first == line or (identifier and identifier in w)]
        assert named, f"no warning names the row {identifier} ({title}, line {line}): {warnings}"


def test_a_table_without_content_is_read_and_the_missing_content_is_a_warning() -> None:
    path = FRESH9 / "t2-no-content-matsuyama-tobe.txt"
    report = validate_path(path, Settings())
    on_content = [r for r in report.results if (r.path or "").endswith(("#content", ":content"))]
    assert on_content, "the missing 内容 is reported"
    assert {r.severity for r in on_content} == {Severity.WARNING}
    assert len({r.focus for r in on_content}) == len(EXPECTED[path.name].titles)  # one per initiative


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fresh_text_validates_without_violation(name: str) -> None:
    # A title naming several framework items carries several categories: that is no violation either.
    report = validate_path(FRESH9 / name, Settings())
    assert [(r.shape_id, r.focus) for r in report.results if r.severity is Severity.VIOLATION] == []


def test_the_role_texts_name_no_party_that_is_not_one(fresh: tuple[IngestResult, Expected, Path]) -> None:
    result, _, _ = fresh
    actors = {str(m) for (m,) in select(result.graph, "SELECT ?m WHERE { ?r a renkei:Role ; renkei:actor ?m }")}
    parties = {str(p) for (p,) in select(result.graph, "SELECT ?p WHERE { ?a renkei:party ?p }")}
    assert actors <= parties
