"""Reading a text PDF: cells joined by character positions, merged cells, page breaks, page furniture,
and provenance that points at the page and cell."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.ingest import ingest_bytes
from kg.ingest.document.form import TableRow, TextLine
from kg.ingest.document.pdf import read_pdf
from kg.namespaces import OA, RENKEI
from kg.settings import Settings

from ..helpers import SEED, T2
from .conftest import Render
from .make import CELL_SIZE, FONT, register_font, to_pdf, wrap

ROLE = "二本松市と連携して、I C T インフラの整備に主体的に取り組む。"
CONTENT = "I C T プラットフォームの構築やI C Tの効果的な活用により、圏域全体の生活の利便性の向上に取り組む。"
FRAME = 595.2756 - 2 * 70.866  # A4 width less the two 25 mm margins, in points


def _rows(path: Path) -> list[TableRow]:
    return [b for b in read_pdf(path.read_bytes(), path.name).blocks if isinstance(b, TableRow)]


def _width_breaking_ict() -> float:
    """A column width at which the role's text wraps inside 「I C T」."""
    for width in range(60, 220):
        lines = wrap(ROLE, width - 6, CELL_SIZE)
        if any(line.endswith(("I ", "I C ")) for line in lines[:-1]):
            return float(width)
    raise AssertionError("no width wraps inside 「I C T」")


@pytest.fixture(scope="module")
def ict_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    width = _width_breaking_ict()
    text = f"別表\n取組\t内容\t二本松市の役割\n(8) I C T インフラの整備\t{CONTENT}\t{ROLE}\n"
    rest = (FRAME - width) / 2
    return to_pdf(text, tmp_path_factory.mktemp("ict") / "ict.pdf",
                  column_widths={0: [rest / FRAME * 0.5, rest / FRAME * 1.5, width / FRAME]})


def test_ict_wrapped_in_a_cell_stays_ict(ict_pdf: Path) -> None:
    with pdfplumber.open(ict_pdf) as pdf:  # the PDF really prints 「I C」 and 「T」 on different lines
        chars = [c for c in pdf.pages[0].chars if c["x0"] > 300]
    tops = {c["text"]: round(c["top"]) for c in chars if c["text"] in "IT"}
    assert tops["I"] != tops["T"]
    row = _rows(ict_pdf)[1]
    assert row.cells[2].text == ROLE
    assert row.cells[1].text == CONTENT


def test_a_word_wrapped_in_a_cell_gains_no_newline(ict_pdf: Path) -> None:
    with pdfplumber.open(ict_pdf) as pdf:  # the content cell wraps over several lines
        assert len({round(c["top"]) for c in pdf.pages[0].chars if 150 < c["x0"] < 290 and c["top"] > 100}) >= 3
    for row in _rows(ict_pdf):
        assert all("\n" not in cell.text for cell in row.cells)


def test_lines_meeting_between_latin_letters_without_a_printed_space_join_with_one(tmp_path: Path) -> None:
    """A word processor that leaves the space out where 「I C T」 wraps: the letters still get their space."""
    from reportlab.pdfgen.canvas import Canvas

    register_font()
    path = tmp_path / "no-space.pdf"
    canvas = Canvas(str(path))
    canvas.setFont(FONT, 10)
    canvas.grid([100, 200, 300], [700, 740])  # one row of two ruled cells
    canvas.drawString(105, 727, "役割")
    canvas.drawString(205, 727, "連携して、I C")  # no space after 「C」
    canvas.drawString(205, 713, "T インフラの整備")
    canvas.save()
    assert _rows(path)[0].cells[1].text == "連携して、I C T インフラの整備"


def test_merged_cells_repeat_down_the_rows_they_cover(render: Render) -> None:
    rows = _rows(render(T2, "pdf"))
    fields = [r.cells[0].text for r in rows if r.cells[0].text != "分野"]
    assert fields[:2] == ["圏域全体の経済成長のけん引"] * 2  # one cell merged over two rows
    assert rows[1].cells[0].box == rows[2].cells[0].box  # …and both point at the merged cell


def test_a_table_over_a_page_break_repeats_its_header_as_a_row(render: Render) -> None:
    rows = _rows(render(T2, "pdf"))
    headers = [r for r in rows if r.cells[0].text == "分野"]
    assert [h.position.page for h in headers] == [1, 2]
    assert {r.position.page for r in rows} == {1, 2}


def test_page_numbers_are_not_text(render: Render) -> None:
    form = read_pdf(render(SEED, "pdf").read_bytes(), "seed.pdf")
    assert form.pages is not None and form.pages >= 3
    assert not any(b.text.startswith("- ") for b in form.blocks if isinstance(b, TextLine))


def test_table_text_is_not_also_read_as_lines(render: Render) -> None:
    form = read_pdf(render(SEED, "pdf").read_bytes(), "seed.pdf")
    lines = [b.text for b in form.blocks if isinstance(b, TextLine)]
    assert not any("産学金官民" in line for line in lines)


def _page_of(g: Graph, node: URIRef) -> int:
    excerpt = g.value(node, PROV.wasDerivedFrom)
    selector = g.value(excerpt, OA.hasSelector)
    assert (selector, DCTERMS.conformsTo, URIRef("http://tools.ietf.org/rfc/rfc3778")) in g
    value = str(g.value(selector, RDF.value))
    assert value.startswith("page=")
    return int(value.removeprefix("page="))


def test_an_annex_rows_page_selector_points_at_the_page_it_is_printed_on(render: Render,
                                                                         settings: Settings) -> None:
    path = render(T2, "pdf")
    g = ingest_bytes(path.read_bytes(), path.name, settings).graph
    with pdfplumber.open(path) as pdf:  # each page's table cells, as pdfplumber's own extraction gives them
        pages = [{(cell or "").replace("\n", "") for table in page.extract_tables() for row in table for cell in row}
                 for page in pdf.pages]
    initiatives = list(g.subjects(RDF.type, RENKEI.Initiative))
    on = {_page_of(g, i) for i in initiatives}
    assert on == {1, 2}  # the table runs over the page break
    for initiative in initiatives:
        title = str(g.value(initiative, DCTERMS.title))
        assert any(title in cell for cell in pages[_page_of(g, initiative) - 1])


def test_a_roles_cell_has_its_row_column_and_box(render: Render, settings: Settings) -> None:
    path = render(SEED, "pdf")
    g = ingest_bytes(path.read_bytes(), path.name, settings).graph
    role = next(r for r in g.subjects(RENKEI.text, Literal(ROLE, lang="ja")))
    page = g.value(g.value(role, PROV.wasDerivedFrom), OA.hasSelector)
    cell = g.value(page, OA.refinedBy)
    assert (cell, RDF.type, RENKEI.TableSelector) in g
    assert g.value(cell, RENKEI.column) == Literal(3)  # 取組 / 内容 / 郡山市の役割 (this text) / 二本松市の役割
    assert isinstance(g.value(cell, RENKEI.row).toPython(), int)
    x0, top, x1, bottom = map(int, str(g.value(cell, RENKEI.box)).split(","))
    assert x0 < x1 and top < bottom


def test_the_source_document_says_pdf_and_how_it_was_read(render: Render, settings: Settings) -> None:
    path = render(SEED, "pdf")
    g = ingest_bytes(path.read_bytes(), path.name, settings).graph
    doc = next(g.subjects(RDF.type, RENKEI.SourceDocument))
    assert g.value(doc, DCTERMS.format) == URIRef("http://www.iana.org/assignments/media-types/application/pdf")
    assert g.value(doc, RENKEI.reading) == Literal("pdf-text-layer")
    assert g.value(doc, RENKEI.encoding) is None


def test_right_aligned_lines_that_reach_the_margin_are_not_joined(tmp_path: Path) -> None:
    """A date and a signature printed flush right reach the right margin without wrapping."""
    from reportlab.pdfgen.canvas import Canvas

    register_font()
    path = tmp_path / "signatures.pdf"
    canvas = Canvas(str(path))
    canvas.setFont(FONT, 10.5)
    body = "この連携協約の締結を証するため、本書2通を作成し、両市長が記名押印の上、各自1通を保有する。"
    canvas.drawString(72, 760, body[:40])
    canvas.drawString(72, 745, body[40:])
    for y, text in ((720, "令和元年10月18日"), (705, "郡山市長　品川　萬里"), (690, "二本松市長　三保　恵一")):
        canvas.drawRightString(72 + 420, y, text)
    canvas.drawString(72, 675, "（目的）" + "あ" * 36)  # another full line (40 characters)
    canvas.save()
    lines = [b.text for b in read_pdf(path.read_bytes(), path.name).blocks if isinstance(b, TextLine)]
    assert lines[:4] == [body, "令和元年10月18日", "郡山市長　品川　萬里", "二本松市長　三保　恵一"]


def test_a_private_use_character_is_refused_with_its_page(tmp_path: Path) -> None:
    """A 外字 (private use area) is no character anyone else can read: refused, never passed on (reportlab,
    having no glyph for it, prints a glyph whose character is U+0000)."""
    from reportlab.pdfgen.canvas import Canvas

    from kg.errors import InputError

    register_font()
    path = tmp_path / "gaiji.pdf"
    canvas = Canvas(str(path))
    canvas.setFont(FONT, 10.5)
    canvas.drawString(72, 760, "第1条 目的")
    canvas.showPage()
    canvas.setFont(FONT, 10.5)
    canvas.drawString(72, 760, "髙\ue000橋")
    canvas.save()
    with pytest.raises(InputError) as caught:
        read_pdf(path.read_bytes(), path.name)
    assert caught.value.page == 2 and caught.value.ja and "外字" in caught.value.ja


def test_a_cell_merged_across_columns_is_followed_by_empty_cells(tmp_path: Path) -> None:
    """「取組」 printed over the number and the title columns, as the page reader reads a colspan."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    register_font()
    path = tmp_path / "colspan.pdf"
    data = [["取組", "", "内容"], ["(1)", "広域観光の推進", "周遊ルートを整える。"]]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), FONT),
             ("SPAN", (0, 0), (1, 0))]
    SimpleDocTemplate(str(path), pagesize=A4).build([Table(data, colWidths=[40, 150, 200], style=style)])
    rows = _rows(path)
    assert [[c.text for c in r.cells] for r in rows] == data
    assert rows[0].cells[0].box == rows[0].cells[1].box  # both columns point at the merged cell


def test_a_scan_with_a_text_layer_goes_to_ocr_not_passed_off_as_print(tmp_path: Path) -> None:
    """A "searchable PDF": a page-covering scan with (another engine's) OCR text over it."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from kg.ingest.document.pdf import ScannedPdf

    register_font()
    scan = tmp_path / "page.png"
    Image.new("L", (200, 283), 250).save(scan)
    path = tmp_path / "searchable.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.drawImage(str(scan), 0, 0, *A4)
    canvas.setFont(FONT, 10.5)
    canvas.drawString(72, 760, "第1条 目的")
    canvas.save()
    with pytest.raises(ScannedPdf):
        read_pdf(path.read_bytes(), path.name)


@pytest.mark.parametrize(("line", "opens"), [
    ("第5条　この連携協約は", True), ("第5条の2 この", True), ("（目的）", True), ("(1)　圏域全体の", True),
    ("2 前項の取組に", True), ("別表（第3条関係）", True), ("ア 甲の役割", True),
    ("第252条の2第4項の規定により", False),  # a reference wrapped to the start of a line
    ("（以下「圏域」という。）を形成するため", False), ("2通を作成し", False), ("圏域の", False),
])
def test_what_opens_a_provision_and_so_is_never_wrapped_into_the_line_before(line: str, opens: bool) -> None:
    from kg.ingest.document.pdf import _OPENS

    assert bool(_OPENS.match(line)) is opens
