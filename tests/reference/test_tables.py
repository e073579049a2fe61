"""The reference registry: municipalities, areas, memberships, people (kg/reference/tables.py)."""

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from kg.errors import ReferenceDataError
from kg.reference.tables import load_registry
from tests.shared import shared_dir

ROOT = Path(__file__).resolve().parents[2]
REF = ROOT / "data" / "reference"


@pytest.fixture(scope="module")
def reg():
    return load_registry(REF)


def test_founding_parties_resolve_to_their_codes(reg) -> None:
    assert [m.code for m in reg.municipalities_named("郡山市")] == ["072036"]
    assert [m.code for m in reg.municipalities_named("二本松市")] == ["072109"]
    assert reg.municipalities["072036"].prefecture_code == "070009"


def test_name_lookup_ignores_spaces_and_width(reg) -> None:
    assert [m.code for m in reg.municipalities_named("二本松 市")] == ["072109"]


def test_ambiguous_name_is_narrowed_by_prefecture(reg) -> None:
    assert len(reg.municipalities_named("伊達市")) == 2
    assert [m.code for m in reg.municipalities_named("伊達市", "福島県")] == ["072133"]


def test_area_found_by_printed_name(reg) -> None:
    area = reg.area_named("こおりやま広域連携中枢都市圏")
    assert area is not None and area.slug == "koriyama"


def test_mayor_identified_by_office_and_date_when_printed_name_differs(reg) -> None:
    p = reg.office_holder("072109", dt.date(2019, 10, 18), printed_name="三保、忠一")
    assert p is not None and p.name == "三保恵一"


def test_mayor_identified_by_printed_name_without_known_term(reg) -> None:
    p = reg.office_holder("072036", dt.date(2019, 10, 18), printed_name="品川 萬里")
    assert p is not None and p.slug == "shinagawa-masato"


def test_bad_check_digit_in_table_is_reported_with_file_and_line(tmp_path: Path) -> None:
    for name in ("areas.csv", "people.csv"):
        (tmp_path / name).write_text((REF / name).read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    (tmp_path / "municipalities.csv").write_text(
        "code,prefecture,name,kind,kana\n072036,福島県,郡山市,city,ｺｵﾘﾔﾏｼ\n072037,福島県,偽市,city,ﾆｾｼ\n", "utf-8")
    with pytest.raises(ReferenceDataError) as e:
        load_registry(tmp_path)
    assert "municipalities.csv:3" in str(e.value) and "072037" in str(e.value)


def _memberships() -> list[dict[str, str]]:
    with (REF / "memberships.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_registry_membership_is_kept_with_a_code_and_a_source() -> None:
    rows = _memberships()
    domain = shared_dir() / "domain"
    registry = 0
    for name in ("areas.csv", "areas-additions.csv"):  # the registry and its additions (issue 12, point 7)
        with (domain / name).open(encoding="utf-8") as f:
            registry += sum(1 for _ in csv.DictReader(f))
    # every registry row, plus 高知県 as a partner (domain/framework.md)
    assert sum(1 for r in rows if r["role"] != "central") == registry + 1
    assert all(r["code"] and r["source"] for r in rows)


def test_registry_has_37_areas_one_with_two_central_cities_and_a_prefecture_partner(reg) -> None:
    rows = _memberships()
    assert len(reg.areas) == 37  # 32 of areas.csv, 4 of areas-additions.csv, the single-city 下関
    centrals = Counter(r["area"] for r in rows if r["role"] == "central")
    assert centrals["yamaguchi-kenou"] == 2
    assert sum(1 for a in reg.areas if centrals[a] == 0) == 1  # とやま呉西: central not stated
    assert any(reg.municipalities[r["code"]].kind == "prefecture" for r in rows if r["role"] == "partner")


def test_some_municipalities_belong_to_two_areas() -> None:
    per_code = Counter((r["code"]) for r in _memberships())
    assert {"342041"} <= {c for c, n in per_code.items() if n > 1}  # 三原市: 広島広域 and 備後


def test_members_and_areas_of_read_the_membership_table(reg) -> None:
    koriyama = reg.members("koriyama")
    assert koriyama[0].role == "central" and koriyama[0].code == "072036"
    assert {m.area for m in reg.areas_of("342041")} == {"hiroshima", "bingo"}
    nihonmatsu = next(m for m in koriyama if m.code == "072109")
    assert nihonmatsu.agreement_date == dt.date(2019, 10, 18)
