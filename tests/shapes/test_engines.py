"""The two SHACL engines (kg.validation.engine) agree on our shapes: every result pySHACL, the reference
implementation, reports, pyshacl-turbo reports too, and nothing else, on every shape's valid and
invalid example, on the base graphs, and on real and composed agreements."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph
from rdflib.term import Node

from kg.ingest import ingest_file
from kg.namespaces import SH
from kg.reference.graphs import context_ntriples
from kg.settings import Settings
from kg.validation.engine import ENGINES, run_shapes
from kg.validation.reads import only_read
from kg.validation.validate import load_shapes
from tests.shapes.test_shape_fixtures import DATA, fixture_folders, fixture_graph
from tests.shared import shared_dir

SETTINGS = Settings()
ROOT = Path(__file__).resolve().parents[2]

Outcome = tuple[bool, frozenset[tuple[str, ...]]]


def outcome(data: Graph, engine: str, predicates: frozenset[str] | None = None) -> Outcome:
    """Conformance and every result as (shape, focus, path, value, severity); blank nodes as '_'.
    The whole graph and context, or only their triples with one of ``predicates``."""
    shapes = load_shapes(SETTINGS.shapes_path, SETTINGS.base_iri)
    nt = (only_read(data.serialize(format="nt", encoding="utf-8"), predicates)
          + context_ntriples(data, SETTINGS, predicates=predicates))
    conforms, report = run_shapes(nt, shapes.graph, (SETTINGS.shapes_path, SETTINGS.base_iri), engine)  # type: ignore[arg-type]

    def term(n: Node | None) -> str:
        return "_" if isinstance(n, BNode) else str(n)

    results = frozenset(
        tuple(term(report.value(r, p)) for p in (SH.sourceShape, SH.focusNode, SH.resultPath, SH.value,
                                                  SH.resultSeverity))
        for r in report.subjects(RDF.type, SH.ValidationResult))
    return conforms, results


def graphs() -> list[tuple[str, Graph]]:
    out = [(f"{folder.name}/{kind}", fixture_graph(folder, kind))
           for folder in fixture_folders() for kind in ("valid", "invalid")]
    out += [(name, Graph().parse(DATA / name)) for name in ("base.ttl", "base-amendment.ttl")]
    texts = [ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt",
             *sorted((shared_dir() / "samples").glob("*.txt")),
             *sorted(p for p in (ROOT / "tests" / "data" / "ingest" / "fresh").iterdir()
                     if p.suffix in (".txt", ".html"))]
    for path in texts:
        try:
            out.append((path.name, ingest_file(path, SETTINGS).graph))
        except Exception:  # noqa: BLE001 — a sample another test expects to be refused
            continue
    return out


def test_the_engines_are_the_two_documented() -> None:
    assert ENGINES == ("turbo", "pyshacl")
    assert SETTINGS.shacl_engine == "turbo"  # the default


@pytest.mark.parametrize(("name", "data"), graphs(), ids=lambda v: v if isinstance(v, str) else "")
def test_turbo_reports_exactly_what_pyshacl_reports(name: str, data: Graph) -> None:
    reference = outcome(data, "pyshacl")
    assert outcome(data, "turbo") == reference, name


def test_the_comparison_can_fail() -> None:
    """The invalid examples do produce results, so equal outcomes are not equal emptiness."""
    folder = next(f for f in fixture_folders() if f.name.startswith("IN-08"))
    conforms, results = outcome(fixture_graph(folder, "invalid"), "pyshacl")
    assert not conforms and results
