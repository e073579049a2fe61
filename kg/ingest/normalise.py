"""A matching key for Japanese text; the printed text itself is never altered.

The key folds what varies between printings of the same words: full- and half-width forms
(NFKC: 「ＩＣＴ」, 「I C T」 → 「ICT」 once spaces go), spaces, and the large 「つ」 that older
legal orthography prints for the small 「っ」 (「一体となつた」 = 「一体となった」; 常用漢字表 and
公用文 rules adopted the small っ, but 例規 texts keep the old form).

>>> key("産学金官民一体となつた") == key("産学金官民 一体となった")
True
>>> key("I C T インフラ")
'ICTインフラ'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["key"]

# A large つ between a kana or kanji and た/て/ち/と is the old spelling of a geminate
# (なつた, よつて, 従つて, 行つた). Words with a real つ there (伝える as つたえる) do not occur
# in agreement text, and the key is only ever used for matching, so the rule may be greedy.
_OLD_SOKUON = re.compile(r"(?<=[\u3041-\u309f\u4e00-\u9fff])つ(?=[たてちと])")


def key(text: str) -> str:
    """NFKC, no whitespace, old-style large 「つ」 as 「っ」."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return _OLD_SOKUON.sub("っ", folded)
