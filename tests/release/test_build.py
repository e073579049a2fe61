"""kg build (kg/release/build.py): releases, refusal, reuse, and the membership ↔ agreement link."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import BuildError
from kg.release.build import build, current_release, ensure_built
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    data = tmp_path_factory.mktemp("data")
    (data / "sources").mkdir()
    shutil.copy(SEED, data / "sources")
    (data / "reference").symlink_to(ROOT / "data" / "reference")
    settings = Settings(data_dir=data, build_dir=tmp_path_factory.mktemp("build"))
    return settings, build(settings).path


def test_build_makes_a_current_release_with_store_dumps_and_manifest(built) -> None:
    settings, path = built
    release = current_release(settings)
    assert release is not None and release.path == path
    assert (path / "store" / "CURRENT").is_file() and (path / "dumps" / "dataset.nq").is_file()
    graphs = release.graphs
    assert str(settings.ids.agreement_graph("072036", "072109", "2019-10-18")) in graphs
    assert str(settings.ids.graph("catalog")) in graphs


def test_unchanged_inputs_reuse_the_release(built) -> None:
    settings, path = built
    assert build(settings).path == path
    assert ensure_built(settings).path == path


def test_membership_points_at_the_agreement_text_we_hold(built) -> None:
    settings, path = built
    store = ox.Store.read_only(str(path / "store"))
    ids = settings.ids
    ask = (f"ASK {{ <{ids.membership('koriyama', '072109')}> <https://w3id.org/renkei/ns#agreement> "
           f"<{ids.agreement('072036', '072109', '2019-10-18')}> }}")
    assert store.query(ask, use_default_graph_as_union=True)


def test_refused_build_keeps_the_previous_release_serving(built) -> None:
    settings, path = built
    bad = settings.data_path / "sources" / "broken.txt"
    bad.write_text("第1条 目的だけの文書\n", encoding="utf-8")
    try:
        with pytest.raises(BuildError) as e:
            build(settings)
        assert "broken.txt" in str(e.value) and "previous build is kept" in str(e.value)
        release = current_release(settings)
        assert release is not None and release.path == path
        leftovers = [p.name for p in (settings.build_path / "releases").iterdir() if p.name.startswith(".")]
        assert leftovers == []
    finally:
        bad.unlink()


def test_no_sources_is_a_build_error(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "reference").symlink_to(ROOT / "data" / "reference")
    with pytest.raises(BuildError, match="no agreement texts"):
        build(Settings(data_dir=tmp_path, build_dir=tmp_path / "build"))


def test_kg_build_refusal_exits_one_with_the_file_named_and_no_traceback(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "empty.txt").write_bytes(b"")
    (tmp_path / "reference").symlink_to(ROOT / "data" / "reference")
    kg = Path(sys.executable).parent / "kg"
    env = {**os.environ, "KG_DATA_DIR": str(tmp_path), "KG_BUILD_DIR": str(tmp_path / "build")}
    done = subprocess.run([str(kg), "build"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert "empty.txt" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "build" / "current").exists()


def test_the_catalogue_gives_each_dump_its_sha256(built) -> None:
    """The dumps are hashed while the store is optimised, before the statistics graph is appended to
    them (kg.release.publish.DumpDigests): the catalogue has the final files' SHA-256."""
    import hashlib

    from rdflib import Graph, Namespace

    _settings, path = built
    spdx = Namespace("http://spdx.org/rdf/terms#")
    catalogue = Graph().parse(path / "dumps" / "catalog.ttl")
    found = {str(url).rsplit("/", 1)[-1]: str(catalogue.value(catalogue.value(dist, spdx.checksum),
                                                               spdx.checksumValue))
             for dist, url in catalogue.subject_objects(Namespace("http://www.w3.org/ns/dcat#").downloadURL)}
    files = sorted(p for p in (path / "dumps").iterdir() if p.name.startswith("dataset."))
    assert files and found == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
