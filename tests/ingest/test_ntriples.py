"""kg.ingest.serialise.ntriples: the N-Triples a build validates and dumps are rdflib's own, byte for byte."""

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.ingest import ingest_file
from kg.ingest.serialise import ntriples
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt",
         ROOT / "tests" / "data" / "ingest" / "amendment-koriyama-nihonmatsu-2020.txt"]


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_an_ingested_graph_is_written_as_rdflib_writes_it(path: Path) -> None:
    graph = ingest_file(path, Settings()).graph
    assert ntriples(graph) == graph.serialize(format="nt", encoding="utf-8")


def test_every_kind_of_term_is_written_as_rdflib_writes_it() -> None:
    x, b = URIRef("https://w3id.org/renkei/id/x"), BNode("b1")
    g = Graph()
    for o in (Literal('引用 "a"\n\\ \r 終'), Literal("x", lang="ja"), Literal(3),
              Literal("2019-10-18", datatype=XSD.date), Literal(True), b, URIRef("https://w3id.org/renkei/id/日本")):
        g.add((x, RDFS.comment, o))
    g.add((b, RDFS.label, Literal("空白ノード")))
    assert ntriples(g) == g.serialize(format="nt", encoding="utf-8")
