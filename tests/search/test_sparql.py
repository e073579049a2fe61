"""``renkei:search`` inside SPARQL: answered from the index by the query path (kg.store.execute)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.errors import QueryError, SearchUnavailable
from kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from kg.search.index import SearchIndex
from kg.search.sparql import DEFAULT_LIMIT, expand_search
from kg.store.execute import execute, release_index
from kg.store.guard import check_query

PREFIXES = """PREFIX renkei: <https://w3id.org/renkei/ns#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
K2 = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"


def _rows(store: ox.Store, text: str, index: SearchIndex | None) -> list[dict[str, Any]]:
    result = execute(store, check_query(PREFIXES + text), RESULT_FORMATS[0], limit=1000, search=index)
    bindings: list[dict[str, Any]] = json.loads(result.body)["results"]["bindings"]
    return bindings


def test_hits_join_the_rest_of_the_query(fixture_store: ox.Store, index: SearchIndex) -> None:
    rows = _rows(fixture_store, """SELECT ?agreement ?initiative ?title {
      ?initiative renkei:search "災害 応援" .
      ?agreement renkei:initiative ?initiative .
      ?initiative dct:title ?title .
    } ORDER BY ?agreement""", index)
    assert [r["initiative"]["value"].rsplit("/id/", 1)[1] for r in rows] == [
        "agreement/072036-072079-2019-01-23/initiative/3-5",
        "agreement/072036-072109-2019-10-18/initiative/3-5",
        "agreement/431001-432083-2022-03-28/initiative/3-2",
    ]


def test_score_snippet_and_property_in_rank_order(fixture_store: ox.Store, index: SearchIndex) -> None:
    rows = _rows(fixture_store, """SELECT * {
      (?hit ?score ?snippet ?property ?text) renkei:search ("地産地消" 3) .
    } ORDER BY DESC(?score)""", index)
    assert 1 <= len(rows) <= 3
    first = rows[0]
    assert first["hit"]["value"] == f"{K2}/initiative/3-10"
    assert first["score"]["datatype"] == "http://www.w3.org/2001/XMLSchema#double"
    assert first["snippet"] == {"type": "literal", "value": "地域の生産者や消費者等の連携による【地産地消】",
                                "xml:lang": "ja"}
    assert first["property"]["value"] == "http://purl.org/dc/terms/title"
    assert first["text"] == {"type": "literal", "value": "地域の生産者や消費者等の連携による地産地消", "xml:lang": "ja"}
    scores = [float(r["score"]["value"]) for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_a_property_restricts_the_search_to_its_texts(fixture_store: ox.Store, index: SearchIndex) -> None:
    rows = _rows(fixture_store, """SELECT ?i ?p ?c {
      (?i ?s ?x ?p ?c) renkei:search (renkei:content "災害") .
    } ORDER BY ?i""", index)
    assert [r["i"]["value"].rsplit("/id/", 1)[1] for r in rows] == [
        "agreement/072036-072079-2019-01-23/initiative/3-5",
        "agreement/072036-072109-2019-10-18/initiative/3-5",
        "agreement/431001-432083-2022-03-28/initiative/3-2",
    ]
    assert {r["p"]["value"] for r in rows} == {"https://w3id.org/renkei/ns#content"}
    assert all("災害" in r["c"]["value"] for r in rows)
    with pytest.raises(QueryError, match="not a property the search index holds") as raised:
        _rows(fixture_store, 'SELECT ?i { ?i renkei:search (dct:identifier "3") }', index)
    assert raised.value.ja


def test_no_hit_gives_no_row_and_leaves_other_groups_alone(fixture_store: ox.Store, index: SearchIndex) -> None:
    assert _rows(fixture_store, 'SELECT ?h { ?h renkei:search "量子計算" }', index) == []
    rows = _rows(fixture_store, 'SELECT ?h ?n { { ?h renkei:search "量子計算" } UNION { BIND (1 AS ?n) } }', index)
    assert rows == [{"n": {"type": "literal", "value": "1",
                           "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


def test_the_full_iri_and_any_prefix_name_work(fixture_store: ox.Store, index: SearchIndex) -> None:
    a = _rows(fixture_store, 'SELECT ?h { ?h <https://w3id.org/renkei/ns#search> "図書館" }', index)
    b = _rows(fixture_store, 'PREFIX r: <https://w3id.org/renkei/ns#> SELECT ?h { ?h r:search """図書館""" }', index)
    c = _rows(fixture_store, 'SELECT ?h { ?h renkei:search ("図書館"@ja 50) }', index)
    assert a == b == c and len(a) >= 2


def test_a_construct_template_is_left_alone_and_its_where_clause_answered(fixture_store: ox.Store,
                                                                         index: SearchIndex) -> None:
    text = PREFIXES + """CONSTRUCT { ?h renkei:search "図書館" . ?h dct:title ?t }
      WHERE { ?h renkei:search "図書館" . ?h dct:title ?t }"""
    expanded = expand_search(text, lambda: index)
    assert expanded.count("renkei:search") == 1 and "VALUES (?h)" in expanded
    result = execute(fixture_store, check_query(text), GRAPH_FORMATS[0], limit=100, search=index)
    assert result.count == 4  # two initiatives, each stated with renkei:search and its title


def test_the_words_in_a_string_a_comment_or_another_position_are_left_alone() -> None:
    def fail() -> SearchIndex:
        raise AssertionError("the index was asked for")

    for text in ['SELECT * { ?s ?p "renkei:search" } # ?h renkei:search "x"',
                 'SELECT * { ?s ?p renkei:search }',
                 'SELECT * { renkei:search ?p ?o }',
                 'SELECT * { ?s ?p ?o , renkei:search }',
                 'SELECT ?search { ?s ?p ?search }']:
        assert expand_search(PREFIXES + text, fail) == PREFIXES + text


@pytest.mark.parametrize(("pattern", "message"), [
    ("?x dct:title ?t ; renkei:search \"a\"", "share its subject"),
    ("?x renkei:search \"a\" ; dct:title ?t", "share its subject"),
    ("?x renkei:search ?words", "as a string"),
    ("(?x <http://x>) renkei:search \"a\"", "only variables"),
    ("(?a ?b ?c ?d ?e ?f) renkei:search \"a\"", "up to five"),
    ("(?a ?a) renkei:search \"a\"", "distinct"),
    ("?x renkei:search (\"a\" many)", "whole number"),
    ("?x renkei:search (\"a\"", "whole number"),
    ("?x renkei:search (renkei:content 5)", "property"),
    ("?x renkei:search (nope:content \"a\")", "unknown prefix"),
])
def test_a_misused_pattern_is_a_bilingual_error(pattern: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as raised:
        expand_search(PREFIXES + f"SELECT * {{ {pattern} }}", lambda: pytest.fail("no search expected"))
    assert raised.value.ja and raised.value.ja.startswith("renkei:search：")
    assert raised.value.where == "line 3"


def test_a_store_without_a_release_index_is_a_typed_bilingual_error(fixture_store: ox.Store,
                                                                   tmp_path: Path) -> None:
    with pytest.raises(SearchUnavailable) as raised:
        release_index(tmp_path)
    assert raised.value.http_status == 501
    assert raised.value.ja and "索引" in raised.value.ja
    assert "kg build" in str(raised.value)


def test_the_index_of_the_leased_release_answers_when_none_is_given(
        fixture_store: ox.Store, release_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store import release

    monkeypatch.setattr(release, "_READ", [release_folder.resolve()])
    rows = _rows(fixture_store, 'SELECT ?h { ?h renkei:search "図書館" }', None)
    assert len(rows) >= 2
    monkeypatch.setattr(release, "_READ", [])
    with pytest.raises(SearchUnavailable):
        _rows(fixture_store, 'SELECT ?h { ?h renkei:search "図書館" }', None)


def test_a_query_without_the_function_never_opens_an_index(fixture_store: ox.Store,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store import release

    monkeypatch.setattr(release, "_READ", [])
    assert _rows(fixture_store, f"SELECT ?t {{ <{K2}/initiative/3-10> dct:title ?t }}", None)


def test_the_default_limit() -> None:
    assert DEFAULT_LIMIT == 10_000


def test_query_008_through_the_index_gives_its_expected_rows(fixture_store: ox.Store, index: SearchIndex) -> None:
    """docs/search.md's version of queries/008 answers as queries/expected/008 says the CONTAINS one does."""
    expected = json.loads((Path(__file__).parents[2] / "queries" / "expected" / "008_text_search_content.srj")
                          .read_text(encoding="utf-8"))["results"]["bindings"]
    rows = _rows(fixture_store, """SELECT ?agreement ?identifier ?title ?content WHERE {
      (?initiative ?_score ?_snippet ?_property ?content) renkei:search (renkei:content "災害") .
      ?agreement renkei:initiative ?initiative .
      ?initiative dct:identifier ?identifier ; dct:title ?title .
    }
    ORDER BY ?agreement ?identifier""", index)
    assert rows == expected


def test_texts_with_quotes_backslashes_and_newlines_come_back_whole() -> None:
    from kg.search.index import Hit

    printed = '第1条 「"引用"」\\n は\n2 改行\tと \\ 記号'

    class One:
        def search(self, query: str, limit: int, predicate: str | None = None) -> list[Hit]:
            return [Hit("http://x/a", "http://p", "ja", "http://g", printed, 1.0, ("引用",))]

    text = PREFIXES + 'SELECT ?t ?s { (?h ?score ?s ?p ?t) renkei:search "引用" }'
    result = ox.Store().query(expand_search(text, lambda: One()))
    assert isinstance(result, ox.QuerySolutions)
    [row] = list(result)
    assert row["t"] == ox.Literal(printed, language="ja")
    assert "【引用】" in row["s"].value
