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
from collections.abc import Iterable
from dataclasses import dataclass

from kg.errors import DateError, Problem, ProblemList
from kg.ingest.numerals import NUMERAL, to_int

__all__ = ["ERAS", "PrintedDate", "check_dates", "date_problems", "find_date", "is_date_line"]

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


_FIELD_JA = {"year": "年", "month": "月", "day": "日"}


def _value(text: str, what: str, printed: str) -> int:
    """The number in one field of a date, or a DateError naming the date."""
    value = to_int(text)
    if value is None:
        raise DateError(f"unreadable {what} {text!r} in date 「{printed}」",
                        ja=f"日付「{printed}」の{_FIELD_JA[what]}「{text}」が数として読めません。",
                        fix=f"write the {what} in digits or kanji numerals (令和元年10月18日)",
                        fix_ja="年月日を数字または漢数字で記載してください（例: 令和元年10月18日）。")
    return value


def find_date(text: str, *, file: str | None = None, line: int | None = None) -> PrintedDate | None:
    """The first date printed in ``text``; None if there is none.

    Raises :class:`DateError` (with ``file``/``line``) for an impossible date such as 13月45日
    or one outside its era (令和元年4月1日).
    """
    m = _DATE.search(text)
    return None if m is None else _read(m, file, line)


def _read(m: re.Match[str], file: str | None, line: int | None) -> PrintedDate:
    """The date ``m`` matched, or a :class:`DateError` (at ``file``:``line``) saying why it is none."""
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
            why = f"{month}月という月はありません" if not 1 <= month <= 12 else f"{month}月に{day}日はありません"
            raise DateError(f"impossible date 「{printed}」 (month {month}, day {day})",
                            ja=f"「{printed}」は存在しない日付です（{why}）。",
                            fix="check the month and day as printed in the signed text",
                            fix_ja="署名した原本と照らして、月と日を確かめてください。") from None
        if date < first or (last is not None and date > last):
            span = f"{first.isoformat()} to {last.isoformat() if last else 'today'}"
            span_ja = f"{_ja_date(first)}～{_ja_date(last) if last else ''}"
            raise DateError(f"「{printed}」 would be {date.isoformat()}, outside the {era} era ({span})",
                            ja=f"「{printed}」は西暦{date.year}年{date.month}月{date.day}日にあたり、"
                               f"{era}の期間（{span_ja}）の外です。",
                            fix="check the era and the year (平成31年4月30日 was followed by 令和元年5月1日)",
                            fix_ja="元号と年を確かめてください（平成31年4月30日の翌日が令和元年5月1日です）。")
    except DateError as e:
        raise DateError(e.message, file=file, line=line, ja=e.ja, fix=e.fix_en, fix_ja=e.fix_ja) from None
    return PrintedDate(printed=printed, date=date)


def _ja_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def date_problems(lines: Iterable[tuple[int, str]], file: str) -> list[Problem]:
    """Every impossible or unreadable date printed in ``lines`` ((number, text) pairs), each at its line.

    A reader that stops at the first bad date tells a clerk of one; this tells of all of them.

    >>> lines = [(3, "令和2年2月30日"), (4, "令和元年10月18日"), (9, "13月45日 令和元年13月45日")]
    >>> [p.line for p in date_problems(lines, "a.txt")]
    [3, 9]
    """
    found = ProblemList(file)
    for number, text in lines:
        for m in _DATE.finditer(text):
            try:
                _read(m, file, number)
            except DateError as e:
                found.extend(e)
    return list(found)


def check_dates(lines: Iterable[tuple[int, str]], file: str) -> None:
    """Raise :class:`~kg.errors.IngestProblems` naming every bad date in ``lines``, if there is one."""
    found = ProblemList(file)
    found.items.extend(date_problems(lines, file))
    found.raise_if_any()


def is_date_line(text: str) -> bool:
    """True if the whole line is one date (a signing or publication date standing alone)."""
    m = _DATE.fullmatch(text.strip())
    return m is not None
