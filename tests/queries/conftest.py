"""Session fixtures: the query library, the fixture dataset on both engines, the published
dataset (``kg build`` of data/) and the demo dataset (``kg demo``), each built once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from kg.querylib import QueryDoc, load_queries
from kg.release.demo import build_demo
from kg.store.release import Release
from tests.server.conftest import free_port, serving

from .dataset import (
    KG,
    QUERIES_DIR,
    fixture_graphs,
    fixture_settings,
    oxigraph_store,
    published_store,
    rdflib_dataset,
    with_statistics,
)


@pytest.fixture(scope="session")
def library() -> list[QueryDoc]:
    return load_queries(QUERIES_DIR)


@pytest.fixture(scope="session")
def graphs() -> dict[URIRef, Graph]:
    return with_statistics(fixture_graphs(fixture_settings()), fixture_settings())


@pytest.fixture(scope="session")
def store(graphs: dict[URIRef, Graph]) -> ox.Store:
    return oxigraph_store(graphs)


@pytest.fixture(scope="session")
def rdflib_engine(graphs: dict[URIRef, Graph]) -> Dataset:
    return rdflib_dataset(graphs)


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return published_store(tmp_path_factory.mktemp("published-build"))


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build directory whose ``demo/`` holds the demo release (``KG_BUILD_DIR`` of ``kg demo``)."""
    path = tmp_path_factory.mktemp("demo-build")
    build_demo(fixture_settings().model_copy(update={"build_dir": path}))
    return path


@pytest.fixture(scope="session")
def demo_release(demo_build: Path) -> Release:
    return Release.open(demo_build / "demo" / "current")


@pytest.fixture(scope="session")
def demo_store(demo_release: Release) -> ox.Store:
    return ox.Store.read_only(str(demo_release.store_path))


@pytest.fixture(scope="session")
def demo_url(demo_build: Path) -> Iterator[str]:
    """``kg demo --port N`` on the session's demo build (up to date, so it only serves)."""
    port = free_port()
    env = {**os.environ, "KG_BUILD_DIR": str(demo_build), "KG_WORKERS": "1"}
    with serving([KG, "demo", "--port", str(port)], port, env, demo_build / f"demo-{port}.log") as url:
        yield url


