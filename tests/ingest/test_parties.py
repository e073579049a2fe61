"""parties: names → municipality codes, 甲/乙, prefectures, ambiguity, the central city, the area."""

from __future__ import annotations

import pytest

from kg.errors import IngestError, UnknownMunicipalityError
from kg.ingest.decode import decode
from kg.ingest.parties import Parties, read_parties, suggest
from kg.ingest.segment import segment
from kg.reference.tables import Registry, load_registry
from kg.settings import Settings


@pytest.fixture(scope="module")
def registry(settings: Settings) -> Registry:
    return load_registry(settings.data_path / "reference")


def _parties(preamble: str, registry: Registry, title: str = "連携協約") -> Parties:
    text = f"{title}\n\n{preamble}\n\n（目的）\n第1条 目的とする。\n"
    return read_parties(segment(decode(text.encode("utf-8"), "case.txt")), registry)


@pytest.mark.parametrize(("preamble", "central", "partner"), [
    pytest.param("郡山市及び二本松市は、圏域を形成するため、締結する。", "072036", "072109", id="named"),
    pytest.param("郡山市と二本松市は、次のとおり締結する。", "072036", "072109", id="named-with-to"),
    pytest.param("熊本市（以下「甲」という。）及び山鹿市（以下「乙」という。）は、締結する。",
                 "431001", "432083",
                 id="ko-otsu-full-width"),
    pytest.param("姫路市(以下「甲」という。)及び稲美町(以下「乙」という。)は、締結する。", "282014", "283819",
                 id="ko-otsu-half-width"),
    pytest.param("郡山市及び福島県二本松市は、締結する。", "072036", "072109", id="with-prefecture"),
    pytest.param("郡山市及び伊達市は、次のとおり締結する。", "072036", "072133", id="ambiguous-date-city"),
    pytest.param("熊本市（以下「甲」という。）と宇城市（以下「乙」という。）は、締結する。", "431001", "432130",
                 id="ko-otsu-joined-with-to"),
    pytest.param("熊本市（以下「甲」という。）、宇城市（以下「乙」という。）は、締結する。", "431001", "432130",
                 id="ko-otsu-joined-with-comma"),
    pytest.param("川越市（以下「甲」という。）とときがわ町（以下「乙」という。）は、締結する。", "112011", "113492",
                 id="a-name-that-starts-with-to-keeps-it"),
])
def test_parties_resolve_to_codes_first_named_is_central(preamble: str, central: str, partner: str,
                                                         registry: Registry) -> None:
    parties = _parties(preamble, registry)
    assert (parties.central.code, parties.partner.code) == (central, partner)


def test_ko_and_otsu_are_aliases_for_role_labels(registry: Registry) -> None:
    parties = _parties("熊本市（以下「甲」という。）及び山鹿市（以下「乙」という。）は、締結する。", registry)
    assert [parties.code_for(n) for n in ("甲", "乙", "熊本市", "熊本県山鹿市", "丙")] == [
        "431001", "432083", "431001", "432083", None]


def test_unknown_municipality_is_refused_with_its_line(registry: Registry) -> None:
    with pytest.raises(UnknownMunicipalityError) as e:
        _parties("郡山市及び二本杉市は、次のとおり締結する。", registry)
    assert e.value.line == 3 and "二本杉市" in str(e.value)


def test_ambiguous_name_without_a_hint_is_refused(registry: Registry) -> None:
    with pytest.raises(UnknownMunicipalityError, match="names 2 municipalities"):
        _parties("伊達市及び府中市は、次のとおり締結する。", registry)


def test_same_party_twice_is_refused(registry: Registry) -> None:
    with pytest.raises(IngestError, match="both parties"):
        _parties("郡山市及び郡山市は、次のとおり締結する。", registry)


def test_parties_from_the_title_when_the_preamble_does_not_name_them(registry: Registry) -> None:
    parties = _parties("両市は、次のとおり締結する。", registry, title="郡山市と二本松市との連携協約")
    assert (parties.central.code, parties.partner.code) == ("072036", "072109")


def test_no_parties_anywhere_is_refused(registry: Registry) -> None:
    with pytest.raises(IngestError, match="cannot find the two parties"):
        _parties("両市は、次のとおり締結する。", registry)


@pytest.mark.parametrize(("preamble", "slug", "printed"), [
    ("郡山市及び二本松市は、こおりやま広域連携中枢都市圏（以下「圏域」という。）を形成するため、締結する。",
     "koriyama", "こおりやま広域連携中枢都市圏"),
    ("姫路市(以下「甲」という。)及び稲美町(以下「乙」という。)は、要綱(平成26年8月25日付け)に基づく連携中枢都市圏"
     "である播磨圏域(以下「圏域」という。)を形成するため、締結する。", "harima", "播磨圏域"),
    ("郡山市及び二本松市は、次のとおり締結する。", None, None),
])
def test_area_as_printed_and_registered(preamble: str, slug: str | None, printed: str | None,
                                        registry: Registry) -> None:
    parties = _parties(preamble, registry)
    assert (parties.area.slug if parties.area else None, parties.area_name) == (slug, printed)



# ── A misprinted name is reported with the municipality it likely means (issue 9, point 3) ────────

@pytest.mark.parametrize(("printed", "near", "meant"), [
    pytest.param("須加川市", None, "072079", id="one-character-changed"),
    pytest.param("福島県須加川市", None, "072079", id="with-its-prefecture"),
    pytest.param("二本杉市", "072036", "072109", id="near-the-other-party"),
    pytest.param("郡山市", None, "072036", id="a-real-name-is-itself"),
])
def test_suggest_names_the_municipality_a_misprint_means(registry: Registry, printed: str, near: str | None,
                                                         meant: str) -> None:
    other = registry.municipalities[near] if near else None
    found = suggest(printed, registry, other)
    assert found is not None and found.code == meant


@pytest.mark.parametrize("printed", ["あいうえお市", "東京", "市", "銀河鉄道市"])
def test_suggest_offers_nothing_far_from_every_name(registry: Registry, printed: str) -> None:
    assert suggest(printed, registry) is None


def test_suggest_prefers_the_other_partys_prefecture(registry: Registry) -> None:
    # 府中市 is in 東京都 and 広島県; next to 福山市 (広島県) it is Hiroshima's.
    assert suggest("府中市", registry, registry.municipalities["342076"]).prefecture == "広島県"  # type: ignore[union-attr]


def test_both_unknown_parties_are_reported_at_once(registry: Registry) -> None:
    with pytest.raises(IngestError) as e:
        _parties("群山市及び二本杉市は、圏域を形成するため、締結する。", registry)
    problems = e.value.problems
    assert [p.line for p in problems] == [3, 3]
    assert "「群山市」は「郡山市」（福島県）の誤りではありませんか。" in problems[0].ja
    assert "「二本杉市」は「二本松市」（福島県）の誤りではありませんか。" in problems[1].ja
    assert "did you mean 二本松市 (福島県, 072109)?" in problems[1].en


def test_a_misprinted_party_is_reported_with_the_name_in_both_languages(registry: Registry) -> None:
    with pytest.raises(UnknownMunicipalityError) as e:
        _parties("郡山市及び須加川市は、圏域を形成するため、締結する。", registry)
    assert e.value.ja is not None and "「須加川市」は「須賀川市」（福島県）の誤りではありませんか。" in e.value.ja
    assert e.value.fix_ja is not None and "「須賀川市」" in e.value.fix_ja
    assert "did you mean 須賀川市" in e.value.message


def test_name_of_municipality_tells_a_real_municipality_that_is_no_party(registry: Registry) -> None:
    parties = _parties("郡山市及び二本松市は、圏域を形成するため、締結する。", registry)
    found = parties.name_of_municipality("本宮市")
    assert found is not None and found.code == "072141" and parties.code_for("本宮市") is None
    assert parties.name_of_municipality("伊達市").prefecture == "福島県"  # type: ignore[union-attr]
    assert parties.name_of_municipality("二本杉市") is None
    assert parties.suggest("二本杉市").code == "072109"  # type: ignore[union-attr]
