"""decode: the encodings and line ends agreements are published in, and what is not text."""

from __future__ import annotations

import codecs

import pytest

from kg.errors import DecodeError
from kg.ingest.decode import decode

TEXT = "連携協約\n\n第1条 目的とする。\n"


@pytest.mark.parametrize(("data", "encoding"), [
    pytest.param(TEXT.encode("utf-8"), "UTF-8", id="utf-8"),
    pytest.param(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8", id="utf-8-bom"),
    pytest.param(TEXT.encode("shift_jis"), "Shift_JIS", id="shift_jis"),
    pytest.param(TEXT.replace("目的", "①髙").encode("cp932"), "Windows-31J", id="cp932-extensions"),
    pytest.param(TEXT.replace("\n", "\r\n").encode("utf-8"), "UTF-8", id="crlf"),
    pytest.param(TEXT.replace("\n", "\r").encode("cp932"), "Shift_JIS", id="cr"),
])
def test_decode_accepts_published_encodings_and_line_ends(data: bytes, encoding: str) -> None:
    src = decode(data, "a.txt")
    assert src.encoding == encoding
    assert len(src.lines) == 3 and src.line(1) == "連携協約" and src.line(3).startswith("第1条")


def test_decode_keeps_line_numbers_of_crlf_and_lf_copies_equal() -> None:
    lf = decode(TEXT.encode("utf-8"), "a.txt")
    crlf = decode(TEXT.replace("\n", "\r\n").encode("cp932"), "a.txt")
    assert lf.lines == crlf.lines


def test_decode_records_sha256_of_the_bytes_as_given() -> None:
    import hashlib

    data = codecs.BOM_UTF8 + TEXT.encode("utf-8")
    assert decode(data, "a.txt").sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(("data", "line", "words"), [
    pytest.param(b"", 1, "empty", id="empty"),
    pytest.param(b" \n\n\t\n", 3, "empty", id="blank-lines-only"),
    pytest.param("第1条\n第2条\x00\n".encode(), 2, "NUL", id="nul-on-line-2"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", 3, "binary", id="png-header"),
    pytest.param("一行目\n二行目\n".encode() + b"\xff\xfe\xfd\n", 3, "0xff", id="undecodable-line-3"),
    pytest.param("第1条\n\x07鳴る\n".encode(), 2, "U+0007", id="control-character"),
])
def test_decode_rejects_what_is_not_text_naming_the_line(data: bytes, line: int, words: str) -> None:
    with pytest.raises(DecodeError) as e:
        decode(data, "bad.txt")
    assert e.value.file == "bad.txt" and e.value.line == line
    assert words in str(e.value) and str(e.value).startswith(f"bad.txt:{line}: ")


def test_source_stem_drops_directories_and_suffix() -> None:
    assert decode(b"x", "dir/sub/koriyama-2019.txt").stem == "koriyama-2019"


@pytest.mark.parametrize(("data", "line"), [
    pytest.param("協約\n".encode("cp932") + b"\xf0\x40\n", 2, id="cp932-user-defined-gaiji"),
    pytest.param(b"abc\n\xfd\xfe\n", 2, id="bytes-no-encoding-has"),
])
def test_decode_refuses_cp932_private_use_characters(data: bytes, line: int) -> None:
    with pytest.raises(DecodeError) as e:
        decode(data, "bad.txt")
    assert e.value.line == line
