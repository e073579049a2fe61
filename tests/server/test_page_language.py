"""Every page in one language: Japanese, or English with ``?lang=en`` (issue 11, point 7) — the front
page and the agreement, initiative, municipality and area pages. Data stays as printed; only the
page's own words change, and the switch in the header leads to the same page in the other language."""

from __future__ import annotations

import re

import pytest

from .conftest import Server

AGREEMENT = "/id/agreement/072036-072109-2019-10-18"
#: page → (English UI words a Japanese page must not show, Japanese UI words an English page must not show)
PAGES = {
    "home": ("/", ["What the dataset holds", "Map of the areas", "Named graphs", "Query page and endpoint",
                   "Click an area", "member municipalities", "Release"],
             ["データセットの内容", "連携中枢都市圏の地図", "名前付きグラフ", "問合せページ", "圏域を押すと",
              "構成市町村", "締結日"]),
    "agreement": (AGREEMENT, [">Cooperation agreement<", "Signed", "Parties", "Annex", "Signatories",
                              "All statements", "Articles", "Data:", "lines of the source text"],
                  ["締結日", "当事者", "別表：", "署名", "すべての記述", "第3条", "二本松市の役割", "データ：",
                   "プロパティ", "この記載を読んだ"]),
    "initiative": (AGREEMENT + "/initiative/3-8", ["Initiative", "Agreement", "Pillar", "Category", "Content",
                                                  "Roles", "All statements"],
                   ["協約</dt>", "柱", "分類", "役割分担", "すべての記述", "データ："]),
    "municipality": ("/id/municipality/072109", ["Municipality", "Code", "Prefecture", "Agreements", "Areas",
                                                 "partner", "All statements"],
                     ["地方公共団体", "団体コード", "都道府県", "連携市町村", "圏域 (", "すべての記述"]),
    "area": ("/id/area/koriyama", ["Cooperative central urban area", "Members", "central city", "partner",
                                   "Agreement dates", "Coloured", "All statements"],
             ["構成団体", "協約締結日", "中心市", "連携市町村", "隣接する", "すべての記述"]),
}


def _ui(html: str) -> str:
    """The page without what is data, not words of the page: the JSON-LD, the inline SVG drawings
    (their text is the data's names), the <title> (the resource's own title), the rows of the table of
    all statements (IRIs and literals), and the articles (text as printed)."""
    for tag in ("script", "svg", "title", "tbody", "article"):
        html = re.sub(rf"<{tag}\b.*?</{tag}>", "", html, flags=re.S)
    return html


def _switch(html: str) -> str:
    match = re.search(r'<a class="lang-switch" href="([^"]*)"', html)
    assert match, "no language switch"
    return match.group(1).replace("&amp;", "&")


@pytest.mark.parametrize(("path", "english", "japanese"), PAGES.values(), ids=PAGES.keys())
def test_a_page_is_in_one_language_with_a_switch_to_the_other(
    server: Server, path: str, english: list[str], japanese: list[str]
) -> None:
    ja = server.get(path).text
    assert '<html lang="ja">' in ja
    assert [w for w in english if w in _ui(ja)] == [], "English words on the Japanese page"
    assert _switch(ja) == path + "?lang=en"

    en = server.get(path, params={"lang": "en"}).text
    assert '<html lang="en">' in en
    assert [w for w in japanese if w in _ui(en)] == [], "Japanese words on the English page"
    assert _switch(en) == path
    assert server.get(_switch(ja)).text == en  # the switch keeps the page


def test_internal_links_of_an_english_page_stay_in_english(server: Server) -> None:
    en = server.get(AGREEMENT, params={"lang": "en"}).text
    links = re.findall(r'<a href="(/id/[^"]*)">', en)  # not the data's formats (<a … type=…>)
    assert links and all("lang=en" in link for link in links), [x for x in links if "lang=en" not in x][:5]
    assert "Article 3" in en and "Role of " in en
    ja = server.get(AGREEMENT).text
    assert not [x for x in re.findall(r'<a href="(/id/[^"]*)">', ja) if "lang=en" in x]
    home = server.get("/", params={"lang": "en"}).text
    assert 'href="/id/framework?lang=en"' in home
    assert 'href="/id/area/koriyama?lang=en"' in home


def test_english_labels_of_the_data_are_used_on_an_english_page(server: Server) -> None:
    """Where the data has an English label (skos:prefLabel or rdfs:label @en), the English page shows it; names without
    one stay as printed."""
    query = ("SELECT ?en { <https://w3id.org/renkei/id/area/koriyama> <http://www.w3.org/2004/02/skos/core#"
             "prefLabel>|<http://www.w3.org/2000/01/rdf-schema#label> ?en FILTER(LANG(?en) = 'en') }")
    rows = server.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    english = [b["en"]["value"] for b in rows.json()["results"]["bindings"]]
    en = _ui(server.get("/id/area/koriyama", params={"lang": "en"}).text)
    h1 = re.search(r"<h1>(.*?)</h1>", en, re.S)
    assert h1
    if english:
        assert h1.group(1).strip() in english
    else:
        assert h1.group(1).strip() == "こおりやま広域連携中枢都市圏"
    ja = _ui(server.get("/id/area/koriyama").text)
    assert "<h1>こおりやま広域連携中枢都市圏</h1>" in ja


def test_the_drawings_of_an_english_page_are_described_in_english(server: Server) -> None:
    """The maps' and the timeline's title and description (what a screen reader says) are in the page's
    language, and their links keep it; the names drawn are the data's, in Japanese as printed."""
    for path, ids in (("/", ["japan-map"]), ("/id/area/koriyama", ["area-map", "timeline"])):
        ja, en = server.get(path).text, server.get(path, params={"lang": "en"}).text
        for prefix in ids:
            for part in ("title", "desc"):
                mine = re.search(rf'<{part} id="{prefix}-{part}">([^<]*)</{part}>', ja)
                theirs = re.search(rf'<{part} id="{prefix}-{part}" lang="en">([^<]*)</{part}>', en)
                assert mine and theirs, (path, prefix, part)
                assert not re.search(r"[A-Za-z]{3}", mine.group(1)), mine.group(1)
                assert not re.search(r"[\u3040-\u30ff]", theirs.group(1)), theirs.group(1)
        svg = re.findall(r"<svg\b.*?</svg>", en, re.S)
        links = [x for s in svg for x in re.findall(r'href="(/id/[^"]*)"', s)]
        assert links and all("lang=en" in x for x in links), path
