"""What an OCR reading is held to: the text version's structure, and its texts within a character error rate.

Shared by the tests and bench/ocr_bench.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kg.ingest import IngestResult

_PREFIXES = """PREFIX renkei: <https://w3id.org/renkei/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""


def _rows(graph: Graph, query: str) -> set[tuple[str, ...]]:
    return {tuple(str(v) for v in row) for row in graph.query(_PREFIXES + query)}  # type: ignore[union-attr]


@dataclass(frozen=True)
class Structure:
    """The parts of an agreement that OCR must get exactly right."""

    articles: frozenset[tuple[str, ...]]
    paragraphs: frozenset[tuple[str, ...]]
    initiatives: frozenset[tuple[str, ...]]  # (initiative, pillar)
    roles: frozenset[tuple[str, ...]]  # (role, actor, lead)

    def differences(self, other: Structure) -> list[str]:
        """What differs, part by part (empty when the structures are the same)."""
        out = []
        for part in ("articles", "paragraphs", "initiatives", "roles"):
            mine, theirs = getattr(self, part), getattr(other, part)
            if mine != theirs:
                out.append(f"{part}: missing {sorted(mine - theirs)[:5]}, extra {sorted(theirs - mine)[:5]}")
        return out


def structure(result: IngestResult) -> Structure:
    """Articles, paragraphs, initiatives with their pillar, roles with their actor and lead."""
    g = result.graph
    return Structure(
        frozenset(_rows(g, "SELECT ?a ?n WHERE { ?a a renkei:Article ; renkei:number ?n }")),
        frozenset(_rows(g, "SELECT ?p ?n WHERE { ?p a renkei:Paragraph ; renkei:number ?n }")),
        frozenset(_rows(g, "SELECT ?i ?p WHERE { ?i a renkei:Initiative . OPTIONAL { ?i renkei:pillar ?p } }")),
        frozenset(_rows(g, "SELECT ?r ?a ?l WHERE { ?i renkei:role ?r . OPTIONAL { ?r renkei:actor ?a } "
                           "OPTIONAL { ?r renkei:lead ?l } }")))


def texts(result: IngestResult) -> dict[str, str]:
    """Every initiative's content and every role's text, by the IRI of the initiative or role."""
    out = {}
    for subject, text in _rows(result.graph, "SELECT ?s ?t WHERE { { ?s a renkei:Initiative ; renkei:content ?t } "
                                             "UNION { ?i renkei:role ?s . ?s renkei:text ?t } }"):
        out[subject] = text
    return out


def levenshtein(a: str, b: str) -> int:
    """The edit distance between ``a`` and ``b`` (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(reference: dict[str, str], read: dict[str, str]) -> float:
    """The character error rate of ``read`` against ``reference``: edits over the reference's length,
    part by part (a part missing from ``read`` counts as all its characters wrong)."""
    edits = sum(levenshtein(text, read.get(key, "")) for key, text in reference.items())
    total = sum(len(text) for text in reference.values())
    return edits / total if total else 0.0
