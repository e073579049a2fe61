"""Fixtures: the founding agreement and its composed 令和2年7月8日 amendment, ingested once."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from kg.ingest import IngestResult, ingest_file
from kg.settings import Settings

DATA = Path(__file__).resolve().parents[2] / "data" / "ingest"
SEED = DATA / "koriyama-nihonmatsu-2019.txt"
AMENDMENT = DATA / "amendment-koriyama-nihonmatsu-2020.txt"


@pytest.fixture(scope="session")
def agreement(seed: IngestResult) -> IngestResult:
    """The founding agreement, as tests/ingest/conftest.py ingests it once for every ingest test."""
    return seed


@pytest.fixture(scope="session")
def amendment(settings: Settings) -> IngestResult:
    return ingest_file(AMENDMENT, settings)


@pytest.fixture
def dataset(agreement: IngestResult, amendment: IngestResult) -> Dataset:
    """Both in their named graphs, as the store holds them."""
    data = Dataset()
    for result in (agreement, amendment):
        graph = data.graph(result.graph_name)
        for triple in result.graph:
            graph.add(triple)
    return data
