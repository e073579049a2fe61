"""Which reader a file needs, by its first bytes (its "magic"), not by its name.

A PDF saved as ``.txt`` is a PDF, and a Word file mailed as ``agreement`` is a Word file: the name is
only used for an HTML page whose bytes do not say so, as before (kg/ingest/page.py).

>>> sniff(b"%PDF-1.7\\n..."), sniff(b"\\x89PNG\\r\\n\\x1a\\n..."), sniff("第1条".encode())
('pdf', 'image', 'text')
"""

from __future__ import annotations

import hashlib
import importlib
import io
import logging
import zipfile
from dataclasses import replace
from typing import Literal

from kg.errors import InputError, OcrUnavailable
from kg.ingest.decode import SourceText, decode
from kg.ingest.document.form import Form, to_source
from kg.ingest.page import is_page, read_page
from kg.settings import Settings

__all__ = ["SUFFIXES", "Kind", "read_document", "sniff"]

#: The file names a folder of agreements is read for (``kg build``'s data/sources, ``kg ingest DIR``,
#: ``kg validate DIR``): texts, 例規集 pages, PDFs, Word files and scans. Within a file the format is
#: told by its bytes (:func:`sniff`), never by this suffix.
SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx", ".png", ".tif", ".tiff", ".jpg", ".jpeg")

log = logging.getLogger(__name__)

Kind = Literal["pdf", "docx", "image", "html", "text", "zip", "doc"]

#: Magic numbers of the image formats a scan comes in (PNG: RFC 2083 §3.1; JPEG: SOI + a marker;
#: TIFF: the byte-order mark and 42, little- or big-endian).
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Word 97–2003 .doc (and .xls)
#: Where PDF readers look for the header: anywhere in the first 1024 bytes (Acrobat's tolerance,
#: PDF 32000-1:2008 Annex H.3 note 1); the standard itself puts it first (§7.5.2).
_PDF_HEADER_WINDOW = 1024

_INSTALL_OCR = ("install tesseract with its Japanese data (sudo apt-get install tesseract-ocr tesseract-ocr-jpn, "
                "or bash scripts/system-packages.sh), or give the agreement as a text PDF, a Word file or a text")
_INSTALL_OCR_JA = ("tesseract と日本語データを入れてください（sudo apt-get install tesseract-ocr tesseract-ocr-jpn、"
                   "または bash scripts/system-packages.sh）。あるいは、テキストPDF・Word・テキストで指定してください")


def sniff(data: bytes, name: str = "") -> Kind:
    """The kind of file ``data`` is: by its magic bytes, else (HTML only) by its name."""
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return "pdf"
    if data.startswith(_IMAGES):
        return "image"
    if data.startswith(_ZIP):
        return _zip_kind(data)
    if data.startswith(_OLE2):
        return "doc"
    if is_page(data, name):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> Kind:
    """A zip archive holding ``word/document.xml`` is a Word (Office Open XML) document; another zip is
    a zip; bytes that only start like a zip are a damaged .docx if they name ``word/``, else binary
    that the text decoder refuses as such."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "docx" if "word/document.xml" in z.namelist() else "zip"
    except (zipfile.BadZipFile, OSError, ValueError):
        return "docx" if b"word/" in data else "text"


def read_document(data: bytes, name: str, settings: Settings) -> SourceText:
    """The text lines of any file an agreement comes in, each with where it stands in the file.

    PDF (text layer, else OCR), Word ``.docx``, images (OCR), 例規集 HTML pages, and text in any
    encoding :func:`~kg.ingest.decode.decode` reads; ``settings`` say how sure OCR must be, and where
    the dataset's terms that correct it are. Raises :class:`~kg.errors.InputError` (or
    :class:`~kg.errors.DecodeError`) for a file that is none of these.
    """
    kind = sniff(data, name)
    if kind == "pdf":
        from kg.ingest.document.pdf import ScannedPdf, read_pdf

        try:
            form = read_pdf(data, name)
        except ScannedPdf:
            form = _ocr("pdf", data, name, settings)
        return to_source(form, data)
    if kind == "docx":
        from kg.ingest.document.word import read_docx

        return to_source(read_docx(data, name), data)
    if kind == "image":
        return to_source(_ocr("image", data, name, settings), data)
    if kind == "zip":
        raise InputError("a zip archive, but not a Word document (.docx): it holds no word/document.xml",
                         ja="zip形式のファイルですが、Word文書（.docx）ではありません"
                            "（word/document.xml がありません）",
                         file=name, fix="give the agreement as a Word .docx, a PDF or a text",
                         fix_ja="協約をWordの .docx、PDFまたはテキストで指定してください")
    if kind == "doc":
        raise InputError("an old Word 97–2003 (.doc) or Excel file: only .docx is read",
                         ja="古い形式のWord（.doc）またはExcelのファイルです。読めるのは .docx だけです",
                         file=name, fix="open it in Word and save it as .docx (Word document)",
                         fix_ja="Wordで開き、「Word 文書（.docx）」として保存し直してください")
    if kind == "html":
        return replace(read_page(data, name), reading="html")
    return decode(data, name)


_LAST_OCR: dict[tuple[object, str, bytes, str], Form] = {}


def _ocr(kind: Literal["pdf", "image"], data: bytes, name: str, settings: Settings) -> Form:
    """A scan read by OCR (kg/ingest/document/ocr.py), or a clear error when OCR is not available."""
    if kind == "pdf":
        what_en, what_ja = "a scanned PDF (no text layer)", "スキャンされたPDFです（文字情報がありません）"
    else:
        what_en, what_ja = "an image", "画像ファイルです"
    try:
        # Imported by name: the OCR reader is optional (it needs tesseract), and read only for a scan.
        ocr = importlib.import_module("kg.ingest.document.ocr")
    except ImportError as e:
        log.debug("OCR is not available: %r", e)
        raise OcrUnavailable(f"{what_en}: OCR needs tesseract, which is not available here ({e})",
                         ja=f"{what_ja}。OCR（tesseract）が必要ですが、使えません", file=name,
                         fix=_INSTALL_OCR, fix_ja=_INSTALL_OCR_JA) from None
    reader = getattr(ocr, "read_scanned_pdf" if kind == "pdf" else "read_image", None)
    if reader is None:
        raise OcrUnavailable(f"{what_en}: OCR needs tesseract, and this installation cannot read scans yet",
                         ja=f"{what_ja}。OCR（tesseract）が必要ですが、この環境ではまだ読めません", file=name,
                         fix=_INSTALL_OCR, fix_ja=_INSTALL_OCR_JA)
    # The last scan read is kept (one, per process): the validation page reads an upload twice, for the
    # report and for the lines it shows, and OCR takes seconds a page.
    key = (reader, name, hashlib.sha256(data).digest(), settings.model_dump_json())
    if key in _LAST_OCR:
        return _LAST_OCR[key]
    form: Form = reader(data, name, settings=settings)
    _LAST_OCR.clear()
    _LAST_OCR[key] = form
    return form
