"""Bytes → text: UTF-8 (with or without BOM) or Shift_JIS/CP932, line ends made LF.

Municipal 例規集 pages and the PDFs behind them are exported in either encoding, with CRLF from
Windows editors, so all of these must give the same text and the same line numbers.

>>> src = decode("協約\\r\\n第1条 目的\\r\\n".encode("cp932"), "a.txt")
>>> src.encoding, src.lines
('Shift_JIS', ('協約', '第1条 目的'))
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import DecodeError

if TYPE_CHECKING:
    from kg.ingest.document.form import Position

__all__ = ["SourceText", "decode"]

# C0 controls other than TAB, LF, FF and CR never occur in a published text: their presence
# means the file is binary (an image, a PDF, a zip), not an encoding problem.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# What to do about a file that is not text at all (binary): give the agreement's text instead.
_AS_TEXT = "give the agreement as a text file (.txt), a 例規集 page (.html), a PDF or a Word file"
_AS_TEXT_JA = "協約の本文をテキストファイル（.txt）、例規集のページ（.html）、PDFまたはWordファイルで指定してください。"


@dataclass(frozen=True)
class SourceText:
    """A decoded source file: its lines (1-based through :meth:`line`) and what it was made from."""

    name: str
    lines: tuple[str, ...]
    encoding: str | None  # IANA charset name: UTF-8, Shift_JIS or Windows-31J (CP932); None for PDF, Word, images
    sha256: str  # of the bytes as given, so a reader can check the file they hold
    media_type: str = "text/plain"  # "text/html" for a 例規集 page (kg/ingest/page.py)
    # For a page: the source line each text line was read from (1-based); None for a text file,
    # whose lines are their own numbers.
    origins: tuple[int, ...] | None = None
    source_lines: int | None = None  # for a page: how many lines the HTML file has
    # For a PDF, Word file or image (kg/ingest/document/): where each line stands (page, box, cells).
    positions: tuple[Position, ...] | None = None
    reading: str = "text"  # how the text was read: text, html, pdf-text-layer, docx, ocr
    engine: str | None = None  # the OCR engine and its version, for a text read by OCR

    def position(self, index: int) -> Position | None:
        """Where text line ``index`` (0-based) stands in a PDF, Word file or image; None for text."""
        return self.positions[index] if self.positions is not None else None

    def line(self, number: int) -> str:
        """The text of line ``number`` (1-based)."""
        return self.lines[number - 1]

    def origin(self, index: int) -> int:
        """The source line (1-based) that text line ``index`` (0-based) was read from."""
        return self.origins[index] if self.origins is not None else index + 1

    @property
    def line_count(self) -> int:
        """How many lines the source file has (for a page, the HTML's, not the text's)."""
        return self.source_lines if self.source_lines is not None else len(self.lines)

    @property
    def stem(self) -> str:
        """The file name without its directory and last suffix: the source document's id."""
        base = self.name.replace("\\", "/").rsplit("/", 1)[-1]
        return base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base


def _line_of(data: bytes, offset: int) -> int:
    """1-based line number of byte ``offset`` (CR, LF and CRLF each end one line)."""
    head = data[:offset]
    return head.count(b"\n") + head.replace(b"\r\n", b"\n").count(b"\r") + 1


def _try(data: bytes, codec: str) -> tuple[str | None, int]:
    """Decode strictly; on failure return the offset of the first undecodable byte."""
    try:
        return data.decode(codec), len(data)
    except UnicodeDecodeError as e:
        return None, e.start


def _japanese(data: bytes) -> tuple[str | None, str, int]:
    """Shift_JIS-family bytes decoded as Windows wrote them (CP932), so 「～」「－」「∥」 come out as the
    municipality's own page shows them (Python's ``shift_jis`` maps 0x8160 to 「〜」 U+301C, 0x817C to
    「−」 U+2212). The charset recorded is the one the bytes were read as: ``Shift_JIS`` when the two
    mappings agree on every character, else ``Windows-31J`` (CP932 adds NEC/IBM extensions such as
    ① and 髙 and maps those characters differently). Returns (text, charset, bad offset).

    >>> _japanese("～－∥".encode("cp932"))[:2], _japanese("協約".encode("cp932"))[:2]
    (('～－∥', 'Windows-31J'), ('協約', 'Shift_JIS'))
    """
    cp932, bad = _try(data, "cp932")
    if cp932 is None:
        return None, "Windows-31J", bad
    sjis, _ = _try(data, "shift_jis")
    encoding = "Shift_JIS" if sjis == cp932 else "Windows-31J"
    if pua := _PRIVATE_USE.search(cp932):
        # CP932 maps its user-defined rows (0xF040–0xF9FC) and 0xFD–0xFF to the private use
        # area: 外字 no one else can read, or bytes that are not CP932 at all.
        return None, encoding, len(cp932[: pua.start()].encode("cp932"))
    return cp932, encoding, bad


def _declared(data: bytes, charset: str) -> tuple[str | None, str, int]:
    """Decode as the charset a page declares (UTF-8, Shift_JIS, EUC-JP, …)."""
    if charset in ("Shift_JIS", "Windows-31J"):
        return _japanese(data)
    text, bad = _try(data, {"UTF-8": "utf-8", "EUC-JP": "euc_jp", "ISO-2022-JP": "iso2022_jp"}[charset])
    return text, charset, bad


def decode(data: bytes, name: str, charset: str | None = None) -> SourceText:
    """Decode ``data`` (the file ``name``) or raise :class:`DecodeError` naming the bad line.

    ``charset`` is what the file declares (an HTML page's ``<meta charset>``: UTF-8, Shift_JIS,
    Windows-31J, EUC-JP or ISO-2022-JP); it is tried first. A page whose bytes are not in the
    charset it declares is read as a text file would be, since the bytes, not the label, are
    the text (a Shift_JIS page labelled UTF-8 is a common server misconfiguration).
    """
    digest = hashlib.sha256(data).hexdigest()
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError("binary file (NUL byte): not a text", file=name, line=_line_of(data, nul),
                          ja="テキストファイルではありません（NULバイトを含むバイナリファイルです）。",
                          fix=_AS_TEXT, fix_ja=_AS_TEXT_JA)
    text: str | None = None
    failed: tuple[str, int] | None = None  # what the declared charset could not read
    if data.startswith(codecs.BOM_UTF8):
        text, bad = _try(data[len(codecs.BOM_UTF8):], "utf-8")
        encoding = "UTF-8"
        bad += len(codecs.BOM_UTF8)
    else:
        if charset is not None and charset != "UTF-8":
            text, encoding, bad = _declared(data, charset)
            failed = (encoding, bad)
        if text is None:
            text, bad = _try(data, "utf-8")
            encoding = "UTF-8"
            # Japanese in CP932 is almost never valid UTF-8 over any stretch, so a file whose
            # start is UTF-8 with non-ASCII characters is UTF-8 with a bad byte, not CP932.
            if text is None and data[:bad].isascii():
                text, encoding, bad_cp932 = _japanese(data)
                bad = max(bad, bad_cp932)  # the encoding that read further is the likelier one
            if text is None and failed is not None:
                encoding, bad = failed  # report the byte the declared charset could not read
    if text is None:
        declared = f" (declared {charset})" if charset else ""
        declared_ja = f"（宣言された文字コードは{charset}）" if charset else ""
        raise DecodeError(f"byte 0x{data[bad]:02x} is neither UTF-8 nor Shift_JIS/CP932{declared}",
                          file=name, line=_line_of(data, bad),
                          ja=f"この行のバイト0x{data[bad]:02x}は、UTF-8でもShift_JIS/CP932でも読めません"
                             f"{declared_ja}。外字や、壊れた文字が含まれていませんか。",
                          fix="save the file again as UTF-8, and replace 外字 (private characters) by ordinary ones",
                          fix_ja="ファイルをUTF-8で保存し直し、外字は通常の文字に置き換えてください。")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = tuple(text.split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]  # a final newline ends the last line; it does not start another
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise DecodeError(f"binary file (control character U+{ord(control.group()):04X}): not a text",
                          file=name, line=line,
                          ja=f"テキストファイルではありません（制御文字U+{ord(control.group()):04X}を含みます）。",
                          fix=_AS_TEXT, fix_ja=_AS_TEXT_JA)
    if not text.strip():
        raise DecodeError("empty file: no text to read", file=name, line=max(len(lines), 1),
                          ja="ファイルが空です。読み取る文字がありません。",
                          fix="check that the right file was given and that it was saved",
                          fix_ja="指定したファイルが正しいか、保存されているかを確かめてください。")
    return SourceText(name=name, lines=lines, encoding=encoding, sha256=digest)
