"""The demo (``kg demo``) in headless Chromium: an example that answers nothing on the published
dataset shows its rows there, and a composed agreement's page says it is composed.

Screenshot ``docs/screenshots/demo.png`` when ``KG_SCREENSHOTS_DIR`` is set (tests/server/test_browser.py).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from kg.querylib import load_queries
from kg.release.demo import DEMO_BASE
from tests.server import test_browser

from .dataset import QUERIES_DIR
from .results import expected_size

browser = test_browser.browser  # headless Chromium and the screenshot folder, as fixtures here
shots = test_browser.shots

pytestmark = pytest.mark.browser


def test_an_example_empty_on_the_published_data_shows_rows_on_the_demo(demo_url: str, browser: Any,
                                                                      shots: Path) -> None:
    """005 (agreements lacking a category others in their area have) answers no rows on the
    published dataset, as its header says; the demo's query page, opened from a shared link with
    the query for the demo base, runs it and shows the composed 郡山市–須賀川市 agreement."""
    doc = next(d for d in load_queries(QUERIES_DIR) if d.number == "005")
    assert doc.published_rows == "0"
    browser.set_window_size(1280, 900)
    browser.get(demo_url + "/sparql?" + urllib.parse.urlencode({"query": doc.for_base(DEMO_BASE)}))
    from selenium.webdriver.support.ui import WebDriverWait

    rows = WebDriverWait(browser, 30).until(lambda d: d.find_elements("css selector", ".yasr table tbody tr"))
    assert len(rows) == expected_size(doc)
    links = {a.get_attribute("href") for a in rows[0].find_elements("css selector", "a.iri")}
    assert demo_url + "/id/agreement/072036-072079-2019-01-23" in links, links
    test_browser._full_page(browser, shots / "demo.png")


def test_a_composed_agreement_page_says_it_is_composed(demo_url: str, browser: Any) -> None:
    """Among the page's statements (the table of every triple), its skos:note; the real one has none."""
    def statements() -> str:
        return str(browser.execute_script("return document.body.textContent"))

    browser.get(demo_url + "/id/agreement/072036-072079-2019-01-23")
    assert "作例：この本文は試験とデモのために作ったもので、実在の協約の本文ではない。" in statements()
    assert "Composed: this text was made for the tests and the demo" in statements()
    browser.get(demo_url + "/id/agreement/072036-072109-2019-10-18")
    assert "作例：" not in statements(), "the published agreement is real"
