"""The SHACL engines that run the shapes: pyshacl-turbo (Rust, the default) and pySHACL (the reference).

Both take the same input — one agreement and its reference context as N-Triples — and give the
same ``sh:ValidationReport`` on our shapes: tests/shapes runs every shape's valid and invalid
example on both and requires the same results (shape, focus node, path, value, severity).

Why two: pySHACL is the reference implementation the shapes were written against, and it runs
anywhere Python does; pyshacl-turbo evaluates the same shapes, SPARQL-based constraints
included, natively, about ten times faster (docs/performance.md, "Build"), which is what lets a
build validate thousands of agreements one by one. ``KG_SHACL_ENGINE=pyshacl`` selects the
reference engine.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from kg.settings import Engine

__all__ = ["ENGINES", "run_shapes"]

#: The engines ``KG_SHACL_ENGINE`` may name.
ENGINES: tuple[Engine, ...] = get_args(Engine)
#: What every engine is told: no entailment behind a reader's back (the shapes say exactly what
#: must be asserted), SHACL-AF available, and warnings and infos do not make a graph fail.
_OPTIONS: dict[str, Any] = {"inference": "none", "allow_warnings": True, "allow_infos": True}
#: The shapes compiled by pyshacl-turbo, once per (shapes folder, base IRI) and process.
_PROGRAMS: dict[tuple[Path, str], Any] = {}


def run_shapes(ntriples: bytes, shapes: Graph, shapes_key: tuple[Path, str], engine: Engine = "turbo",
               ) -> tuple[bool, Graph]:
    """Validate the graph in ``ntriples`` against ``shapes``; return (conforms, report graph).

    ``shapes_key`` (shapes folder, base IRI) names the shapes graph, so that it is compiled
    once per process and not once per agreement.
    """
    if engine == "pyshacl":
        import pyshacl

        data = _PreparedQueryGraph()
        data.parse(data=ntriples, format="nt")
        conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inplace=True,
                                                   **_OPTIONS)
        return bool(conforms), report
    from pyshacl_turbo.rdf import Input

    program = _PROGRAMS.get(shapes_key)
    if program is None:
        import pyshacl_turbo

        program = _PROGRAMS[shapes_key] = pyshacl_turbo.compile_shapes(  # type: ignore[no-untyped-call]
            shapes, advanced=True)
    # The text goes to the engine as it is: what it makes of a pyoxigraph Store (the Store's N-Quads,
    # blank-node labels kept), without loading a Store and dumping it again first (3 ms an agreement
    # of the 10 its validation took). N-Triples are N-Quads; labels are kept, so that a report's
    # focus node is the same node as in the caller's graph.
    given = Input(ntriples.decode("utf-8"), "oxigraph-nquads", None, {}, preserve_ids=True)
    conforms, report, _text = program.validate(given, **_OPTIONS)
    return bool(conforms), report


class _PreparedQueryGraph(Graph):
    """A Graph that parses each SPARQL text once. pySHACL sends a SPARQL-based constraint's query
    once per focus node; parsing it again each time took 80 % of a validation (measured on a
    19-initiative agreement: 5 s of 6.5 s), evaluating it very little."""

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    """The parsed and translated query (evaluation does not change it, so it is safe to share)."""
    return prepareQuery(text)
