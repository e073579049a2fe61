"""The ingester on random and adversarial input: a graph, or a KgError naming the file and a line.

Never another exception (a traceback for the user of ``kg ingest``), never a hang (each example
runs under a watchdog), never a line number outside the file (docs/ingest.md: "refused with
FILE:LINE").
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given

from kg.errors import KgError
from kg.ingest import ingest_bytes
from kg.settings import Settings

from .conftest import Hang, examples, watchdog
from .texts import base_texts, mutated_texts, shift_jis_texts, spliced_bytes, token_soups

NAME = "fuzz.txt"
#: Generous for one text (the founding agreement ingests in ~50 ms); what is slower is a hang.
EXAMPLE_S = 10.0
SETTINGS = Settings()


def _physical_lines(data: bytes) -> int:
    """How many lines a file has, counting CR, LF and CRLF as one line end each (as the decoder does)."""
    return max(1, len(re.split(rb"\r\n|\r|\n", data)))


def ingests_or_refuses_with_file_and_line(data: bytes, seconds: float = EXAMPLE_S) -> None:
    """The property: ``ingest_bytes`` gives a non-empty graph, or a KgError saying ``fuzz.txt:LINE: …``."""
    try:
        with watchdog(seconds, f"ingesting {len(data)} bytes"):
            result = ingest_bytes(data, NAME, SETTINGS)
    except KgError as e:
        assert e.file == NAME, f"{type(e).__name__} names no file: {e}"
        assert e.line is not None, f"{type(e).__name__} names no line: {e}"
        # One line past the end is where a text that stops too early is refused.
        assert 1 <= e.line <= _physical_lines(data) + 1, f"line {e.line} is outside the file: {e}"
        assert str(e).startswith(f"{NAME}:{e.line}"), str(e)
        return
    assert len(result.graph) > 0 and result.source == NAME


def test_the_base_texts_are_found_and_ingest() -> None:
    """Guard: the mutations start from real texts that ingest (else the tests below prove little)."""
    texts = base_texts()
    assert len(texts) >= 5, [name for name, _ in texts]
    for name, text in texts:
        ingest_bytes(text.encode(), name, SETTINGS)


@examples(60)
@given(data=mutated_texts())
def test_mutated_texts_ingest_or_are_refused_with_file_and_line(data: bytes) -> None:
    ingests_or_refuses_with_file_and_line(data)


@examples(40)
@given(data=token_soups())
def test_token_soups_ingest_or_are_refused_with_file_and_line(data: bytes) -> None:
    ingests_or_refuses_with_file_and_line(data)


@examples(30)
@given(data=shift_jis_texts())
def test_random_shift_jis_text_is_refused_with_file_and_line(data: bytes) -> None:
    ingests_or_refuses_with_file_and_line(data)


@examples(40)
@given(data=spliced_bytes())
@example(b"")
@example(b"\x00")
@example(b"\xef\xbb\xbf")
@example(b"\r\r\r")
@example("\u2028".join(["第1条", "令和元年10月18日"]).encode())
def test_random_bytes_are_refused_with_file_and_line(data: bytes) -> None:
    ingests_or_refuses_with_file_and_line(data)


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr_only", "crlf"])
def test_line_ends_do_not_change_the_graph(newline: str) -> None:
    """A CR-only (classic Mac) or CRLF copy of the seed gives the LF copy's graph."""
    _, text = next(t for t in base_texts() if t[0] == "koriyama-nihonmatsu-2019.txt")
    lf = ingest_bytes(text.encode(), NAME, SETTINGS)
    other = ingest_bytes(text.replace("\n", newline).encode(), NAME, SETTINGS)
    assert len(other.graph) == len(lf.graph)


def test_a_front_line_of_60000_characters_without_spaces_is_read_in_linear_time() -> None:
    """A text exported without line ends (one 60,000-character line) must not stall ``kg ingest``.

    Read in linear time it takes well under a second; 3 s leaves room for a loaded machine."""
    _, text = next(t for t in base_texts() if t[0] == "koriyama-nihonmatsu-2019.txt")
    lines = text.split("\n")
    lines[0] = "あ" * 60_000
    ingests_or_refuses_with_file_and_line("\n".join(lines).encode(), seconds=3.0)


def test_a_page_with_elements_nested_3000_deep_is_read_or_refused_with_file_and_line() -> None:
    page = "<!DOCTYPE html><html><body>" + "<div>" * 3000 + "第1条 目的</body></html>"
    ingests_or_refuses_with_file_and_line(page.encode())


def test_the_watchdog_stops_a_hang() -> None:
    """The watchdog itself works: a catastrophic regular expression is interrupted, not waited out."""
    with pytest.raises(Hang), watchdog(0.2, "a catastrophic regex"):
        re.match(r"(a+)+$", "a" * 40 + "b")
