"""numerals: the printed forms of numbers in agreement texts."""

from __future__ import annotations

import pytest

from kg.ingest.numerals import to_int


@pytest.mark.parametrize(("printed", "value"), [
    ("3", 3), ("12", 12), ("３", 3), ("１２", 12), ("三", 3), ("十", 10), ("十八", 18), ("二十", 20),
    ("二十三", 23), ("百", 100), ("百二", 102), ("二百五十二", 252), ("千", 1000), ("二千十九", 2019),
    ("二〇一九", 2019), ("元", 1),
], ids=lambda v: str(v))
def test_to_int_reads_half_width_full_width_and_kanji(printed: str, value: int) -> None:
    assert to_int(printed) == value


@pytest.mark.parametrize("printed", ["", "a", "3a", "十百", "二三十", "第3"])
def test_to_int_refuses_what_is_not_one_number(printed: str) -> None:
    assert to_int(printed) is None
