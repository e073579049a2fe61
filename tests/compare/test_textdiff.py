"""The character diff marks exactly what changed, and its renderings escape and mark it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.compare.textdiff import (
    ANSI_DELETE,
    ANSI_INSERT,
    Segment,
    diff,
    display_width,
    html_a,
    html_b,
    normalise_title,
    side_a,
    side_b,
    similarity,
    styled_a,
    styled_b,
)

CASES = [
    pytest.param("二本松市と連携して、地域振興に主体的に取り組む。",
                 "二本松市と連携して、地域振興に取り組む。",
                 [("equal", "二本松市と連携して、地域振興に"), ("delete", "主体的に"),
                  ("equal", "取り組む。")],
                 id="deletion-of-主体的に"),
    pytest.param("甲と連携して取り組む。", "乙と連携して取り組む。",
                 [("delete", "甲"), ("insert", "乙"), ("equal", "と連携して取り組む。")],
                 id="one-character-replaced"),
    pytest.param("高度医療の提供", "高度な医療の提供",
                 [("equal", "高度"), ("insert", "な"), ("equal", "医療の提供")], id="one-character-inserted"),
    pytest.param("第３条", "第3条", [("equal", "第"), ("delete", "３"), ("insert", "3"), ("equal", "条")],
                 id="full-width-digit-is-a-different-character"),
    pytest.param("同じ文", "同じ文", [("equal", "同じ文")], id="identical"),
    pytest.param("", "新しい", [("insert", "新しい")], id="from-empty"),
    pytest.param("古い", "", [("delete", "古い")], id="to-empty"),
]


@pytest.mark.parametrize(("a", "b", "expected"), CASES)
def test_diff_marks_exactly_the_changed_characters(a: str, b: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.op, s.text) for s in diff(a, b)] == expected


def test_coincidental_shared_character_is_folded_into_the_edit() -> None:
    # Two unrelated titles share only 「の」: shown as one replacement, not confetti around it.
    segments = diff("在宅医療の充実", "子育て支援の強化")
    assert [s.op for s in segments] == ["delete", "insert"]
    raw = diff("在宅医療の充実", "子育て支援の強化", cleanup=False)
    assert Segment("equal", "の") in raw


def test_shared_phrase_longer_than_the_edits_is_kept() -> None:
    segments = diff("郡山市と連携して取り組む。", "山鹿市と連携して取り組む。")
    assert Segment("equal", "市と連携して取り組む。") in segments


japanese = st.text(alphabet="あいうの、。甲乙市町村連携取組ABC１２", max_size=30)


@given(japanese, japanese, st.booleans())
def test_segments_rebuild_both_texts(a: str, b: str, cleanup: bool) -> None:
    segments = diff(a, b, cleanup=cleanup)
    assert "".join(s.text for s in segments if s.op != "insert") == a
    assert "".join(s.text for s in segments if s.op != "delete") == b
    assert all(s.text for s in segments)
    assert all(x.op != y.op for x, y in zip(segments, segments[1:], strict=False))


def test_sides_mark_deletions_in_a_and_insertions_in_b() -> None:
    segments = diff("甲と連携する。", "乙と連携する。")
    assert side_a(segments) == "[-甲-]と連携する。"
    assert side_b(segments) == "{+乙+}と連携する。"
    assert html_a(segments) == "<del>甲</del>と連携する。"
    assert html_b(segments) == "<ins>乙</ins>と連携する。"
    assert styled_a(segments)[0] == (ANSI_DELETE, "甲")
    assert styled_b(segments)[0] == (ANSI_INSERT, "乙")


def test_html_escapes_markup_in_the_text() -> None:
    segments = diff("<b>&", "<i>&")
    assert "<b>" not in html_a(segments) and "&lt;" in html_a(segments) and "&amp;" in html_b(segments)


@pytest.mark.parametrize(("text", "cells"), [("郡山市", 6), ("ICT", 3), ("ＩＣＴ", 6), ("I C T 整備", 10)])
def test_display_width_counts_wide_characters_twice(text: str, cells: int) -> None:
    assert display_width(text) == cells


def test_normalised_titles_of_the_same_initiative_match() -> None:
    assert normalise_title("I C T インフラの整備") == normalise_title("ＩＣＴインフラの整備")
    assert similarity("戦略的な観光施策の推進", "戦略的な観光施策") == 1.0
    assert similarity("", "観光") == 0.0
