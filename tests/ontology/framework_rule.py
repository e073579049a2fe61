"""The framework matching rule of docs/framework.md, restated to check the data of framework.ttl.

This is a check of the keywords, not the implementation: the ingester's is
``kg/ingest/categorise.py``. Keeping a second, independent statement of the rule here means a
change to either the keywords or the rule that breaks the documented mapping is caught.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

# Older 例規 orthography prints the geminate 「っ」 as a large 「つ」 (「一体となつた」).
_OLD_SOKUON = re.compile(r"(?<=[\u3041-\u309f\u4e00-\u9fff])つ(?=[たてちと])")


def normalise(text: str) -> str:
    """NFKC, without whitespace, old-style large 「つ」 before た/て/ち/と read as 「っ」."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return _OLD_SOKUON.sub("っ", folded)


def notation_order(notation: str) -> tuple[tuple[int, int | str], ...]:
    """Document order of notations: 3.A before 3.A.1, 3.A.9 before 3.A.10, 2.c before 2.z."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in notation.split("."))


def keywords(graph: Graph) -> dict[str, set[str]]:
    """Notation → normalised Japanese pref-, alt- and hidden labels of every concept."""
    found: dict[str, set[str]] = {}
    for concept in graph.subjects(SKOS.notation, None):
        if not isinstance(concept, URIRef):
            continue
        labels = {normalise(str(o)) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                  for o in graph.objects(concept, p) if isinstance(o, Literal) and o.language == "ja"}
        found[str(graph.value(concept, SKOS.notation))] = labels
    return found


def _best(candidates: list[str], table: dict[str, set[str]], text: str) -> str | None:
    key = normalise(text)
    best: tuple[int, str] | None = None
    for notation in sorted(candidates, key=notation_order):
        length = max((len(k) for k in table[notation] if k and k in key), default=0)
        if length and (best is None or length > best[0]):  # strict: ties keep the earlier notation
            best = (length, notation)
    return best[1] if best else None


def category(table: dict[str, set[str]], pillar: str, title: str, content: str = "") -> str | None:
    """The notation of the category of an initiative under ``pillar``, or None."""
    below = [n for n in table if n.split(".")[0] == pillar and n != pillar]
    return _best(below, table, title) or _best(below, table, content)
