"""The clerk's validation page (issue 11, point 3) over real HTTP: GET /validate is the form, a form
POST answers the page with each problem beside its line of the text, POST /validate also answers
text/plain as ``kg validate`` prints it, JSON and Turtle are as they were, ``?name=x.txt`` stays x.txt."""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from kg.settings import Settings
from tests.ingest.documents.make import read_text
from tests.ingest.test_messages import CASES, is_japanese
from tests.server.conftest import Server, start_server

SEED = Path(__file__).resolve().parents[1] / "data" / "ingest" / "koriyama-nihonmatsu-2019.txt"
#: The defect a clerk makes: the partner's role in annex row 3-(8) left empty.
EMPTIED = "\t郡山市と連携して、I C T インフラの整備に取り組む。"


def defective() -> bytes:
    return read_text(SEED).replace(EMPTIED, "\t").encode("utf-8")


def row_line(body: bytes) -> int:
    """The line of annex row 3-(8) (I C T インフラの整備) in ``body``."""
    return next(n for n, line in enumerate(body.decode().splitlines(), 1) if "I C T インフラの整備" in line)


@pytest.fixture(scope="module")
def server(fixture_release: Path) -> Iterator[Server]:
    # A worker's first job starts it and loads the shapes: on a busy machine, more than the default 10 s.
    yield from start_server(fixture_release.parents[1], KG_VALIDATE_TIMEOUT="90")


def _blocks(page: str) -> list[str]:
    """The page's text rendering as a list of blocks: each line and each problem box, in order."""
    doc = page.split('class="val-doc"', 1)[1]
    return re.findall(r'<div class="val-line[^"]*" id="L\d+">.*?</div>|<div class="val-problem.*?</div>', doc, re.S)


def test_get_is_the_form_in_japanese_and_english_by_a_switch(server: Server) -> None:
    r = server.get("/validate")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="ja">' in r.text and "協約案の検査" in r.text
    assert 'enctype="multipart/form-data"' in r.text and 'name="file"' in r.text and 'name="text"' in r.text
    assert 'href="/validate?lang=en"' in r.text
    en = server.get("/validate?lang=en")
    assert '<html lang="en">' in en.text and "Validate a draft agreement" in en.text
    assert "協約案の検査" not in en.text and 'href="/validate"' in en.text


def test_a_defective_text_uploaded_gives_the_japanese_problem_beside_its_row(server: Server) -> None:
    body = defective()
    r = server.post("/validate", files={"file": ("案.txt", body, "text/plain")}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["X-Conforms"] == "true"  # a warning: the draft is usable, the clerk should check it
    page = html.unescape(r.text)
    assert "案.txt: 適合（警告 1件、情報 0件）" in page
    blocks = _blocks(page)
    line = row_line(body)
    at = next(i for i, b in enumerate(blocks) if f'id="L{line}"' in b)
    assert "hit-warning" in blocks[at] and "I C T インフラの整備" in blocks[at]
    problem = blocks[at + 1]  # right after the row it concerns
    assert "val-problem sev-warning" in problem and "RO-07-takes-part" in problem
    assert "別表 3-(8) 二本松市の役割" in problem and f"案.txt:{line}" in problem
    assert "当事者が役割を持ちません" in problem and "直し方: " in problem
    assert sum("val-problem" in b for b in blocks) == 1
    # downloads: the JSON report and the SHACL report, as POST /validate answers them
    links = dict(re.findall(r'<a href="data:([^;]+);charset=utf-8;base64,[^"]*" download="([^"]+)"', r.text))
    assert links == {"application/json": "案.report.json", "text/turtle": "案.report.ttl"}
    encoded = dict(re.findall(r'href="data:([^;]+);charset=utf-8;base64,([^"]*)"', r.text))
    report = json.loads(base64.b64decode(encoded["application/json"]))
    assert [x["shape_id"] for x in report["results"]] == ["RO-07-takes-part"] and report["source"] == "案.txt"
    shacl = Graph().parse(data=base64.b64decode(encoded["text/turtle"]).decode(), format="turtle")
    assert len(list(shacl.subjects(SH.resultSeverity, SH.Warning))) == 1


def test_the_page_in_english_and_pasted_text(server: Server) -> None:
    r = server.post("/validate?lang=en", data={"text": defective().decode()})
    assert r.status_code == 200
    page = html.unescape(r.text)
    assert "pasted.txt: conforms (1 warning, 0 infos)" in page and "How to fix: " in page
    assert "annex row 3-(8), role of Nihonmatsu City" in page


def test_a_file_that_cannot_be_used_shows_each_problem_at_its_line(server: Server) -> None:
    case = next(c for c in CASES if c.id == "impossible-date-feb-30")
    r = server.post("/validate", files={"file": ("bad.txt", case.content(), "text/plain")},
                    headers={"Accept": "text/html"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    page = html.unescape(r.text)
    assert "このファイルは検査できませんでした" in page and "Traceback" not in page
    blocks = _blocks(page)
    at = next(i for i, b in enumerate(blocks) if 'id="L5"' in b)
    assert "hit-error" in blocks[at] and "存在しない日付" in blocks[at + 1] and "bad.txt:5" in blocks[at + 1]


def test_rdf_made_from_a_text_names_the_texts_line_not_the_rdfs(server: Server, tmp_path: Path) -> None:
    from kg.ingest import ingest_file

    text = tmp_path / "draft.txt"
    text.write_bytes(defective())
    turtle = ingest_file(text, Settings()).graph.serialize(format="turtle").encode()
    r = server.post("/validate", files={"file": ("draft.ttl", turtle, "text/turtle")}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = html.unescape(r.text)
    assert f"draft.txt:{row_line(defective())}" in page  # where the clerk finds it: the text's line
    assert sum("val-problem" in b for b in _blocks(page)) == 0  # not beside a line of the Turtle
    whole = page.split("本文の特定の行に当たらない問題", 1)[1].split('class="val-doc"', 1)[0]
    assert "別表 3-(8) 二本松市の役割" in whole


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_document_is_shown_as_the_text_read_from_it(server: Server, tmp_path: Path, kind: str) -> None:
    from tests.ingest.documents.make import FONT_FILE, to_docx, to_pdf

    if not FONT_FILE.exists():
        pytest.fail(f"{FONT_FILE} is missing: run `bash scripts/system-packages.sh`")
    document = (to_pdf if kind == "pdf" else to_docx)(defective().decode(), tmp_path / f"draft.{kind}")
    r = server.post("/validate", files={"file": (document.name, document.read_bytes(), "application/octet-stream")},
                    headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    page = html.unescape(r.text)
    blocks = _blocks(page)
    at = next(i for i, b in enumerate(blocks) if "val-problem" in b)
    assert "I C T インフラの整備" in blocks[at - 1] and "hit-warning" in blocks[at - 1]
    assert "別表 3-(8) 二本松市の役割" in blocks[at]
    if kind == "pdf":  # the page the row stands on, and the pages of the text
        assert re.search(r"別表 3-\(8\) 二本松市の役割（\d+ページ 表\d+ \d+行 \d+列）", blocks[at])
        assert '<div class="val-page" lang="ja">1ページ</div>' in page


def test_an_empty_form_is_refused_in_japanese(server: Server) -> None:
    r = server.post("/validate", data={"text": "  "}, headers={"Accept": "text/html"})
    assert r.status_code == 400 and "ファイルも本文もありません" in r.text


def test_text_plain_is_the_report_kg_validate_prints(server: Server, tmp_path: Path) -> None:
    from kg.settings import Settings
    from kg.validation.validate import validate_path

    local = tmp_path / "draft.txt"
    local.write_bytes(defective())
    for lang in ("ja", "en"):
        r = server.post(f"/validate?name=draft.txt&lang={lang}", content=defective(),
                        headers={"Content-Type": "text/plain", "Accept": "text/plain"})
        assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"
        expected = validate_path(local, Settings()).to_text(lang).replace(str(tmp_path) + "/", "")
        assert r.text == expected + "\n"
    assert "draft.txt:" in r.text and "draft.txt.txt" not in r.text


def test_json_and_turtle_are_unchanged_and_the_name_keeps_its_suffix(server: Server) -> None:
    r = server.post("/validate?name=x.txt", content=defective(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"  # JSON stays the default
    assert r.json()["source"] == "x.txt"
    assert all(x["location"]["file"] == "x.txt" for x in r.json()["results"])
    ttl = server.post("/validate?name=x", content=defective(), headers={"Content-Type": "text/plain",
                                                                          "Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle") and "x.txt.txt" not in ttl.text
    assert any(Graph().parse(data=ttl.text, format="turtle").triples((None, SH.conforms, None)))
    long = server.post("/validate", params={"name": "𠀋" * 100 + ".txt"}, content=defective(),
                       headers={"Content-Type": "text/plain"})  # 400 bytes: more than a file name may have
    assert long.status_code == 200 and long.json()["source"].startswith("𠀋")
    refused = server.post("/validate?name=bad.txt", content=next(c for c in CASES if c.lines == (5,)).content(),
                          headers={"Content-Type": "text/plain", "Accept": "application/json"})
    assert refused.status_code == 400 and refused.json()["source"] == "bad.txt"


def test_a_form_asks_for_what_it_accepts(server: Server) -> None:
    r = server.post("/validate", files={"file": ("d.txt", defective(), "text/plain")},
                    headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json()["source"] == "d.txt"
    assert is_japanese(r.json()["results"][0]["message"]["ja"])
