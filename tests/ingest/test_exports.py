"""The public surface of kg.ingest is declared once and complete (httpx's test_exported_members)."""

from __future__ import annotations

import importlib

import pytest

import kg.ingest

MODULES = [
    "kg.ingest", "kg.ingest.decode", "kg.ingest.numerals", "kg.ingest.dates", "kg.ingest.normalise",
    "kg.ingest.segment", "kg.ingest.parties", "kg.ingest.signatories", "kg.ingest.annex",
    "kg.ingest.annex.columns", "kg.ingest.annex.pillars", "kg.ingest.annex.table", "kg.ingest.annex.row",
    "kg.ingest.annex.ladder",
    "kg.ingest.annex.division", "kg.ingest.document", "kg.ingest.document.form", "kg.ingest.document.sniff",
    "kg.ingest.document.pdf", "kg.ingest.document.word", "kg.ingest.page", "kg.ingest.page_text", "kg.ingest.page_tree",
    "kg.ingest.amendment", "kg.ingest.build_amendment",
    "kg.ingest.categorise", "kg.ingest.build", "kg.ingest.excerpts", "kg.ingest.derivations", "kg.ingest.basis",
    "kg.ingest.structure", "kg.cli.ingest",
]


def test_api_names_are_those_others_call() -> None:
    assert set(kg.ingest.__all__) == {"IngestResult", "ingest_bytes", "ingest_file"}
    assert list(kg.ingest.IngestResult.__dataclass_fields__) == ["agreement", "graph_name", "graph", "layout",
                                                                 "source", "kind", "review"]


@pytest.mark.parametrize("name", MODULES)
def test_every_exported_name_exists_and_is_documented(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__ and module.__doc__.strip().splitlines()[0]
    for export in module.__all__:
        assert hasattr(module, export), f"{name}.__all__ names {export}, which does not exist"
