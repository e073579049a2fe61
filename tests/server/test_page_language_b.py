"""One language per page (issue 11, point 7), helper B's pages: the concept, scheme, resource, source,
not-found, dumps, catalogue, vocabulary, shapes and query pages are in Japanese, or in English with
``?lang=en`` — the words of the other language are absent, ``<html lang>`` says which, and the switch
(日本語 / English) leads to the same page in the other language. Data (titles, labels as printed, the
vocabulary's and the shapes' Japanese and English labels and definitions) is not checked here."""

from __future__ import annotations

import html
import re

import pytest

from tests.server.conftest import Server

HTML = {"Accept": "text/html"}
# path → (UI words of the Japanese page, UI words of the English page); each is absent from the other.
PAGES: dict[str, tuple[list[str], list[str]]] = {
    "/id/framework": (["<h2>体系のすべての概念", "<span>取組の体系</span>"],
                      ["<h2>Every concept of the scheme", "<span>Framework scheme</span>"]),
    "/id/framework/3": (["<h2>下位 (3)</h2>", "<h2>取組 (", "<span>取組の体系</span>"],
                        ["<h2>Narrower (3)</h2>", "<h2>Initiatives under it (", "<span>Framework concept 3</span>",
                         "(our label, not official)"]),
    "/id/catalog": (["<th>属性</th><th>値</th>"], ["<th>property</th><th>value</th>"]),
    "/id/no-such-thing": (["<h1>見つかりません</h1>", "についての記述がありません"],
                          ["<h1>Not found</h1>", "The dataset has no statement about"]),
    "/dumps": (["<h1>ダンプ</h1>", "<th>ファイル</th>", "のデータセット全体です"],
               ["<h1>Dumps</h1>", "<th>file</th>", "The whole dataset of release"]),
    "/catalog": (["<span>カタログ</span>", "<dt>公開者</dt>", "<h2>収集の仕方</h2>", "<th>ファイル</th>",
                  "このカタログは同じ URL"],
                 ["<span>Catalogue (DCAT-AP 3, VoID)</span>", "<dt>Publisher</dt>", "<h2>How to harvest</h2>",
                  "<th>File</th>", "Machines get this catalogue"]),
    "/ns": (["<span>語彙</span>", "<dt>この版</dt>", "<h2>概要</h2>", "<h2>用語一覧</h2>", "<th>定義</th>",
             "<h2>外部の用語</h2>", "<td>クラス</td>", 'href="#Agreement" title="連携協約"'],
            ["<span>Vocabulary</span>", "<dt>This version</dt>", "<h2>Abstract</h2>", "<h2>Overview</h2>",
             "<th>Definition</th>", "<h2>External terms used</h2>", "<td>Class</td>",
             'href="#Agreement" title="Cooperation agreement"']),
    "/shapes": (["<span>検査規則</span>", "<dt>規則の数</dt>", "<th>重大度</th>", "<th>直し方</th>", ">違反</span>"],
                ["<span>SHACL shapes</span>", "<dt>Rules</dt>", "<th>Severity</th>", "<th>How to fix</th>",
                 ">Violation</span>"]),
    "/sparql": (["<h1>SPARQL 問い合わせ</h1>", "エンドポイント", "<h2>例 (", "実行 ▶", 'data-lang="ja"'],
                ["<h1>SPARQL query</h1>", "Endpoint <code>", "<h2>Examples (", "Run ▶", 'data-lang="en"']),
}


def _switch(page: str) -> str:
    m = re.search(r'<a class="lang-switch" href="([^"]*)"', page)
    assert m, "the page has the language switch"
    return html.unescape(m[1])


def _html_lang(page: str) -> str:
    m = re.search(r'<html lang="([^"]*)"', page)
    return m[1] if m else ""


def _source_document(server: Server) -> str:
    query = """SELECT ?d { ?e a <https://w3id.org/renkei/ns#SourceExcerpt> ;
                 <https://w3id.org/renkei/ns#sourceDocument> ?d } LIMIT 1"""
    rows = server.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    bindings = rows.json()["results"]["bindings"]
    assert bindings
    return str(bindings[0]["d"]["value"]).replace("https://w3id.org/renkei", "")


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_in_one_language_and_the_switch_keeps_it(server: Server, path: str) -> None:
    ja_words, en_words = PAGES[path]
    ja = server.get(path, headers=HTML).text
    en = server.get(path + "?lang=en", headers=HTML).text
    assert _html_lang(ja) == "ja" and _html_lang(en) == "en"
    for word in ja_words:
        assert word in ja, word
        assert word not in en, word
    for word in en_words:
        assert word in en, word
        assert word not in ja, word
    assert _switch(ja) == path + "?lang=en"
    assert _switch(en) == path


def test_a_source_documents_page_is_in_one_language(server: Server) -> None:
    path = _source_document(server)
    ja = server.get(path, headers=HTML).text
    en = server.get(path + "?lang=en", headers=HTML).text
    assert _html_lang(ja) == "ja" and _html_lang(en) == "en"
    for word in ("この文書から読んだ箇所", "<th>箇所</th>", "<th>属性</th>"):
        assert word in ja and word not in en, word
    for word in ("Excerpts read from this document", "<th>where</th>", "<th>property</th>"):
        assert word in en and word not in ja, word
    assert _switch(ja) == path + "?lang=en" and _switch(en) == path


def test_links_of_an_english_page_to_our_pages_stay_in_english(server: Server) -> None:
    en = server.get("/id/no-such-thing?lang=en", headers=HTML).text
    assert 'href="/id/framework?lang=en"' in en and 'href="/sparql?lang=en"' in en
    assert 'href="/catalog?lang=en"' in server.get("/dumps?lang=en", headers=HTML).text
    assert 'href="/ns?lang=en"' in server.get("/shapes?lang=en", headers=HTML).text
    assert 'href="/ns"' in server.get("/shapes", headers=HTML).text
