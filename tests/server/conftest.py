"""Fixtures: a real build of ``data/`` into a temporary directory, served by uvicorn on loopback.

The server runs in its own process (as ``kg serve`` does) so tests talk real HTTP and the query
workers are real processes that a timeout really kills. Small limits keep the suite fast.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.release.dumps import store_parts, write_dumps
from kg.release.manifest import Manifest
from kg.release.publish import publish
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
TIMEOUT_S = 2.0
RESULT_LIMIT = 500
MAX_BODY = 100_000
MAX_UPLOAD = 2_000_000  # POST /validate takes documents (PDF, Word, scans): its own, larger limit
AGREEMENT = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"


@dataclass(frozen=True)
class Server:
    """A running server: its base URL and the release it serves."""

    url: str
    release: Path

    def get(self, path: str, **kw: object) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kw)  # type: ignore[arg-type]

    def post(self, path: str, **kw: object) -> httpx.Response:
        return httpx.post(self.url + path, timeout=30, **kw)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(command: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[str]:
    """Run ``command`` (a server on 127.0.0.1:``port``, output to ``log``) until ``/health``
    answers; give its URL, and stop it afterwards."""
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{' '.join(command[1:])} did not start: {log.read_text()}")
            time.sleep(0.2)
        try:
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def start_server(build_dir: Path, **env: str) -> Iterator[Server]:
    """Run ``uvicorn kg.server.app:create_app --factory`` on a free loopback port until torn down."""
    port = free_port()
    environ = {
        **os.environ,
        "KG_BUILD_DIR": str(build_dir),
        "KG_QUERY_TIMEOUT": str(TIMEOUT_S),
        "KG_RESULT_LIMIT": str(RESULT_LIMIT),
        "KG_MAX_BODY_BYTES": str(MAX_BODY),
        "KG_MAX_UPLOAD_BYTES": str(MAX_UPLOAD),
        "KG_WORKERS": "2",
        **env,
    }
    command = [sys.executable, "-m", "uvicorn", "kg.server.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with serving(command, port, environ, build_dir / f"server-{port}.log") as url:
        yield Server(url, (build_dir / "current").resolve())


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of the project's ``data/`` (kg.release.build), made once per session."""
    from kg.release.build import build

    path = tmp_path_factory.mktemp("build")
    build(Settings(build_dir=path))
    assert (path / "current" / "manifest.json").is_file()
    return path


@pytest.fixture(scope="session")
def server(build_dir: Path) -> Iterator[Server]:
    yield from start_server(build_dir)


def make_release(build: Path, trig: bytes, version: str, graphs: dict[str, bytes] | None = None) -> Path:
    """A release directory made by hand (store + dumps + catalogue + manifest), for datasets that are not data/."""
    release = build / "releases" / version
    release.mkdir(parents=True)
    store = ox.Store(str(release / "store"))
    if trig:
        store.load(trig, format=ox.RdfFormat.TRIG)
    for name, nt in (graphs or {}).items():
        store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    manifest = Manifest(version=version, created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                        base_iri="https://w3id.org/renkei/", generator="tests/server (a release made by hand)")
    catalog = ox.NamedNode("https://w3id.org/renkei/graph/catalog")
    write_dumps(store_parts(store, "https://w3id.org/renkei/", exclude={catalog}), release / "dumps")
    publish(store, release, manifest, Settings(build_dir=build))
    manifest = manifest.model_copy(update={"quads": len(store)})
    store.flush()
    del store
    manifest.write(release)
    (build / "current").symlink_to(release.relative_to(build))
    return release


@pytest.fixture(scope="session")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written release of tests/server/data/release.trig, published with kg.release.catalogue."""
    build = tmp_path_factory.mktemp("fixture-build")
    return make_release(build, (DATA / "release.trig").read_bytes(), "fixture-1")


@pytest.fixture(scope="session")
def release_factory() -> object:
    """``make_release`` for tests that need a second, independent release."""
    return make_release
