"""The query page (YASGUI from npm) in headless Chromium: a shared URL, completion, errors, charts, the cap.

Screenshots go to ``$KG_SCREENSHOTS_DIR`` as in :mod:`tests.server.test_browser`.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from tests.server import test_browser
from tests.server.conftest import RESULT_LIMIT, Server

browser = test_browser.browser  # the module's headless Chromium and screenshot folder, as fixtures here
shots = test_browser.shots
_full_page = test_browser._full_page

pytestmark = pytest.mark.browser

AGREEMENTS = """PREFIX renkei: <https://w3id.org/renkei/ns#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?agreement ?title WHERE { ?agreement a renkei:Agreement ; dct:title ?title }"""

AGGREGATE = """PREFIX renkei: <https://w3id.org/renkei/ns#>
# 種類ごとの資源の数 / resources per class
SELECT ?class (COUNT(?s) AS ?n) WHERE {
  ?s a ?class FILTER(STRSTARTS(STR(?class), STR(renkei:)))
}
GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT 12"""


def _wait(driver: Any, condition: Any, seconds: float = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def _css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def _open(driver: Any, server: Server, query: str) -> None:
    """Open the query as a shared link and wait until its result (or error) is drawn."""
    driver.set_window_size(1280, 900)
    driver.get(server.url + "/sparql?" + urllib.parse.urlencode({"query": query}))
    _wait(driver, lambda d: d.find_element("id", "status").text not in ("", "実行中…"))


def _set_query(driver: Any, query: str) -> None:
    driver.execute_script("document.querySelector('#yasqe .CodeMirror').CodeMirror.setValue(arguments[0])", query)


def test_a_shared_url_opens_the_page_and_runs_its_query(server: Server, browser: Any, shots: Path) -> None:
    _open(browser, server, AGREEMENTS)
    assert _css(browser, "#yasqe .CodeMirror"), "YASQE (from npm ci --prefix kg/server) replaces the textarea"
    editor = browser.execute_script("return document.querySelector('#yasqe .CodeMirror').CodeMirror.getValue()")
    assert editor == AGREEMENTS
    rows = _wait(browser, lambda d: _css(d, ".yasr table tbody tr"))
    assert len(rows) == 1
    link = rows[0].find_element("css selector", "a.iri")
    # shown as a prefixed name, linked to this server's page for the IRI
    assert link.text == "rid:agreement/072036-072109-2019-10-18"
    assert link.get_attribute("href") == server.url + "/id/agreement/072036-072109-2019-10-18"
    assert re.fullmatch(r"1 行 \(\d+ ms\)", browser.find_element("id", "status").text)
    assert "連携協約" in rows[0].text
    _full_page(browser, shots / "query-page.png")


def test_running_a_query_puts_it_in_the_url(server: Server, browser: Any) -> None:
    _open(browser, server, AGREEMENTS)
    query = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
    _set_query(browser, query)
    browser.find_element("id", "run").click()
    _wait(browser, lambda d: "triples" in d.find_element("css selector", ".yasr").text)
    shared = browser.current_url
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(shared).query) == {"query": [query]}
    # the URL is the share: opened anew it shows the same query and result
    browser.get(shared)
    _wait(browser, lambda d: _css(d, ".yasr table tbody tr"))
    assert browser.execute_script("return document.querySelector('#yasqe .CodeMirror').CodeMirror.getValue()") == query
    browser.back()
    _wait(browser, lambda d: d.execute_script(
        "return document.querySelector('#yasqe .CodeMirror') && "
        "document.querySelector('#yasqe .CodeMirror').CodeMirror.getValue()") == AGREEMENTS)


def test_completion_offers_the_dataset_properties_after_their_prefix(server: Server, browser: Any) -> None:
    _open(browser, server, "SELECT * WHERE {\n  ?agreement ")
    browser.execute_script(
        "const cm = document.querySelector('#yasqe .CodeMirror').CodeMirror;"
        "cm.focus(); cm.setCursor(cm.lineCount() - 1, cm.getLine(cm.lineCount() - 1).length);"
    )
    area = browser.find_element("css selector", "#yasqe .CodeMirror textarea")
    area.send_keys("renkei:agreementD")
    hints = _wait(browser, lambda d: _css(d, ".CodeMirror-hints li"))
    texts = [h.text for h in hints]
    assert any(t.startswith("renkei:agreementDate") and "連携協約締結日" in t for t in texts), texts
    # typing the prefix declared it (from the server's list, not prefix.cc)
    value = browser.execute_script("return document.querySelector('#yasqe .CodeMirror').CodeMirror.getValue()")
    assert "PREFIX renkei: <https://w3id.org/renkei/ns#>" in value
    hints[0].click()
    value = browser.execute_script("return document.querySelector('#yasqe .CodeMirror').CodeMirror.getValue()")
    assert value.rstrip().endswith("?agreement renkei:agreementDate")


def test_completion_offers_the_dataset_classes_after_a(server: Server, browser: Any) -> None:
    _open(browser, server, "PREFIX renkei: <https://w3id.org/renkei/ns#>\nSELECT * WHERE {\n  ?x a ")
    browser.execute_script(
        "const cm = document.querySelector('#yasqe .CodeMirror').CodeMirror;"
        "cm.focus(); cm.setCursor(cm.lineCount() - 1, cm.getLine(cm.lineCount() - 1).length);"
    )
    browser.find_element("css selector", "#yasqe .CodeMirror textarea").send_keys("renkei:Agr")
    hints = _wait(browser, lambda d: _css(d, ".CodeMirror-hints li"))
    assert any(h.text.startswith("renkei:Agreement") for h in hints), [h.text for h in hints]


def _marked_lines(driver: Any) -> list[int]:
    return list(driver.execute_script(
        "const cm = document.querySelector('#yasqe .CodeMirror').CodeMirror;"
        "return cm.getAllMarks().map(m => m.find()).filter(Boolean).map(p => (p.from || p).line)"
    ))


def test_a_syntax_error_is_marked_where_the_endpoint_says(server: Server, browser: Any) -> None:
    _open(browser, server, 'SELECT ?t WHERE {\n  ?a ?p ?t .\n  ?a ?p "x\n}')
    box = browser.find_element("id", "query-error")
    assert box.is_displayed()
    # the endpoint's 400 says "error at 3:11": the page says it in words, in Japanese and English
    assert "構文エラー: 3 行 11 文字目" in box.text and "Syntax error" not in box.text, box.text  # one language
    assert "ここに書けるもの" in box.text
    assert _css(browser, "#yasqe .query-error-mark"), "the position is marked in the editor"
    assert _marked_lines(browser) == [2]  # 0-based: the third line
    gutter = _css(browser, "#yasqe .query-error-gutter")
    assert gutter and gutter[0].get_attribute("title") == "3:11"
    assert "3:11" in browser.find_element("css selector", "#yasqe .query-error-line").text
    # fixing the query and running it again clears the marks
    _set_query(browser, "SELECT ?t WHERE { ?a <http://purl.org/dc/terms/title> ?t }")
    browser.find_element("id", "run").click()
    _wait(browser, lambda d: not d.find_element("id", "query-error").is_displayed())
    assert not _css(browser, "#yasqe .query-error-mark")


def test_an_undeclared_prefix_is_named_and_marked(server: Server, browser: Any) -> None:
    _open(browser, server, "SELECT ?t WHERE {\n  ?a ?p ?t .\n  ?a dct:title ?t }")
    box = browser.find_element("id", "query-error")
    assert "接頭辞 dct: が宣言されていません" in box.text and "The prefix dct:" not in box.text, box.text
    mark = browser.find_element("css selector", "#yasqe .query-error-mark")
    assert mark.text == "dct:title"
    assert _marked_lines(browser) == [2]


def test_a_chart_of_an_aggregate_query_renders(server: Server, browser: Any, shots: Path) -> None:
    _open(browser, server, AGGREGATE)
    rows = _wait(browser, lambda d: _css(d, ".yasr table tbody tr"))
    browser.find_element("css selector", ".yasr .select_chart").click()
    bars = _wait(browser, lambda d: _css(d, "svg.kg-bars g.bar"))
    assert len(bars) == len(rows) == 12
    widths = [float(b.find_element("css selector", "rect").get_attribute("width")) for b in bars]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1] > 0
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg.kg-bars text.label')).map(t => "
        "[t.textContent, t.getBBox().x])"
    )
    assert labels[0][0].startswith("renkei:")
    assert all(x >= 0 for _, x in labels), "no label is cut at the left edge"
    browser.execute_script("document.querySelector('.kg-chart').scrollIntoView()")
    _full_page(browser, shots / "query-chart.png")
    browser.find_element("css selector", ".yasr .select_pivot").click()
    cells = _wait(browser, lambda d: _css(d, "table.pivot-table tbody tr"))
    assert len(cells) == 12


def test_the_cap_is_stated_on_the_page(server: Server, browser: Any) -> None:
    _open(browser, server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    notice = browser.find_element("id", "notice")
    assert notice.is_displayed()
    assert f"上限の {RESULT_LIMIT} 件" in notice.text and f"first {RESULT_LIMIT} results" not in notice.text
    assert browser.find_element("id", "status").text.startswith(f"{RESULT_LIMIT} 行")


def test_an_example_says_what_it_shows_on_the_published_dataset(server: Server, browser: Any) -> None:
    from kg.querylib import load_queries
    from kg.settings import Settings

    said = [d for d in load_queries(Settings().queries_path) if getattr(d, "published_ja", None)]
    if not said:
        pytest.skip("no example states its answer on the published dataset yet (published-ja)")
    doc = said[0]
    browser.set_window_size(1280, 900)
    browser.get(server.url + "/sparql")
    browser.find_element("css selector", f'button.example[data-name="{doc.name}"]').click()
    note = _wait(browser, lambda d: d.find_element("id", "example-note") if d.find_element(
        "id", "example-note").is_displayed() else None)
    assert doc.published_ja in note.text  # the Japanese page shows the Japanese statement only (issue 11, point 7)
    assert not doc.published_en or doc.published_en not in note.text
    _wait(browser, lambda d: d.find_element("id", "status").text not in ("", "実行中…"))
    # once the text is edited, the note no longer applies to what runs
    _set_query(browser, "ASK {}")
    browser.find_element("id", "run").click()
    _wait(browser, lambda d: not d.find_element("id", "example-note").is_displayed())


def test_the_page_fits_a_phone(server: Server, browser: Any) -> None:
    browser.set_window_size(390, 844)
    browser.get(server.url + "/sparql?" + urllib.parse.urlencode({"query": AGGREGATE}))
    _wait(browser, lambda d: _css(d, ".yasr table tbody tr"))
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, "the page must not scroll sideways on a phone (the editor and table scroll inside)"
    browser.set_window_size(1280, 900)


def test_a_query_too_long_for_a_link_runs_and_says_so(server: Server, browser: Any) -> None:
    _open(browser, server, AGREEMENTS)
    long_query = AGREEMENTS + "\n" + "# 長い注釈 / a long comment\n" * 400  # far past KG_MAX_URL_BYTES (8192)
    _set_query(browser, long_query)
    browser.find_element("id", "run").click()
    _wait(browser, lambda d: d.find_element("id", "link-note").is_displayed())
    assert browser.current_url == server.url + "/sparql", "no link the server would refuse (414)"
    assert "長すぎて URL に入りません" in browser.find_element("id", "link-note").text
    _wait(browser, lambda d: _css(d, ".yasr table tbody tr"))


def test_ask_and_construct_results_are_shown(server: Server, browser: Any) -> None:
    _open(browser, server, "PREFIX renkei: <https://w3id.org/renkei/ns#>\nASK { ?a a renkei:Agreement }")
    assert browser.find_element("id", "status").text.startswith("ASK: true")
    assert browser.find_element("css selector", ".yasr .booleanResult").text == "はい"
    assert not browser.find_element("id", "downloads").is_displayed()
    _open(browser, server, "PREFIX renkei: <https://w3id.org/renkei/ns#>\n"
                           "CONSTRUCT { ?a a renkei:Agreement } WHERE { ?a a renkei:Agreement }")
    assert re.match(r"1 トリプル \(", browser.find_element("id", "status").text)
    rows = _wait(browser, lambda d: _css(d, ".yasr table tbody tr"))
    assert "rid:agreement/072036-072109-2019-10-18" in rows[0].text
    formats = {a.text for a in _css(browser, "#downloads [data-kind=graph] a")}
    assert formats == {"Turtle", "N-Triples", "JSON-LD", "RDF/XML"}


def test_the_english_page_speaks_english_only(server: Server, browser: Any) -> None:
    """With ?lang=en the script's words are English (issue 11, point 7), and links stay in English."""
    browser.set_window_size(1280, 900)
    browser.get(server.url + "/sparql?" + urllib.parse.urlencode({"query": AGREEMENTS, "lang": "en"}))
    _wait(browser, lambda d: d.find_element("id", "status").text not in ("", "Running…"))
    assert re.fullmatch(r"1 row \(\d+ ms\)", browser.find_element("id", "status").text)
    link = _wait(browser, lambda d: _css(d, ".yasr table tbody tr a.iri"))[0]
    assert link.get_attribute("href") == server.url + "/id/agreement/072036-072109-2019-10-18?lang=en"
    _set_query(browser, 'SELECT ?t WHERE {\n  ?a ?p ?t .\n  ?a ?p "x\n}')
    browser.find_element("id", "run").click()
    box = _wait(browser, lambda d: d.find_element("id", "query-error") if d.find_element(
        "id", "query-error").is_displayed() else None)
    assert "Syntax error at line 3, column 11" in box.text and "構文エラー" not in box.text, box.text
    assert "Expected here" in box.text
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)["lang"] == ["en"]
