"""Each example query says what it answers on the published dataset, and says it truly.

The published dataset is what ``kg build`` makes of ``data/`` (today one agreement and the area
registry); a query's header states its answer there (``published-rows``) and what that answer
means (``published-ja`` / ``published-en``), which the query page and docs/queries.md show. Built
here into a temporary directory, as the server tests build it, and every query is held to its
claim, whatever the number of queries.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.querylib import QueryDoc, load_queries

from .dataset import QUERIES_DIR
from .results import answer_size

NUMBERS = [d.number for d in load_queries(QUERIES_DIR)]


def _doc(library: list[QueryDoc], number: str) -> QueryDoc:
    return next(d for d in library if d.number == number)


@pytest.mark.parametrize("number", NUMBERS)
def test_query_states_its_answer_on_the_published_dataset(library: list[QueryDoc], number: str) -> None:
    doc = _doc(library, number)
    assert doc.published_rows is not None and doc.published_ja and doc.published_en, (
        f"{doc.path.name} does not say what it answers on the published dataset: add the header keys "
        "published-rows, published-ja and published-en (docs/queries.md, 'The file format')")


@pytest.mark.parametrize("number", NUMBERS)
def test_published_answer_is_as_stated(library: list[QueryDoc], published: ox.Store, number: str) -> None:
    doc = _doc(library, number)
    if doc.published_rows is None:
        pytest.fail(f"{doc.path.name} states no published-rows")
    answer = answer_size(published, doc)
    assert doc.published_holds(answer), (
        f"{doc.path.name} says published-rows: {doc.published_rows}, but the published dataset answers "
        f"{answer}: correct the header (published-rows and the sentences published-ja / published-en)")


def test_an_empty_published_answer_says_why_and_where_to_try(library: list[QueryDoc]) -> None:
    """An example that needs more agreements than are published says so instead of an empty table."""
    empty = [d for d in library if d.published_rows in ("0", "false") and d.form != "ASK"]
    assert empty, "no query is empty on the published dataset: is this test still needed?"
    for doc in empty:
        assert "0行" in (doc.published_ja or "") and "デモデータ" in (doc.published_ja or ""), doc.path.name
        assert "No rows" in (doc.published_en or "") and "demo data" in (doc.published_en or ""), doc.path.name


def test_published_claim_is_checked_against_the_real_answer(library: list[QueryDoc]) -> None:
    """The check can fail: a claim of one row more than any answer does not hold."""
    doc = next(d for d in library if d.published_rows is not None and d.published_rows.isdigit())
    stated = int(doc.published_rows or "")
    assert doc.published_holds(stated)
    assert not doc.published_holds(stated + 1)
    assert not doc.published_holds(bool(stated))
