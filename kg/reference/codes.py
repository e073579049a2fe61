"""全国地方公共団体コード: six digits, the last a check digit (総務省の定め).

The check digit: multiply digits 1–5 by 6, 5, 4, 3, 2; sum; take the remainder by 11;
the digit is the last digit of 11 minus the remainder (remainder 0 → 1, remainder 1 → 0).

>>> check_digit("07203")
'6'
>>> is_valid_code("072036"), is_valid_code("072037")
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["check_digit", "is_valid_code", "standard_area_code"]

_SIX = re.compile(r"[0-9]{6}")


def check_digit(code5: str) -> str:
    """The check digit of a 5-digit JIS X 0402 code."""
    if not re.fullmatch(r"[0-9]{5}", code5):
        raise ValueError(f"not a 5-digit code: {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def is_valid_code(code: str) -> bool:
    """True for six ASCII digits whose last is the check digit of the first five."""
    return bool(_SIX.fullmatch(code)) and check_digit(code[:5]) == code[5]


def standard_area_code(code: str) -> str:
    """The e-Stat 標準地域コード: the first five digits."""
    return code[:5]
