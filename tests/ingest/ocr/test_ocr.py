"""Scans read by OCR give the text version's structure, within 3 % CER, or are refused — never silently wrong.

The scans are made here from the composed fixture texts (make_scans.py): A4 at 300 dpi, turned 0.7°,
softened and speckled; and at 150 dpi, turned 1.2°, with heavy noise. The OCR tests need Debian's
tesseract with its Japanese model and are skipped only where it is absent (CI installs it). They read
one agreement (the founding one, four pages) and the first page of its noisy scan: about 40 s on two
cores; the other fixtures and the per-step figures are in bench/ocr_bench.py.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kg.errors import IngestError, OcrUnavailable
from kg.ingest import IngestResult, ingest_bytes, ingest_file
from kg.ingest.decode import SourceText
from kg.ingest.document import (
    grid,
    image,
    ocr,
    ocr_cells,
    ocr_checks,
    ocr_corrections,
    ocr_merge,
    ocr_review,
    ocr_text,
    tesseract,
)
from kg.ingest.document.form import Box, Cell, Form, Position, TableRow, TextLine, to_source
from kg.ingest.document.sniff import read_document
from kg.ingest.document.vocabulary import Char, Vocabulary
from kg.settings import Settings

from ..helpers import I1, SEED, T3, P
from . import make_scans
from .compare import cer, levenshtein, structure, texts


def _has_tesseract() -> bool:
    if shutil.which("tesseract") is None:
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return bool({m for m, _ in tesseract.MODELS} & set(langs.stdout.split()))


needs_tesseract = pytest.mark.skipif(not _has_tesseract(), reason="needs tesseract-ocr and tesseract-ocr-jpn "
                                     "(bash scripts/system-packages.sh)")


# ---------------------------------------------------------------------------- without tesseract


def test_a_scan_without_tesseract_is_refused_saying_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_TESSERACT", "/nonexistent/tesseract")
    with pytest.raises(OcrUnavailable) as caught:
        ocr.read_image(make_scans.png(Image.new("L", (100, 100), 255)), "scan.png", settings=Settings())
    e = caught.value
    assert "apt-get install tesseract-ocr tesseract-ocr-script-jpan tesseract-ocr-jpn" in (e.fix_en or "")
    assert "scripts/system-packages.sh" in (e.fix_ja or "") and e.ja and "tesseract" in e.ja
    assert e.file == "scan.png" and e.exit_code == 2


def test_the_same_scan_read_twice_is_read_by_ocr_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The validation page reads an upload for its report and for the lines it shows: OCR runs once."""
    calls: list[str] = []

    def fake(data: bytes, name: str, *, settings: Settings) -> Form:
        calls.append(name)
        return Form(name, "image/png", "ocr", [TextLine("第1条 目的", Position(page=1))], engine="fake", pages=1)

    monkeypatch.setattr(ocr, "read_image", fake)
    scan = make_scans.png(Image.new("L", (50, 50), 255))
    first, again = read_document(scan, "a.png", Settings()), read_document(scan, "a.png", Settings())
    assert first.lines == again.lines == ("第1条 目的",) and calls == ["a.png"]
    read_document(make_scans.png(Image.new("L", (60, 50), 255)), "a.png", Settings())  # other bytes: read
    assert len(calls) == 2


def test_review_lists_each_word_under_the_threshold_with_page_line_and_cell() -> None:
    cells = (Cell("取組", 0, 0), Cell("導域の振興", 0, 1, confidence=41.0))
    form = Form("scan.pdf", "application/pdf", "ocr", [
        TextLine("第1条 目的", Position(page=1, confidence=97.0)),
        TableRow(cells, Position(page=2, table=1, row=3, cells=cells, confidence=41.0,
                                 words=(("導域", 41.0), ("振興", 79.0))))], engine="tesseract 5.3.0 jpn", pages=2)
    source = to_source(form, b"%PDF")
    problems = ocr.review(source, threshold=80)
    assert [(p.line, p.page) for p in problems] == [(2, 2), (2, 2)]
    assert problems[0].ja.startswith("表1 1行2列の") and "「導域」" in problems[0].ja and "(41)" in problems[0].en
    assert "column 2" in problems[0].en and problems[0].fix_ja
    assert [p.en for p in ocr.review(source, threshold=50)] == [problems[0].en]
    text = SourceText("a.txt", ("第1条",), "UTF-8", "0" * 64)
    assert ocr.review(text, Settings().ocr_review_confidence) == []


def test_review_lists_each_correction_to_a_known_term() -> None:
    form = Form("scan.png", "image/png", "ocr", [
        TextLine("圏域全体の経済", Position(page=1, confidence=95.0, corrected=(("導域全体", "圏域全体"),)))])
    [problem] = ocr.review(to_source(form, b"\x89PNG"), Settings().ocr_review_confidence)
    assert problem.ja == "OCR の読み取り「導域全体」を既知の語「圏域全体」に補正しました"
    assert (problem.line, problem.page) == (1, 1) and "corrected to the known term" in problem.en


def test_parentheses_take_the_width_of_what_they_enclose() -> None:
    chars = [Char(c, 99.0) for c in "(1)(目的)"]
    assert "".join(c.text for c in ocr_text._parentheses(chars)) == "(1)（目的）"


def _glyph_line(spec: list[tuple[str, int]], spaced: str, em: int = 40) -> tuple[tesseract.OcrLine, np.ndarray]:
    """A line of one-glyph words at the given x positions, and an ink mask inking each glyph's box."""
    ink = np.zeros((100, 2000), np.uint8)
    words = []
    for text, x in spec:
        box = Box(x, 30, x + em * (0.5 if text.isascii() else 0.9), 30 + em)
        ink[30:30 + em, int(box.x0):int(box.x1)] = 255
        words.append(tesseract.Word(text, box, 95.0, (tesseract.Glyph(text, box, 95.0),)))
    line = tesseract.OcrLine(tuple(words), Box(spec[0][1], 30, words[-1].box.x1, 30 + em), spaced)
    return line, ink


def test_spaces_between_latin_letters_are_kept_and_those_tesseract_puts_in_japanese_dropped() -> None:
    # 「I C T インフラ」 printed with half-width spaces: a blank of about 0.65 em between the letters.
    line, ink = _glyph_line([("I", 100), ("C", 146), ("T", 192), ("イ", 240), ("ン", 278)], "ICT イン")
    assert ocr_text.line_text(line, ink, 40.0).text == "I C T イン"
    # 「圏域」 with a narrow gap that tesseract printed as a space: no space.
    line, ink = _glyph_line([("圏", 100), ("域", 142)], "圏 域")
    assert ocr_text.line_text(line, ink, 40.0).text == "圏域"
    # 「第1条　この」: a full-width space stays one; beside 「、」 no space is ever added.
    line, ink = _glyph_line([("条", 100), ("こ", 180), ("、", 220), ("の", 280)], "条 こ 、 の")
    assert ocr_text.line_text(line, ink, 40.0).text == "条\u3000こ、の"


def test_a_near_miss_of_a_known_term_is_corrected_only_where_tesseract_was_unsure() -> None:
    vocabulary = Vocabulary({"圏域全体", "郡山市", "二本松市"})
    unsure = [Char(c, 30.0 if c == "導" else 99.0, 0) for c in "導域全体の経済"]
    chars, corrections = vocabulary.correct(unsure, below=90)
    assert "".join(c.text for c in chars) == "圏域全体の経済"
    assert [(c.read, c.term) for c in corrections] == [("導域全体", "圏域全体")]
    sure = [Char(c, 99.0, 0) for c in "導域全体の経済"]
    assert vocabulary.correct(sure, below=90)[1] == []
    known = [Char(c, 10.0, 0) for c in "郡山市と二本松市"]
    assert vocabulary.correct(known, below=90)[1] == []


def _ocr_line(spec: str, confidence: float = 95.0, spaced: str | None = None) -> tesseract.OcrLine:
    """A line of one-character glyphs 40 px apart, split into words at each space of ``spec``."""
    words, x = [], 0
    for text in spec.split():
        glyphs = tuple(tesseract.Glyph(ch, Box(x + 40 * i, 0, x + 40 * i + 38, 40), confidence)
                       for i, ch in enumerate(text))
        words.append(tesseract.Word(text, Box(x, 0, x + 40 * len(text), 40), confidence, glyphs))
        x += 40 * len(text) + 40
    return tesseract.OcrLine(tuple(words), Box(0, 0, x, 40), spaced)


def _spelled(line: tesseract.OcrLine) -> str:
    return "".join(w.text for w in line.words)


def test_the_second_model_is_heeded_where_it_spells_more_of_the_known_terms_and_only_there() -> None:
    vocabulary = Vocabulary({"甲及び乙", "連携中枢都市圏", "以下乙という"})
    # the language model drops 乙, the script model reads it: the stretch is taken, with its glyph
    merged = ocr_merge.merge(_ocr_line("甲及びが連携中枢都市圏"), _ocr_line("甲及び乙が連携中枢都市岡", 60), vocabulary)
    assert _spelled(merged) == "甲及び乙が連携中枢都市圏"
    # where the second model's reading spells no more of the terms, the first model's stays
    assert _spelled(ocr_merge.merge(_ocr_line("協力して"), _ocr_line("協議して", 99), vocabulary)) == "協力して"
    # punctuation aside: 「以下「」という」 and 「以下「乙」という」
    merged = ocr_merge.merge(_ocr_line("以下「」という"), _ocr_line("以下「乙」という"), vocabulary)
    assert _spelled(merged) == "以下「乙」という"
    # both reading alike makes no reading surer (the models share blind spots: 「費用分揚」)
    agreed = ocr_merge.merge(_ocr_line("甲及び", 40), _ocr_line("甲及び", 90), vocabulary)
    assert agreed.words[0].confidence == 40 and agreed.words[0].glyphs[0].confidence == 40


def test_an_unsure_leading_numbering_is_taken_from_the_surer_model_when_of_a_usual_form() -> None:
    vocabulary = Vocabulary(set())
    first = _ocr_line("1 甲の役割", 25)
    assert _spelled(ocr_merge.merge(first, _ocr_line("i 甲の役割", 90), vocabulary)) == "i甲の役割"
    assert _spelled(ocr_merge.merge(first, _ocr_line("# 甲の役割", 99), vocabulary)) == "1甲の役割"  # no usual form
    surer_first = ocr_merge.merge(_ocr_line("1 甲の役割", 95), _ocr_line("i 甲の役割", 90), vocabulary)
    assert _spelled(surer_first) == "1甲の役割"


def test_a_line_that_is_a_near_miss_of_one_term_is_that_term_however_sure_tesseract_was() -> None:
    vocabulary = Vocabulary({"役割分担", "甲の役割", "乙の役割", "協議して"})
    chars, corrections = ocr_corrections.correct_whole([Char(c, 97.0, 0) for c in "(b) 役割分揚"], vocabulary)
    assert "".join(c.text for c in chars) == "(b) 役割分担"
    assert [(c.read, c.term) for c in corrections] == [("役割分揚", "役割分担")]
    for text in ("との役割", "甲の役割", "協力して経済", "(b) 役割分担"):  # two terms as near; a term; a sentence
        assert ocr_corrections.correct_whole([Char(c, 97.0, 0) for c in text], vocabulary)[1] == [], text


def test_ruled_table_cells_are_found_with_merged_cells_once() -> None:
    ink = np.zeros((1200, 2000), np.uint8)
    xs, ys = [100, 600, 1200, 1900], [100, 300, 600, 900]
    for y in ys:
        ink[y:y + 4, 100:1904] = 255
    for x in xs:
        ink[100:904, x:x + 4] = 255
    ink[600:904, 1200:1204] = 0  # the last row's second and third columns are one merged cell
    tables, rules = grid.find_tables(ink)
    assert len(tables) == 1
    t = tables[0]
    assert (t.row_count, t.column_count) == (3, 3)
    merged = t.at(2, 2)
    assert (merged.row, merged.column, merged.columns) == (2, 1, 2) and t.at(2, 1) is merged
    assert len(t.cells) == 8 and rules.any()


@pytest.mark.parametrize("angle", [0.7, -1.3])
def test_a_turned_page_is_measured_to_be_turned_back(angle: float) -> None:
    page = make_scans.render(SEED.read_text(encoding="utf-8"))[0]
    turned = np.asarray(page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255))
    assert abs(image.skew_angle(turned) + angle) <= 0.05


# ---------------------------------------------------------------------------- with tesseract


@pytest.fixture(scope="module")
def seed_text() -> IngestResult:
    return ingest_file(SEED, Settings())


@pytest.fixture(scope="module")
def seed_scan() -> bytes:
    """The founding agreement as a four-page scanned PDF at 300 dpi (turned 0.7°, light noise)."""
    return make_scans.pdf(make_scans.scan_pages(SEED.read_text(encoding="utf-8"), make_scans.LIGHT))


@pytest.fixture(scope="module")
def read_once() -> Iterator[None]:
    """OCR each scan once for the module (OCR is slow): the reader sniff.py calls is memoised."""
    read = ocr.read_scanned_pdf
    forms: dict[tuple[str, bytes], Form] = {}

    def memo(data: bytes, name: str, *, settings: Settings) -> Form:
        if (name, data) not in forms:
            forms[(name, data)] = read(data, name, settings=settings)
        return forms[(name, data)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocr, "read_scanned_pdf", memo)
        yield


@pytest.fixture(scope="module")
def seed_source(seed_scan: bytes, read_once: None) -> SourceText:
    return read_document(seed_scan, "koriyama-nihonmatsu-2019.pdf", Settings())


@pytest.fixture(scope="module")
def seed_scanned(seed_scan: bytes, read_once: None) -> IngestResult:
    return ingest_bytes(seed_scan, "koriyama-nihonmatsu-2019.pdf", Settings())


@needs_tesseract
def test_a_300_dpi_scan_gives_the_structure_of_the_text_version(seed_text: IngestResult,
                                                                seed_scanned: IngestResult) -> None:
    assert structure(seed_scanned).differences(structure(seed_text)) == []
    assert seed_scanned.layout == seed_text.layout


@needs_tesseract
def test_a_300_dpi_scan_reads_contents_and_roles_within_3_percent_cer(seed_text: IngestResult,
                                                                     seed_scanned: IngestResult) -> None:
    reference, read = texts(seed_text), texts(seed_scanned)
    assert set(read) == set(reference)
    rate = cer(reference, read)
    worst = sorted(((levenshtein(t, read[k]), k) for k, t in reference.items()), reverse=True)[:3]
    assert rate <= 0.03, f"CER {rate:.2%}; worst parts {worst}"


@needs_tesseract
@pytest.mark.parametrize("text", [T3, I1, P], ids=["T3", "I1", "P"])
def test_a_300_dpi_scan_of_each_other_arrangement_gives_its_structure_within_3_percent_cer(text: Path) -> None:
    """The arrangements whose scans the language model alone could not read: 乙 dropped (T3), 「(b)」 read
    as 「(⑪)」 and 「i」 as 「1」 (I1), a 区分 「(3)」 read as 「(6)」 (P). Each is read with both models."""
    printed = ingest_file(text, Settings())
    scan = make_scans.pdf(make_scans.scan_pages(text.read_text(encoding="utf-8"), make_scans.LIGHT))
    scanned = ingest_bytes(scan, text.stem + ".pdf", Settings())
    assert structure(scanned).differences(structure(printed)) == []
    assert scanned.layout == printed.layout
    rate = cer(texts(printed), texts(scanned))
    assert rate <= 0.03, f"CER {rate:.2%}"


@needs_tesseract
def test_ocr_is_recorded_as_ocr_with_its_engine_and_every_unsure_word_is_in_the_review(
        seed_source: SourceText) -> None:
    assert seed_source.reading == "ocr" and seed_source.media_type == "application/pdf"
    assert seed_source.engine is not None and seed_source.engine.startswith("tesseract ")
    assert seed_source.engine.endswith(" " + "+".join(tesseract.models()))
    assert seed_source.positions is not None
    threshold = Settings().ocr_review_confidence
    unsure = [(i + 1, w) for i, p in enumerate(seed_source.positions) for w, c in p.words if c < threshold]
    assert unsure, "a scan with noise has some words tesseract is unsure of"
    listed = {(p.line, p.page) for p in ocr.review(seed_source, Settings().ocr_review_confidence)}
    for line, word in unsure:
        assert (line, seed_source.positions[line - 1].page) in listed, word
    corrected = sum(len(p.corrected) for p in seed_source.positions)
    assert len(ocr.review(seed_source, Settings().ocr_review_confidence)) == len(unsure) + corrected
    tables = [p for p in seed_source.positions if p.table is not None]
    assert tables and all(p.page and p.cells and p.confidence is not None for p in tables)
    assert {p.page for p in seed_source.positions} == {1, 2, 3, 4}


@needs_tesseract
def test_kg_ingest_review_prints_each_unsure_reading_with_its_page_in_the_clerks_language(
        seed_scan: bytes, seed_source: SourceText, tmp_path: Path) -> None:
    """`kg ingest --review` (in process, so the scan read once for this module is reused)."""
    import typer
    from typer.testing import CliRunner

    from kg.cli import ingest as ingest_cli

    cli = typer.Typer()
    ingest_cli.register(cli)
    cli.command("noop", hidden=True)(lambda: None)  # two commands: typer then keeps the command's name
    scan = tmp_path / "koriyama-nihonmatsu-2019.pdf"
    scan.write_bytes(seed_scan)
    expected = ocr.review(seed_source, Settings().ocr_review_confidence)
    assert expected
    for lang, head in (("ja", f"確認が必要なもの {len(expected)} 件"),
                       ("en", f"{len(expected)} OCR reading(s) to check")):
        r = CliRunner().invoke(cli, ["ingest", str(scan), "--review", "--lang", lang, "-o", str(tmp_path / "out.ttl")])
        assert r.exit_code == 0, r.output
        err = r.stderr
        assert head in err
        listed = [line for line in err.splitlines() if line.startswith("  ")]
        assert len(listed) == len(expected)
        assert all(" p." in line and ".pdf:" in line for line in listed), listed[:3]  # file:line p.N
        assert all(("OCR の読み取り" if lang == "ja" else "OCR read") in line for line in listed), listed[:3]
    without = CliRunner().invoke(cli, ["ingest", str(scan), "-o", str(tmp_path / "out2.ttl")])
    assert without.exit_code == 0 and "OCR" not in without.stderr


@needs_tesseract
def test_a_150_dpi_noisy_scan_is_refused_naming_the_page_never_read_wrongly(seed_text: IngestResult) -> None:
    pages = make_scans.scan_pages(SEED.read_text(encoding="utf-8"), make_scans.HEAVY)
    data = make_scans.pdf(pages, 150)
    try:
        scanned = ingest_bytes(data, "noisy.pdf", Settings())
    except IngestError as e:
        assert e.page is not None and f"page {e.page}" in e.message
        assert e.ja and f"{e.page}ページ" in e.ja and e.fix_ja
        return
    assert structure(scanned).differences(structure(seed_text)) == []
    assert cer(texts(seed_text), texts(scanned)) <= 0.03


@needs_tesseract
def test_an_image_is_read_with_its_media_type_and_pages() -> None:
    page = make_scans.scan_pages(SEED.read_text(encoding="utf-8"))[0].crop((0, 0, 2480, 565))
    out = io.BytesIO()
    page.save(out, "TIFF", dpi=(300, 300))
    form = ocr.read_image(out.getvalue(), "cover.tiff", settings=Settings())
    assert (form.media_type, form.reading, form.pages) == ("image/tiff", "ocr", 1)
    lines = [b.text for b in form.blocks if isinstance(b, TextLine)]
    assert lines[:2] == ["連携中枢都市圏形成に係る連携協約", "令和元年10月18日"]


@pytest.mark.parametrize("module", [ocr, ocr_text, ocr_merge, ocr_corrections, ocr_checks, ocr_cells, ocr_review,
                                    image, grid, tesseract, make_scans])
def test_every_exported_name_exists_and_is_documented(module: object) -> None:
    assert module.__doc__ and module.__doc__.strip().splitlines()[0]
    for name in getattr(module, "__all__", ()):
        assert hasattr(module, name), f"{module}.__all__ names {name}, which does not exist"


def test_two_thin_letters_of_one_word_get_no_space() -> None:
    line, ink = _glyph_line([("i", 100), ("i", 134), ("乙", 180)], "ii 乙")
    assert ocr_text.line_text(line, ink, 40.0).text == "ii 乙"


def test_a_circled_number_against_a_parenthesis_is_a_parenthesised_number() -> None:
    for read in ("①）圏域", "（①圏域"):
        chars = [Char(c, 90.0) for c in read]
        out, boxes, _ = ocr_text._circled(chars, [Box(0, 0, 1, 1)] * len(chars), set())
        assert "".join(c.text for c in ocr_text._parentheses(out)) == "(1)圏域" and len(boxes) == len(out)
    chars = [Char(c, 90.0) for c in "①圏域"]
    assert "".join(c.text for c in ocr_text._circled(chars, [Box(0, 0, 1, 1)] * 3, None)[0]) == "①圏域"


def test_an_unsure_numbering_of_no_usual_form_refuses_the_page() -> None:
    limits = ocr_checks.Thresholds(review=80, floor=70, correct=90)

    def line(first: str, confidence: float) -> ocr_text.Text:
        words = [tesseract.Word(first, Box(0, 0, 10, 10), confidence),
                 tesseract.Word("役割分担", Box(20, 0, 90, 10), 99)]
        return ocr_text.Text([Char(c, confidence) for c in first + " 役割分担"], Box(0, 0, 90, 10), words)

    ocr_checks.check_numbering(line("2", 66), 1, "a.pdf", limits)  # a usual form, somewhat unsure: read
    ocr_checks.check_numbering(line("（⑪）", 95), 1, "a.pdf", limits)  # sure: read
    for first, confidence in (("（⑪）", 64), ("1", 25)):
        with pytest.raises(IngestError) as caught:
            ocr_checks.check_numbering(line(first, confidence), 3, "a.pdf", limits)
        assert caught.value.page == 3 and caught.value.ja and "3ページ" in caught.value.ja
    # tesseract's 「(⑪)」 stands in the text as 「(11)」 (a circled number in parentheses, which nobody
    # prints): the numbering is judged as it stands, a usual form only somewhat unsure, and read
    read = ocr_text.Text([Char(c, 64, 0) for c in "(11)"] + [Char(c, 99, 1) for c in "役割分担"], Box(0, 0, 90, 10),
                     [tesseract.Word("(⑪)", Box(0, 0, 10, 10), 64), tesseract.Word("役割分担", Box(20, 0, 90, 10), 99)])
    ocr_checks.check_numbering(read, 1, "a.pdf", limits)


@needs_tesseract
def test_the_review_comes_with_the_reading_and_as_warnings_of_validate(
        seed_scanned: IngestResult, seed_source: SourceText, seed_scan: bytes, read_once: None,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.validation.validate import validate_path

    assert seed_scanned.review == tuple(ocr.review(seed_source, Settings().ocr_review_confidence))
    monkeypatch.chdir(tmp_path)  # the same name as the memoised reading: OCR once
    Path("koriyama-nihonmatsu-2019.pdf").write_bytes(seed_scan)
    report = validate_path(Path("koriyama-nihonmatsu-2019.pdf"), Settings())
    warned = [r for r in report.results if r.shape_id == "OCR-review"]
    assert len(warned) == len(seed_scanned.review)
    assert all(r.severity.value == "Warning" and r.location.page for r in warned)
    assert report.exit_code == 0  # to check, not to refuse
