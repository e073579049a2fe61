"""division: layout P's default division of labour, read from one paragraph into rules per 区分."""

from __future__ import annotations

import pytest

from kg.ingest.annex.division import read_rules
from kg.ingest.structure import Line, Paragraph

NAMES = {"宮崎市": "452017", "国富町": "453820", "甲": "452017", "乙": "453820"}


def _paragraph(*lines: str) -> Paragraph:
    return Paragraph(2, [Line(20 + i, text) for i, text in enumerate(lines)], "2 ")


def _read(*lines: str) -> list[tuple[list[int], list[tuple[str, str]], tuple[int, int]]]:
    return [(sorted(r.numbers), list(r.roles), (r.span.first, r.span.last))
            for r in read_rules(_paragraph(*lines), NAMES, 3)]


def test_one_sentence_with_two_rules() -> None:
    assert _read("2 前項第1号及び第2号に掲げる区分の取組については宮崎市が中心となって取り組み、国富町は宮崎市と"
                 "連携して取り組むものとし、同項第3号に掲げる区分の取組については宮崎市及び国富町が共同して取り組む"
                 "ものとする。") == [
        ([1, 2], [("452017", "宮崎市が中心となって取り組み"), ("453820", "国富町は宮崎市と連携して取り組むものとし")],
         (20, 20)),
        ([3], [("452017", "宮崎市及び国富町が共同して取り組むものとする。"),
               ("453820", "宮崎市及び国富町が共同して取り組むものとする。")], (20, 20))]


def test_rules_as_items_on_their_own_lines_keep_their_lines() -> None:
    rules = _read("2 前項各号に掲げる区分の取組の役割分担は、次のとおりとする。",
                  "(1) 前項第一号から第二号まで 甲が主体的に取り組み、乙はこれに協力する。",
                  "(2) 前項第三号 甲及び乙が共同して取り組む。")
    assert [(n, span) for n, _, span in rules] == [([1, 2], (21, 21)), ([3], (22, 22))]
    assert rules[0][1] == [("452017", "甲が主体的に取り組み"), ("453820", "乙はこれに協力する。")]


def test_every_kubun_at_once() -> None:
    [(numbers, roles, _)] = _read("2 前項各号に掲げる区分の取組については、甲が中心となって取り組むものとする。")
    assert numbers == [1, 2, 3] and roles == [("452017", "甲が中心となって取り組むものとする。")]


@pytest.mark.parametrize("text", [
    "2 前項の取組の実施に関し必要な事項は、別に定める。",
    "2 前項第1号に掲げる区分の取組の詳細は、別に定める。",
], ids=["no-citation", "citation-without-a-party-as-subject"])
def test_a_paragraph_that_divides_nothing_has_no_rules(text: str) -> None:
    assert _read(text) == []


def test_a_party_named_inside_another_partys_clause_is_not_a_subject() -> None:
    [(_, roles, _)] = _read("2 前項第1号に掲げる区分の取組については国富町は宮崎市が実施する事業に協力する。")
    assert roles == [("453820", "国富町は宮崎市が実施する事業に協力する。")]
