"""``/ns`` in headless Chromium: every term of the ontology has its section, and ``/ns#term`` lands on
it (issue 11, "Done when"). The screenshot is docs/screenshots/vocabulary.png when
``KG_SCREENSHOTS_DIR=docs/screenshots`` (tests/server/test_browser.py says how)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib

from kg.reference.graphs import ontology_graph
from kg.settings import Settings
from tests.server.conftest import Server
from tests.server.test_browser import browser, shots  # noqa: F401

pytestmark = pytest.mark.browser
RENKEI = "https://w3id.org/renkei/ns#"


def test_ns_shows_every_term_and_lands_on_one(server: Server, browser: Any, shots: Path) -> None:  # noqa: F811 (fixtures)
    from selenium.webdriver.common.by import By

    g = ontology_graph(Settings())
    terms = {s[len(RENKEI):] for s in g.subjects() if isinstance(s, rdflib.URIRef) and s.startswith(RENKEI)}
    browser.set_window_size(1280, 900)
    browser.get(server.url + "/ns#Agreement")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    sections = browser.find_elements(By.CSS_SELECTOR, "section.term[id]")
    assert len(sections) == len(terms)
    assert {s.get_attribute("id") for s in sections} == terms
    target = browser.find_element(By.ID, "Agreement")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", target)
    assert 0 <= top < 200, "the fragment scrolled its term to the top of the window"
    assert "連携協約" in target.text and "Cooperation agreement" in target.text
    assert "eli:LegalResource" in target.text
    assert target.value_of_css_property("border-top-color") != "rgba(0, 0, 0, 0)"
    # Following a range link lands on that term's section.
    browser.find_element(By.CSS_SELECTOR, "#party a[href='#LocalGovernment']").click()
    assert browser.execute_script("return location.hash") == "#LocalGovernment"
    browser.get(server.url + "/ns")
    browser.set_window_size(1280, 1800)
    browser.save_screenshot(str(shots / "vocabulary.png"))
