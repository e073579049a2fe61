"""Two agreements side by side: initiatives aligned by framework category, wording diffed by character.

``compare(source, ids, "072036-072109-2019-10-18", "431001-432083-2022-03-28")`` resolves both
names (an IRI or a key), reads both agreements from a :class:`SparqlSource` and aligns them
(:mod:`kg.compare.align`); :func:`to_json` and :func:`to_csv` give the documented output shapes
(docs/compare.md). The terminal table is drawn by ``kg compare``, the HTML page by ``/compare``.
"""

from __future__ import annotations

from kg.compare.align import TITLE_THRESHOLD, align
from kg.compare.export import CSV_COLUMNS, SCHEMA_VERSION, to_csv, to_json
from kg.compare.model import (
    FIELDS,
    Agreement,
    Comparison,
    Concept,
    Initiative,
    Lead,
    Match,
    Party,
    Role,
    Row,
    notation_key,
)
from kg.compare.read import UnknownAgreementError, agreement_keys, read_agreement, resolve
from kg.compare.source import PREFIXES, SparqlSource, StoreSource
from kg.namespaces import Ids

__all__ = [
    "CSV_COLUMNS", "FIELDS", "PREFIXES", "SCHEMA_VERSION", "TITLE_THRESHOLD", "Agreement", "Comparison", "Concept",
    "Initiative", "Lead", "Match", "Party", "Role", "Row", "SparqlSource", "StoreSource",
    "UnknownAgreementError", "agreement_keys", "align", "compare", "notation_key", "read_agreement",
    "resolve", "to_csv", "to_json",
]


def compare(source: SparqlSource, ids: Ids, a: str, b: str) -> Comparison:
    """``kg compare A B``: resolve both names, read both agreements, align them."""
    iri_a, iri_b = resolve(source, ids, a), resolve(source, ids, b)
    return align(read_agreement(source, ids, iri_a), read_agreement(source, ids, iri_b))
