# ruff: noqa: F811 -- the tests take the imported fixtures `browser` and `shots` by name
"""A clerk in headless Chromium (issue 11, points 3 and 4): uploads a defective draft on /validate and
reads the Japanese report beside the row; compares a draft with the published agreement on /compare.

Screenshots: ``docs/screenshots/validate.png`` and ``compare-draft.png`` when ``KG_SCREENSHOTS_DIR``
is set (see test_browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import AGREEMENT, Server, start_server
from tests.server.test_browser import browser, shots  # noqa: F401 -- fixtures, used by name
from tests.server.test_validate_page import EMPTIED, defective, row_line

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(fixture_release: Path) -> Iterator[Server]:
    yield from start_server(fixture_release.parents[1], KG_VALIDATE_TIMEOUT="90")


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("draft") / "連携協約案.txt"
    path.write_bytes(defective().decode().encode("cp932"))  # as a Windows editor saves it
    return path


def _wait(driver: Any, css: str) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 90).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def test_a_clerk_uploads_a_defective_draft_and_reads_the_report_beside_the_row(
    server: Server, browser: Any, shots: Path, draft: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 900)
    browser.get(server.url + "/validate")
    assert browser.find_element(By.TAG_NAME, "h1").text == "協約案の検査"
    assert browser.find_element(By.CSS_SELECTOR, ".val-drop-hint").is_displayed()  # the script ran
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(draft))
    assert "連携協約案.txt" in browser.find_element(By.CSS_SELECTOR, ".val-chosen").text
    browser.find_element(By.CSS_SELECTOR, ".val-form button[type=submit]").click()
    summary = _wait(browser, ".val-summary")
    assert summary.text == "連携協約案.txt: 適合（警告 1件、情報 0件）"
    line = row_line(defective())
    row = browser.find_element(By.ID, f"L{line}")
    assert "hit-warning" in row.get_attribute("class") and "I C T インフラの整備" in row.text
    problem = row.find_element(By.XPATH, "following-sibling::div[1]")
    assert "別表 3-(8) 二本松市の役割" in problem.text and "当事者が役割を持ちません" in problem.text
    assert "直し方:" in problem.text and problem.is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, ".val-print").is_displayed()
    # the list links to the row; the filter hides warnings and shows them again
    browser.find_element(By.CSS_SELECTOR, ".val-list a").click()
    assert browser.current_url.endswith(f"#L{line}")
    browser.execute_script("window.scrollBy(0, -320)")
    browser.save_screenshot(str(shots / "validate.png"))
    warning = browser.find_element(By.CSS_SELECTOR, ".val-filter input[value=warning]")
    browser.execute_script("arguments[0].click()", warning)
    assert not problem.find_element(By.CSS_SELECTOR, ".val-problem").is_displayed()
    browser.execute_script("arguments[0].click()", warning)
    assert problem.find_element(By.CSS_SELECTOR, ".val-problem").is_displayed()


def test_a_clerk_compares_the_draft_with_the_published_agreement(
    server: Server, browser: Any, shots: Path, draft: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.set_window_size(1280, 900)
    browser.get(server.url + "/compare")
    form = browser.find_element(By.CSS_SELECTOR, "form.cmp-draft")
    form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(draft))
    Select(form.find_element(By.NAME, "b")).select_by_value(AGREEMENT.rsplit("/", 1)[1])
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, "dl.cmp-sum")
    assert "連携協約案.txt" in browser.find_element(By.CSS_SELECTOR, "dl.cmp-sum").text
    inserted = [x for x in browser.find_elements(By.CSS_SELECTOR, "table.cmp ins") if x.text == EMPTIED.strip()]
    assert len(inserted) == 1, "the role the draft left empty is what only the published agreement has"
    browser.execute_script("arguments[0].closest('table').scrollIntoView()", inserted[0])
    browser.execute_script("window.scrollBy(0, -120)")
    browser.save_screenshot(str(shots / "compare-draft.png"))
