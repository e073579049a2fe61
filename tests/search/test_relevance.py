"""The ranking meets its measure on the judged query set (judged.json): a bad ranking fails here."""

from __future__ import annotations

import statistics

import pytest

from kg.search.index import SearchIndex

from .judging import judged, ndcg, precision, units

#: The measures the ranking must meet, averaged over the judged queries. Measured when set: nDCG@10 0.967,
#: precision@5 0.973 (人材育成 is the low one: five of its relevant texts print 人材の育成, which a
#: substring search does not find). The same hits in the order of their IRIs score 0.916 and 0.960,
#: in reverse rank order 0.879 and 0.960: both fail.
MIN_NDCG = 0.95
MIN_PRECISION = 0.95


def _ranked(index: SearchIndex, query: str) -> list[str]:
    return units([h.subject for h in index.search(query, 50)])


def test_the_judged_set_is_the_one_documented() -> None:
    queries = judged()
    assert 10 <= len(queries) <= 20
    assert all(relevant for _, relevant in queries)


def test_mean_ndcg_and_precision_meet_the_measure(index: SearchIndex) -> None:
    scores = [(q, ndcg(_ranked(index, q), rel), precision(_ranked(index, q), rel)) for q, rel in judged()]
    mean_ndcg = statistics.mean(s[1] for s in scores)
    mean_p5 = statistics.mean(s[2] for s in scores)
    detail = ", ".join(f"{q} {n:.2f}/{p:.2f}" for q, n, p in scores)
    assert mean_ndcg >= MIN_NDCG, f"mean nDCG@10 {mean_ndcg:.3f} < {MIN_NDCG}: {detail}"
    assert mean_p5 >= MIN_PRECISION, f"mean precision@5 {mean_p5:.3f} < {MIN_PRECISION}: {detail}"


@pytest.mark.parametrize(("query", "relevant"), judged(), ids=[q for q, _ in judged()])
def test_the_first_hit_is_relevant(index: SearchIndex, query: str, relevant: set[str]) -> None:
    ranked = _ranked(index, query)
    assert ranked, f"{query}: no hit"
    assert ranked[0] in relevant, f"{query}: first hit {ranked[0]} was not judged relevant"
