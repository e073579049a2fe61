"""A served release is never deleted (issue 14, point 2): leases, garbage collection, rebuilds beside a server.

Every process reading a release holds a shared flock on its ``lease.lock`` (kg/store/release.py);
a build deletes a superseded release, or a killed build's temporary folder, only when no process
holds it (kg.release.build.collect). The server test runs a real server (tests/server/conftest.py) through
rebuilds and killed workers; ``KG_REBUILDS`` sets how many rebuilds (2 here; 10 in the slow test).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

import kg.release.build
from kg.release.build import KEEP_RELEASES, build, collect, current_release
from kg.release.cache import BuildCache
from kg.release.manifest import Manifest
from kg.settings import Settings
from kg.store.release import LEASE
from tests.server.conftest import AGREEMENT, start_server

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"

#: A process that leases a release (as a server's worker does) and waits until it is killed.
_HOLDER = ("import sys; from pathlib import Path; from kg.store.release import Release; "
           "Release.open(Path(sys.argv[1])); print('leased', flush=True); sys.stdin.read()")


def _settings(tmp: Path) -> Settings:
    data = tmp / "data"
    (data / "sources").mkdir(parents=True)
    shutil.copy(SEED, data / "sources")
    (data / "reference").symlink_to(ROOT / "data" / "reference")
    return Settings(data_dir=data, build_dir=tmp / "build")


def _change_inputs(settings: Settings, n: int) -> None:
    """Give the dataset a new version: the seed text with ``n`` blank lines at its end."""
    text = SEED.read_text(encoding="utf-8")
    (settings.data_path / "sources" / SEED.name).write_text(text + "\n" * n, encoding="utf-8")


@contextmanager
def _holding(release: Path) -> Iterator[None]:
    """A process leasing ``release`` (as a server's worker does) for the ``with`` block, then killed."""
    with subprocess.Popen([sys.executable, "-c", _HOLDER, str(release)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True, cwd=ROOT) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "leased"
            yield
        finally:
            proc.kill()


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_mtime_ns, p.lstat().st_size) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    s = _settings(tmp_path_factory.mktemp("gc"))
    build(s)
    return s


def test_a_rebuild_with_unchanged_inputs_changes_nothing_on_disk(settings: Settings) -> None:
    before = _snapshot(settings.build_path)
    build(settings)
    assert _snapshot(settings.build_path) == before


def test_force_with_unchanged_inputs_keeps_the_served_release_until_it_is_unused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = current_release(settings, hold=False)
    assert served is not None
    monkeypatch.setattr(kg.release.build, "KEEP_RELEASES", 0)  # collect every superseded release at once
    with _holding(served.path):
        forced = build(settings, force=True)
        assert forced.path != served.path
        if forced.version == served.version:  # (unless kg/ itself changed meanwhile: the code is an input)
            assert forced.path.name == f"{served.version}+2"
        assert (settings.build_path / "current").resolve() == forced.path
        assert (served.path / "store" / "CURRENT").is_file(), "a leased release was deleted"
        assert (served.path / "dumps" / "dataset.nq").is_file()
    collect(settings.build_path / "releases", keep=set())
    assert not served.path.exists(), "an unused superseded release was kept"
    assert (settings.build_path / "current" / "manifest.json").is_file()


def test_the_current_release_is_never_collected(settings: Settings) -> None:
    current = (settings.build_path / "current").resolve()
    collect(settings.build_path / "releases", keep=set())
    assert (current / "manifest.json").is_file()


def test_killed_builds_temporary_folders_are_collected_unless_a_build_holds_them(settings: Settings) -> None:
    releases = settings.build_path / "releases"
    killed = releases / ".0123456789abcdef-killed"  # a build killed after it made its lock file
    (killed / "dumps").mkdir(parents=True)
    (killed / LEASE).touch()
    running = releases / ".0123456789abcdef-running"  # a build still writing: it holds its lease
    (running / "store").mkdir(parents=True)
    Manifest(version="running", created=datetime.now(UTC), base_iri=settings.base_iri, generator="test").write(running)
    young = releases / ".0123456789abcdef-young"  # no lock file yet: a build that has just begun
    young.mkdir()
    old = releases / ".0123456789abcdef-old"  # no lock file, an hour old: killed at once
    old.mkdir()
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    trash = releases / ".trash-x-0000"  # a collection killed half-way
    (trash / "store").mkdir(parents=True)
    with _holding(running):
        removed = collect(releases, keep=set())
    assert not killed.exists() and not old.exists() and not trash.exists()
    assert running.exists() and young.exists()
    assert {killed, old, trash} <= set(removed)
    shutil.rmtree(running)
    shutil.rmtree(young)


def test_the_build_cache_leaves_a_concurrent_builds_temporary_file_alone(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache", "tools")
    cache.folder.mkdir(parents=True)
    writing = cache.folder / ".0123456789abcdef-writing"  # put() of a build beside this one
    writing.write_bytes(b"half")
    killed = cache.folder / ".0123456789abcdef-killed"  # left by a build killed an hour ago
    killed.write_bytes(b"half")
    os.utime(killed, (time.time() - 3600, time.time() - 3600))
    stale = cache.folder / ("f" * 64 + ".zip")
    stale.write_bytes(b"zip")
    cache.prune(keep=set())
    assert writing.exists() and not killed.exists() and not stale.exists()


# ── A server through rebuilds ────────────────────────────────────────────────────────────────

ROUTES = ["/", "/health", "/sparql?query=ASK%7B%7D", "/dumps", "/dumps/dataset.nq", "/dumps/catalog.ttl",
          "/catalog", "/.well-known/void", "/context.jsonld", "/ns", "/shapes",
          "/id/" + AGREEMENT.rpartition("/id/")[2]]


@pytest.fixture
def served(settings: Settings) -> Iterator[tuple[Settings, str]]:
    for server in start_server(settings.build_path, KG_DATA_DIR=str(settings.data_path)):
        yield settings, server.url


def _lease_holders(release: Path) -> set[int]:
    """The processes holding a lock on ``release``'s lease file (/proc/locks: pid and inode)."""
    inode = (release / LEASE).stat().st_ino
    pids = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "FLOCK" in fields and fields[-3].rsplit(":", 1)[-1] == str(inode):
            pids.add(int(fields[-4]))
    return pids


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def _query_workers(current: set[int], server: set[int]) -> set[int]:
    """The lease holders among ``current`` forked for one of ``server``: the query workers, children of
    the server's fork server (kg.server.worker_process), which holds no lease itself."""
    return {p for p in current if _parent(p) not in server and _parent(_parent(p)) in server}


def _answers_every_route(url: str) -> None:
    for route in ROUTES:
        deadline = time.monotonic() + 10
        while True:  # a killed worker's replacement may take a moment to start
            r = httpx.get(url + route, timeout=30, headers={"Accept": "text/html, */*"})
            if r.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.status_code == 200, f"{route}: {r.status_code} {r.text[:300]}"


def _rebuilds_beside_a_server(served: tuple[Settings, str], rebuilds: int) -> None:
    settings, url = served
    first = (settings.build_path / "current").resolve()
    holders = _lease_holders(first)
    assert len(holders) >= 2, "the server and its workers hold leases on the release they serve"
    _answers_every_route(url)
    for n in range(rebuilds):
        if n % 2:
            build(settings, force=True)  # unchanged inputs: a new folder, the served one kept
        else:
            _change_inputs(settings, n + 1)
            build(settings)
        _answers_every_route(url)
        if n == rebuilds // 2:  # kill the query workers: their replacements must open the served release
            workers = _query_workers(_lease_holders(first), holders)
            assert workers, "no query worker holds a lease"
            for pid in workers:
                os.kill(pid, signal.SIGKILL)
            _answers_every_route(url)
    assert (first / "store" / "CURRENT").is_file() and (first / "dumps" / "dataset.nq").is_file()
    releases = [p for p in (settings.build_path / "releases").iterdir() if not p.name.startswith(".")]
    assert len(releases) <= KEEP_RELEASES + 2, f"superseded releases pile up: {sorted(p.name for p in releases)}"


def test_a_server_answers_every_route_through_rebuilds_and_killed_workers(served: tuple[Settings, str]) -> None:
    _rebuilds_beside_a_server(served, int(os.environ.get("KG_REBUILDS", "2")))


@pytest.mark.slow
def test_a_server_answers_every_route_through_ten_rebuilds(served: tuple[Settings, str]) -> None:
    _rebuilds_beside_a_server(served, 10)
