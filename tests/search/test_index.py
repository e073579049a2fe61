"""What the search index holds, how it ranks, and the snippets it cuts (kg.search.index, kg.search.text)."""

from __future__ import annotations

import sqlite3
import sys
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.search import text as text_module
from kg.search.index import FORMAT, PRINTED, SearchIndex, index_path, printed_texts, write_index
from kg.search.text import Snippet, bigrams, fold, folded_with_positions, match_expression, parse_query

RENKEI = "https://w3id.org/renkei/ns#"
K2 = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"
G = ox.NamedNode("https://w3id.org/renkei/graph/agreement/t")


def _store(*quads: tuple[str, str, ox.Literal, ox.NamedNode]) -> ox.Store:
    store = ox.Store()
    for s, p, o, g in quads:
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, g))
    return store


def test_only_printed_japanese_text_of_the_texts_graphs_is_indexed(fixture_store: ox.Store) -> None:
    rows = list(printed_texts(fixture_store))
    assert {p for _, _, p, _, _ in rows} <= set(PRINTED)
    assert {lang for _, _, _, lang, _ in rows} == {"ja"}
    assert all("/graph/agreement/" in g or "/graph/amendment/" in g for g, _, _, _, _ in rows)
    assert not any("/derivation/" in s for _, s, _, _, _ in rows)
    texts = {(s, p, t) for _, s, p, _, t in rows}
    assert (f"{K2}/initiative/3-5", RENKEI + "content",
            "災害に備えた相互応援体制の構築や、住民の暮らしの安全安心確保に向けた各種対策に取り組む。") in texts
    assert (f"{K2}/article/3", RENKEI + "heading", "連携する取組等") in texts


def test_english_labels_other_graphs_and_derived_values_are_not(tmp_path: Path) -> None:
    store = _store(
        ("http://x/a", RENKEI + "content", ox.Literal("観光の振興", language="ja"), G),
        ("http://x/b", "http://purl.org/dc/terms/title", ox.Literal("観光 tourism", language="en"), G),
        ("http://x/c", "http://purl.org/dc/terms/title", ox.Literal("観光カタログ", language="ja"),
         ox.NamedNode("https://w3id.org/renkei/graph/catalog")),
        ("http://x/d", RENKEI + "matchedLabel", ox.Literal("観光", language="ja"), G),
        ("http://x/e/derivation/categories", "http://purl.org/dc/terms/description",
         ox.Literal("観光の規則", language="ja"), G),
    )
    index = SearchIndex(write_index(store, tmp_path))
    assert [h.subject for h in index.search("観光")] == ["http://x/a"]
    assert index.count() == 1


def test_the_index_is_found_from_the_release_folder_and_written_whole(release_folder: Path) -> None:
    path = index_path(release_folder)
    assert path == release_folder / "search" / "index.sqlite"
    assert not list(path.parent.glob("*.partial"))
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == (FORMAT,)


def test_a_text_printed_many_times_is_stored_once_with_each_subject(tmp_path: Path) -> None:
    same = ox.Literal("取り組む。", language="ja")
    store = _store(*[(f"http://x/{i}", RENKEI + "text", same, G) for i in range(3)])
    index = SearchIndex(write_index(store, tmp_path))
    assert index.count() == 3
    with sqlite3.connect(index_path(tmp_path)) as db:
        assert db.execute("SELECT count(*) FROM text").fetchone() == (1,)
    assert sorted(h.subject for h in index.search("取り組む")) == [f"http://x/{i}" for i in range(3)]


def test_a_hit_keeps_subject_property_language_graph_and_the_text_as_printed(index: SearchIndex) -> None:
    [hit] = [h for h in index.search("地産地消") if h.subject == f"{K2}/initiative/3-10"]
    assert hit.predicate == "http://purl.org/dc/terms/title"
    assert (hit.language, hit.graph) == ("ja", "https://w3id.org/renkei/graph/agreement/072036-072109-2019-10-18")
    assert hit.text == "地域の生産者や消費者等の連携による地産地消"


def test_a_title_outranks_the_same_words_in_a_role(index: SearchIndex) -> None:
    hits = index.search("戦略的な観光施策", 20)
    kinds = ["role" if "/role/" in h.subject else h.predicate.rsplit("/", 1)[-1] for h in hits]
    assert "role" in kinds and kinds[0] == "title"
    assert kinds.index("role") > max(i for i, k in enumerate(kinds) if k == "title")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_every_word_must_occur_and_each_subject_comes_once(index: SearchIndex) -> None:
    hits = index.search("災害 応援", 100)
    assert hits and all("災害" in h.text and "応援" in h.text for h in hits)
    assert len({h.subject for h in hits}) == len(hits)
    assert index.search("災害 量子計算") == []


def test_limit(index: SearchIndex) -> None:
    assert len(index.search("取り組む", 3)) == 3
    assert index.search("取り組む", 0) == []


@pytest.mark.parametrize("query", ["", "   ", "　", "!!", "「」・、"])
def test_a_query_without_letters_or_digits_finds_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_a_one_character_query_finds_the_character_anywhere_even_last(tmp_path: Path) -> None:
    store = _store(("http://x/a", RENKEI + "text", ox.Literal("防災", language="ja"), G),
                   ("http://x/b", RENKEI + "text", ox.Literal("災害", language="ja"), G),
                   ("http://x/c", RENKEI + "text", ox.Literal("火事", language="ja"), G))
    index = SearchIndex(write_index(store, tmp_path))
    assert sorted(h.subject for h in index.search("災")) == ["http://x/a", "http://x/b"]


def test_latin_queries_match_full_width_and_spaced_letters_in_any_case(index: SearchIndex) -> None:
    for query in ("ICT", "ict", "ＩＣＴ", "Ict"):
        hits = index.search(query)
        assert hits and hits[0].subject.endswith("/initiative/3-8"), query
        assert "【I C T】" in hits[0].snippet.marked()
    # Spaces separate words: 「I C T」 asks for texts holding i, c and t, which 3-8's title does too.
    assert any(h.subject.endswith("/initiative/3-8") for h in index.search("I C T"))


def test_folding_bigrams_and_the_match_expression() -> None:
    assert fold("ＩＣＴ　インフラ、ｶﾅ") == "ictインフラカナ"
    assert bigrams("観光") == "観光 光"
    assert bigrams("、") == ""
    assert parse_query("災害 災害　応援") == ("災害", "応援")
    assert match_expression(("地域公共交通",)) == '"地域 域公 公共 共交 交通"'
    assert match_expression(("災",)) == '"災"*'


def test_folding_a_text_is_folding_each_of_its_characters_for_every_code_point() -> None:
    """fold and folded_with_positions read a table made character by character: the same as NFKC and
    case-folding each printed character and keeping its letters and digits, over the whole of Unicode
    (the characters that expand: ㍿ → 株式会社, ß → ss; a half-width sound mark, which folds to a
    combining mark and is dropped)."""
    def by_hand(text: str) -> tuple[str, list[int]]:
        out, where = [], []
        for i, ch in enumerate(text):
            for c in unicodedata.normalize("NFKC", ch).casefold():
                if c.isalnum():
                    out.append(c)
                    where.append(i)
        return "".join(out), where

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(every), 4096):
        chunk = every[start:start + 4096]
        assert fold(chunk) == by_hand(chunk)[0]
        assert folded_with_positions(chunk) == by_hand(chunk)
    assert folded_with_positions("㍿ｶﾞ、ß") == ("株式会社カss", [0, 0, 0, 0, 1, 4, 4])
    # The table stays bounded: past its size, a character is folded each time it is met, the same way.
    assert len(text_module._FOLDED) == text_module._FOLD_TABLE_SIZE < len(every)


def test_the_texts_indexed_are_those_the_sparql_filter_it_replaced_keeps(tmp_path: Path) -> None:
    """printed_texts reads the store's index and filters in Python what a query's ``FILTER (isLiteral(?o)
    && CONTAINS(STR(?g), …) && !CONTAINS(STR(?s), "/derivation/") && LANGMATCHES(LANG(?o), "ja"))`` did:
    the same texts, found by that query here."""
    amendment = ox.NamedNode("https://w3id.org/renkei/graph/amendment/t")
    store = _store(
        ("http://x/a", RENKEI + "content", ox.Literal("観光の振興", language="ja"), G),
        ("http://x/b", RENKEI + "content", ox.Literal("観光の推進", language="ja-JP"), amendment),
        ("http://x/c", RENKEI + "content", ox.Literal("観光の連携", language="JA"), G),
        ("http://x/d", RENKEI + "content", ox.Literal("観光の交流", language="jav"), G),
        ("http://x/e", RENKEI + "content", ox.Literal("観光の支援"), G),
        ("http://x/f", RENKEI + "heading", ox.Literal("観光", language="ja"),
         ox.NamedNode("https://w3id.org/renkei/graph/areas")),
    )
    store.add(ox.Quad(ox.BlankNode("b1"), ox.NamedNode(RENKEI + "content"), ox.Literal("観光の周遊", language="ja"), G))
    store.add(ox.Quad(ox.NamedNode("http://x/g"), ox.NamedNode(RENKEI + "content"), ox.NamedNode("http://x/h"), G))
    store.add(ox.Quad(ox.NamedNode("http://x/i"), ox.NamedNode(RENKEI + "content"), ox.Literal("観光", language="ja"),
                      ox.DefaultGraph()))
    by_query = {(r["g"].value, r["s"].value, r["o"].value) for r in store.query(
        "SELECT ?g ?s ?o { GRAPH ?g { ?s ?p ?o } FILTER (isLiteral(?o) && (CONTAINS(STR(?g), '/graph/agreement/') "
        "|| CONTAINS(STR(?g), '/graph/amendment/')) && !CONTAINS(STR(?s), '/derivation/') "
        "&& LANGMATCHES(LANG(?o), 'ja')) }")}
    rows = list(printed_texts(store))
    assert {(g, s, t) for g, s, _, _, t in rows} == by_query
    assert {s for _, s, _, _, _ in rows} == {"http://x/a", "http://x/b", "http://x/c"}
    assert [s for _, s, _, _, _ in printed_texts(store, [amendment.value, "http://x/none"])] == ["http://x/b"]
    assert list(printed_texts(store, [])) == []


def test_a_query_cannot_inject_fts5_syntax(index: SearchIndex) -> None:
    for query in ('"', "NEAR(a b)", "a OR b", "災害*", "col:災害", "-災害", "(災害"):
        index.search(query)  # no sqlite3.OperationalError: quotes and operators are folded away


def test_snippets_mark_every_hit_cut_long_text_and_escape_html() -> None:
    text = "あ" * 100 + "<b>災害</b>に備えた相互応援" + "い" * 100
    snippet = Snippet.of(text, ("災害", "応援"))
    marked = snippet.marked()
    assert marked.startswith("…") and marked.endswith("…")
    assert "【災害】" in marked and "【応援】" in marked
    assert len(snippet.text) <= 80 + 2
    html = snippet.html()
    assert "&lt;b&gt;<mark>災害</mark>&lt;/b&gt;" in html
    assert "<b>" not in html
    assert Snippet.of("短い", ()).marked() == "短い"


def test_a_snippet_marks_the_printed_characters_of_a_folded_match() -> None:
    assert Snippet.of("ＩＣＴの活用", ("ict",)).marked() == "【ＩＣＴ】の活用"
    assert Snippet.of("地域公共・交通", ("公共交通",)).html() == "地域<mark>公共・交通</mark>"


def test_a_missing_or_foreign_index_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError) as missing:
        SearchIndex.of_release(tmp_path)
    assert missing.value.ja and "索引" in missing.value.ja
    path = index_path(tmp_path)
    path.parent.mkdir()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', 'other/0')")
    with pytest.raises(QueryError, match="another format"):
        SearchIndex(path)
