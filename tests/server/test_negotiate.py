"""Content negotiation and strict parameter decoding."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.server.negotiate import best_match, prefers_html
from kg.server.params import parse_urlencoded

OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]

CASES = {
    "no_accept_gives_first": (None, "application/sparql-results+json"),
    "wildcard_gives_first": ("*/*", "application/sparql-results+json"),
    "q_values_decide": ("application/sparql-results+json;q=0.2, text/csv;q=0.9", "text/csv"),
    "specific_beats_wildcard": ("text/*;q=0.1, text/csv;q=0.8, */*;q=0.5", "text/csv"),
    "q_zero_excludes": ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
    "sparqlwrapper_xml": ("application/sparql-results+xml", "application/sparql-results+xml"),
    "nothing_acceptable": ("image/png", None),
    "malformed_ignored": ("garbage, text/csv", "text/csv"),
}


@pytest.mark.parametrize(("accept", "expected"), CASES.values(), ids=CASES.keys())
def test_best_match(accept: str | None, expected: str | None) -> None:
    assert best_match(accept, OFFERS) == expected


def test_browser_accept_prefers_html() -> None:
    chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    assert prefers_html(chrome)
    assert not prefers_html("*/*")
    assert not prefers_html("text/turtle, text/html;q=0.5")


def test_query_string_keeps_repeated_parameters_in_order() -> None:
    params = parse_urlencoded("default-graph-uri=a&query=ASK%20%7B%7D&default-graph-uri=b+c")
    assert params.all("default-graph-uri") == ["a", "b c"]
    assert params.one("query") == "ASK {}"


@pytest.mark.parametrize(
    "raw",
    ["query=%ZZ", "query=%4", "query=%FF%FE", "query=%C3"],
    ids=["not_hex", "truncated_escape", "invalid_utf8", "cut_utf8_sequence"],
)
def test_bad_percent_encoding_or_utf8_is_an_input_error(raw: str) -> None:
    with pytest.raises(InputError):
        parse_urlencoded(raw)


def test_parameter_given_twice_is_refused() -> None:
    with pytest.raises(InputError, match="2 times"):
        parse_urlencoded("query=a&query=b").one("query")
