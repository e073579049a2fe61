"""The search index of the query tests' fixture dataset (tests/data/queries/README.md), built once."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.search.index import SearchIndex, write_index
from tests.queries.dataset import fixture_graphs, fixture_settings, oxigraph_store


@pytest.fixture(scope="session")
def fixture_store() -> ox.Store:
    return oxigraph_store(fixture_graphs(fixture_settings()))


@pytest.fixture(scope="session")
def release_folder(fixture_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the fixture dataset's search index, as a release folder would."""
    folder = tmp_path_factory.mktemp("release")
    write_index(fixture_store, folder)
    return folder


@pytest.fixture(scope="session")
def index(release_folder: Path) -> SearchIndex:
    return SearchIndex.of_release(release_folder)
