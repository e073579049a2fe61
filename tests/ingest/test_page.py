"""page: 例規集 HTML pages read as the text pipeline's lines, with provenance to the HTML's lines.

The two fixture pages are composed (the agreements' parties and dates are real, the wording and
the markup are not): a Gyosei-style reiki_honbun page in Shift_JIS with CRLF, and a 第一法規-style
page in UTF-8 whose 別表 merges the 分野 and 基本方針 cells with rowspan.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from kg.errors import IngestError
from kg.ingest import IngestResult, ingest_bytes, ingest_file
from kg.ingest.page import declared_charset, is_page, read_page
from kg.namespaces import RENKEI
from kg.settings import Settings

from .helpers import DATA, SEED, run_kg, select

GYOSEI = DATA / "page-gyosei-sjis.html"
D1LAW = DATA / "page-d1law-utf8.html"


@pytest.fixture(scope="module")
def gyosei(settings: Settings) -> IngestResult:
    return ingest_file(GYOSEI, settings)


@pytest.fixture(scope="module")
def d1law(settings: Settings) -> IngestResult:
    return ingest_file(D1LAW, settings)


def test_gyosei_page_is_read_as_t1_with_its_prefectured_partner(gyosei: IngestResult) -> None:
    assert (gyosei.layout, str(gyosei.agreement)) == (
        "T1", "https://w3id.org/renkei/id/agreement/341002-352080-2016-03-30")
    rows = select(gyosei.graph, """SELECT ?title ?signed ?published ?notice ?area WHERE { ?a dct:title ?title ;
        eli:date_document ?signed ; eli:date_publication ?published ; dct:bibliographicCitation ?notice ;
        renkei:area ?area }""")
    assert rows == [("広島市と山口県岩国市との連携中枢都市圏形成に係る連携協約", dt.date(2016, 3, 30),
                     dt.date(2016, 3, 31), "告示第77号", "https://w3id.org/renkei/id/area/hiroshima")]


def test_gyosei_page_records_its_charset_media_type_and_html_line_count(gyosei: IngestResult) -> None:
    rows = select(gyosei.graph, """SELECT ?encoding ?format ?lines WHERE { ?s a renkei:SourceDocument ;
        renkei:encoding ?encoding ; dct:format ?format ; renkei:lineCount ?lines }""")
    assert rows == [("Shift_JIS", "http://www.iana.org/assignments/media-types/text/html", 93)]


def test_provenance_points_at_the_lines_of_the_html(gyosei: IngestResult) -> None:
    html = GYOSEI.read_bytes().decode("shift_jis").split("\r\n")
    rows = select(gyosei.graph, """SELECT ?id ?first WHERE { ?i dct:identifier ?id ;
        prov:wasDerivedFrom [ renkei:firstLine ?first ] } ORDER BY ?id""")
    assert len(rows) == 6
    for identifier, first in rows:
        title = select(gyosei.graph, f'SELECT ?t WHERE {{ ?i dct:identifier "{identifier}" ; dct:title ?t }}')[0][0]
        # the row's <tr> starts on that line; its title stands there or on the next line
        assert html[first - 1].startswith("<tr>") and title in "".join(html[first - 1: first + 1])


def test_tables_rows_and_headings_across_a_table(gyosei: IngestResult) -> None:
    per_section = select(gyosei.graph, """SELECT ?n ?heading (COUNT(?i) AS ?rows) WHERE { ?s a renkei:AnnexSection ;
        renkei:number ?n ; renkei:heading ?heading ; eli:has_part ?i } GROUP BY ?n ?heading ORDER BY ?n""")
    assert per_section == [(1, "圏域全体の経済成長のけん引に関する取組", 2),
                           (2, "高次の都市機能の集積・強化に関する取組", 1),  # printed as a row across the table
                           (3, "圏域全体の生活関連機能サービスの向上に関する取組", 3)]


def test_line_breaks_inside_japanese_text_disappear_and_br_in_a_cell_joins(gyosei: IngestResult) -> None:
    [(article,)] = select(gyosei.graph, 'SELECT ?t WHERE { ?x renkei:heading "目的"@ja ; renkei:text ?t }')
    assert article.startswith("この連携協約は、") and "けん引し、住民が" in article
    [(content,)] = select(gyosei.graph, 'SELECT ?c WHERE { ?i dct:identifier "3-(2)" ; renkei:content ?c }')
    assert content == "広島市と岩国市を結ぶ鉄道と路線バスの利便性を高める。あわせて、交通結節点の機能を高める。"


def test_scripts_navigation_and_footer_leave_nothing_in_the_graph(gyosei: IngestResult, d1law: IngestResult) -> None:
    for result in (gyosei, d1law):
        text = " ".join(str(o) for o in result.graph.objects())
        for chrome in ("スクリプト", "トップページ", "先頭へ", "Copyright", "ホーム", "関連する例規", "文字を大きく"):
            assert chrome not in text


def test_d1law_page_merged_cells_are_repeated_on_each_row(d1law: IngestResult) -> None:
    assert (d1law.layout, str(d1law.agreement)) == (
        "T2", "https://w3id.org/renkei/id/agreement/382019-382108-2016-07-08")
    per_section = select(d1law.graph, """SELECT ?n ?policy (COUNT(?i) AS ?rows) WHERE { ?s a renkei:AnnexSection ;
        renkei:number ?n ; dct:description ?policy ; eli:has_part ?i } GROUP BY ?n ?policy ORDER BY ?n""")
    assert [(n, rows) for n, _, rows in per_section] == [(1, 2), (2, 1), (3, 3)]


def test_d1law_page_title_publication_and_signatories(d1law: IngestResult) -> None:
    rows = select(d1law.graph, """SELECT ?title ?published ?notice ?encoding WHERE { ?a dct:title ?title ;
        eli:date_publication ?published ; dct:bibliographicCitation ?notice . ?s renkei:encoding ?encoding }""")
    assert rows == [("松山市と伊予市との連携中枢都市圏形成に係る連携協約", dt.date(2016, 7, 12), "告示第95号", "UTF-8")]
    names = select(d1law.graph, "SELECT ?t ?n WHERE { ?s renkei:printedTitle ?t ; renkei:printedName ?n } ORDER BY ?t")
    assert names == [("伊予市長", "武智　邦典"), ("松山市長", "野志　克仁")]


def _as_page(text: str, charset: str) -> str:
    """The text as a plain 例規集-like page: one <p> per line, each annex table as a <table>."""
    body, table = [], []
    for line in text.split("\n"):
        if "\t" in line:
            tag = "th" if line.startswith("取組") else "td"
            table.append("<tr>" + "".join(f"<{tag}>{cell}</{tag}>" for cell in line.split("\t")) + "</tr>")
            continue
        if table:
            body.append("<table>" + "".join(table) + "</table>")
            table = []
        body.append(f"<p>{line.replace('&', '&amp;').replace('<', '&lt;')}</p>" if line else "")
    if table:
        body.append("<table>" + "".join(table) + "</table>")
    return (f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>協約</title></head><body>\n'
            '<nav><a href="/">ホーム</a></nav>\n' + "\n".join(body) + "\n</body></html>\n")


def _without_provenance(graph: Graph) -> Graph:
    """What the text says, not where it stands: no excerpts, no source document."""
    out = Graph()
    for s, p, o in graph:
        if p != PROV.wasDerivedFrom and "/id/source/" not in str(s):  # excerpts, selectors, the document
            out.add((s, p, o))
    return out


@pytest.mark.parametrize("charset", ["utf-8", "Shift_JIS"])
def test_the_seed_as_a_page_gives_the_seed_graph(settings: Settings, charset: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    page = _as_page(text, charset).encode("utf-8" if charset == "utf-8" else "cp932")
    from_page = ingest_bytes(page, SEED.with_suffix(".html").name, settings)
    from_text = ingest_bytes(SEED.read_bytes(), SEED.name, settings)
    assert from_page.agreement == from_text.agreement
    assert isomorphic(_without_provenance(from_page.graph), _without_provenance(from_text.graph))
    assert from_page.graph.value(URIRef(str(settings.ids.source(SEED.stem))), RENKEI.encoding).toPython() == (
        "UTF-8" if charset == "utf-8" else "Shift_JIS")


@pytest.mark.parametrize(("head", "charset"), [
    ('<meta charset="Shift_JIS">', "Shift_JIS"),
    ("<meta charset='windows-31j'>", "Windows-31J"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">', "EUC-JP"),
    ('<META HTTP-EQUIV="content-type" CONTENT="text/html;charset=utf-8">', "UTF-8"),
    ('<meta charset="klingon">', None),
    ("<title>no declaration</title>", None),
], ids=["meta-charset", "windows-31j", "http-equiv-euc-jp", "upper-case", "unknown-label", "none"])
def test_declared_charset(head: str, charset: str | None) -> None:
    assert declared_charset(f"<html><head>{head}</head><body>本文</body></html>".encode()) == charset


@pytest.mark.parametrize(("head", "codec", "encoding"), [
    ('<meta charset="EUC-JP">', "euc_jp", "EUC-JP"),
    ('<meta charset="utf-8">', "cp932", "Shift_JIS"),  # mislabelled: the bytes, not the label, are the text
    ("", "utf-8-sig", "UTF-8"),
], ids=["euc-jp", "utf-8-label-on-shift-jis-bytes", "bom-without-declaration"])
def test_page_bytes_are_decoded_by_declaration_else_sniffed(head: str, codec: str, encoding: str) -> None:
    page = f"<html><head>{head}</head><body><p>第1条　目的とする。</p></body></html>".encode(codec)
    source = read_page(page, "p.html")
    assert (source.encoding, source.lines) == (encoding, ("第1条\u3000目的とする。",))


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"<!DOCTYPE html><html></html>", "agreement.txt", True),
    (b"\xef\xbb\xbf  <html lang='ja'>", "download", True),
    ("第1条 目的".encode(), "page.HTM", True),
    ("第1条 目的".encode(), "agreement.txt", False),
], ids=["doctype", "bom-and-html", "by-suffix", "plain-text"])
def test_is_page(data: bytes, name: str, expected: bool) -> None:
    assert is_page(data, name) is expected


def test_a_page_with_nothing_but_chrome_is_refused(settings: Settings) -> None:
    page = "<html><head><script>var a = 1;</script></head>\n<body><nav>ホーム</nav>\n</body></html>"
    with pytest.raises(IngestError, match="shows no text") as e:
        ingest_bytes(page.encode(), "empty.html", settings)
    assert e.value.file == "empty.html"


def test_kg_ingest_reads_a_page(tmp_path: Path) -> None:
    result = run_kg("ingest", GYOSEI, "-f", "nt")
    assert result.returncode == 0, result.stderr
    assert re.search(r"<[^>]+/source/page-gyosei-sjis#L55-L55>", result.stdout)


def test_a_title_header_spanning_the_number_and_title_columns(settings: Settings) -> None:
    text = SEED.read_text(encoding="utf-8")
    page = _as_page(text, "utf-8")
    # 「取組」 over two columns; each row's number in a cell of its own
    page = page.replace("<th>取組</th>", '<th colspan="2">取組</th>')
    page = re.sub(r"<td>\((\d+)\) ", r"<td>(\1)</td><td>", page)
    result = ingest_bytes(page.encode("utf-8"), "colspan.html", settings)
    assert select(result.graph, 'SELECT ?t WHERE { ?i dct:identifier "3-(8)" ; dct:title ?t }') == [
        ("I C T インフラの整備",)]
