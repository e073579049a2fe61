"""Lint the shapes themselves: meta-SHACL, only SHACL's own terms, declared vocabulary, and the
house style (numbered ids, explicit severity, bilingual name/message/description, a target)."""

from __future__ import annotations

import re
from collections import Counter

import pyshacl
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH as SHACL_VOCABULARY

from kg.namespaces import RENKEI, SH
from kg.settings import Settings
from kg.validation.validate import SHAPES_NS, load_shapes

SETTINGS = Settings()
SHAPES = load_shapes(SETTINGS.shapes_path, SETTINGS.base_iri).graph
RULES = sorted(s for s in SHAPES.subjects(SH.severity, None) if isinstance(s, URIRef))
#: The rule groups, in the order of the file: the agreement and its parts, the amending agreement
#: and its changes, then what both have (signatories, municipalities, provenance).
GROUPS = ["AG", "AR", "PA", "IT", "IN", "RO", "AM", "CH", "SG", "MU", "PV"]
ID = re.compile(rf"(?P<group>{'|'.join(GROUPS)})-(?P<number>\d{{2}})-[a-z0-9]+(?:-[a-z0-9]+)*")
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _iris(g: Graph) -> set[URIRef]:
    return {t for triple in g for t in triple if isinstance(t, URIRef)}


def test_shapes_pass_pyshacl_meta_shacl() -> None:
    conforms, _graph, text = pyshacl.validate(Graph(), shacl_graph=SHAPES, meta_shacl=True, advanced=True)
    assert conforms, text


def test_shapes_use_no_sh_term_outside_the_shacl_vocabulary() -> None:
    # DCAT-AP 3.0.0 shipped sh:shape, which engines silently ignore; rdflib's SH lists SHACL's terms.
    known = {str(SHACL_VOCABULARY[name]) for name in SHACL_VOCABULARY.__annotations__}
    known |= {str(SHACL_VOCABULARY) + name for name in getattr(SHACL_VOCABULARY, "_extras", [])}
    used = {str(i) for i in _iris(SHAPES) if str(i).startswith(str(SH))}
    assert used, "no sh: term found: the test would pass vacuously"
    assert sorted(used - known) == []


def test_shapes_use_no_renkei_term_the_ontology_does_not_declare() -> None:
    ontology = Graph().parse(SETTINGS.ontology_path / "renkei.ttl")
    declared = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {i for i in _iris(SHAPES) if str(i).startswith(str(RENKEI))}
    assert used
    assert sorted(str(i) for i in used - declared) == []


def test_there_are_rule_shapes() -> None:
    assert len(RULES) >= 40


@pytest.mark.parametrize("shape", RULES, ids=lambda s: str(s).rpartition("#")[2])
def test_rule_shape_follows_the_house_style(shape: URIRef) -> None:
    assert str(shape).startswith(SHAPES_NS)
    assert ID.fullmatch(str(shape)[len(SHAPES_NS):]), "id must be GROUP-NN-words"
    assert SHAPES.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info)
    assert any(SHAPES.value(shape, t) is not None for t in TARGETS), "a rule carries its own target"
    for prop in (SH.name, SH.message, SH.description):
        langs = Counter(o.language for o in SHAPES.objects(shape, prop) if isinstance(o, Literal))
        assert langs == Counter({"ja": 1, "en": 1}), f"{prop}: one @ja and one @en"
    for constraint in SHAPES.objects(shape, SH.sparql):
        assert SHAPES.value(constraint, SH.message) is None, "messages live on the shape, not the constraint"


def test_rule_numbers_are_unique_within_each_group() -> None:
    numbers = Counter()
    for shape in RULES:
        match = ID.fullmatch(str(shape)[len(SHAPES_NS):])
        assert match
        numbers[(match["group"], match["number"])] += 1
    assert [k for k, n in numbers.items() if n > 1] == []


def test_every_shape_node_is_a_rule_or_an_inline_value_shape() -> None:
    # Named shapes are rules (a person can look them up); blank node shapes only appear inline as
    # sh:qualifiedValueShape, where they never produce a result of their own.
    shapes = set(SHAPES.subjects(RDF.type, SH.NodeShape)) | set(SHAPES.subjects(RDF.type, SH.PropertyShape))
    inline = set(SHAPES.objects(None, SH.qualifiedValueShape))
    assert sorted(str(s) for s in shapes - set(RULES) - inline) == []


def test_shape_ids_are_listed_in_the_order_of_the_file() -> None:
    # A reader of renkei-shapes.ttl finds AG-01 … PV-05 in order: ids are never renumbered, only appended.
    text = (SETTINGS.shapes_path / "renkei-shapes.ttl").read_text(encoding="utf-8")
    rules = {str(s)[len(SHAPES_NS):] for s in RULES}
    order = [i for i in re.findall(r"^shapes:(\S+)$", text, flags=re.M) if i in rules]
    assert order == sorted(order, key=lambda i: (GROUPS.index(i[:2]), i))
    assert len(order) == len(RULES)


def test_named_shapes_nodes_are_rules_or_shared_sparql_constraints_in_use() -> None:
    # Besides the rules, shapes: names only SPARQL constraints that several rules share (AG-07 and
    # AM-10 mean one thing by "not in the future"); each is complete and used.
    named = {s for s in SHAPES.subjects() if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)}
    shared = named - set(RULES)
    assert shared, "no shared constraint: the test would pass vacuously"
    for constraint in shared:
        assert (constraint, RDF.type, SH.SPARQLConstraint) in SHAPES, constraint
        assert SHAPES.value(constraint, SH.select) is not None and SHAPES.value(constraint, SH.prefixes) is not None
        users = set(SHAPES.subjects(SH.sparql, constraint))
        assert users and users <= set(RULES), f"{constraint} is used by no rule"
        assert all(SHAPES.value(u, SH.path) is not None for u in users), "$PATH needs the rule's sh:path"


def test_shapes_follow_a_configured_base_iri() -> None:
    shapes = load_shapes(SETTINGS.shapes_path, "https://example.org/kg/").graph
    basis = URIRef("https://example.org/kg/id/law/322AC0000000067/article/252-2/paragraph/1")
    assert (None, SH.hasValue, basis) in shapes
    assert not any(str(i).startswith("https://w3id.org/renkei/id/") for i in _iris(shapes))


#: The classes an amending agreement's graph brings (docs/model.md, "Amendments").
AMENDMENT_CLASSES = {RENKEI.Amendment, RENKEI.Change}


@pytest.mark.parametrize("shape", RULES, ids=lambda s: str(s).rpartition("#")[2])
def test_agreement_and_amendment_rules_keep_to_their_own_classes(shape: URIRef) -> None:
    # AM and CH rules target only amendments and their changes; AG … RO rules never do (an
    # agreement rule firing on an amendment would cite a rule that is not the clerk's). SG, MU
    # and PV are about what both have: signatories, municipalities, sources.
    targets = set(SHAPES.objects(shape, SH.targetClass))
    group = str(shape)[len(SHAPES_NS):][:2]
    if group in ("AM", "CH"):
        assert targets and targets <= AMENDMENT_CLASSES
    else:
        assert not targets & AMENDMENT_CLASSES
