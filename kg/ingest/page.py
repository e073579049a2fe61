"""A municipal 例規集 page (HTML) → the same :class:`~kg.ingest.decode.SourceText` a text file gives.

The page's charset is found as browsers find it (WHATWG HTML §13.2.3.2, "prescan a byte stream
to determine its encoding"): a byte order mark, else ``<meta charset>`` or ``<meta
http-equiv="Content-Type" content="…; charset=…">`` near the top, read here with
:class:`html.parser.HTMLParser`; else the bytes are sniffed as a text file's are. The text lines
come from :mod:`kg.ingest.page_text`, and each keeps the HTML line it was read from, so every
excerpt in the graph points at lines of the page itself.

>>> src = read_page('<meta charset="Shift_JIS">\\n<p>第1条 目的</p>'.encode("cp932"), "a.html")
>>> src.encoding, src.media_type, src.lines, src.origins, src.line_count
('Shift_JIS', 'text/html', ('第1条 目的',), (2,), 2)
"""

from __future__ import annotations

import codecs
from html.parser import HTMLParser

from kg.errors import IngestError
from kg.ingest.decode import SourceText, decode
from kg.ingest.page_text import page_lines

__all__ = ["declared_charset", "is_page", "read_page"]

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
#: How far the prescan reads. The standard asks for at least the first 1024 bytes; pages of the
#: 例規集 systems put long scripts in <head>, so more is read.
_PRESCAN = 8192
#: WHATWG Encoding labels (§4.2) of the Japanese encodings and UTF-8 → the charset decode() knows.
_LABELS = {
    "utf-8": "UTF-8", "utf8": "UTF-8", "unicode-1-1-utf-8": "UTF-8",
    "shift_jis": "Shift_JIS", "shift-jis": "Shift_JIS", "sjis": "Shift_JIS", "x-sjis": "Shift_JIS",
    "ms_kanji": "Shift_JIS", "csshiftjis": "Shift_JIS",
    "windows-31j": "Windows-31J", "ms932": "Windows-31J", "cp932": "Windows-31J",
    "euc-jp": "EUC-JP", "x-euc-jp": "EUC-JP", "cseucpkdfmtjapanese": "EUC-JP",
    "iso-2022-jp": "ISO-2022-JP", "csiso2022jp": "ISO-2022-JP",
}


class _MetaCharset(HTMLParser):
    """Finds the first ``<meta>`` that declares a charset."""

    def __init__(self) -> None:
        """Nothing found yet."""
        super().__init__(convert_charrefs=True)
        self.label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Read ``charset`` or ``http-equiv`` + ``content`` on a meta element."""
        if tag != "meta" or self.label is not None:
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        if values.get("charset"):
            self.label = values["charset"]
        elif values.get("http-equiv", "").lower() == "content-type":
            # 「text/html; charset=Shift_JIS」 (WHATWG HTML §2.5.5, "extracting a character encoding")
            for part in values.get("content", "").split(";"):
                name, _, value = part.partition("=")
                if name.strip().lower() == "charset" and value.strip():
                    self.label = value.strip().strip("'\"")

    handle_startendtag = handle_starttag


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` near its top, as decode() names it; None if none."""
    parser = _MetaCharset()
    # Latin-1 maps every byte to one character, so the ASCII markup reads the same in any of
    # the ASCII-compatible encodings a Japanese page may be in.
    parser.feed(data[:_PRESCAN].decode("latin-1"))
    label = (parser.label or "").strip().lower()
    return _LABELS.get(label)


def is_page(data: bytes, name: str) -> bool:
    """True for an HTML page: by its name, else by how it starts (``<!DOCTYPE html``, ``<html``)."""
    if name.lower().endswith(PAGE_SUFFIXES):
        return True
    head = data.removeprefix(codecs.BOM_UTF8).lstrip()[:64].lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_page(data: bytes, name: str) -> SourceText:
    """The text of the page ``name``, with each line's HTML line number, or an error if it has none."""
    html = decode(data, name, declared_charset(data))
    try:
        lines = page_lines("\n".join(html.lines))
    except IngestError as e:  # the tree builder knows the line, not the file
        e.file = e.file or name
        raise
    if not lines:
        raise IngestError("the page shows no text (only markup, scripts and navigation)", file=name,
                          line=len(html.lines),
                          ja="このページには本文がありません（タグ、スクリプト、ナビゲーションだけです）。",
                          fix="save the 例規集 page that shows the agreement's text (not a frame or a menu page)",
                          fix_ja="協約の本文が表示されている例規集のページ（フレームやメニューのページではなく）を"
                                 "保存して指定してください。")
    return SourceText(name=name, lines=tuple(text for _, text in lines), encoding=html.encoding,
                      sha256=html.sha256, media_type="text/html", origins=tuple(n for n, _ in lines),
                      source_lines=len(html.lines))
