"""Formats are known by their content, not their name; a broken document is a typed, bilingual refusal
(exit 2, no traceback); ``kg validate`` reports on a PDF or Word draft as on its text, at page and cell."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest

from kg.errors import InputError, KgError
from kg.ingest import ingest_bytes
from kg.ingest.document.sniff import read_document, sniff
from kg.settings import Settings
from kg.validation.validate import validate_path

from ..helpers import SEED, run_kg
from .conftest import Render
from .make import to_docx, to_pdf


def test_a_pdf_named_txt_is_read_as_a_pdf(render: Render, settings: Settings) -> None:
    data = render(SEED, "pdf").read_bytes()
    source = read_document(data, "koriyama-nihonmatsu-2019.txt", Settings())
    assert (source.media_type, source.reading, source.encoding) == ("application/pdf", "pdf-text-layer", None)
    text = ingest_bytes(SEED.read_bytes(), SEED.name, settings)
    assert ingest_bytes(data, "koriyama-nihonmatsu-2019.txt", settings).agreement == text.agreement


def test_a_word_file_named_pdf_is_read_as_word(render: Render) -> None:
    source = read_document(render(SEED, "docx").read_bytes(), "draft.pdf", Settings())
    assert source.reading == "docx"


@pytest.mark.parametrize(("head", "kind"), [
    (b"%PDF-1.4\n", "pdf"), (b"\n\n%PDF-1.7\n", "pdf"), (b"\x89PNG\r\n\x1a\n", "image"), (b"\xff\xd8\xff\xe0", "image"),
    (b"II*\x00", "image"), (b"MM\x00*", "image"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
    ("第1条 目的".encode(), "text"), (b"<!DOCTYPE html><p>x", "html"),
])
def test_sniff_knows_a_file_by_its_first_bytes(head: bytes, kind: str) -> None:
    assert sniff(head, "agreement.txt") == kind


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")
    return buffer.getvalue()


def _corrupt_pdf(render: Render) -> bytes:
    data = render(SEED, "pdf").read_bytes()
    return data[: len(data) // 3]


def _corrupt_docx(render: Render) -> bytes:
    data = render(SEED, "docx").read_bytes()
    return data[: len(data) // 2]


BROKEN = {
    "truncated-pdf": (_corrupt_pdf, "PDF"),
    "pdf-header-only": (lambda r: b"%PDF-1.7\n%%EOF\n", "PDF"),
    "truncated-docx": (_corrupt_docx, "Word"),
    "zip-not-word": (lambda r: _zip(["xl/workbook.xml"]), "Word"),
    "word-without-body": (lambda r: _zip(["word/document.xml"]), "Word"),
    "old-word-doc": (lambda r: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".doc"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_document_is_a_bilingual_input_error(case: str, render: Render) -> None:
    make, word = BROKEN[case]
    with pytest.raises(InputError) as caught:
        read_document(make(render), "draft.bin", Settings())
    error = caught.value
    assert word in error.message and error.ja and error.fix_en and error.fix_ja
    assert error.file == "draft.bin"


@pytest.mark.parametrize("case", ["truncated-pdf", "truncated-docx"])
def test_kg_ingest_refuses_a_broken_document_with_exit_2(case: str, render: Render, tmp_path: Path) -> None:
    path = tmp_path / ("draft.pdf" if "pdf" in case else "draft.docx")
    path.write_bytes(BROKEN[case][0](render))
    for command in ("ingest", "validate"):
        result = run_kg(command, path)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and str(path) in result.stderr


def test_an_image_is_read_by_ocr_or_refused_with_a_message(tmp_path: Path) -> None:
    """A blank image holds no agreement: OCR finds none, or (without tesseract) it is refused saying what to
    install; either way exit 2, never a traceback."""
    from PIL import Image

    path = tmp_path / "scan.png"
    Image.new("L", (200, 100), 255).save(path)
    with pytest.raises(KgError):
        ingest_bytes(path.read_bytes(), path.name, Settings())
    result = run_kg("ingest", path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


# ── kg validate on a draft ────────────────────────────────────────────────────────────────────────

def _defective_seed() -> str:
    """The seed with the role of 二本松市 in row 3-(8) left empty (the shapes report it)."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("(8) I C T"))
    lines[at] = lines[at].rsplit("\t", 1)[0] + "\t"
    return "\n".join(lines)


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("drafts")
    text = _defective_seed()
    (folder / "draft.txt").write_text(text, encoding="utf-8")
    return {"txt": folder / "draft.txt", "pdf": to_pdf(text, folder / "draft.pdf"),
            "docx": to_docx(text, folder / "draft.docx")}


def _results(path: Path, settings: Settings) -> list[tuple[str, str, str | None, str]]:
    report = validate_path(path, settings)
    return [(r.shape_id, r.focus, r.value, r.message.get("ja")) for r in report.results]


def test_validate_reports_the_same_on_a_draft_as_on_its_text(drafts: dict[str, Path], settings: Settings) -> None:
    text = _results(drafts["txt"], settings)
    assert text, "the defective text must break a shape"
    assert _results(drafts["pdf"], settings) == text
    assert _results(drafts["docx"], settings) == text


def test_validate_points_at_the_page_and_cell(drafts: dict[str, Path], settings: Settings) -> None:
    pdf = validate_path(drafts["pdf"], settings).results
    docx = validate_path(drafts["docx"], settings).results
    role = next(r for r in pdf if "二本松市の役割" in r.location.text.ja)
    assert role.location.page is not None and f"{role.location.page}ページ" in role.location.text.ja
    assert "列" in role.location.text.ja and "column" in role.location.text.en
    word_role = next(r for r in docx if "二本松市の役割" in r.location.text.ja)
    assert "表3 9行 4列" in word_role.location.text.ja


def test_kg_validate_exits_as_for_the_text(drafts: dict[str, Path]) -> None:
    runs = {kind: run_kg("validate", path) for kind, path in drafts.items()}
    codes = {run.returncode for run in runs.values()}
    assert len(codes) == 1 and codes <= {0, 1}, codes  # the same verdict, whatever the shapes make of the gap
    assert all("Traceback" not in run.stderr for run in runs.values())
    named_txt = drafts["pdf"].with_name("pdf-named.txt")  # by content, not by name
    named_txt.write_bytes(drafts["pdf"].read_bytes())
    named = run_kg("validate", named_txt)
    assert named.returncode in codes and "ページ" in named.stdout + named.stderr


def test_a_text_read_by_ocr_records_the_reading_and_its_engine(monkeypatch: pytest.MonkeyPatch,
                                                               settings: Settings) -> None:
    """OCR is never passed off as the printed text: the source says so, in PROV (issue 10, point 3)."""
    from dataclasses import replace

    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import PROV

    import kg.ingest

    read = kg.ingest.read_document
    monkeypatch.setattr(kg.ingest, "read_document",
                        lambda data, name, s: replace(read(data, name, s), reading="ocr", engine="tesseract 5.3.0 jpn"))
    g = ingest_bytes(SEED.read_bytes(), SEED.name, settings).graph
    reading = URIRef("https://w3id.org/renkei/id/source/koriyama-nihonmatsu-2019/reading")
    assert (reading, RDF.type, PROV.Activity) in g
    engine = g.value(reading, PROV.wasAssociatedWith)
    assert (engine, RDF.type, PROV.SoftwareAgent) in g and (engine, RDFS.label, Literal("tesseract 5.3.0 jpn")) in g
    assert (None, PROV.wasInfluencedBy, reading) in g
    assert Literal("ocr") in set(g.objects(None, URIRef("https://w3id.org/renkei/ns#reading")))


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_damaged_documents_are_refused_as_kg_errors_only(kind: str, render: Render, settings: Settings) -> None:
    """Bytes overwritten, cut short or cut out anywhere in a document: it reads, or a KgError says why."""
    import random

    base = render(SEED, kind).read_bytes()
    rng = random.Random(10)
    for case in range(15):
        data = bytearray(base)
        if case % 3 == 0:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif case % 3 == 1:
            data = data[: rng.randrange(len(data))]
        else:
            at = rng.randrange(len(data))
            data[at:at + rng.randint(1, 500)] = b""
        with contextlib.suppress(KgError):  # any other exception fails the test
            ingest_bytes(bytes(data), f"damaged.{kind}", settings)
