"""dates: era dates → calendar dates, impossible dates refused with their line."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.errors import DateError
from kg.ingest.dates import find_date, is_date_line


@pytest.mark.parametrize(("printed", "date"), [
    ("令和元年10月18日", dt.date(2019, 10, 18)),
    ("令和元年十月十八日", dt.date(2019, 10, 18)),
    ("令和４年３月２８日", dt.date(2022, 3, 28)),
    ("令和 4 年 3 月 28 日", dt.date(2022, 3, 28)),
    ("平成27年4月5日", dt.date(2015, 4, 5)),
    ("平成三十一年四月三十日", dt.date(2019, 4, 30)),
    ("昭和22年4月17日", dt.date(1947, 4, 17)),
    ("2019年10月18日", dt.date(2019, 10, 18)),
], ids=lambda v: str(v))
def test_find_date_converts_era_and_western_dates(printed: str, date: dt.date) -> None:
    found = find_date(f"締結日 {printed} 以降")
    assert found is not None and found.date == date and found.printed == printed


@pytest.mark.parametrize("printed", ["令和元年13月45日", "令和2年2月30日", "平成27年0月1日"])
def test_find_date_refuses_impossible_dates_naming_the_line(printed: str) -> None:
    with pytest.raises(DateError) as e:
        find_date(printed, file="x.txt", line=5)
    assert str(e.value).startswith("x.txt:5: impossible date") and printed in str(e.value)


@pytest.mark.parametrize("printed", ["令和元年4月30日", "平成31年5月1日", "昭和65年1月1日"])
def test_find_date_refuses_dates_outside_their_era(printed: str) -> None:
    with pytest.raises(DateError, match="outside the"):
        find_date(printed)


def test_find_date_returns_none_without_a_date() -> None:
    assert find_date("第1条 この連携協約は、…") is None


def test_is_date_line_only_for_a_date_standing_alone() -> None:
    assert is_date_line("令和元年10月18日") and is_date_line("　平成27年4月5日　")
    assert not is_date_line("要綱(平成26年8月25日付け総行市第200号)")
