"""Align the initiatives of two agreements by framework category, then by title within a pillar.

1. ``category``: initiatives that carry the same ``renkei:category`` are paired; where one side
   has several in a category, the pairs with the most alike titles win (greedy on
   :func:`kg.compare.textdiff.similarity`);
2. ``broader``: of what is left, initiatives whose categories are broader and narrower
   (``skos:broader``, transitively: 3.C and 3.C.1) are paired the same way;
3. ``title``: an initiative without a category is paired with an unpaired one of the same pillar
   on the other side when their normalised titles are at least :data:`TITLE_THRESHOLD` alike;
4. what is left is listed as only in A (``only_a``) or only in B (``only_b``).

Each initiative is in at most one row, so the rows account for every initiative of both sides.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.compare.model import Agreement, Comparison, Concept, Initiative, Match, Role, Row, notation_key
from kg.compare.textdiff import diff, similarity

__all__ = ["TITLE_THRESHOLD", "align"]

#: Least title similarity (0–1, after normalisation) for pairing initiatives by title (pass 2).
TITLE_THRESHOLD = 0.5


def _pair(row_a: Initiative, row_b: Initiative, match: Match) -> Row:
    on = _shared(row_a, row_b) if match == "category" else _related(row_a, row_b) if match == "broader" else None
    def roles(r: Role | None) -> str:
        return r.text if r else ""

    return Row(match, row_a, row_b, round(similarity(row_a.title, row_b.title), 3), {
        "title": diff(row_a.title, row_b.title),
        "content": diff(row_a.content, row_b.content),
        "central_role": diff(roles(row_a.central_role), roles(row_b.central_role)),
        "partner_role": diff(roles(row_a.partner_role), roles(row_b.partner_role)),
    }, on)


def _greedy(left: list[Initiative], right: list[Initiative], threshold: float,
            allowed: Callable[[Initiative, Initiative], bool] | None = None,
            ) -> list[tuple[Initiative, Initiative]]:
    """Pairs with the most alike titles first; each initiative in at most one pair."""
    scored = sorted(((similarity(x.title, y.title), n, m) for n, x in enumerate(left)
                     for m, y in enumerate(right) if allowed is None or allowed(x, y)),
                    key=lambda t: (-t[0], t[1], t[2]))
    used_l: set[int] = set()
    used_r: set[int] = set()
    out = []
    for score, n, m in scored:
        if score < threshold or n in used_l or m in used_r:
            continue
        used_l.add(n)
        used_r.add(m)
        out.append((left[n], right[m]))
    return out


Allowed = Callable[[Initiative, Initiative], bool]


def _shared(x: Initiative, y: Initiative) -> Concept | None:
    """The first category (in framework order) both initiatives fall under, if any."""
    theirs = {c.iri for c in y.categories}
    return next((c for c in x.categories if c.iri in theirs), None)


def _related(x: Initiative, y: Initiative) -> Concept | None:
    """The first category of ``x`` that is broader or narrower than one of ``y``'s, if any."""
    return next((c for c in x.categories if any(c.related(d) for d in y.categories)), None)


def _same_category(x: Initiative, y: Initiative) -> bool:
    return _shared(x, y) is not None


def _related_category(x: Initiative, y: Initiative) -> bool:
    return _related(x, y) is not None


def _same_pillar_one_uncategorised(x: Initiative, y: Initiative) -> bool:
    return (x.category is None or y.category is None) and x.pillar is not None and (
        y.pillar is not None and x.pillar.iri == y.pillar.iri)


#: The passes in order: how a pair is called, which pairs it may make, how alike titles must be.
PASSES: tuple[tuple[Match, Allowed, float], ...] = (
    ("category", _same_category, -1.0),
    ("broader", _related_category, -1.0),
    ("title", _same_pillar_one_uncategorised, TITLE_THRESHOLD),
)


def align(a: Agreement, b: Agreement) -> Comparison:
    """Align the initiatives of ``a`` and ``b`` (module docstring) into rows in framework order."""
    rows: list[Row] = []
    paired: set[str] = set()
    for match, allowed, threshold in PASSES:
        left = [i for i in a.initiatives if i.iri not in paired]
        right = [i for i in b.initiatives if i.iri not in paired]
        for x, y in _greedy(left, right, threshold, allowed):
            rows.append(_pair(x, y, match))
            paired |= {x.iri, y.iri}
    rows += [Row("only_a", i, None) for i in a.initiatives if i.iri not in paired]
    rows += [Row("only_b", None, i) for i in b.initiatives if i.iri not in paired]
    pos = {i.iri: n for n, i in enumerate(a.initiatives + b.initiatives)}

    def order(r: Row) -> tuple[object, ...]:
        concept = r.concept
        first = r.a if r.a is not None else r.b
        assert first is not None
        return (notation_key(concept.notation) if concept else ((1 << 30, ""),), pos[first.iri])

    return Comparison(a, b, tuple(sorted(rows, key=order)))
