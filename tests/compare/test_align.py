"""Alignment: by category, then broader/narrower category, then title; the rest one-sided."""

from __future__ import annotations

import itertools

import pytest

from kg.compare import (
    Agreement,
    Comparison,
    Concept,
    Initiative,
    Party,
    Role,
    StoreSource,
    UnknownAgreementError,
    align,
    compare,
    resolve,
)
from kg.namespaces import Ids

from .conftest import FIXTURES, HIMEJI, KORIYAMA, KUMAMOTO, fixture_texts


def test_fixture_folder_yields_the_samples() -> None:
    assert len(fixture_texts()) >= 3, f"no sample texts in {FIXTURES}"


@pytest.fixture(scope="module")
def founding_vs_t3(source: StoreSource, ids: Ids) -> Comparison:
    return compare(source, ids, KORIYAMA, KUMAMOTO)


def test_founding_and_t3_share_these_categories(founding_vs_t3: Comparison) -> None:
    # 「地域医療・福祉・子育ての充実」 falls under 3.A.1 and 3.A.3 (issue 9), so T3's 子育て支援 is shared.
    assert founding_vs_t3.shared_categories == ["1.a", "1.b", "1.d", "2.a", "2.b", "3.A.3", "3.A.4", "3.A.7"]
    assert founding_vs_t3.only_a_categories == [
        "1.c", "2.c", "3.A.1", "3.A.5", "3.A.6", "3.A.8", "3.B.1", "3.B.2", "3.B.3", "3.B.4", "3.B.5", "3.C"]
    assert founding_vs_t3.only_b_categories == ["3.C.1"]


def test_shared_categories_are_aligned_pairwise(founding_vs_t3: Comparison) -> None:
    pairs = {r.category.notation: (r.a.title, r.b.title) for r in founding_vs_t3.rows
             if r.match == "category" and r.a and r.b and r.category}
    assert set(pairs) == set(founding_vs_t3.shared_categories)
    assert pairs["2.a"] == ("高度な医療サービスの提供", "高度な医療サービスの提供")
    assert pairs["3.A.7"] == ("災害対策・住民の安全安心確保", "災害時の相互応援体制の構築")


def test_initiatives_only_one_side_has_are_listed(founding_vs_t3: Comparison) -> None:
    only_a = [r.a.title for r in founding_vs_t3.rows if r.match == "only_a" and r.a]
    only_b = [r.b.title for r in founding_vs_t3.rows if r.match == "only_b" and r.b]
    assert "I C T インフラの整備" in only_a and "地域公共交通の充実" in only_a
    assert only_b == []  # 子育て支援の充実 pairs with 地域医療・福祉・子育ての充実 on 3.A.3


def test_a_category_and_its_narrower_one_are_paired(founding_vs_t3: Comparison) -> None:
    [row] = [r for r in founding_vs_t3.rows if r.match == "broader"]
    assert row.a and row.b and row.a.category and row.b.category
    assert (row.a.category.notation, row.b.category.notation) == ("3.C", "3.C.1")
    assert (row.a.title, row.b.title) == ("圏域マネジメント能力の強化", "職員の人材育成")


def test_lead_difference_is_flagged(founding_vs_t3: Comparison) -> None:
    # 郡山市 「…に主体的に取り組む」 leads; 熊本市 「合同研修を企画し、実施する。」 does not say so.
    [row] = [r for r in founding_vs_t3.rows if r.lead_differs]
    assert row.a and row.b and (row.a.lead, row.b.lead) == ("central", "none")


def test_pairs_carry_the_diff_of_each_field(founding_vs_t3: Comparison) -> None:
    row = next(r for r in founding_vs_t3.rows if r.category and r.category.notation == "2.a")
    assert [s.op for s in row.diffs["title"]] == ["equal"]
    partner = row.diffs["partner_role"]
    assert ("delete", "郡山市") in [(s.op, s.text) for s in partner]
    assert ("insert", "甲") in [(s.op, s.text) for s in partner]


def test_rows_follow_framework_order(founding_vs_t3: Comparison) -> None:
    notations = [r.concept.notation for r in founding_vs_t3.rows if r.concept]
    assert notations[0] == "1.a" and notations[-1].startswith("3.C")


@pytest.mark.parametrize(("a", "b"), list(itertools.permutations([KORIYAMA, KUMAMOTO, HIMEJI], 2)),
                         ids=lambda k: k[:13])
def test_every_initiative_is_in_exactly_one_row(source: StoreSource, ids: Ids, a: str, b: str) -> None:
    c = compare(source, ids, a, b)
    seen_a = [r.a.iri for r in c.rows if r.a]
    seen_b = [r.b.iri for r in c.rows if r.b]
    assert sorted(seen_a) == sorted(i.iri for i in c.a.initiatives)
    assert sorted(seen_b) == sorted(i.iri for i in c.b.initiatives)


def test_an_agreement_compared_with_itself_differs_nowhere(source: StoreSource, ids: Ids) -> None:
    c = compare(source, ids, KORIYAMA, KORIYAMA)
    assert {r.match for r in c.rows} == {"category"}
    assert all(s.op == "equal" for r in c.rows for segs in r.diffs.values() for s in segs)


# ─── resolving names ─────────────────────────────────────────────────────────────────────────

def test_names_are_keys_or_iris(source: StoreSource, ids: Ids) -> None:
    iri = str(ids.id("agreement/" + KORIYAMA))
    assert resolve(source, ids, KORIYAMA) == iri
    assert resolve(source, ids, iri) == iri


def test_unknown_agreement_names_close_matches(source: StoreSource, ids: Ids) -> None:
    with pytest.raises(UnknownAgreementError) as caught:
        resolve(source, ids, "072036-072109-2019-10-19")
    assert "072036-072109-2019-10-19" in str(caught.value) and KORIYAMA in str(caught.value)
    assert caught.value.http_status == 404


def test_part_of_a_key_suggests_the_agreements_that_contain_it(source: StoreSource, ids: Ids) -> None:
    with pytest.raises(UnknownAgreementError, match=KUMAMOTO):
        resolve(source, ids, "431001")


# ─── the title pass, on agreements made in the test ──────────────────────────────────────────

P3 = Concept("fw/3", "3", "生活関連機能サービス")
DISASTER = Concept("fw/3.A.7", "3.A.7", "災害対策", frozenset({"fw/3.A", "fw/3"}))


def initiative(iri: str, title: str, category: Concept | None, lead: bool = True) -> Initiative:
    return Initiative(iri, iri, title, "", P3, category, Role("役割", lead), Role("役割", False))


def agreement(key: str, *initiatives: Initiative) -> Agreement:
    party = Party("m/1", "000001", "甲市")
    return Agreement(key, key, key, "2020-01-01", party, Party("m/2", "000002", "乙町"), None, None,
                     tuple(initiatives))


def test_an_uncategorised_initiative_is_paired_by_title_within_its_pillar() -> None:
    a = agreement("a", initiative("a1", "災害時の相互応援体制の構築", DISASTER))
    b = agreement("b", initiative("b1", "災害時における相互応援体制の構築", None))
    [row] = align(a, b).rows
    assert row.match == "title" and row.similarity is not None and row.similarity > 0.8


def test_titles_too_unlike_stay_apart() -> None:
    a = agreement("a", initiative("a1", "災害時の相互応援体制の構築", DISASTER))
    b = agreement("b", initiative("b1", "図書館の相互利用", None))
    assert sorted(r.match for r in align(a, b).rows) == ["only_a", "only_b"]


def test_within_a_category_the_most_alike_titles_pair() -> None:
    a = agreement("a", initiative("a1", "防災訓練の合同実施", DISASTER),
                  initiative("a2", "災害時の物資の融通", DISASTER))
    b = agreement("b", initiative("b1", "災害時における物資の融通", DISASTER))
    rows = align(a, b).rows
    paired = [(r.a.iri, r.b.iri) for r in rows if r.a and r.b]
    assert paired == [("a2", "b1")]
    assert [r.a.iri for r in rows if r.match == "only_a" and r.a] == ["a1"]
