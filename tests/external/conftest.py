"""Fixtures for the external-store path: a running Virtuoso and a small real release pushed into it.

Virtuoso is started outside the tests (``bash scripts/virtuoso.sh start``, which ``.ci/run`` calls).
When it does not answer, the tests that need it fail under ``CI=true`` and are skipped elsewhere,
with the command that starts it as the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import httpx
import pyoxigraph as ox
import pytest

from kg.release.build import Release
from kg.release.manifest import Manifest
from kg.settings import Settings
from kg.store.push import Endpoint, PushReport, push_release, remote_counts

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "virtuoso.sh"


def pytest_configure(config: pytest.Config) -> None:
    # Until pyproject.toml lists it (asked of the lead); a second registration is harmless.
    config.addinivalue_line("markers",
                            "virtuoso: needs Virtuoso on loopback (bash scripts/virtuoso.sh start)")


@dataclass(frozen=True)
class Virtuoso:
    """The test instance: its endpoints and the push user's credentials (scripts/virtuoso.sh)."""

    base: str
    state_dir: Path
    user: str
    password: str

    @property
    def query(self) -> str:
        return f"{self.base}/sparql"

    @property
    def gsp(self) -> str:
        """The digest-authenticated Graph Store endpoint, the one writes go through."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def gsp_anonymous(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    def endpoint(self, **changes: object) -> Endpoint:
        """An Endpoint for this instance; keyword arguments replace fields (e.g. a wrong password)."""
        fields: dict[str, object] = {"gsp": self.gsp, "query": self.query, "auth": (self.user, self.password)}
        fields.update(changes)
        return Endpoint(**fields)  # type: ignore[arg-type]


def _unavailable(reason: str) -> NoReturn:
    message = f"{reason}; start it with: bash scripts/virtuoso.sh start"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and Virtuoso is required: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def virtuoso() -> Virtuoso:
    """The running instance, or fail (CI) / skip (elsewhere) saying how to start it."""
    port = os.environ.get("KG_VIRTUOSO_HTTP_PORT", "8890")
    state = Path(os.environ.get("KG_VIRTUOSO_DIR", "/var/tmp/renkei-kg-virtuoso"))
    base = f"http://127.0.0.1:{port}"
    try:
        r = httpx.post(f"{base}/sparql", data={"query": "ASK {}"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=10)
        r.raise_for_status()
    except httpx.HTTPError as e:
        _unavailable(f"Virtuoso does not answer at {base}/sparql ({e})")
    credentials = state / "credentials"
    try:
        pairs = dict(line.split(":", 1) for line in credentials.read_text().split())
    except OSError as e:
        _unavailable(f"no credentials at {credentials} ({e})")
    if "kg_push" not in pairs:
        _unavailable(f"{credentials} has no kg_push user")
    return Virtuoso(base, state, "kg_push", pairs["kg_push"])


def _hand_release(settings: Settings, build_dir: Path) -> Release:
    """The release ``kg build`` would write, minus validation and dumps, while kg.validation.validate is missing."""
    from kg.ingest import ingest_file
    from kg.reference.graphs import reference_graphs
    from kg.release.build import source_files

    path = build_dir / "releases" / "hand"
    store = ox.Store(str(path / "store"))
    graphs: dict[str, int] = {}
    named = [(str(r.graph_name), r.graph) for r in (ingest_file(p, settings) for p in source_files(settings))]
    named += [(str(name), g) for name, g in reference_graphs(settings).items()]
    for name, g in named:
        store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(name))
        graphs[name] = len(g)
    store.flush()
    del store
    manifest = Manifest(version="hand", created=datetime.now(UTC), base_iri=settings.base_iri, graphs=graphs,
                        generator="tests/external (kg build without validation)")
    manifest.write(path)
    (build_dir / "current").symlink_to(path.relative_to(build_dir))
    return Release(path, manifest)


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def release(build_dir: Path) -> Release:
    """A release of the real data/ in a temporary build dir (``kg build``, or by hand until it runs)."""
    from kg.release.build import build

    settings = Settings(build_dir=build_dir)
    try:
        return build(settings)
    except ModuleNotFoundError as e:
        if e.name not in ("kg.validation.validate", "kg.release.catalogue"):
            raise
        return _hand_release(settings, build_dir)


@pytest.fixture(scope="session")
def graph_prefix() -> str:
    return str(Settings().ids.graph(""))


@dataclass(frozen=True)
class Pushes:
    """The release pushed twice into a remote cleared of the dataset's graphs."""

    first: PushReport
    second: PushReport


@pytest.fixture(scope="session")
def pushed(virtuoso: Virtuoso, release: Release, graph_prefix: str) -> Iterator[Pushes]:
    endpoint = virtuoso.endpoint()
    _clear(virtuoso, graph_prefix)
    first = push_release(release, endpoint, graph_prefix=graph_prefix)
    second = push_release(release, endpoint, graph_prefix=graph_prefix)
    yield Pushes(first, second)


def _clear(virtuoso: Virtuoso, prefix: str) -> None:
    """Drop every graph under the prefix, so the first push meets an empty remote."""
    with httpx.Client(auth=httpx.DigestAuth(virtuoso.user, virtuoso.password), timeout=60) as client:
        for graph in remote_counts(virtuoso.endpoint(), prefix):
            client.delete(virtuoso.gsp, params={"graph": graph}).raise_for_status()
