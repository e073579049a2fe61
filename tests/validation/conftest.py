"""Shared inputs for the validator tests: the founding agreement, as text and as RDF, whole and
with one role's actor removed (the case issue 2 names)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from validate_inputs import ROLE_3_8_PARTNER, SEED

from kg.ingest import ingest_file
from kg.namespaces import RENKEI
from kg.settings import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def seed_graph(settings: Settings) -> Graph:
    return ingest_file(SEED, settings).graph


@pytest.fixture
def seed_without_actor(seed_graph: Graph) -> Graph:
    g = Graph()
    g += seed_graph
    assert (ROLE_3_8_PARTNER, RENKEI.actor, None) in g
    g.remove((ROLE_3_8_PARTNER, RENKEI.actor, None))
    return g


@pytest.fixture(scope="session")
def rdf_files(tmp_path_factory: pytest.TempPathFactory, seed_graph: Graph) -> dict[str, Path]:
    """The founding agreement as Turtle, whole and without the partner's actor in row 3-(8)."""
    folder = tmp_path_factory.mktemp("rdf")
    whole, broken = folder / "seed.ttl", folder / "seed-without-actor.ttl"
    seed_graph.serialize(whole, format="turtle")
    g = Graph()
    g += seed_graph
    g.remove((ROLE_3_8_PARTNER, RENKEI.actor, None))
    g.serialize(broken, format="turtle")
    return {"whole": whole, "without-actor": broken}
