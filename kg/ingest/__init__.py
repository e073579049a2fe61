"""``kg ingest``: an agreement text in any known layout → its RDF graph, with provenance.

The pipeline runs one way, one module per step (docs/ingest.md)::

    decode (or page, for a 例規集 HTML page) → segment → parties, signatories → layouts/<layout>
        → categorise → build
             (numerals, dates and normalise are the helpers every step reads text with)

Every failure is a :mod:`kg.errors` exception naming the file and line (and the article or
annex row): a text either becomes a whole graph or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib

from kg.errors import IngestError, InputError
from kg.ingest import layouts
from kg.ingest.basis import legal_basis
from kg.ingest.build import build
from kg.ingest.categorise import align, load_framework
from kg.ingest.decode import decode
from kg.ingest.page import is_page, read_page
from kg.ingest.parties import read_parties
from kg.ingest.segment import segment
from kg.ingest.signatories import read_signatories
from kg.reference import load_registry
from kg.settings import Settings

__all__ = ["IngestResult", "ingest_bytes", "ingest_file"]


@dataclass(frozen=True)
class IngestResult:
    """One ingested agreement: its IRI, its named graph and that graph's triples."""

    agreement: rdflib.URIRef  # the agreement IRI (docs/model.md)
    graph_name: rdflib.URIRef  # its named graph IRI
    graph: rdflib.Graph  # the triples of that named graph, prefixes bound
    layout: str  # "T1", "T3", "I1", …
    source: str  # the file name


def ingest_file(path: Path, settings: Settings | None = None) -> IngestResult:
    """Ingest the text file at ``path``; errors name ``path`` as given."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a text file", file=path) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file=path) from e
    return ingest_bytes(data, str(path), settings)


def ingest_bytes(data: bytes, name: str, settings: Settings | None = None) -> IngestResult:
    """Ingest the bytes of a text file called ``name`` (used in messages and the source's id)."""
    settings = settings or Settings()
    source = read_page(data, name) if is_page(data, name) else decode(data, name)
    doc = segment(source)
    signing = doc.signing_date()
    if signing is None:
        raise IngestError("no signing date (a line such as 「令和元年10月18日」)", file=name,
                          line=source.line_count)
    _, date = signing
    registry = load_registry(settings.data_path / "reference")
    parties = read_parties(doc, registry)
    signatories = read_signatories(doc.signatures, parties, date.date, registry, name)
    reading = layouts.read(doc, parties)
    framework = load_framework(settings.ontology_path / "framework.ttl")
    alignment = align(framework, reading.groups, name)
    basis = legal_basis(line.text for line in doc.preamble)
    built = build(doc, parties, date, reading, alignment, signatories, basis, settings.ids)
    return IngestResult(built.agreement, built.graph_name, built.graph, reading.layout,
                        name.replace("\\", "/").rsplit("/", 1)[-1])
