"""kg.release.text: the per-text work of a build gives the graph it ingested, in every part, and
leaves the process's cycle collector as it found it; the N-Quads part is pyoxigraph's own."""

from __future__ import annotations

import gc
import zlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest import ingest_file
from kg.release.cache import BuildCache
from kg.release.dumps import graph_parts
from kg.release.text import ingest_and_validate
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"
BASE = "https://w3id.org/renkei/"
G = "https://w3id.org/renkei/graph/a"
#: Literals with what an N-Quads line ends with (" ." and a line break) inside them.
NT = ('<https://w3id.org/renkei/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "a .\\nb ."@ja .\n'
      '<https://w3id.org/renkei/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "末尾 . \\r\\n ." .\n'
      '<https://w3id.org/renkei/id/x> <https://w3id.org/renkei/ns#n> '
      '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n').encode()


def part(parts: dict[str, bytes], name: str) -> bytes:
    return zlib.decompress(parts[name], wbits=31)


@pytest.mark.parametrize("graph_name", [G, None])
def test_the_nquads_part_is_what_pyoxigraph_writes(graph_name: str | None) -> None:
    name = ox.NamedNode(graph_name) if graph_name else ox.DefaultGraph()
    quads = [ox.Quad(t.subject, t.predicate, t.object, name)
             for t in (q.triple for q in ox.parse(NT, format=ox.RdfFormat.N_TRIPLES))]
    assert part(graph_parts(graph_name, NT, BASE), "dataset.nq") == ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


@pytest.mark.parametrize("collecting", [True, False])
def test_a_text_leaves_the_collector_as_it_found_it(tmp_path: Path, collecting: bool) -> None:
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        ingest_and_validate(FOUNDING, Settings(), BuildCache(tmp_path, "t"), "k")
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()


def test_the_cached_parts_hold_the_ingested_graph(tmp_path: Path) -> None:
    settings = Settings()
    cache = BuildCache(tmp_path, "t")
    entry = ingest_and_validate(FOUNDING, settings, cache, "k")
    graph = ingest_file(FOUNDING, settings).graph
    expected = {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(entry.graph)) for t in
                (q.triple for q in ox.parse(graph.serialize(format="nt", encoding="utf-8"),
                                            format=ox.RdfFormat.N_TRIPLES))}
    parts = cache.parts("k")
    assert set(ox.parse(part(parts, "dataset.nq"), format=ox.RdfFormat.N_QUADS)) == expected
    assert len(expected) == entry.triples == len(graph)
