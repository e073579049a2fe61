"""The query page and an agreement page in headless Chromium (Debian's ``chromium`` + ``chromium-driver``).

The query page's YASGUI features (shared links, completion, errors, charts) are in test_browser_query.py.

Screenshots go to a temporary folder, or to ``$KG_SCREENSHOTS_DIR`` when set — that is how
``docs/screenshots/`` is refreshed::

    KG_SCREENSHOTS_DIR=docs/screenshots .venv/bin/python -m pytest tests/server -m browser
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import Server

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() and DRIVER.exists()):
        pytest.skip("headless Chromium is not installed: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--lang=ja",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("KG_SCREENSHOTS_DIR")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _full_page(driver: Any, path: Path, width: int = 1280) -> None:
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 3000)")
    driver.set_window_size(width, max(700, height))
    driver.save_screenshot(str(path))


def test_a_query_run_from_the_page_shows_results(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(1280, 900)
    browser.get(server.url + "/sparql")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    editor = browser.find_elements(By.CSS_SELECTOR, "#yasqe .CodeMirror")
    assert editor, "the editor (YASQE, from npm ci --prefix kg/server) is loaded without a CDN"
    assert not browser.find_element(By.ID, "query").is_displayed()
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".yasr table tbody tr"))
    )
    rows = browser.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    assert len(rows) >= 1
    link = rows[0].find_element(By.CSS_SELECTOR, "a.iri")
    assert link.get_attribute("href").startswith(server.url + "/id/agreement/")
    assert link.text.startswith("rid:agreement/")
    assert re.fullmatch(r"\d+ 行 \(\d+ ms\)", browser.find_element(By.ID, "status").text)  # Japanese only
    downloads = browser.find_elements(By.CSS_SELECTOR, "#downloads [data-kind=table] a")
    assert {a.text for a in downloads} == {"JSON", "XML", "CSV", "TSV"}
    assert "/sparql?query=" in browser.current_url, "the URL holds the query that ran"


def test_an_example_query_runs_when_picked(server: Server, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "/sparql")
    examples = browser.find_elements(By.CSS_SELECTOR, "button.example")
    if not examples:
        pytest.xfail("queries/ holds no example yet")
    examples[0].click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "status").text not in ("", "実行中…")
    )
    assert not browser.find_element(By.ID, "query-error").is_displayed(), browser.find_element(
        By.ID, "query-error"
    ).text
    template = browser.find_element(By.CSS_SELECTOR, "template[data-example]").get_attribute("innerHTML")
    assert browser.execute_script(
        "return document.querySelector('#yasqe .CodeMirror').CodeMirror.getValue()"
    ).strip() == html.unescape(template).strip()


def test_the_page_works_without_the_editor_library(server: Server, browser: Any) -> None:
    """With YASGUI blocked (as when `npm ci` was not run) the textarea still runs queries."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/static/vendor/*"]})
    try:
        browser.get(server.url + "/sparql")
        assert not browser.find_elements(By.CSS_SELECTOR, ".CodeMirror")
        area = browser.find_element(By.ID, "query")
        area.clear()
        area.send_keys("SELECT ?g WHERE { GRAPH ?g { } }")
        browser.find_element(By.ID, "run").click()
        WebDriverWait(browser, 20).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "table.results-table tbody tr"))
        )
        assert "/sparql?query=" in browser.current_url
        area = browser.find_element(By.ID, "query")
        area.clear()
        area.send_keys("SELECT ?g WHERE {\n  GRAPH ?g { ?s ?p \"x }\n}")
        browser.find_element(By.ID, "run").click()
        box = WebDriverWait(browser, 20).until(ec.visibility_of_element_located((By.ID, "query-error")))
        assert "構文エラー: 2 行" in box.text and "Syntax error" not in box.text  # the page's one language
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})


def test_agreement_page_renders_and_fits_a_phone(server: Server, browser: Any, shots: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 900)
    browser.get(server.url + "/id/agreement/072036-072109-2019-10-18")
    assert "連携協約" in browser.title
    assert len(browser.find_elements(By.CSS_SELECTOR, "article.article")) >= 6
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.annex tbody tr")) >= 19
    _full_page(browser, shots / "agreement-page.png")
    browser.set_window_size(390, 844)  # a phone
    browser.get(server.url + "/id/agreement/072036-072109-2019-10-18")
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, "the page must not scroll sideways on a phone (tables scroll inside their box)"
    browser.save_screenshot(str(shots / "agreement-phone.png"))
