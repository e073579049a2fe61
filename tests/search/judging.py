"""The judged query set (judged.json) and the measures a ranking is judged by: nDCG@10 and precision@5.

A hit stands for its initiative or article: a role's hit counts for its initiative, a paragraph's or an
item's for its article (the units judged.json lists, relative to the base IRI).

>>> units([BASE + "agreement/a/initiative/1-4/role/1", BASE + "agreement/a/initiative/1-4", BASE + "x"])
['agreement/a/initiative/1-4', 'x']
>>> round(ndcg(["a", "x", "b"], {"a", "b"}), 3)
0.92
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

__all__ = ["BASE", "JUDGED", "judged", "ndcg", "precision", "units"]

JUDGED = Path(__file__).with_name("judged.json")
BASE = "https://w3id.org/renkei/id/"
_UNIT = re.compile(r"/(?:role|paragraph|item|category)/.*$")


def judged() -> list[tuple[str, set[str]]]:
    """Each judged query and the units judged relevant to it."""
    doc = json.loads(JUDGED.read_text(encoding="utf-8"))
    return [(q["query"], set(q["relevant"])) for q in doc["queries"]]


def units(subjects: list[str]) -> list[str]:
    """The initiatives and articles the hits stand for, in rank order, each once (relative IRIs)."""
    out: list[str] = []
    for s in subjects:
        unit = _UNIT.sub("", s.removeprefix(BASE))
        if unit not in out:
            out.append(unit)
    return out


def ndcg(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    """Normalised discounted cumulative gain at ``k``, binary relevance."""
    gain = sum(1 / math.log2(i + 2) for i, u in enumerate(ranked[:k]) if u in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0


def precision(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    """Precision at ``k``, out of the relevant units there are when fewer than ``k`` (0 for no hits)."""
    top = ranked[:k]
    return sum(u in relevant for u in top) / min(k, max(len(relevant), 1)) if top else 0.0
