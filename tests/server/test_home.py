"""The front page says what the dataset holds and maps every area; an area page has its own map
(issue 11, point 6). Real HTTP on the real build of data/ (tests/server/conftest.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from kg.reference.geo import CREDIT
from kg.reference.tables import load_registry

from .conftest import Server, start_server

REF = Path(__file__).resolve().parents[2] / "data" / "reference"
SVG = "{http://www.w3.org/2000/svg}"


def _svg(html: str, id_prefix: str) -> ET.Element:
    match = re.search(rf'<svg [^>]*aria-labelledby="{id_prefix}-title.*?</svg>', html, re.S)
    assert match, f"no {id_prefix} map in the page"
    return ET.fromstring(match.group(0))


def test_front_page_counts_what_the_registry_holds(server: Server) -> None:
    reg = load_registry(REF)
    html = server.get("/").text
    assert f"<strong>{len(reg.areas)}</strong> 連携中枢都市圏" in html
    assert f"<strong>{len(reg.memberships)}</strong> 構成員資格" in html
    members = {m.code for m in reg.memberships if reg.municipalities[m.code].kind != "prefecture"}
    assert f"<strong>{len(members)}</strong> 圏域の構成市町村" in html
    assert "<strong>1</strong> 連携協約の本文" in html  # data/sources holds the founding agreement


def test_front_page_map_shows_every_area_linked_with_its_members(server: Server) -> None:
    reg = load_registry(REF)
    root = _svg(server.get("/").text, "japan-map")
    links = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    assert set(links) == {f"/id/area/{slug}" for slug in reg.areas}
    for slug, area in reg.areas.items():
        link = links[f"/id/area/{slug}"]
        title = link.find(f"{SVG}title")
        assert title is not None and title.text and title.text.startswith(area.name)
        assert all(m.name in title.text for m in reg.members(slug)), slug
        assert link.findall(f".//{SVG}path"), f"{slug}: no member drawn"
    central = {c.get("data-iri", "").rpartition("/")[2] for c in root.iter(f"{SVG}circle")
               if c.get("class") == "central"}
    assert {m.code for m in reg.memberships if m.role == "central"} <= central
    prefectures = [p for p in root.iter(f"{SVG}path") if p.get("class") == "place"]
    assert len(prefectures) == 46  # in grey behind: every prefecture but Okinawa, outside the frame
    assert CREDIT in "".join(root.itertext())
    assert server.get(next(iter(links))).status_code == 200  # type: ignore[arg-type]


def test_area_page_maps_its_members_and_their_neighbours(server: Server) -> None:
    reg = load_registry(REF)
    html = server.get("/id/area/koriyama").text
    root = _svg(html, "area-map")
    drawn = {p.get("data-iri", "").rpartition("/")[2] for p in root.iter(f"{SVG}path") if p.get("class") == "member"}
    assert drawn == {m.code for m in reg.members("koriyama")}
    grey = [p for p in root.iter(f"{SVG}path") if p.get("class") == "place"]
    assert grey and not {p.get("data-iri", "").rpartition("/")[2] for p in grey} & drawn
    assert "郡山市" in "".join(root.itertext())  # the central city is labelled
    assert CREDIT in "".join(root.itertext())
    assert 'aria-labelledby="timeline-title' in html  # the timeline beside it


def test_a_release_without_boundaries_still_serves_its_front_page(fixture_release: Path) -> None:
    """A release built before graph/geometry (or a hand-made one) has areas but no geo:asWKT: the
    map is drawn with what there is, never an error."""
    for server in start_server(fixture_release.parents[1]):
        response = server.get("/")
        assert response.status_code == 200
        root = _svg(response.text, "japan-map")
        assert CREDIT in "".join(root.itertext())
        assert not [p for p in root.iter(f"{SVG}path") if p.get("class") == "member"]
