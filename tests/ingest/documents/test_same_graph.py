"""The same agreement as a text, a text PDF and a Word document gives the same graph, provenance aside
(issue 10, "Done when"): every layout's fixture and every fresh text (tests/data/ingest/fresh, fresh9),
in every annex arrangement they have (one 別表 split by pillar headings, one per pillar, 分野/基本方針
columns merged down the rows, 区分 tables, inline ladders, a table over a page break with its header
repeated, a header per page, two-row headers, headings between rows)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.ingest import IngestResult, ingest_bytes, ingest_file
from kg.settings import Settings

from ..helpers import BY_LAYOUT, DATA
from .conftest import Render, without_provenance

AMENDMENT = DATA / "amendment-koriyama-nihonmatsu-2020.txt"
#: Every layout's fixture, the amendment, the fresh texts, and issue 9's texts in the arrangements the reader
#: by meaning reads (header once or per page, two-row headers, headings between rows, CP932 with CRLF …).
CASES = sorted({*BY_LAYOUT.values(), AMENDMENT, *(DATA / "fresh").glob("*.txt"), *(DATA / "fresh9").glob("*.txt")})


def _text(path: Path, settings: Settings) -> IngestResult:
    return ingest_file(path, settings)


def test_the_cases_cover_every_layout_and_are_many() -> None:
    assert len(CASES) >= 5
    assert set(BY_LAYOUT.values()) <= set(CASES)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("text", CASES, ids=[p.stem for p in CASES])
def test_document_gives_the_graph_of_its_text(text: Path, kind: str, render: Render, settings: Settings) -> None:
    document = render(text, kind)
    expected = _text(text, settings)
    got = ingest_bytes(document.read_bytes(), document.name, settings)
    assert (got.agreement, got.layout, got.kind) == (expected.agreement, expected.layout, expected.kind)
    a, b = without_provenance(expected.graph), without_provenance(got.graph)
    if not isomorphic(a, b):
        _, only_text, only_document = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail(f"only from the text: {sorted(only_text)[:5]}\nonly from the {kind}: {sorted(only_document)[:5]}")


def test_without_provenance_keeps_everything_else(seed: IngestResult) -> None:
    stripped = without_provenance(seed.graph)
    assert 0 < len(stripped) < len(seed.graph)
    assert not any("/id/source/" in str(term) for triple in stripped for term in triple)
