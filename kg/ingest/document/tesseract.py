"""The OCR engine: Debian's tesseract with its Japanese model, run through pytesseract.

:func:`recognise` reads one image (a page, or a strip of table cells) and returns its lines, each a list
of words with their boxes (image pixels) and confidences (0–100), parsed from tesseract's hOCR output
with per-character boxes. The hOCR is parsed with the standard library's XML parser: tesseract writes
XHTML. Without the ``tesseract`` program or a Japanese model, :class:`~kg.errors.OcrUnavailable` says
what to install.

Two Japanese models read, where both are installed: the language model (``jpn``, Debian's
``tesseract-ocr-jpn``) and the script model (``Japanese``, ``tesseract-ocr-script-jpan``); the reader's
merge (kg/ingest/document/ocr_merge.py) keeps, line by line and cell by cell, the more confident reading. Measured on
the composed fixtures' scans (bench/ocr_bench.py, docs/performance.md "OCR"): the language model drops or
misreads 乙 — the name most agreements give their second party (「以下「乙」という」, 「甲及び乙」,
「乙の役割」) — which leaves a 別表 naming no party; the script model reads 乙 but spaces its words, doubles
some kana and misreads 取組 and numbers in narrow cells, which the language model reads.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kg.errors import OcrUnavailable
from kg.ingest.document.form import Box

__all__ = ["MODELS", "Glyph", "OcrLine", "Word", "engine", "model", "models", "parse_hocr", "recognise", "require"]

log = logging.getLogger(__name__)

#: The Japanese models in order of preference (see the module's docstring), and their Debian packages.
MODELS = (("jpn", "tesseract-ocr-jpn"), ("Japanese", "tesseract-ocr-script-jpan"))
_XHTML = "{http://www.w3.org/1999/xhtml}"
_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-script-jpan tesseract-ocr-jpn"
_SCRIPT = "bash scripts/system-packages.sh"


@dataclass(frozen=True)
class Glyph:
    """One character as tesseract read it: text, box and the confidence of that character."""

    text: str
    box: Box
    confidence: float


@dataclass(frozen=True)
class Word:
    """One word (for Japanese: a run of characters tesseract saw no gap in), its box and confidence."""

    text: str
    box: Box
    confidence: float
    glyphs: tuple[Glyph, ...] = ()


@dataclass(frozen=True)
class OcrLine:
    """One line of words, left to right, and its box."""

    words: tuple[Word, ...]
    box: Box
    spaced: str | None = None  # the line as tesseract's text output prints it, with its spaces


@functools.cache
def _probe(command: str) -> tuple[str | None, tuple[str, ...]]:
    """tesseract's version and its languages, or (None, ()) when it cannot be run."""
    path = shutil.which(command)
    if path is None:
        return None, ()
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False)
        langs = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None, ()
    first = (version.stdout or version.stderr).strip().splitlines()
    number = first[0].split()[-1] if first else "unknown"
    languages = tuple(line.strip() for line in langs.stdout.splitlines()[1:] if line.strip())
    return number, languages


def _command() -> str:
    """The tesseract program pytesseract will run (``KG_TESSERACT`` may name another; tests name a missing one)."""
    return os.environ.get("KG_TESSERACT", "tesseract")


def require(name: str | None = None) -> str:
    """tesseract's version, or :class:`OcrUnavailable` when it or a Japanese model is missing."""
    version, languages = _probe(_command())
    if version is None:
        raise OcrUnavailable(
            "cannot read a scanned document or image: the OCR engine tesseract is not installed",
            ja="スキャンした文書・画像を読むための OCR エンジン tesseract がインストールされていません",
            fix=f"install it: `{_INSTALL}` (or `{_SCRIPT}`)",
            fix_ja=f"`{_INSTALL}`（または `{_SCRIPT}`）でインストールしてください", file=name)
    if not any(m in languages for m, _ in MODELS):
        packages = " ".join(p for _, p in MODELS)
        raise OcrUnavailable(
            "cannot read a scanned document or image: tesseract has no Japanese model (Japanese or jpn)",
            ja="tesseract に日本語の学習データ（Japanese または jpn）がありません",
            fix=f"install it: `apt-get install {packages}` (or `{_SCRIPT}`)",
            fix_ja=f"`apt-get install {packages}`（または `{_SCRIPT}`）でインストールしてください",
            file=name)
    return version


def models(name: str | None = None) -> tuple[str, ...]:
    """The Japanese models installed, in the order of :data:`MODELS`."""
    require(name)
    _, languages = _probe(_command())
    return tuple(m for m, _ in MODELS if m in languages)


def model(name: str | None = None) -> str:
    """The Japanese model tesseract reads with first: the first of :data:`MODELS` installed."""
    return models(name)[0]


def engine(name: str | None = None) -> str:
    """The engine as the graph records it: 「tesseract 5.3.0 jpn+Japanese」 (every model that reads)."""
    return f"tesseract {require(name)} {'+'.join(models(name))}"


def recognise(image: Image.Image, *, psm: int = 6, user_words: Path | None = None,
              scale: float = 1.0, language: str | None = None) -> list[OcrLine]:
    """The lines tesseract reads in ``image`` (page segmentation mode ``psm``), words left to right.

    ``user_words`` is a file of words (one a line) tesseract should prefer (``--user-words``); ``scale``
    enlarges the image before reading (boxes are given back in the image's own pixels); ``language`` is
    the model (default :func:`model`). One run
    writes both hOCR (boxes, confidences) and plain text, whose spaces are tesseract's own judgement of
    where the print leaves one: :attr:`OcrLine.spaced` carries that line.
    """
    import pytesseract  # here, so that text formats work without it

    config = f"--psm {psm} -c hocr_char_boxes=1"
    if user_words is not None:
        config += f" --user-words {user_words}"
    pytesseract.pytesseract.tesseract_cmd = _command()
    with tempfile.TemporaryDirectory(prefix="kg-ocr-") as tmp:
        source, base = Path(tmp) / "page.png", Path(tmp) / "out"
        if scale != 1.0:
            image = image.resize((round(image.width * scale), round(image.height * scale)),
                                 Image.Resampling.BICUBIC)
        image.save(source)
        try:
            pytesseract.pytesseract.run_tesseract(str(source), str(base), "hocr txt", language or model(), config)
        except pytesseract.TesseractNotFoundError:
            _probe.cache_clear()
            require()
            raise
        except pytesseract.TesseractError as e:
            raise OcrUnavailable(f"tesseract failed: {e.message}", ja=f"tesseract が失敗しました: {e.message}",
                                 fix=f"check the installation: `{_INSTALL}`",
                                 fix_ja=f"インストールを確かめてください: `{_INSTALL}`") from None
        hocr = (base.with_suffix(".hocr")).read_bytes()
        text = (base.with_suffix(".txt")).read_text(encoding="utf-8")
    lines = _with_spaces(parse_hocr(hocr), text)
    return lines if scale == 1.0 else [_scaled(line, 1 / scale) for line in lines]


def _scaled(line: OcrLine, factor: float) -> OcrLine:
    def box(b: Box) -> Box:
        return Box(b.x0 * factor, b.top * factor, b.x1 * factor, b.bottom * factor)

    words = tuple(Word(w.text, box(w.box), w.confidence, tuple(Glyph(g.text, box(g.box), g.confidence)
                                                                for g in w.glyphs)) for w in line.words)
    return OcrLine(words, box(line.box), line.spaced)


def _with_spaces(lines: list[OcrLine], text: str) -> list[OcrLine]:
    """Each line with its plain-text rendering, matched in order (the same characters, spaces aside)."""
    plain = [t for t in text.splitlines() if t.strip()]
    out = []
    k = 0
    for line in lines:
        letters = "".join(w.text for w in line.words)
        spaced = None
        for j in range(k, min(k + 3, len(plain))):
            if "".join(plain[j].split()) == "".join(letters.split()):
                spaced, k = plain[j], j + 1
                break
        out.append(OcrLine(line.words, line.box, spaced))
    return out


def _title(element: ET.Element) -> dict[str, str]:
    """An hOCR ``title`` attribute as a dict: ``bbox 1 2 3 4; x_wconf 93`` → {'bbox': '1 2 3 4', …}."""
    out = {}
    for part in element.get("title", "").split(";"):
        key, _, value = part.strip().partition(" ")
        if key:
            out[key] = value
    return out


def _box(value: str) -> Box:
    x0, top, x1, bottom = (float(v) for v in value.split()[:4])
    return Box(x0, top, x1, bottom)


def parse_hocr(hocr: bytes) -> list[OcrLine]:
    """The lines of an hOCR document (tesseract's, with ``hocr_char_boxes``), in document order."""
    root = ET.fromstring(hocr)
    lines: list[OcrLine] = []
    for element in root.iter():
        if element.get("class") not in ("ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"):
            continue
        words = []
        for w in element.iter(f"{_XHTML}span"):
            if w.get("class") != "ocrx_word":
                continue
            info = _title(w)
            glyphs = []
            for c in w.iter(f"{_XHTML}span"):
                if c.get("class") == "ocrx_cinfo" and c.text:
                    ci = _title(c)
                    glyphs.append(Glyph(c.text, _box(ci["x_bboxes"]), float(ci.get("x_conf", "0"))))
            text = "".join(g.text for g in glyphs) if glyphs else "".join(w.itertext()).strip()
            if text.strip():
                words.append(Word(text, _box(info["bbox"]), float(info.get("x_wconf", "0")), tuple(glyphs)))
        if words:
            lines.append(OcrLine(tuple(words), _box(_title(element)["bbox"])))
    return lines
