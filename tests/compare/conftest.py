"""Fixtures: a pyoxigraph store built by the real pipeline from the founding agreement and the
composed samples in tests/data/compare (test fixtures only, never published), plus the reference
graphs, each in its own named graph as ``kg build`` loads them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.compare import StoreSource
from kg.ingest import ingest_file
from kg.namespaces import DEFAULT_BASE, Ids
from kg.reference.graphs import reference_graphs
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "compare"
FOUNDING = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"
KORIYAMA = "072036-072109-2019-10-18"  # T1, the founding agreement
KUMAMOTO = "431001-432083-2022-03-28"  # T3 sample: 熊本市–山鹿市, one annex per pillar, 甲/乙
HIMEJI = "282014-283819-2015-04-05"  # I1 sample: 姫路市–稲美町, initiatives inline in 第3条


def fixture_texts() -> list[Path]:
    """The founding agreement and every composed sample of the fixture folder."""
    return [FOUNDING, *sorted(FIXTURES.glob("*.txt"))]


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings pinned to this checkout and the default base IRI, whatever KG_* says."""
    return Settings(base_iri=DEFAULT_BASE, root=ROOT, data_dir=ROOT / "data")


@pytest.fixture(scope="session")
def ids(settings: Settings) -> Ids:
    return settings.ids


def load(store: ox.Store, graphs: dict[str, bytes]) -> ox.Store:
    for name, nt in graphs.items():
        store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    return store


@pytest.fixture(scope="session")
def reference_nt(settings: Settings) -> dict[str, bytes]:
    """The reference graphs (framework, municipalities, areas, …) as N-Triples, by graph name."""
    return {str(n): g.serialize(format="nt", encoding="utf-8") for n, g in reference_graphs(settings).items()}


@pytest.fixture(scope="session")
def agreements_nt(settings: Settings) -> dict[str, bytes]:
    """Each fixture text ingested, as N-Triples, by graph name."""
    out = {}
    for path in fixture_texts():
        result = ingest_file(path, settings)
        out[str(result.graph_name)] = result.graph.serialize(format="nt", encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def source(reference_nt: dict[str, bytes], agreements_nt: dict[str, bytes]) -> StoreSource:
    """The fixture dataset: three agreements and the reference data."""
    return StoreSource(load(ox.Store(), {**reference_nt, **agreements_nt}))


@pytest.fixture(scope="session")
def registry_only(reference_nt: dict[str, bytes]) -> StoreSource:
    """The reference data alone: the registry's areas and memberships, no agreement text."""
    return StoreSource(load(ox.Store(), reference_nt))
