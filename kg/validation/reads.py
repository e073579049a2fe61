"""What the shapes can read: the predicates of every triple a shape's targets, paths, constraints and
SPARQL queries can match.

An agreement is validated beside its reference context (kg.reference.graphs.context_ntriples): the
framework scheme, the statute, its municipalities. Most of that context is labels, definitions and
editorial notes that no shape looks at, and the engine parsed all of it for every agreement (≈ 690
lines beside the agreement's ≈ 730, ≈ 1.1 ms of a text's 9 ms of validation at 4,000 agreements;
docs/perf/build.md, Session 9). A triple whose predicate no shape names can match no pattern of
any shape, so leaving it out cannot change a result: :func:`predicates_read` finds those
predicates in the shapes graph, and kg.validation.validate gives the engine only the triples with
one of them (:func:`only_read`), of the context and of the agreement itself (its selectors'
values, checksums and matched labels are a quarter of its lines: ≈ 0.5 ms more).

It answers None — give the engine everything — whenever it cannot be sure: a SPARQL query that
does not parse, that matches a variable predicate (``?s ?p ?o``; SHACL's ``$PATH`` is the shape's
own path, so it is allowed) or a negated property set (``!rdf:type``), a closed shape
(``sh:closed`` looks at every predicate of its focus node), or SHACL-AF rules (which add triples
the shapes then read). rdf:type and rdfs:subClassOf are always read: they are how SHACL finds the
instances of a class (SHACL §2.1.3.1, §4.1.3).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from rdflib import RDF, RDFS, Graph, Literal, URIRef, Variable
from rdflib.paths import NegatedPath, Path
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.namespaces import SH

__all__ = ["only_read", "predicates_read"]

#: Where a shapes graph holds SPARQL text the engine runs (constraints, custom components, targets).
_QUERIES = (SH.select, SH.ask)
#: What makes a shape read beyond the predicates it names, or read what it adds itself.
_UNBOUNDED = (SH.closed, SH.rule)


def predicates_read(shapes: Graph) -> frozenset[str] | None:
    """The IRIs of the predicates ``shapes`` can read in a data graph, or None when that cannot be told.

    Every IRI the shapes graph mentions counts (a superset of the paths' predicates: class and shape
    names too, which is harmless), and every IRI of every SPARQL query in it."""
    if any((None, p, None) in shapes for p in _UNBOUNDED):
        return None
    read = {str(n) for triple in shapes for n in triple if isinstance(n, URIRef)}
    read |= {str(RDF.type), str(RDFS.subClassOf)}
    prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in _declared(shapes))
    for prop in _QUERIES:
        for text in shapes.objects(None, prop):
            try:
                algebra = prepareQuery(prologue + str(text)).algebra
            except Exception:  # noqa: BLE001 — rdflib's parser raises several types; the engine will say
                return None
            iris: set[str] = set()
            if not _walk(algebra, iris):
                return None
            read |= iris
    return frozenset(read)


def only_read(ntriples: bytes, predicates: frozenset[str] | None) -> bytes:
    """The lines of ``ntriples`` whose predicate is one of ``predicates`` (all of them if None).

    A line of N-Triples is one triple: its subject (an IRI or a blank node, without spaces), a space,
    its predicate, a space, its object. A line that is not (blank, or a comment) is left out."""
    if predicates is None:
        return ntriples
    keep = _written(predicates)
    out = []
    for line in ntriples.splitlines(keepends=True):
        parts = line.split(b" ", 2)
        if len(parts) == 3 and parts[1] in keep:
            out.append(line)
    return b"".join(out)


@cache
def _written(predicates: frozenset[str]) -> frozenset[bytes]:
    return frozenset(f"<{p}>".encode() for p in predicates)


def _declared(shapes: Graph) -> Iterator[tuple[str, str]]:
    """Every prefix declared with sh:declare, and those bound on the graph (a query's prefixes are
    the union of its sh:prefixes' declarations: taking all of them can only add IRIs)."""
    seen: set[str] = set()
    for declaration in shapes.objects(None, SH.declare):
        label, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
        if isinstance(label, Literal) and namespace is not None and str(label) not in seen:
            seen.add(str(label))
            yield str(label), str(namespace)
    for bound, iri in shapes.namespaces():
        if bound and bound not in seen:
            seen.add(bound)
            yield bound, str(iri)


def _walk(node: object, iris: set[str]) -> bool:
    """Add the IRIs in a query's algebra to ``iris``; False when a pattern can match any predicate."""
    if isinstance(node, URIRef):
        iris.add(str(node))
        return True
    if isinstance(node, NegatedPath):
        return False
    if isinstance(node, Path):
        return all(_walk(part, iris) for part in vars(node).values())
    if isinstance(node, CompValue):
        if node.name in ("BGP", "TriplesBlock"):  # translated, or as parsed (inside EXISTS)
            for terms in node.get("triples") or ():  # (s, p, o), or a parsed run s p o s p o …
                if any(isinstance(p, Variable) and str(p) != "PATH" for p in list(terms)[1::3]):
                    return False
        return all(_walk(value, iris) for value in node.values())
    if isinstance(node, dict):
        return all(_walk(value, iris) for value in node.values())
    if isinstance(node, list | tuple | set | frozenset):
        return all(_walk(item, iris) for item in node)
    return True
