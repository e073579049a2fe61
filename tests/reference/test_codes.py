"""Check digits of 全国地方公共団体コード (kg/reference/codes.py)."""

import csv
from pathlib import Path

import pytest

from kg.reference.codes import check_digit, is_valid_code, standard_area_code

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("code5", "digit"), [("07203", "6"), ("07210", "9"), ("07000", "9"),
                                              ("28201", "4"), ("43100", "1")])
def test_check_digit_matches_published_codes(code5: str, digit: str) -> None:
    assert check_digit(code5) == digit


def test_check_digit_maps_remainder_zero_to_one_and_one_to_zero() -> None:
    # Find 5-digit codes whose weighted sum leaves remainder 0 and 1 (the two special cases).
    def rem(c: str) -> int:
        return sum(int(d) * w for d, w in zip(c, (6, 5, 4, 3, 2), strict=True)) % 11

    r0 = next(f"{n:05d}" for n in range(100000) if rem(f"{n:05d}") == 0)
    r1 = next(f"{n:05d}" for n in range(100000) if rem(f"{n:05d}") == 1)
    assert check_digit(r0) == "1" and check_digit(r1) == "0"


@pytest.mark.parametrize("bad", ["072037", "07203", "0720366", "O72036", "０７２０３６", ""])
def test_is_valid_code_rejects_wrong_digit_length_and_non_ascii(bad: str) -> None:
    assert not is_valid_code(bad)


def test_every_code_in_the_municipality_table_has_a_valid_check_digit() -> None:
    with (ROOT / "data/reference/municipalities.csv").open(encoding="utf-8") as f:
        codes = [r["code"] for r in csv.DictReader(f)]
    assert len(codes) == 1788
    assert [c for c in codes if not is_valid_code(c)] == []


def test_standard_area_code_is_the_first_five_digits() -> None:
    assert standard_area_code("072036") == "07203"
