"""layouts: each text is in exactly one layout; what no layout fits is refused, never half-read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import IngestError, UnknownLayoutError
from kg.ingest import IngestResult
from kg.ingest.decode import decode
from kg.ingest.layouts import LAYOUTS, choose
from kg.ingest.segment import segment

from .helpers import BY_LAYOUT, I1, SEED, T2, T3, P, select

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")
ANNEX_AT = SEED_LINES.index("別表（第3条関係）")  # 0-based index of the 別表 line


@pytest.mark.parametrize(("layout", "path"), BY_LAYOUT.items(), ids=list(BY_LAYOUT))
def test_each_sample_fits_exactly_one_layout(path: Path, layout: str) -> None:
    doc = segment(decode(path.read_bytes(), path.name))
    fits = [candidate.name for candidate in LAYOUTS if candidate.detect(doc) is None]
    assert fits == [layout] and choose(doc).name == layout


def test_layout_names_are_unique() -> None:
    names = [layout.name for layout in LAYOUTS]
    assert len(names) == len(set(names)) and set(names) == set(BY_LAYOUT)


def test_unknown_annex_shape_says_which_layouts_were_tried_and_where_it_stopped(
        ingest_text: Callable[..., IngestResult]) -> None:
    text = "\n".join(SEED_LINES[: ANNEX_AT + 1] + ["", "・産業振興に関すること", "・観光に関すること", ""])
    with pytest.raises(UnknownLayoutError) as e:
        ingest_text(text)
    message = str(e.value)
    assert all(f"{layout.name} (" in message for layout in LAYOUTS)
    assert e.value.line == ANNEX_AT + 3  # the first annex line no layout could read


def test_no_annex_and_no_ladder_is_an_unknown_layout(ingest_text: Callable[..., IngestResult]) -> None:
    text = "\n".join(SEED_LINES[:ANNEX_AT])
    with pytest.raises(UnknownLayoutError, match="no 別表") as e:
        ingest_text(text)
    assert e.value.line == 37  # the last line of the last article: reading stopped there


def _seed_with(number: int, new: str) -> str:
    lines = list(SEED_LINES)
    lines[number - 1] = new
    return "\n".join(lines)


@pytest.mark.parametrize(("text", "line", "words"), [
    pytest.param(_seed_with(63, ""), 64, "before its pillar heading and table header",
                 id="row-without-header"),
    pytest.param(_seed_with(68, "備考 この表は参考である。"), 68, "cannot read", id="stray-line-in-annex"),
    pytest.param(_seed_with(65, SEED_LINES[64].replace("(2)", "(1)")), 65, "1-(1) appears twice",
                 id="duplicated-row-number"),
    pytest.param(_seed_with(63, "取組\t郡山市の役割\t二本松市の役割"), 63, "no 内容 column",
                 id="header-without-content"),
])
def test_t1_rows_that_cannot_be_read_are_refused_at_their_line(
        ingest_text: Callable[..., IngestResult], text: str, line: int, words: str) -> None:
    with pytest.raises(IngestError) as e:
        ingest_text(text)
    assert e.value.line == line and words in str(e.value)


def test_a_role_column_naming_no_party_is_emitted_for_the_shapes_to_judge(
        ingest_text: Callable[..., IngestResult]) -> None:
    text = _seed_with(63, "取組\t内容\t郡山市の役割\t三春町の役割")
    graph = ingest_text(text).graph
    rows = select(graph, """SELECT ?r WHERE { ?i dct:identifier "1-(1)" ; renkei:role ?r .
        FILTER NOT EXISTS { ?r renkei:actor ?a } }""")
    assert [str(r).rsplit("/", 1)[-1] for (r,) in rows] == ["column-2"]


def test_t3_line_that_is_not_a_row_is_refused(ingest_text: Callable[..., IngestResult]) -> None:
    lines = T3.read_text(encoding="utf-8").split("\n")
    lines[40] = "（注）企業誘致は別に定める。"
    with pytest.raises(IngestError, match="expected a tab-separated row") as e:
        ingest_text("\n".join(lines))
    assert (e.value.line, e.value.where) == (41, "別表第1")


def test_i1_line_outside_the_ladder_is_refused(ingest_text: Callable[..., IngestResult]) -> None:
    lines = I1.read_text(encoding="utf-8").split("\n")
    lines[19] = "z 順序の合わない取組"  # line 20, where 「a …」 was expected
    with pytest.raises(IngestError) as e:
        ingest_text("\n".join(lines))
    assert e.value.line == 20 and e.value.where == "第3条(1)"


def _p_without_enumeration() -> str:
    lines = P.read_text(encoding="utf-8").split("\n")
    return "\n".join(line for line in lines if not line.startswith(("(1) ", "(2) ", "(3) ")))


def _t2_split_in_two_annexes() -> str:
    text = T2.read_text(encoding="utf-8")
    head, table = text.split("別表（第２条、第３条関係）\n")
    rows = [line for line in table.split("\n") if line]
    return (head + "別表第1（第２条、第３条関係）\n" + "\n".join(rows[:3]) + "\n\n別表第2（第３条関係）\n"
            + "\n".join([rows[0], *rows[3:]]) + "\n")


@pytest.mark.parametrize(("text", "stop"), [
    pytest.param(_p_without_enumeration, "区分\t取組\t内容", id="kubun-table-but-no-article-enumerates-them"),
    pytest.param(_t2_split_in_two_annexes, "別表第2（第３条関係）", id="field-columns-in-numbered-annexes"),
])
def test_a_text_no_layout_fits_names_every_layout_tried_and_where_it_stopped(
        ingest_text: Callable[..., IngestResult], text: Callable[[], str], stop: str) -> None:
    printed = text()
    with pytest.raises(UnknownLayoutError) as e:
        ingest_text(printed)
    assert all(f"{layout.name} (" in str(e.value) for layout in LAYOUTS)
    assert e.value.line == printed.split("\n").index(stop) + 1  # the furthest line any layout read to


def test_the_new_layouts_explain_why_they_do_not_fit_the_seed() -> None:
    doc = segment(decode(SEED.read_bytes(), SEED.name))
    reasons = {layout.name: miss.reason for layout in LAYOUTS if (miss := layout.detect(doc)) is not None}
    assert "分野" in reasons["T2"] and "費用分担" in reasons["T4"] and "区分" in reasons["P"]
