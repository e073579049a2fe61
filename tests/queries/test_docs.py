"""docs/queries.md lists the library as it is."""

from __future__ import annotations

from kg.querylib import QueryDoc

from .docs import DOCS_PATH, updated_docs


def test_docs_table_is_up_to_date(library: list[QueryDoc]) -> None:
    text = DOCS_PATH.read_text(encoding="utf-8")
    assert updated_docs(text, library) == text, \
        "docs/queries.md is out of date: run python -m tests.queries.regen"


def test_docs_table_links_every_query_file(library: list[QueryDoc]) -> None:
    text = DOCS_PATH.read_text(encoding="utf-8")
    for doc in library:
        assert f"](../queries/{doc.path.name})" in text
