"""A release made from the previous one (kg.release.incremental) is the release a whole assembly makes.

Texts added, removed, replaced by another and touched without changing their graph: the release made
from the previous one must hold the same graphs (isomorphic, each), the same VoID counts and the same
search index rows as the whole assembly of the same inputs (``kg build --force``), and the previous
release must be left as it was.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import kg.release.assemble
from kg.generate import write_corpus
from kg.release.build import build
from kg.release.layout import read_layout, write_layout
from kg.release.manifest import Manifest
from kg.release.void import counted
from kg.search.index import SearchIndex, index_path
from kg.settings import Settings
from kg.store.release import Release

ROOT = Path(__file__).resolve().parents[2]
MADE_FROM = "making the release from"


def _graphs(release: Release) -> dict[str, Graph]:
    store = ox.Store.read_only(str(release.store_path))
    out = {}
    for name in store.named_graphs():
        nt = ox.serialize((q.triple for q in store.quads_for_pattern(None, None, None, name)),
                          format=ox.RdfFormat.N_TRIPLES) or b""
        out[name.value] = Graph().parse(data=nt.decode(), format="nt")
    return out


def _rows(release: Release) -> set[tuple[str, ...]]:
    with sqlite3.connect(index_path(release.path)) as db:
        return set(db.execute("""SELECT t.text, p.iri, o.subject, g.iri, o.lang FROM occurs AS o
            JOIN text AS t ON t.id = o.text JOIN property AS p ON p.id = t.property
            JOIN graph AS g ON g.id = o.graph"""))


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "LOCK"}


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A release of 10 texts; then one made from it after changes; then the whole assembly of the same."""
    data = tmp_path_factory.mktemp("data")
    aside = tmp_path_factory.mktemp("aside")
    (data / "reference").symlink_to(ROOT / "data" / "reference")
    write_corpus(aside, 12, seed=5, settings=Settings())
    generated = sorted(aside.glob("*.txt"))
    (data / "sources").mkdir()
    for p in generated[:10]:
        (data / "sources" / p.name).write_bytes(p.read_bytes())
    settings = Settings(data_dir=data, build_dir=tmp_path_factory.mktemp("build"))
    first = build(settings)
    before = _files(first.path / "store") | _files(first.path / "search")
    sources = sorted((data / "sources").glob("*.txt"))
    sources[0].unlink()  # a text gone
    (data / "sources" / generated[10].name).write_bytes(generated[10].read_bytes())  # a text added
    sources[1].write_bytes(generated[11].read_bytes())  # a text replaced by another agreement
    sources[2].write_bytes(sources[2].read_bytes() + b"\n")  # a text touched: its graph the same
    return {"settings": settings, "first": first, "before": before}


def test_a_changed_corpus_makes_the_release_the_whole_assembly_makes(releases, caplog) -> None:
    settings, first = releases["settings"], releases["first"]
    with caplog.at_level(logging.INFO, logger="kg.release"):
        made = build(settings)
    assert MADE_FROM in caplog.text and "assembling the whole release" not in caplog.text
    assert "writing the dumps whole" not in caplog.text  # spliced from the previous release's
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kg.release"):
        whole = build(settings, force=True)  # --force: the whole assembly, of the same inputs
    assert MADE_FROM not in caplog.text
    assert made.manifest.version == whole.manifest.version and made.path != whole.path
    ours, theirs = _graphs(made), _graphs(whole)
    assert set(ours) == set(theirs)
    catalog = str(settings.ids.graph("catalog"))
    for name in ours:
        if name != catalog:  # the catalogue states when it was made
            assert isomorphic(ours[name], theirs[name]), name
    assert made.manifest.statistics == whole.manifest.statistics
    store = ox.Store.read_only(str(made.store_path))
    assert made.manifest.statistics == counted(store, ox.NamedNode(catalog), settings.base_iri)
    assert made.manifest.graphs == whole.manifest.graphs and made.manifest.quads == whole.manifest.quads
    assert _rows(made) == _rows(whole)
    for words in ("連携", "協約 目的", "観光"):
        a, b = SearchIndex.of_release(made.path).search(words), SearchIndex.of_release(whole.path).search(words)
        assert {(h.subject, round(h.score, 9)) for h in a} == {(h.subject, round(h.score, 9)) for h in b}
    for dump in sorted(whole.dumps_path.glob("dataset.*")):  # spliced from the previous dumps, byte for byte
        assert (made.dumps_path / dump.name).read_bytes() == dump.read_bytes(), dump.name
    # The previous release is as it was: its store's files and its search index, byte for byte.
    assert _files(first.path / "store") | _files(first.path / "search") == releases["before"]


def test_a_failure_on_the_way_falls_back_to_the_whole_assembly(releases, caplog, monkeypatch) -> None:
    settings = releases["settings"]
    source = sorted((settings.data_path / "sources").glob("*.txt"))[3]
    source.write_bytes(source.read_bytes() + b"\n\n")

    def broken(*_args: object) -> ox.Store:
        raise OSError("the disk is full")

    monkeypatch.setattr(kg.release.assemble, "assemble_store", broken)
    with caplog.at_level(logging.INFO, logger="kg.release"):
        release = build(settings)
    assert "could not make the release from" in caplog.text and "the disk is full" in caplog.text
    store = ox.Store.read_only(str(release.store_path))
    catalog = ox.NamedNode(str(settings.ids.graph("catalog")))
    assert release.manifest.statistics == counted(store, catalog, settings.base_iri)
    assert not list(release.path.parent.glob(".*"))  # no temporary folder left behind


def test_a_dumps_layout_that_does_not_match_the_dumps_is_not_spliced(releases, caplog) -> None:
    settings = releases["settings"]
    current = (settings.build_path / "current").resolve()
    layout = read_layout(current)
    graph, lengths = layout[1]
    layout[1] = (graph, {name: (packed + 1, plain) for name, (packed, plain) in lengths.items()})
    write_layout(current, layout)
    source = sorted((settings.data_path / "sources").glob("*.txt"))[5]
    source.write_bytes(source.read_bytes() + b"\n")
    with caplog.at_level(logging.INFO, logger="kg.release"):
        made = build(settings)
    assert MADE_FROM in caplog.text and "writing the dumps whole" in caplog.text
    assert "the layout does not match" in caplog.text
    whole = build(settings, force=True)
    for dump in sorted(whole.dumps_path.glob("dataset.*")):
        assert (made.dumps_path / dump.name).read_bytes() == dump.read_bytes(), dump.name


def test_a_release_without_the_tools_digest_is_not_built_from(releases, caplog) -> None:
    settings = releases["settings"]
    current = settings.build_path / "current"
    manifest = Manifest.read(current)
    manifest.model_copy(update={"tools": None}).write(current.resolve())  # as manifests before it were
    source = sorted((settings.data_path / "sources").glob("*.txt"))[4]
    source.write_bytes(source.read_bytes() + b"\n")
    with caplog.at_level(logging.INFO, logger="kg.release"):
        build(settings)
    assert "was built with other code" in caplog.text and MADE_FROM not in caplog.text
