"""categorise: the alignment rule of docs/framework.md, on a small scheme and on the real one."""

from __future__ import annotations

import pytest

from kg.errors import IngestError, ReferenceDataError
from kg.ingest.categorise import Framework, category_of, load_framework, pillar_of
from kg.ingest.structure import Group, InitiativeText, Span
from kg.settings import Settings

from .helpers import DATA


@pytest.fixture(scope="module")
def mini() -> Framework:
    return load_framework(DATA / "framework-mini.ttl")


def _initiative(title: str, content: str = "") -> InitiativeText:
    return InitiativeText(1, "1-1", title, content, (), Span(1, 1), "test")


def _group(heading: str, number: int = 9) -> Group:
    return Group("section", number, heading, Span(1, 1), ())


def test_scheme_is_read_with_narrower_and_broader_links(mini: Framework) -> None:
    assert [p.notation for p in mini.pillars] == ["1", "2"]
    assert [c.notation for c in mini.below["2"]] == ["2.a", "2.a.9", "2.a.10", "2.b"]  # natural order


@pytest.mark.parametrize(("pillar", "title", "content", "expected"), [
    pytest.param("1", "戦略的な観光施策の推進", "", "1.b", id="longest-label-wins"),
    pytest.param("1", "観光と経済戦略", "", "1.a", id="tie-goes-to-earlier-notation"),
    pytest.param("1", "地域振興", "誘客を図る", "1.b", id="content-when-title-has-none"),
    pytest.param("1", "観光の振興", "誘客を図る", "1.a", id="title-before-content"),
    pytest.param("1", "地域振興", "住民の交流", None, id="none-fits"),
    pytest.param("2", "救急と救命", "", "2.a.9", id="natural-notation-order-on-tie"),
    pytest.param("2", "I C T の利活用", "", "2.b", id="label-matched-on-normalised-text"),
    pytest.param("1", "医療の充実", "", None, id="only-concepts-under-the-pillar"),
])
def test_category_rule(mini: Framework, pillar: str, title: str, content: str, expected: str | None) -> None:
    p = next(c for c in mini.pillars if c.notation == pillar)
    found = category_of(mini, p, _initiative(title, content))
    assert (found.notation if found else None) == expected


def test_pillar_from_the_printed_heading_before_the_number(mini: Framework) -> None:
    assert pillar_of(mini, _group("都市機能の集積に関する取組", number=1), "f").notation == "2"


def test_pillar_from_the_number_when_the_heading_names_none(mini: Framework) -> None:
    assert pillar_of(mini, _group("その他の取組", number=1), "f").notation == "1"


def test_pillar_unknown_is_refused(mini: Framework) -> None:
    with pytest.raises(IngestError, match="cannot tell which pillar"):
        pillar_of(mini, _group("その他の取組", number=7), "f")


def test_english_labels_are_not_matching_keys(mini: Framework) -> None:
    assert all(k != "economy" for p in mini.pillars for k in p.keys)


def test_missing_scheme_is_a_reference_data_error() -> None:
    with pytest.raises(ReferenceDataError):
        load_framework(DATA / "no-such-framework.ttl")


def test_project_scheme_has_three_pillars(settings: Settings) -> None:
    fw = load_framework(settings.ontology_path / "framework.ttl")
    assert [p.notation for p in fw.pillars] == ["1", "2", "3"]
    assert all(fw.below[p.notation] for p in fw.pillars)
