"""The build cache (kg/release/cache.py): a rebuild ingests only what changed, and gives the same
release it would have given without the cache."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

import kg.release.build
from kg.errors import BuildError, KgError
from kg.generate import write_corpus
from kg.release.build import build
from kg.release.cache import BuildCache, Entry, source_key
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"
N = 9  # above kg.release.build.PARALLEL_THRESHOLD: the worker processes fill the cache too


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    write_corpus(data / "sources", N - 1, settings=Settings())
    (data / "sources" / "manifest.json").unlink()
    shutil.copy(SEED, data / "sources")
    (data / "reference").symlink_to(ROOT / "data" / "reference")
    return Settings(data_dir=data, build_dir=tmp_path / "build")


def dumps(settings: Settings) -> dict[str, str]:
    folder = settings.build_path / "current" / "dumps"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("dataset.*"))}


def entries(settings: Settings) -> list[Path]:
    return sorted((settings.build_path / "cache").glob("*/*.zip"))


def ingested(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources the next (sequential) build ingests, by file name."""
    names: list[str] = []
    inner = kg.release.build.ingest_and_validate

    def spy(path: Path, *args: object) -> Entry:
        names.append(path.name)
        return inner(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.release.build, "ingest_and_validate", spy)
    monkeypatch.setattr(kg.release.build, "PARALLEL_THRESHOLD", 10**6)  # in this process, where the spy is
    return names


def test_a_rebuild_ingests_nothing_and_writes_the_same_dumps(settings: Settings,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(settings)
    assert len(entries(settings)) == N
    before = dumps(settings)
    names = ingested(monkeypatch)
    second = build(settings, force=True)
    assert names == []
    assert dumps(settings) == before
    assert second.manifest.graphs == first.manifest.graphs
    assert second.manifest.agreements == first.manifest.agreements


def test_the_cache_gives_what_a_build_without_it_gives(settings: Settings) -> None:
    build(settings)
    cached = dumps(settings)
    shutil.rmtree(settings.build_path)
    build(settings)
    assert dumps(settings) == cached


def test_a_changed_text_is_ingested_again_and_only_it(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    build(settings)
    seed = settings.data_path / "sources" / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("連携協約書", "連携協約書 ", 1), encoding="utf-8")
    names = ingested(monkeypatch)
    build(settings)
    assert names == [SEED.name]
    assert len(entries(settings)) == N  # the old entry of the changed text is pruned


def test_a_renamed_text_is_ingested_again(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The provenance names the file, so the name is part of the key."""
    build(settings)
    seed = settings.data_path / "sources" / SEED.name
    seed.rename(seed.with_name("renamed.txt"))
    names = ingested(monkeypatch)
    release = build(settings)
    assert names == ["renamed.txt"]
    assert "renamed.txt" in (release.path / "dumps" / "dataset.nq").read_text(encoding="utf-8")


def test_changed_tools_start_a_new_cache_and_drop_the_old(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    build(settings)
    old = {p.parent.name for p in entries(settings)}
    monkeypatch.setattr(kg.release.build, "_tools_digest", lambda s: "other-tools")
    names = ingested(monkeypatch)
    build(settings, force=True)
    assert len(names) == N
    assert {p.parent.name for p in entries(settings)} == {"other-tools"} != old


def test_an_unreadable_entry_is_made_again(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    build(settings)
    before = dumps(settings)
    key = source_key(settings.data_path / "sources" / SEED.name)
    victim = next(p for p in entries(settings) if p.name == f"{key}.zip")
    victim.write_bytes(b"not a zip")
    names = ingested(monkeypatch)
    build(settings, force=True)
    assert names == [SEED.name]
    assert dumps(settings) == before


def test_a_refused_text_is_not_cached_and_the_others_are(settings: Settings) -> None:
    bad = settings.data_path / "sources" / "broken.txt"
    bad.write_text("第1条 目的だけの文書\n", encoding="utf-8")
    with pytest.raises(BuildError, match="broken.txt"):
        build(settings)
    keys = {p.name.removesuffix(".zip") for p in entries(settings)}
    assert source_key(bad) not in keys
    assert len(keys) == N


def test_an_entry_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, "tools")
    entry = Entry("a", "g", "", "", "x.txt", 1)

    class Boom(dict[str, bytes]):
        def items(self):  # type: ignore[no-untyped-def]
            raise KgError("interrupted")

    with pytest.raises(KgError):
        cache.put("k", entry, Boom())
    assert list(tmp_path.rglob("*")) == [tmp_path / "tools"]
    cache.put("k", entry, {"dataset.nt": b"x"})
    assert cache.get("k") == entry and cache.parts("k") == {"dataset.nt": b"x"}
    assert cache.get("missing") is None


def test_a_cache_that_cannot_be_written_is_a_typed_error(tmp_path: Path) -> None:
    from kg.errors import StoreError

    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    cache = BuildCache(blocker, "tools")
    with pytest.raises(StoreError, match="cannot write the build cache"):
        cache.put("k", Entry("a", "g", "", "", "x.txt", 1), {})


@pytest.mark.parametrize("parallel", [True, False])
def test_reference_data_made_beside_the_workers_fails_the_build_as_itself(settings: Settings, parallel: bool,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference graphs are made in a thread while the workers ingest (or before the texts, when
    they are ingested in this process): an error there is still the build's typed error, after the
    texts are done, and the previous release stays."""
    from kg.errors import ReferenceDataError

    if not parallel:
        monkeypatch.setattr(kg.release.build, "PARALLEL_THRESHOLD", 10**6)

    def broken(_settings: Settings) -> None:
        raise ReferenceDataError("municipalities.csv: a broken row", ja="市町村の表の行が壊れています。")

    monkeypatch.setattr("kg.reference.graphs.reference_graphs", broken)
    with pytest.raises(ReferenceDataError, match="a broken row"):
        build(settings)
    assert len(entries(settings)) == N  # the texts were ingested and cached all the same
    assert not (settings.build_path / "current").exists()
