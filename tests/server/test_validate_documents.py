"""POST /validate with a PDF or a Word file gives the report the text gives (issue 10): the body is
read by its bytes, like `kg validate draft.docx`, and the media type of the upload is accepted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ingest.documents.make import FONT_FILE, read_text, to_docx, to_pdf
from tests.server.conftest import Server, start_server

SEED = Path(__file__).resolve().parents[1] / "data" / "ingest" / "koriyama-nihonmatsu-2019.txt"
MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@pytest.fixture(scope="module")
def server(fixture_release: Path) -> Iterator[Server]:
    yield from start_server(fixture_release.parents[1])


def _results(server: Server, body: bytes, media: str) -> list[tuple[str, str]]:
    r = server.post("/validate?name=draft", content=body,
                    headers={"Content-Type": media, "Accept": "application/json"})
    assert r.status_code == 200, r.text
    return sorted((res["shape"], res["focus"]) for res in r.json()["results"])


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_document_gives_the_report_of_its_text(server: Server, tmp_path: Path, kind: str) -> None:
    if not FONT_FILE.exists():
        pytest.fail(f"{FONT_FILE} is missing: run `bash scripts/system-packages.sh`")
    # A defect a clerk would make: the partner's role in row 3-(8) left empty.
    text = read_text(SEED).replace("\t郡山市と連携して、I C T インフラの整備に取り組む。", "\t")
    source = tmp_path / "draft.txt"
    source.write_text(text, encoding="utf-8")
    document = (to_pdf if kind == "pdf" else to_docx)(text, tmp_path / f"draft.{kind}")
    from_text = _results(server, source.read_bytes(), "text/plain")
    assert from_text, "the defect gives a result"
    assert _results(server, document.read_bytes(), MEDIA[kind]) == from_text
