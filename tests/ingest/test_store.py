"""kg.ingest.store.TripleStore: the same triples, answers and count as rdflib's SimpleMemory, through
duplicates and removals."""

from itertools import product

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from kg.ingest.store import TripleStore

SUBJECTS = [URIRef(f"https://w3id.org/renkei/id/s{i}") for i in range(3)]
PREDICATES = [URIRef(f"https://w3id.org/renkei/ns#p{i}") for i in range(2)]
OBJECTS = [*SUBJECTS[:2], Literal("x", lang="ja"), Literal("x"), Literal(1)]


def both() -> tuple[Graph, Graph]:
    ours, theirs = Graph(store=TripleStore()), Graph(store=SimpleMemory())
    for g in (ours, theirs):
        for t in product(SUBJECTS, PREDICATES, OBJECTS):
            g.add(t)
        for t in list(product(SUBJECTS, PREDICATES, OBJECTS))[::3]:  # each added again: no new triple
            g.add(t)
    return ours, theirs


def answers(g: Graph) -> list[set]:
    patterns = product((None, SUBJECTS[0]), (None, PREDICATES[1]), (None, OBJECTS[2], SUBJECTS[1]))
    return [set(g.triples(pattern)) for pattern in patterns]


def test_the_same_triples_and_count_as_simple_memory() -> None:
    ours, theirs = both()
    assert len(ours) == len(theirs) == len(SUBJECTS) * len(PREDICATES) * len(OBJECTS)
    assert answers(ours) == answers(theirs)
    assert list(ours) == list(theirs)  # the same order: the same indexes


def test_removing_keeps_the_count() -> None:
    ours, theirs = both()
    for g in (ours, theirs):
        g.remove((SUBJECTS[0], None, None))
        g.remove((None, PREDICATES[1], OBJECTS[2]))
        g.remove((SUBJECTS[2], PREDICATES[0], Literal("not there")))
    assert len(ours) == len(theirs) == len(set(theirs))
    assert answers(ours) == answers(theirs)
    ours.add((SUBJECTS[0], PREDICATES[0], OBJECTS[0]))
    assert len(ours) == len(set(ours))
