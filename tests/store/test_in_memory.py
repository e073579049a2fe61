"""A query worker's copy of the release in memory (KG_STORE_IN_MEMORY) answers as the store on disk does."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.formats import formats_for
from kg.settings import Settings
from kg.store import check_query, execute
from kg.store import worker as worker_module
from kg.store.release import read_releases
from kg.store.worker import MEMORY_PER_DUMP_BYTE, Job, WorkerStore, in_memory, queries
from tests.server.conftest import DATA, make_release

GB = 2**30
QUERIES = [
    # Every graph and its size: the catalogue is in the store but not in dumps/dataset.nq.
    "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?s ?p ?o { ?s ?p ?o } ORDER BY ?s ?p ?o",
    "PREFIX renkei: <https://w3id.org/renkei/ns#> ASK { ?a a renkei:Agreement }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/renkei/graph/catalog> { ?s ?p ?o } }",
]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = tmp_path_factory.mktemp("in-memory-build")
    return make_release(build, (DATA / "release.trig").read_bytes(), "in-memory-1")


def _answer(store: WorkerStore, text: str) -> object:
    query = check_query(text)
    fmt = next(f for f in formats_for(query.kind) if f.name in ("json", "ntriples"))
    body = execute(store.current, query, fmt, limit=100_000).body
    if fmt.name == "ntriples":  # triples in no set order: compare them as a set of lines
        return sorted(body.decode().splitlines())
    return json.loads(body)


def test_the_copy_in_memory_answers_as_the_store_on_disk(release: Path) -> None:
    disk = WorkerStore(release / "store", "no")
    memory = WorkerStore(release / "store", "yes")
    assert memory.wait(60) and not disk.wait()
    assert memory.current is not memory.disk and len(memory.current) == len(disk.current) > 0
    for text in QUERIES:
        assert _answer(memory, text) == _answer(disk, text), text
    assert release.resolve() in read_releases()  # the release is leased all the same


def test_a_worker_answers_from_disk_until_its_copy_is_loaded(release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[Path] = []
    monkeypatch.setattr(WorkerStore, "_load", lambda self, dump: loads.append(dump))
    store = WorkerStore(release / "store", "yes")
    assert not store.wait(60) and store.current is store.disk
    assert loads == [release / "dumps" / "dataset.nq"]


@pytest.mark.parametrize(("mode", "loads"), [("no", False), ("yes", True), ("auto", True)])
def test_kg_store_in_memory_no_never_loads(release: Path, monkeypatch: pytest.MonkeyPatch, mode: str,
                                           loads: bool) -> None:
    started: list[Path] = []
    monkeypatch.setattr(WorkerStore, "_load", lambda self, dump: started.append(dump))
    monkeypatch.setattr(worker_module, "available_memory", lambda: 1000 * GB)
    run = queries(str(release / "store"), mode, 2)
    query = check_query(QUERIES[2])
    assert run(Job(query, formats_for(query.kind)[0], 10)).body  # it answers, from disk
    assert bool(started) is loads


def test_the_worker_follows_the_mode_the_pool_gives_not_the_environment(
        release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Path] = []
    monkeypatch.setattr(WorkerStore, "_load", lambda self, dump: started.append(dump))
    monkeypatch.setattr(worker_module, "available_memory", lambda: 1000 * GB)
    monkeypatch.setenv("KG_STORE_IN_MEMORY", "yes")
    queries(str(release / "store"), "no", 2)
    assert not started
    queries(str(release / "store"), "yes", 2)
    assert started


def test_an_unknown_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE_IN_MEMORY", "maybe")
    with pytest.raises(InputError, match="KG_STORE_IN_MEMORY"):
        Settings.from_env()


def test_auto_loads_when_every_copy_fits_the_machine_and_the_worker_limit() -> None:
    dump = GB  # a copy needs MEMORY_PER_DUMP_BYTE GB
    need = dump * MEMORY_PER_DUMP_BYTE
    assert in_memory("auto", dump, workers=2, available=20 * GB, limit=None)
    assert in_memory("auto", dump, workers=2, available=math.ceil(4 * need), limit=math.ceil(2 * need))
    # Two copies over half the available memory: on disk.
    assert not in_memory("auto", dump, workers=2, available=math.ceil(4 * need) - 1, limit=None)
    # One copy over half the worker's limit (KG_QUERY_MEMORY): on disk, the rest is the queries'.
    assert not in_memory("auto", dump, workers=1, available=100 * GB, limit=math.ceil(2 * need) - 1)
    # A bare store (no dump) stays on disk; so does everything with "no".
    assert not in_memory("auto", None, workers=1, available=100 * GB, limit=None)
    assert not in_memory("no", 1, workers=1, available=100 * GB, limit=None)


def test_yes_loads_whatever_the_machine_has_but_never_past_the_worker_limit() -> None:
    need = GB * MEMORY_PER_DUMP_BYTE
    assert in_memory("yes", GB, workers=8, available=GB, limit=None)
    assert in_memory("yes", GB, workers=8, available=GB, limit=math.ceil(need))
    assert not in_memory("yes", GB, workers=1, available=100 * GB, limit=math.floor(need))
    assert not in_memory("yes", None, workers=1, available=100 * GB, limit=None)
