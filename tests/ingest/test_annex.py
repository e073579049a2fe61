"""The annex reader by meaning: every family is read by one reader; what it cannot place is reported,
every problem with its line, never half a graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import IngestError, IngestProblems
from kg.ingest import IngestResult

from .helpers import BY_LAYOUT, I1, SEED, T2, T3, P, select

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")
ANNEX_AT = SEED_LINES.index("別表（第3条関係）")  # 0-based index of the 別表 line


@pytest.mark.parametrize(("layout", "path"), BY_LAYOUT.items(), ids=list(BY_LAYOUT))
def test_each_sample_is_recorded_in_its_layout_family(path: Path, layout: str,
                                                      ingest_text: Callable[..., IngestResult]) -> None:
    result = ingest_text(path.read_text(encoding="utf-8"), path.name)
    assert result.layout == layout
    assert select(result.graph, "SELECT ?l WHERE { ?a renkei:layout ?l }") == [(layout,)]


def test_lines_no_reading_can_place_are_each_reported_with_their_line(
        ingest_text: Callable[..., IngestResult]) -> None:
    text = "\n".join(SEED_LINES[: ANNEX_AT + 1] + ["", "・産業振興に関すること", "・観光に関すること", ""])
    with pytest.raises(IngestProblems) as e:
        ingest_text(text)
    lines = [p.line for p in e.value.problems]
    assert lines == [ANNEX_AT + 3, ANNEX_AT + 4]
    assert all("cannot read" in p.en and "読めません" in p.ja and p.fix_ja for p in e.value.problems)


def test_no_annex_and_no_ladder_is_refused_at_the_end_of_the_articles(
        ingest_text: Callable[..., IngestResult]) -> None:
    text = "\n".join(SEED_LINES[:ANNEX_AT])
    with pytest.raises(IngestError, match="no initiative") as e:
        ingest_text(text)
    assert e.value.line == 37  # the last line of the last article: reading stopped there
    assert "取組が見つかりません" in e.value.render("ja")


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
    pytest.param(_seed_with(64, SEED_LINES[63].rsplit("\t", 1)[0]), 64, "row has 3 columns",
                 id="row-missing-a-cell"),
])
def test_t1_rows_that_cannot_be_read_are_refused_at_their_line(
        ingest_text: Callable[..., IngestResult], text: str, line: int, words: str) -> None:
    with pytest.raises(IngestError) as e:
        ingest_text(text)
    assert e.value.line == line and words in str(e.value)
    assert all(p.ja and p.line for p in e.value.problems)


def test_every_bad_row_is_reported_not_only_the_first(ingest_text: Callable[..., IngestResult]) -> None:
    lines = list(SEED_LINES)
    for n in (64, 66, 72):  # three rows of two pillars, each missing its last cell
        lines[n - 1] = lines[n - 1].rsplit("\t", 1)[0]
    with pytest.raises(IngestProblems) as e:
        ingest_text("\n".join(lines))
    assert [p.line for p in e.value.problems] == [64, 66, 72]


def test_a_header_without_content_column_is_read_and_the_content_left_to_the_shapes(
        ingest_text: Callable[..., IngestResult]) -> None:
    lines = list(SEED_LINES)
    for k, line in enumerate(lines):
        if "\t" in line and k >= ANNEX_AT:
            cells = line.split("\t")
            lines[k] = "\t".join([cells[0], *cells[2:]])
    graph = ingest_text("\n".join(lines)).graph
    assert len(select(graph, "SELECT ?i WHERE { ?i a renkei:Initiative }")) == 19
    assert select(graph, "SELECT ?c WHERE { ?i renkei:content ?c }") == []


def test_a_role_column_naming_a_municipality_that_is_no_party_names_it(
        ingest_text: Callable[..., IngestResult]) -> None:
    text = _seed_with(63, "取組\t内容\t郡山市の役割\t三春町の役割")
    with pytest.raises(IngestProblems) as e:
        ingest_text(text)
    [problem] = e.value.problems  # one problem at the header, not one per row
    assert problem.line == 63 and "三春町" in problem.ja and "当事者ではありません" in problem.ja


def test_a_misspelt_party_in_a_header_is_reported_once_with_the_right_name(
        ingest_text: Callable[..., IngestResult]) -> None:
    lines = [line.replace("二本松市の役割", "二本末市の役割") for line in SEED_LINES]
    with pytest.raises(IngestProblems) as e:
        ingest_text("\n".join(lines))
    [problem] = e.value.problems  # three headers print it: said once
    assert "「二本末市」は「二本松市」の誤りではありませんか" in problem.ja
    assert "did you mean 「二本松市」" in problem.en


def test_t3_line_that_is_not_a_row_is_refused(ingest_text: Callable[..., IngestResult]) -> None:
    lines = T3.read_text(encoding="utf-8").split("\n")
    lines[40] = "（注）企業誘致は別に定める。"
    with pytest.raises(IngestError, match="cannot read") as e:
        ingest_text("\n".join(lines))
    assert (e.value.line, e.value.where) == (41, "別表第1")


def test_i1_line_outside_the_ladder_is_refused(ingest_text: Callable[..., IngestResult]) -> None:
    lines = I1.read_text(encoding="utf-8").split("\n")
    lines[19] = "z 順序の合わない取組"  # line 20, where 「a …」 was expected
    with pytest.raises(IngestError) as e:
        ingest_text("\n".join(lines))
    assert e.value.line == 20 and e.value.where == "第3条(1)"


def test_i1_rung_without_a_space_is_read_and_roles_without_their_rung_are_refused(
        ingest_text: Callable[..., IngestResult]) -> None:
    lines = I1.read_text(encoding="utf-8").split("\n")
    rung = next(i for i, line in enumerate(lines) if line == "(b) 役割分担")
    original = len(select(ingest_text("\n".join(lines)).graph, "SELECT ?r { ?i renkei:role ?r }"))
    lines[rung] = "(b)役割分担"  # printed without a space (and so OCR reads it)
    assert len(select(ingest_text("\n".join(lines)).graph, "SELECT ?r { ?i renkei:role ?r }")) == original
    lines[rung] = ""  # the rung missing: the roles would be read as the content, silently
    with pytest.raises(IngestError) as e:
        ingest_text("\n".join(lines))
    assert e.value.ja is not None and "(b) 役割分担" in e.value.ja and e.value.line == rung + 3


def _p_without_enumeration() -> str:
    lines = P.read_text(encoding="utf-8").split("\n")
    return "\n".join(line for line in lines if not line.startswith(("(1) ", "(2) ", "(3) ")))


def test_kubun_cells_without_an_enumeration_are_refused(ingest_text: Callable[..., IngestResult]) -> None:
    printed = _p_without_enumeration()
    with pytest.raises(IngestProblems) as e:
        ingest_text(printed)
    first_row = printed.split("\n").index("区分\t取組\t内容") + 2
    kubun = [p for p in e.value.problems if "no article enumerates the 区分" in p.en]
    assert kubun and kubun[0].line == first_row and "区分を列挙する条文もありません" in kubun[0].ja


def _t2_split_in_two_annexes() -> str:
    text = T2.read_text(encoding="utf-8")
    head, table = text.split("別表（第２条、第３条関係）\n")
    rows = [line for line in table.split("\n") if line]
    return (head + "別表第1（第２条、第３条関係）\n" + "\n".join(rows[:3]) + "\n\n別表第2（第３条関係）\n"
            + "\n".join([rows[0], *rows[3:]]) + "\n")


def test_field_columns_in_numbered_annexes_read_as_one_table(ingest_text: Callable[..., IngestResult],
                                                             t2: IngestResult) -> None:
    split = ingest_text(_t2_split_in_two_annexes(), t2.source).graph
    query = "SELECT ?p ?t WHERE { ?i a renkei:Initiative ; renkei:pillar ?p ; dct:title ?t }"
    assert sorted(select(split, query)) == sorted(select(t2.graph, query))


def test_a_column_no_wording_fits_is_read_from_its_cells_and_the_reading_noted(
        ingest_text: Callable[..., IngestResult]) -> None:
    text = SEED_TEXT.replace("取組\t内容\t郡山市の役割", "取組\t実施事項\t郡山市の役割")
    graph = ingest_text(text).graph
    assert len(select(graph, "SELECT ?c WHERE { ?i renkei:content ?c }")) == 19
    notes = select(graph, "SELECT ?n WHERE { ?a renkei:readingNote ?n FILTER(lang(?n) = 'ja') }")
    said = "「実施事項」を、欄が文であることから取組の内容の列として読んだ"
    assert len(notes) == 3 and all(said in n for (n,) in notes)


def test_a_column_neither_its_wording_nor_its_cells_place_is_reported_with_how_to_teach_it(
        ingest_text: Callable[..., IngestResult]) -> None:
    text = SEED_TEXT.replace("取組\t内容\t郡山市の役割", "取組\t内容\t担当課\t郡山市の役割")
    lines = text.split("\n")
    lines = [line.replace("\t", "\t担当\t", 2).replace("\t担当\t", "\t", 1) if line.startswith("(") else line
             for line in lines]
    with pytest.raises(IngestProblems) as e:
        ingest_text("\n".join(lines))
    [problem] = [p for p in e.value.problems if "担当課" in p.ja]
    assert problem.line == 63 and "columns.toml" in (problem.fix_ja or "")


def test_a_pillar_read_from_its_number_says_so(ingest_text: Callable[..., IngestResult]) -> None:
    text = SEED_TEXT.replace("1 圏域全体の経済成長のけん引に関する取組", "1 産業振興に関する取組")
    graph = ingest_text(text).graph
    notes = select(graph, "SELECT ?n WHERE { ?a renkei:readingNote ?n FILTER(lang(?n) = 'en') }")
    said = "「産業振興に関する取組」 names no pillar of the framework: read as pillar 1 from its number 1."
    assert notes == [(said,)]


def test_every_problem_survives_a_trip_to_another_process() -> None:
    """A build reads texts in worker processes: a refusal comes back pickled, with all it says."""
    import pickle

    from kg.errors import DateError, Problem

    many = IngestProblems([Problem("行が読めません", "cannot read", "a.txt", 3, "別表", "直す", "fix", 2)])
    back = pickle.loads(pickle.dumps(many))
    assert type(back) is IngestProblems and back.problems == many.problems
    one = pickle.loads(pickle.dumps(DateError("bad date", file="a.txt", line=5, ja="日付が不正", fix_ja="直す")))
    assert (type(one), one.file, one.line, one.ja, one.fix_ja) == (DateError, "a.txt", 5, "日付が不正", "直す")
