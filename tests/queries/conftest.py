"""Session fixtures: the query library, the fixture dataset on both engines and the published
dataset (``kg build`` of data/), each built once."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from kg.querylib import QueryDoc, load_queries

from .dataset import QUERIES_DIR, fixture_graphs, fixture_settings, oxigraph_store, published_store, rdflib_dataset


@pytest.fixture(scope="session")
def library() -> list[QueryDoc]:
    return load_queries(QUERIES_DIR)


@pytest.fixture(scope="session")
def graphs() -> dict[URIRef, Graph]:
    return fixture_graphs(fixture_settings())


@pytest.fixture(scope="session")
def store(graphs: dict[URIRef, Graph]) -> ox.Store:
    return oxigraph_store(graphs)


@pytest.fixture(scope="session")
def rdflib_engine(graphs: dict[URIRef, Graph]) -> Dataset:
    return rdflib_dataset(graphs)


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return published_store(tmp_path_factory.mktemp("published-build"))
