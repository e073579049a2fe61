"""Amending agreements (「…連携協約の一部を変更する連携協約」) → renkei:Amendment with its changes.

The fixture is composed: the founding agreement's 災害対策 row 3-(5), amended on 令和2年7月8日
(shared/domain/layouts.md says every member's agreement was amended that day; the wording of the
change here is ours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kg.errors import IngestError
from kg.ingest import IngestResult, ingest_file
from kg.ingest.amendment import is_amendment
from kg.ingest.decode import decode
from kg.settings import Settings

from .helpers import DATA, SEED, select

AMENDMENT = DATA / "amendment-koriyama-nihonmatsu-2020.txt"
TEXT = AMENDMENT.read_text(encoding="utf-8")
IRI = "https://w3id.org/renkei/id/amendment/072036-072109-2020-07-08"
AGREEMENT = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"


@pytest.fixture(scope="module")
def amendment(settings: Settings) -> IngestResult:
    return ingest_file(AMENDMENT, settings)


def _with(old: str, new: str) -> str:
    assert old in TEXT
    return TEXT.replace(old, new)


def test_an_amendment_is_recognised_as_one(amendment: IngestResult) -> None:
    assert (amendment.kind, amendment.layout, str(amendment.agreement), str(amendment.graph_name)) == (
        "amendment", "amendment", IRI, "https://w3id.org/renkei/graph/amendment/072036-072109-2020-07-08")
    assert select(amendment.graph, "SELECT ?x WHERE { ?x a renkei:Agreement }") == []


def test_an_agreement_is_not_an_amendment() -> None:
    assert not is_amendment(decode(SEED.read_bytes(), SEED.name))


def test_it_amends_the_agreement_named_by_parties_and_date(amendment: IngestResult) -> None:
    rows = select(amendment.graph, """SELECT ?amends ?signed ?applies ?title ?central WHERE { ?a a renkei:Amendment ;
        eli:amends ?amends ; eli:date_document ?signed ; eli:date_applicability ?applies ; dct:title ?title ;
        renkei:centralCity ?central }""")
    assert rows == [(AGREEMENT, dt.date(2020, 7, 8), dt.date(2020, 7, 8),
                     "郡山市と二本松市との連携中枢都市圏形成に係る連携協約の一部を変更する連携協約",
                     "https://w3id.org/renkei/id/municipality/072036")]


def test_each_pair_of_wordings_is_one_change_with_its_target_and_line(amendment: IngestResult) -> None:
    rows = select(amendment.graph, """SELECT ?n ?target ?old ?new ?line WHERE { ?a renkei:change ?c .
        ?c a renkei:Change ; renkei:number ?n ; renkei:changes ?target ; renkei:oldText ?old ; renkei:newText ?new ;
           eli:is_part_of ?a ; prov:wasDerivedFrom [ renkei:firstLine ?line ] } ORDER BY ?n""")
    assert rows == [
        (1, f"{AGREEMENT}/initiative/3-5", "災害対策", "災害・感染症対策", 5),
        (2, f"{AGREEMENT}/initiative/3-5", "災害に備えた相互応援体制の構築や",
         "災害や感染症に備えた相互応援体制の構築や", 5),
        (3, f"{AGREEMENT}/initiative/3-5/role/072109", "取り組む。",
         "取り組み、感染症の拡大時には郡山市と情報を共有する。", 7)]


def test_signatories_and_basis_as_for_an_agreement(amendment: IngestResult) -> None:
    rows = select(amendment.graph, """SELECT ?name ?person WHERE { ?a renkei:signatory ?s .
        ?s renkei:printedName ?name ; renkei:identifiedAs ?person } ORDER BY ?name""")
    assert rows == [("三保 恵一", "https://w3id.org/renkei/id/person/miho-keiichi"),
                    ("品川 萬里", "https://w3id.org/renkei/id/person/shinagawa-masato")]
    assert select(amendment.graph, "SELECT ?b WHERE { ?a eli:based_on ?b }") == [
        ("https://w3id.org/renkei/id/law/322AC0000000067/article/252-2/paragraph/4",)]


CHANGES = """SELECT ?target ?old ?new WHERE { ?c renkei:changes ?target . OPTIONAL { ?c renkei:oldText ?old }
    OPTIONAL { ?c renkei:newText ?new } BIND(STRAFTER(STR(?target), "2019-10-18/") AS ?part) } ORDER BY ?c"""


@pytest.mark.parametrize(("provision", "expected"), [
    ("第4条中「協議して別に定める」を「協議して定める」に改める。",
     [("article/4", "協議して別に定める", "協議して定める")]),
    ("第3条第2項中「具体的な」を削る。", [("article/3/paragraph/2", "具体的な", None)]),
    ("第6条中「協議」の次に「及び合意」を加える。", [("article/6", "協議", "協議及び合意")]),
    ("別表1の(4)の項中「観光」を「広域観光」に改め、同表3の(8)の項中「I C T」を「ICT」に改める。",
     [("initiative/1-4", "観光", "広域観光"), ("initiative/3-8", "I C T", "ICT")]),
    ("別表3の(5)の項郡山市の役割の欄中「「安全安心」の確保」を「安全安心の確保」に改める。",
     [("initiative/3-5/role/072036", "「安全安心」の確保", "安全安心の確保")]),
], ids=["article", "paragraph-deletion", "insertion-after-an-anchor", "two-rows-with-dotable", "nested-brackets"])
def test_provision_forms(ingest_text: Callable[..., IngestResult], provision: str,
                         expected: list[tuple[str, str, str | None]]) -> None:
    text = "\n".join(line for line in TEXT.split("\n") if not line.startswith("別表3の(5)の項二本松市"))
    graph = ingest_text(text.replace(TEXT.split("\n")[4], provision)).graph
    rows = [(str(t).split("2019-10-18/")[1], o, n) for t, o, n in select(graph, CHANGES)]
    assert rows == expected


DATES = "SELECT ?signed ?applies WHERE { ?a eli:date_document ?signed ; eli:date_applicability ?applies }"


def test_taking_effect_on_signing(ingest_text: Callable[..., IngestResult]) -> None:
    text = _with("この連携協約は、令和2年7月8日から施行する。", "この連携協約は、締結の日から施行する。")
    text = text.replace("\n令和2年7月8日\n", "\n令和2年7月1日\n")
    graph = ingest_text(text).graph
    assert select(graph, DATES) == [(dt.date(2020, 7, 1), dt.date(2020, 7, 1))]


def test_taking_effect_after_signing(ingest_text: Callable[..., IngestResult]) -> None:
    graph = ingest_text(_with("令和2年7月8日から施行する", "令和2年8月1日から施行する")).graph
    assert select(graph, DATES) == [(dt.date(2020, 7, 8), dt.date(2020, 8, 1))]


@pytest.mark.parametrize(("text", "line", "words"), [
    (_with("令和元年10月18日に締結した", "先に締結した"), 3, "which agreement it amends"),
    (_with("この連携協約は、令和2年7月8日から施行する。", "この連携協約の施行に関し必要な事項は別に定める。"), 11,
     "when the amendment takes effect"),
    (_with("別表3の(5)の項中「災害対策」を", "別表の備考中「災害対策」を"), 5, "as an amending provision"),
    (_with("の役割の欄中「取り組む。」を「取り組み、感染症の拡大時には郡山市と情報を共有する。」に改める",
           "の役割の欄中「取り組む。」を改める"), 7, "no change in"),
    (_with("二本松市の役割の欄中", "三春町の役割の欄中"), 7, "names no party"),
], ids=["no-date-of-the-amended-agreement", "no-effect-date", "unreadable-target", "no-pair", "unknown-role-column"])
def test_unreadable_amendments_are_refused_at_their_line(ingest_text: Callable[..., IngestResult], text: str,
                                                          line: int, words: str) -> None:
    with pytest.raises(IngestError) as e:
        ingest_text(text)
    assert e.value.line == line and words in str(e.value)
