"""Every ``renkei:`` term used anywhere in the project is declared in ontology/renkei.ttl.

ORG shipped ``org:subOrganzationOf`` for years because nothing checked the terms it used; this
scan checks everyone's files (ontology, shapes, queries, reference data, docs, Python), so a typo
such as ``renkei:centralcity`` fails here with the file and line that carry it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from ontology_files import NS, ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
#: How a term is written: a prefixed name in Turtle/SPARQL/Markdown, a full IRI, or the Python
#: namespace object (``RENKEI.party``, ``RENKEI["party"]``).
PATTERNS = [
    re.compile(r"(?<![A-Za-z0-9_-])renkei:" + _NAME),
    re.compile(re.escape(NS) + _NAME),
    re.compile(r"\bRENKEI\." + _NAME),
    re.compile(r"""\bRENKEI\[\s*["']""" + _NAME + r"""["']\s*\]"""),
]

#: (folder, glob) pairs scanned, relative to the repository root.
SCANNED = [
    ("ontology", "**/*"),
    ("shapes", "**/*"),
    ("queries", "**/*"),
    ("data/reference", "**/*"),
    ("docs", "*.md"),
    ("kg", "**/*.py"),
]


def scanned_files() -> Iterator[Path]:
    """Every text file under the scanned folders."""
    for folder, pattern in SCANNED:
        for path in sorted((ROOT / folder).glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path


def used_terms(path: Path) -> Iterator[tuple[str, int]]:
    """``(local name, line number)`` of each renkei term written in ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # binary files (e.g. a compiled store) hold no source text
        return
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in PATTERNS:
            for match in pattern.finditer(line):
                yield match.group(1), number


def test_the_scan_finds_the_files_and_terms_everyone_uses() -> None:
    """Guard: a scan that reads nothing would pass vacuously."""
    files = list(scanned_files())
    assert any(p.name == "renkei.ttl" for p in files) and any(p.suffix == ".py" for p in files)
    terms = {term for p in files for term, _ in used_terms(p)}
    assert {"Agreement", "party", "centralCity", "Municipality"} <= terms


@pytest.mark.parametrize(("line", "expected"), [
    ("?a renkei:party ?b .", ["party"]),
    ("g.add((s, RENKEI.localGovernmentCode, code))", ["localGovernmentCode"]),
    ('RENKEI["lead"]', ["lead"]),
    (f"<{NS}Area>", ["Area"]),
    ("@prefix renkei: <https://w3id.org/renkei/ns#> .", []),
    ("renkei-kg:thing and xrenkei:other", []),
], ids=["prefixed", "python-attribute", "python-item", "full-iri", "prefix-declaration", "lookalikes"])
def test_the_scan_reads_each_way_of_writing_a_term(tmp_path: Path, line: str, expected: list[str]) -> None:
    path = tmp_path / "sample.txt"
    path.write_text(line + "\n", encoding="utf-8")
    assert [term for term, _ in used_terms(path)] == expected


def test_every_renkei_term_used_in_the_project_is_declared(ontology: Graph) -> None:
    declared = {str(s)[len(NS):] for s in ontology.subjects(RDF.type, None)
                if isinstance(s, URIRef) and str(s).startswith(NS)}
    undeclared: dict[str, list[str]] = defaultdict(list)
    for path in scanned_files():
        for term, line in used_terms(path):
            if term not in declared:
                undeclared[term].append(f"{path.relative_to(ROOT)}:{line}")
    report = "\n".join(f"  renkei:{term} — used at {', '.join(places)}"
                       for term, places in sorted(undeclared.items()))
    assert not undeclared, f"terms used but not declared in ontology/renkei.ttl:\n{report}"
