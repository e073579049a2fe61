"""Reading a Word .docx: paragraphs in body order, real tables with merged cells, soft breaks in cells,
and provenance that points at the paragraph or the table cell."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.ingest import ingest_bytes
from kg.ingest.document.form import TableRow, TextLine
from kg.ingest.document.word import MEDIA_TYPE, read_docx
from kg.namespaces import OA, RENKEI
from kg.settings import Settings

from ..helpers import SEED, T2
from .conftest import Render
from .make import to_docx

ROLE = "二本松市と連携して、I C T インフラの整備に主体的に取り組む。"


def test_soft_line_breaks_inside_a_cell_are_not_text(tmp_path: Path) -> None:
    text = f"別表\n取組\t内容\t郡山市の役割\n(8) I C T インフラの整備\tインフラを整備する。\t{ROLE}\n"
    path = to_docx(text, tmp_path / "breaks.docx", breaks={
        ROLE: "二本松市と連携して、I C\nT インフラの整備に主体的に取り組む。",  # no space typed at the break
        "インフラを整備する。": "イン\nフラを整備する。",  # a word broken by Shift+Enter
    })
    rows = [b for b in read_docx(path.read_bytes(), path.name).blocks if isinstance(b, TableRow)]
    assert [c.text for c in rows[1].cells] == ["(8) I C T インフラの整備", "インフラを整備する。", ROLE]


def test_paragraphs_and_table_rows_keep_their_place(render: Render) -> None:
    form = read_docx(render(SEED, "docx").read_bytes(), "seed.docx")
    first = form.blocks[0]
    assert isinstance(first, TextLine) and first.text == "連携中枢都市圏形成に係る連携協約"
    assert first.position.paragraph == 1
    rows = [b for b in form.blocks if isinstance(b, TableRow)]
    assert {r.position.table for r in rows} == {1, 2, 3}  # one Word table per pillar
    assert [r.position.row for r in rows if r.position.table == 1] == [1, 2, 3, 4, 5]
    assert all(c.row == r.position.row - 1 for r in rows for c in r.cells if r.position.row is not None)


def test_a_vertically_merged_cell_repeats_on_every_row(render: Render) -> None:
    rows = [b for b in read_docx(render(T2, "docx").read_bytes(), "t2.docx").blocks if isinstance(b, TableRow)]
    assert [r.cells[0].text for r in rows[1:3]] == ["圏域全体の経済成長のけん引"] * 2
    assert [r.cells[1].text for r in rows[1:3]] == [rows[1].cells[1].text] * 2


def test_a_roles_provenance_points_at_its_table_cell(render: Render, settings: Settings) -> None:
    path = render(SEED, "docx")
    g = ingest_bytes(path.read_bytes(), path.name, settings).graph
    role = next(g.subjects(RENKEI.text, Literal(ROLE, lang="ja")))
    cell = g.value(g.value(role, PROV.wasDerivedFrom), OA.hasSelector)
    assert (cell, RDF.type, RENKEI.TableSelector) in g
    assert (g.value(cell, RENKEI.table), g.value(cell, RENKEI.row), g.value(cell, RENKEI.column)) == (
        Literal(3), Literal(9), Literal(3))  # the third pillar's table, row (8) under the header, 郡山市の役割


def test_an_articles_provenance_points_at_its_paragraphs(render: Render, settings: Settings) -> None:
    path = render(SEED, "docx")
    g = ingest_bytes(path.read_bytes(), path.name, settings).graph
    article = URIRef("https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18/article/3")
    selector = g.value(g.value(article, PROV.wasDerivedFrom), OA.hasSelector)
    assert (selector, RDF.type, RENKEI.ParagraphSelector) in g
    first, last = g.value(selector, RENKEI.firstParagraph), g.value(selector, RENKEI.lastParagraph)
    assert first is not None and last is not None and first.toPython() < last.toPython()


def test_the_source_document_says_word(render: Render, settings: Settings) -> None:
    path = render(SEED, "docx")
    g = ingest_bytes(path.read_bytes(), path.name, settings).graph
    doc = next(g.subjects(RDF.type, RENKEI.SourceDocument))
    assert g.value(doc, DCTERMS.format) == URIRef(f"http://www.iana.org/assignments/media-types/{MEDIA_TYPE}")
    assert g.value(doc, RENKEI.reading) == Literal("docx")


def test_a_private_use_character_is_refused_with_its_place(tmp_path: Path) -> None:
    from kg.errors import InputError

    path = to_docx("第1条 目的\n\n髙\ue000橋\n", tmp_path / "gaiji.docx")
    try:
        read_docx(path.read_bytes(), path.name)
    except InputError as e:
        assert e.where == "paragraph 2" and e.ja and "外字" in e.ja
    else:
        raise AssertionError("a 外字 was read")


def test_a_cell_merged_across_columns_is_followed_by_empty_cells(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    table = document.add_table(rows=2, cols=3)
    for c, text in enumerate(["(1)", "広域観光の推進", "周遊ルートを整える。"]):
        table.cell(1, c).text = text
    table.cell(0, 0).merge(table.cell(0, 1)).text = "取組"
    table.cell(0, 2).text = "内容"
    path = tmp_path / "colspan.docx"
    document.save(str(path))
    rows = [b for b in read_docx(path.read_bytes(), path.name).blocks if isinstance(b, TableRow)]
    assert [[c.text for c in r.cells] for r in rows] == [["取組", "", "内容"],
                                                         ["(1)", "広域観光の推進", "周遊ルートを整える。"]]
