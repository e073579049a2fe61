"""Shared fixtures for the ontology tests: the parsed vocabulary, framework and statute files."""

from __future__ import annotations

from pathlib import Path

import pytest
from ontology_files import FRAMEWORK, LAW, ONTOLOGY
from rdflib import Graph


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """``ontology/renkei.ttl``."""
    return _parse(ONTOLOGY)


@pytest.fixture(scope="session")
def framework() -> Graph:
    """``ontology/framework.ttl``."""
    return _parse(FRAMEWORK)


@pytest.fixture(scope="session")
def law() -> Graph:
    """``data/reference/law.ttl``."""
    return _parse(LAW)
