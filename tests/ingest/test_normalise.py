"""normalise: the matching key folds printing variants, and only the key."""

from __future__ import annotations

import pytest

from kg.ingest.normalise import key


@pytest.mark.parametrize(("a", "b"), [
    ("産学金官民一体となつた", "産学金官民一体となった"),
    ("I C T インフラ", "ICTインフラ"),
    ("ＩＣＴ", "ICT"),
    ("品川 萬里", "品川萬里"),
    ("第１条", "第1条"),
    ("従つて", "従って"),
])
def test_key_folds_printing_variants(a: str, b: str) -> None:
    assert key(a) == key(b)


def test_key_keeps_a_real_tsu() -> None:
    assert key("つくば市") == "つくば市"
