"""kg.release.dumps: dumps written by putting each graph's parts end to end are valid in every format."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.release.dumps import DUMPS, graph_parts, gzip_member, store_parts, write_dumps

BASE = "https://w3id.org/renkei/"
G1, G2 = "https://w3id.org/renkei/graph/a", "https://w3id.org/renkei/graph/b"
NT1 = (b'<https://w3id.org/renkei/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@ja .\n'
       b'<https://w3id.org/renkei/id/x> <https://w3id.org/renkei/ns#n> '
       b'"1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
NT2 = (b'<https://w3id.org/renkei/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@ja .\n'  # in both graphs
       b'<https://w3id.org/renkei/id/y> <https://w3id.org/renkei/ns#b> _:b1 .\n'
       b'_:b1 <http://www.w3.org/2000/01/rdf-schema#label> "\xe9\x83\xa1\xe5\xb1\xb1"@ja .\n')


def quads() -> set[ox.Quad]:
    out = set()
    for name, nt in ((G1, NT1), (G2, NT2)):
        out |= {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
                for t in (q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))}
    return out


def canonical(qs: list[ox.Quad]) -> ox.Dataset:
    ds = ox.Dataset(qs)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return ds


@pytest.fixture
def dumps(tmp_path: Path) -> Path:
    write_dumps([graph_parts(G1, NT1, BASE), graph_parts(G2, NT2, BASE)], tmp_path)
    return tmp_path


@pytest.mark.parametrize("dump", DUMPS, ids=[d.name for d in DUMPS])
def test_each_dump_holds_both_graphs(dumps: Path, dump: object) -> None:
    data = (dumps / dump.name).read_bytes()  # type: ignore[attr-defined]
    parsed = list(ox.parse(data, format=dump.fmt))  # type: ignore[attr-defined]
    expected = quads()
    if not dump.datasets:  # type: ignore[attr-defined]
        expected = {ox.Quad(q.subject, q.predicate, q.object) for q in expected}
    assert canonical(parsed) == canonical(list(expected))


@pytest.mark.parametrize("dump", DUMPS, ids=[d.name for d in DUMPS])
def test_the_gzip_twin_is_the_same_bytes(dumps: Path, dump: object) -> None:
    name = dump.name  # type: ignore[attr-defined]
    assert gzip.decompress((dumps / f"{name}.gz").read_bytes()) == (dumps / name).read_bytes()


def test_json_ld_is_one_array_of_graphs(dumps: Path) -> None:
    doc = json.loads((dumps / "dataset.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc, list) and {g["@id"] for g in doc} == {G1, G2}


def test_no_graph_gives_empty_but_valid_dumps(tmp_path: Path) -> None:
    write_dumps([], tmp_path)
    assert json.loads((tmp_path / "dataset.jsonld").read_text()) == []
    assert (tmp_path / "dataset.nq").read_bytes() == b""


def test_an_empty_graph_has_no_parts() -> None:
    assert graph_parts(G1, b"", BASE) == {}


def test_store_parts_keep_the_default_graph_and_skip_the_excluded(tmp_path: Path) -> None:
    store = ox.Store()
    store.load(NT1, format=ox.RdfFormat.N_TRIPLES)  # the default graph
    store.load(NT2, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(G2))
    store.load(NT1, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(G1))
    write_dumps(store_parts(store, BASE, exclude={ox.NamedNode(G1)}), tmp_path)
    parsed = list(ox.parse((tmp_path / "dataset.nq").read_bytes(), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in parsed} == {ox.DefaultGraph(), ox.NamedNode(G2)}
    assert len(parsed) == 5


@pytest.mark.parametrize("graph_name", [G2, None], ids=["named graph", "default graph"])
@pytest.mark.parametrize("dump", DUMPS, ids=[d.name for d in DUMPS])
def test_each_part_alone_is_its_graph(graph_name: str | None, dump: object) -> None:
    """The dataset formats' parts are made from the triples' (N-Quads from N-Triples, TriG from
    Turtle, JSON-LD's graph object from its nodes): each still parses to the graph, where it belongs."""
    text = gzip.decompress(graph_parts(graph_name, NT2, BASE)[dump.name])  # type: ignore[attr-defined]
    if dump.fmt == ox.RdfFormat.JSON_LD:  # type: ignore[attr-defined]
        text = b"[" + text + b"]"
    name = ox.NamedNode(graph_name) if graph_name and dump.datasets else ox.DefaultGraph()  # type: ignore[attr-defined]
    expected = [ox.Quad(t.subject, t.predicate, t.object, name)
                for t in (q.triple for q in ox.parse(NT2, format=ox.RdfFormat.N_TRIPLES))]
    assert canonical(list(ox.parse(text, format=dump.fmt))) == canonical(expected)  # type: ignore[attr-defined]


@pytest.mark.parametrize("tail", [0, len(gzip_member(b"]\n")), 100, 1 << 16])
def test_digests_begun_before_the_statistics_graph_is_added_are_the_files_sha256(
        dumps: Path, tail: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """kg.release.publish.DumpDigests hashes the dumps while the store is optimised, then reads past
    what it hashed once the statistics graph is appended. The JSON-LD dumps' closing bracket (its own
    gzip member in the .gz) is rewritten then: only a tail at least that long may be left unhashed
    (with none, those two digests are wrong, and the test says so)."""
    import hashlib

    from kg.release import publish

    monkeypatch.setattr(publish, "_TAIL", tail)
    begun = publish.DumpDigests(dumps)
    for hashing in begun._begun.values():  # as in a build: hashed during optimize, before the append
        hashing.result()
    nt = b'<https://w3id.org/renkei/id/s> <http://www.w3.org/2000/01/rdf-schema#label> "s"@ja .\n'
    publish._append_to_dumps(graph_parts(BASE + "graph/statistics", nt, BASE), dumps)
    found = begun.finished()
    files = sorted(p for p in dumps.iterdir() if p.name.startswith("dataset."))
    wrong = {name for name, digest in found.items()
             if digest != hashlib.sha256((dumps / name).read_bytes()).hexdigest()}
    assert len(found) == len(files) == 2 * len(DUMPS)
    assert wrong == ({"dataset.jsonld", "dataset.jsonld.gz"} if tail == 0 else set())


def test_the_unhashed_tail_covers_what_the_statistics_graph_rewrites() -> None:
    from kg.release.publish import _TAIL

    assert _TAIL >= len(gzip_member(b"]\n")) >= len(b"]\n")
