"""The validation context of one agreement (kg.reference.graphs.context_ntriples): read from the
agreement's N-Triples, it is the same as read from its rdflib graph, and the text is only trusted
where a node can be told from a literal."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.ingest import ingest_file
from kg.namespaces import RENKEI
from kg.reference.graphs import _codes_in, context_ntriples
from kg.settings import Settings

S = Settings()
ID = S.ids
PREFIX = str(ID.id("municipality/"))
ROOT = Path(__file__).resolve().parents[2]
KORIYAMA, NIHONMATSU, MOTOMIYA = (ID.municipality(c) for c in ("072036", "072109", "072141"))


def graph(*triples: tuple) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def nt(g: Graph) -> bytes:
    return g.serialize(format="nt", encoding="utf-8")


AGREEMENT = URIRef(ID.id("agreement/x"))
CASES = {
    "subject and object": graph((AGREEMENT, RENKEI.party, KORIYAMA), (NIHONMATSU, RDFS.label, Literal("二本松市"))),
    "literal naming an IRI": graph((AGREEMENT, RENKEI.party, KORIYAMA),
                                   (AGREEMENT, RDFS.comment, Literal(str(MOTOMIYA)))),
    "literal quoting a line": graph((AGREEMENT, RDFS.comment, Literal(f"x <{MOTOMIYA}> ."))),
    "as a predicate": graph((AGREEMENT, MOTOMIYA, KORIYAMA)),
    "as a datatype": graph((AGREEMENT, RDFS.comment, Literal("1", datatype=MOTOMIYA))),
    "nothing": graph((AGREEMENT, RDF.type, RENKEI.Agreement)),
}


@pytest.mark.parametrize("name", CASES)
def test_the_context_from_the_text_is_the_context_from_the_graph(name: str) -> None:
    g = CASES[name]
    assert context_ntriples(g, S, nt(g)) == context_ntriples(g, S)


def test_the_text_is_read_where_nodes_are_plain_and_left_to_the_graph_elsewhere() -> None:
    assert _codes_in(nt(CASES["subject and object"]), PREFIX) == {"072036", "072109"}
    assert _codes_in(nt(CASES["nothing"]), PREFIX) == set()
    for name in ("literal naming an IRI", "literal quoting a line", "as a predicate", "as a datatype"):
        assert _codes_in(nt(CASES[name]), PREFIX) is None, name


def test_an_ingested_agreement_has_the_same_context_either_way() -> None:
    g = ingest_file(ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt", S).graph
    text = nt(g)
    assert _codes_in(text, PREFIX) is not None
    assert context_ntriples(g, S, text) == context_ntriples(g, S)
