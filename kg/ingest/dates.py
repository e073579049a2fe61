"""Era dates (令和元年10月18日) and Western dates (2019年10月18日) → :class:`datetime.date`.

Japanese era years count from 1 (元年) in the year the era began; an era date is only valid
between the era's first and last day (元号法 and the 改元 政令: 昭和 1926-12-25, 平成 1989-01-08,
令和 2019-05-01).

>>> d = find_date("令和元年10月18日")
>>> d.date, d.printed
(datetime.date(2019, 10, 18), '令和元年10月18日')
>>> find_date("平成二十七年四月五日").date
datetime.date(2015, 4, 5)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.errors import DateError
from kg.ingest.numerals import NUMERAL, to_int

__all__ = ["ERAS", "PrintedDate", "find_date", "is_date_line"]

#: Era name → (first day, last day or None for the current era).
ERAS: dict[str, tuple[dt.date, dt.date | None]] = {
    "昭和": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "平成": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "令和": (dt.date(2019, 5, 1), None),
}

_SP = r"[ \u3000]*"
_DATE = re.compile(
    rf"(?:(?P<era>{'|'.join(ERAS)}){_SP}(?P<eyear>{NUMERAL})|(?P<year>[0-9０-９]{{4}})){_SP}年{_SP}"
    rf"(?P<month>{NUMERAL}){_SP}月{_SP}(?P<day>{NUMERAL}){_SP}日"
)


@dataclass(frozen=True)
class PrintedDate:
    """A date as printed and as a calendar date."""

    printed: str
    date: dt.date


def _value(text: str, what: str, printed: str) -> int:
    """The number in one field of a date, or a DateError naming the date."""
    value = to_int(text)
    if value is None:
        raise DateError(f"unreadable {what} {text!r} in date 「{printed}」")
    return value


def find_date(text: str, *, file: str | None = None, line: int | None = None) -> PrintedDate | None:
    """The first date printed in ``text``; None if there is none.

    Raises :class:`DateError` (with ``file``/``line``) for an impossible date such as 13月45日
    or one outside its era (令和元年4月1日).
    """
    m = _DATE.search(text)
    if m is None:
        return None
    printed = m.group(0)
    try:
        if m["era"]:
            era = m["era"]
            first, last = ERAS[era]
            year = first.year + _value(m["eyear"], "year", printed) - 1
        else:
            era, first, last = "", dt.date.min, None
            year = _value(m["year"], "year", printed)
        month, day = _value(m["month"], "month", printed), _value(m["day"], "day", printed)
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise DateError(f"impossible date 「{printed}」 (month {month}, day {day})") from None
        if date < first or (last is not None and date > last):
            span = f"{first.isoformat()} to {last.isoformat() if last else 'today'}"
            raise DateError(f"「{printed}」 would be {date.isoformat()}, outside the {era} era ({span})")
    except DateError as e:
        raise DateError(e.message, file=file, line=line) from None
    return PrintedDate(printed=printed, date=date)


def is_date_line(text: str) -> bool:
    """True if the whole line is one date (a signing or publication date standing alone)."""
    m = _DATE.fullmatch(text.strip())
    return m is not None
