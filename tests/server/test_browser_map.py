"""The maps in headless Chromium: the front page shows every area of the registry with its members,
an area page shows its own map beside its timeline (issue 11, point 6).

Screenshots: ``docs/screenshots/map.png`` and ``area-map.png`` (``KG_SCREENSHOTS_DIR``, as
tests/server/test_browser.py explains).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.reference.geo import CREDIT
from kg.reference.tables import load_registry
from tests.server.conftest import Server
from tests.server.test_browser import browser, shots  # noqa: F401

pytestmark = pytest.mark.browser
REF = Path(__file__).resolve().parents[2] / "data" / "reference"


def test_front_page_map_shows_every_area_with_its_members(server: Server, browser: Any, shots: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    reg = load_registry(REF)
    browser.set_window_size(1280, 1000)
    browser.get(server.url + "/")
    areas = browser.find_elements(By.CSS_SELECTOR, "#japan-map-figure svg a.area")
    assert len(areas) == len(reg.areas)
    by_href = {a.get_dom_attribute("href"): a for a in areas}
    for slug in reg.areas:
        area = by_href[f"/id/area/{slug}"]
        title = area.find_element(By.CSS_SELECTOR, ":scope > title").get_attribute("textContent")
        assert all(m.name in title for m in reg.members(slug)), slug
        shapes = area.find_elements(By.CSS_SELECTOR, "path.member")
        assert shapes and all(s.size["width"] > 0 for s in shapes), f"{slug}: a member is not drawn"
    figure = browser.find_element(By.ID, "japan-map-figure")
    assert CREDIT in figure.text
    # Hovering an area brings it forward (static/map.css); its member's own title names it.
    member = by_href["/id/area/koriyama"].find_element(By.CSS_SELECTOR, "path.member")
    assert "郡山市" in member.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent")
    before = member.value_of_css_property("fill-opacity")
    browser.set_window_size(1280, 1250)
    browser.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 300)",
                           figure)
    ActionChains(browser).move_to_element(member).perform()
    assert (before, member.value_of_css_property("fill-opacity")) == ("0.8", "1")
    tip = figure.find_element(By.CSS_SELECTOR, ".map-tip")  # static/map.js: name, role, area, all members
    assert tip.is_displayed() and "郡山市（中心市）" in tip.text
    assert all(m.name in tip.text for m in reg.members("koriyama"))
    browser.save_screenshot(str(shots / "map.png"))
    by_href["/id/area/harima"].click()
    assert browser.current_url == server.url + "/id/area/harima"


def test_area_page_has_its_map_beside_the_timeline(server: Server, browser: Any, shots: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    reg = load_registry(REF)
    browser.set_window_size(1280, 1000)
    browser.get(server.url + "/id/area/harima")
    figure = browser.find_element(By.ID, "area-map-figure")
    members = figure.find_elements(By.CSS_SELECTOR, "path.member")
    assert len(members) == len([m for m in reg.members("harima") if reg.municipalities[m.code].kind != "prefecture"])
    assert figure.find_elements(By.CSS_SELECTOR, "path.place"), "no neighbour in grey"
    assert "姫路市" in figure.text and CREDIT in figure.text
    timeline = browser.find_element(By.ID, "area-timeline-figure")
    assert timeline.location["y"] < figure.location["y"] + figure.size["height"]  # beside, not below
    browser.set_window_size(1280, 1000)
    browser.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 90)",
                           figure)
    browser.save_screenshot(str(shots / "area-map.png"))
