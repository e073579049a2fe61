"""Generate → ingest → the graph says what manifest.json says (issue 5, point 1).

``kg.generate.write_corpus`` writes texts in every layout and a manifest of what each text says;
each text goes through the real ingester (``kg.ingest.ingest_file``, from the file on disk) and
the agreement's graph must give back exactly the manifest's parties, central city, signing date,
area, initiatives per pillar with their titles and categories, and who leads each.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from kg.generate import LAYOUTS, write_corpus
from kg.ingest import IngestResult, ingest_file
from kg.namespaces import DCT, ELI, RENKEI
from kg.settings import Settings

SIZE = 12  # four of each layout: kg.generate cycles T1, T3, I1
SEED = 5


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
    out = tmp_path_factory.mktemp("generated")
    write_corpus(out, SIZE, seed=SEED, settings=Settings())
    yield out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ingested(corpus: tuple[Path, list[dict[str, Any]]]) -> dict[str, IngestResult]:
    out, manifest = corpus
    settings = Settings()
    return {entry["file"]: ingest_file(out / entry["file"], settings) for entry in manifest}


def _code(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1]


def _initiatives(graph: Graph, agreement: URIRef) -> list[tuple[int, str, str | None, frozenset[str]]]:
    """(pillar, title, category notation, codes of the parties that lead) for each initiative."""
    out = []
    for i in graph.objects(agreement, RENKEI.initiative):
        category = graph.value(i, RENKEI.category)
        leads = frozenset(_code(graph.value(r, RENKEI.actor)) for r in graph.objects(i, RENKEI.role)
                          if graph.value(r, RENKEI.lead).toPython() is True)
        out.append((int(_code(graph.value(i, RENKEI.pillar))), str(graph.value(i, DCT.title)),
                    _code(category) if category is not None else None, leads))
    return sorted(out, key=str)


def _expected(entry: dict[str, Any]) -> list[tuple[int, str, str | None, frozenset[str]]]:
    return sorted(((i["pillar"], i["title"], i["category"],
                    frozenset({entry["partner"] if i["partner_leads"] else entry["central"]}))
                   for i in entry["initiatives"]), key=str)


def test_corpus_has_every_layout_and_a_manifest_entry_per_text(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    out, manifest = corpus
    assert len(manifest) == SIZE
    assert {e["layout"] for e in manifest} == set(LAYOUTS)
    assert sorted(p.name for p in out.glob("*.txt")) == sorted(e["file"] for e in manifest)


def _cases() -> list[str]:
    # The file names are known before the corpus is written: kg.generate names them by position.
    return [f"gen-{n:05d}-{LAYOUTS[n % len(LAYOUTS)].lower()}.txt" for n in range(SIZE)]


@pytest.fixture
def entry(request: pytest.FixtureRequest, corpus: tuple[Path, list[dict[str, Any]]]) -> dict[str, Any]:
    return next(e for e in corpus[1] if e["file"] == request.param)


@pytest.mark.parametrize("entry", _cases(), indirect=True)
def test_parties_central_city_date_area_and_layout_round_trip(
        entry: dict[str, Any], ingested: dict[str, IngestResult]) -> None:
    result = ingested[entry["file"]]
    g, a = result.graph, result.agreement
    assert result.layout == entry["layout"]
    assert _code(a) == f"{entry['central']}-{entry['partner']}-{entry['date']}"
    assert {_code(p) for p in g.objects(a, RENKEI.party)} == {entry["central"], entry["partner"]}
    assert _code(g.value(a, RENKEI.centralCity)) == entry["central"]
    assert str(g.value(a, ELI.date_document)) == entry["date"]
    assert _code(g.value(a, RENKEI.area)) == entry["area"]


@pytest.mark.parametrize("entry", _cases(), indirect=True)
def test_initiatives_titles_categories_and_leads_round_trip(
        entry: dict[str, Any], ingested: dict[str, IngestResult]) -> None:
    result = ingested[entry["file"]]
    assert _initiatives(result.graph, result.agreement) == _expected(entry)
