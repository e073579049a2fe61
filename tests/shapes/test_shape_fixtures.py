"""Every shape has a valid and an invalid example; the invalid one trips exactly that shape.

Fixtures live in tests/data/shapes/<shape-id>/{valid,invalid}.{ru,ttl}: a ``.ru`` is a SPARQL
UPDATE applied to the base graph of its rule's group — tests/data/shapes/base.ttl (an agreement),
or base-amendment.ttl for the AM and CH rules — read with prologue.rq's prefixes (an update that
is only comments leaves the base as it is); a ``.ttl`` is a whole graph of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.namespaces import SH
from kg.settings import Settings
from kg.validation.report import Severity
from kg.validation.validate import SHAPES_NS, load_shapes, validate_graph

DATA = Path(__file__).resolve().parents[1] / "data" / "shapes"
SETTINGS = Settings()
AMENDMENT = "https://w3id.org/renkei/id/amendment/072036-072109-2020-07-08"


@dataclass(frozen=True)
class Base:
    """The graph a group's fixture updates change, and the IRI their relative IRIs resolve against."""

    file: str
    iri: str | None = None  # None: prologue.rq's BASE (the base agreement)


#: The amending agreement's rules (AM, and CH for its changes) are shown on an amendment.
BASES = {"AM": Base("base-amendment.ttl", AMENDMENT + "/"), "CH": Base("base-amendment.ttl", AMENDMENT + "/")}
AGREEMENT_BASE = Base("base.ttl")


def base_of(shape_id: str) -> Base:
    """The base graph of a rule's fixtures, by the rule's group (the two letters of its id)."""
    return BASES.get(shape_id[:2], AGREEMENT_BASE)


def rule_ids() -> list[str]:
    """The id of every rule shape (a shape with a severity) in shapes/."""
    shapes = load_shapes(SETTINGS.shapes_path, SETTINGS.base_iri)
    return sorted(str(s)[len(SHAPES_NS):] for s in shapes.graph.subjects(SH.severity, None)
                  if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS))


def fixture_graph(folder: Path, kind: str) -> Graph:
    """The valid or invalid example graph of one fixture folder."""
    ttl, ru = folder / f"{kind}.ttl", folder / f"{kind}.ru"
    if ttl.exists():
        return Graph().parse(ttl)
    base = base_of(folder.name)
    g = Graph().parse(DATA / base.file)
    update = ru.read_text(encoding="utf-8")
    if any(line.strip() and not line.lstrip().startswith("#") for line in update.splitlines()):
        prologue = (DATA / "prologue.rq").read_text(encoding="utf-8")
        if base.iri is not None:
            prologue += f"BASE <{base.iri}>\n"  # resolves the relative IRIs that follow it
        g.update(prologue + update)
    return g


def fixture_folders() -> list[Path]:
    return sorted(p for p in DATA.iterdir() if p.is_dir())


@pytest.mark.parametrize("base", sorted({AGREEMENT_BASE.file, *(b.file for b in BASES.values())}))
def test_base_fixture_conforms_without_any_result(base: str) -> None:
    report = validate_graph(Graph().parse(DATA / base), SETTINGS)
    assert [(r.shape_id, r.location.text.en) for r in report.results] == []


def test_every_shape_has_a_fixture_folder() -> None:
    folders = {p.name for p in fixture_folders()}
    assert rule_ids(), "no rule shape found in shapes/"
    assert sorted(set(rule_ids()) - folders) == []


def test_every_fixture_folder_names_a_shape() -> None:
    assert sorted({p.name for p in fixture_folders()} - set(rule_ids())) == []


@pytest.mark.parametrize("folder", fixture_folders(), ids=lambda p: p.name)
def test_fixture_folder_holds_a_valid_and_an_invalid_example(folder: Path) -> None:
    for kind in ("valid", "invalid"):
        found = [p.name for p in folder.iterdir() if p.stem == kind and p.suffix in (".ru", ".ttl")]
        assert len(found) == 1, f"{folder.name}: expected one {kind}.ru or {kind}.ttl, found {found}"


@pytest.mark.parametrize("shape_id", rule_ids())
def test_valid_example_conforms_without_any_result(shape_id: str) -> None:
    report = validate_graph(fixture_graph(DATA / shape_id, "valid"), SETTINGS)
    assert [(r.shape_id, r.location.text.en) for r in report.results] == []


@pytest.mark.parametrize("shape_id", rule_ids())
def test_invalid_example_trips_exactly_its_shape(shape_id: str) -> None:
    report = validate_graph(fixture_graph(DATA / shape_id, "invalid"), SETTINGS)
    assert report.results, f"{shape_id}: the invalid example produced no result"
    assert {r.shape_id for r in report.results} == {shape_id}
    severity = report.results[0].severity
    assert report.conforms is (severity is not Severity.VIOLATION)
