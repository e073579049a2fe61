"""The framework keywords map initiatives to the categories docs/framework.md promises.

The 19 initiatives of the founding agreement are read from its text (data/sources), so the titles
are the printed ones; the composed sample titles (shared/samples, layouts T3 and I1) are listed here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from framework_rule import category, keywords, normalise
from ontology_files import ROOT, SEED
from rdflib import Graph

#: The founding agreement's annex rows (pillar-(number)) and the category each must get.
SEED_CATEGORIES = {
    "1-(1)": "1.a", "1-(2)": "1.b", "1-(3)": "1.c", "1-(4)": "1.d",
    "2-(1)": "2.a", "2-(2)": "2.b", "2-(3)": "2.c",
    "3-(1)": "3.A.1", "3-(2)": "3.A.4", "3-(3)": "3.A.5", "3-(4)": "3.A.6", "3-(5)": "3.A.7",
    "3-(6)": "3.A.8", "3-(7)": "3.B.1", "3-(8)": "3.B.2", "3-(9)": "3.B.3", "3-(10)": "3.B.4",
    "3-(11)": "3.B.5", "3-(12)": "3.C",
}

#: Titles of the composed samples (T3: 熊本–山鹿, I1: 姫路–稲美) and their expected category.
SAMPLE_CATEGORIES = [
    ("1", "産学金官民一体となった経済戦略の推進", "1.a"),
    ("1", "創業支援及び企業誘致の推進", "1.b"),
    ("1", "広域観光の推進", "1.d"),
    ("2", "高度な医療サービスの提供", "2.a"),
    ("2", "広域的公共交通網の構築", "2.b"),
    ("3", "子育て支援の充実", "3.A.3"),
    ("3", "災害時の相互応援体制の構築", "3.A.7"),
    ("3", "図書館等公共施設の相互利用", "3.A.4"),
    ("3", "職員の人材育成", "3.C.1"),
    ("1", "産学金官民一体となった経済戦略の策定、国の成長戦略実施のための体制整備", "1.a"),
    ("1", "戦略的な観光施策", "1.d"),
    ("3", "生活機能の強化", "3.A"),
    ("3", "結びつきやネットワークの強化", "3.B"),
    ("3", "圏域マネジメント能力の強化", "3.C"),
    ("3", "公共交通の利用促進", "3.B.1"),
]

_PILLAR = re.compile(r"^([123]) \S+に関する取組$")
_ROW = re.compile(r"^\((\d+)\)\s*([^\t]+)\t([^\t]+)\t")


def seed_initiatives(path: Path = SEED) -> dict[str, tuple[str, str, str]]:
    """``{"3-(8)": (pillar, title, content)}`` for every annex row of the founding agreement."""
    rows: dict[str, tuple[str, str, str]] = {}
    pillar = None
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if m := _PILLAR.match(line):
            pillar = m.group(1)
        elif (m := _ROW.match(line)) and pillar:
            rows[f"{pillar}-({m.group(1)})"] = (pillar, m.group(2).strip(), m.group(3).strip())
    return rows


@pytest.fixture(scope="module")
def table(framework: Graph) -> dict[str, set[str]]:
    return keywords(framework)


def test_the_seed_yields_its_nineteen_initiatives() -> None:
    """Guard: the parametrised cases below come from this file."""
    assert list(seed_initiatives()) == list(SEED_CATEGORIES)


@pytest.mark.parametrize("row", list(SEED_CATEGORIES))
def test_founding_agreement_title_maps_to_its_category(table: dict[str, set[str]], row: str) -> None:
    pillar, title, _ = seed_initiatives()[row]
    assert category(table, pillar, title) == SEED_CATEGORIES[row], title


@pytest.mark.parametrize(("pillar", "title", "expected"), SAMPLE_CATEGORIES,
                         ids=[f"{p}-{t}" for p, t, _ in SAMPLE_CATEGORIES])
def test_sample_title_maps_to_its_category(table: dict[str, set[str]], pillar: str, title: str,
                                           expected: str) -> None:
    assert category(table, pillar, title) == expected


def test_matching_is_restricted_to_the_pillar(table: dict[str, set[str]]) -> None:
    """「医療」 is 2.a under pillar 2 but 3.A.1 under pillar 3."""
    assert category(table, "2", "医療体制の充実") == "2.a"
    assert category(table, "3", "医療体制の充実") == "3.A.1"


def test_the_longest_keyword_wins(table: dict[str, set[str]]) -> None:
    """「地域医療」 (3.A.1) is longer than 「子育て」 (3.A.3) and 「福祉」 (3.A.3)."""
    assert category(table, "3", "地域医療・福祉・子育ての充実") == "3.A.1"


def test_content_is_used_only_when_the_title_names_nothing(table: dict[str, set[str]]) -> None:
    assert category(table, "3", "住民サービスの向上", "圏域の図書館を相互に利用できるようにする。") == "3.A.4"
    assert category(table, "3", "地域振興", "圏域の図書館を相互に利用できるようにする。") == "3.A.6"


def test_an_initiative_naming_no_keyword_gets_no_category(table: dict[str, set[str]]) -> None:
    assert category(table, "2", "その他の施策", "必要な事項を協議する。") is None


def test_old_style_large_tsu_matches_like_small_tsu() -> None:
    assert normalise("産学金官民一体となつた") == normalise("産学金官民 一体となった")
    assert normalise("I C T インフラ") == "ICTインフラ"


# ── docs/framework.md carries the same table ──────────────────────────────────────────────────

_DOC_ROW = re.compile(r"^\|\s*([123]-\(\d+\))\s*\|\s*(.+?)\s*\|\s*`?([0-9][A-Za-z0-9.]*)`?\s*\|")


def test_documented_mapping_table_matches_the_tested_one() -> None:
    text = (ROOT / "docs" / "framework.md").read_text(encoding="utf-8")
    documented = {m.group(1): m.group(3) for line in text.splitlines() if (m := _DOC_ROW.match(line))}
    assert documented == SEED_CATEGORIES


def test_documented_titles_are_the_printed_ones() -> None:
    text = (ROOT / "docs" / "framework.md").read_text(encoding="utf-8")
    documented = {m.group(1): m.group(2) for line in text.splitlines() if (m := _DOC_ROW.match(line))}
    printed = {row: title for row, (_, title, _) in seed_initiatives().items()}
    assert documented == printed
