"""``kg ingest``: an agreement text in any known layout → its RDF graph, with provenance.

The pipeline runs one way, one module per step (docs/ingest.md)::

    read (text, 例規集 page, PDF, Word, scan) → segment → parties, signatories → annex (by meaning)
        → categorise → build
             (numerals, dates and normalise are the helpers every step reads text with)

Every failure is a :mod:`kg.errors` exception naming the file and line (and the article or
annex row): a text either becomes a whole graph or none. Steps that can go on after a problem do,
so a refusal (:class:`~kg.errors.IngestProblems`) lists every problem found, not only the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import rdflib

from kg.errors import IngestError, InputError, Problem, ProblemList
from kg.ingest import annex
from kg.ingest.amendment import is_amendment, read_amendment, split
from kg.ingest.basis import known_provisions, legal_basis
from kg.ingest.build import Built, build
from kg.ingest.build_amendment import build_amendment
from kg.ingest.categorise import align, load_framework
from kg.ingest.dates import PrintedDate, date_problems
from kg.ingest.decode import SourceText
from kg.ingest.document.sniff import read_document
from kg.ingest.parties import read_parties
from kg.ingest.segment import lines_of, segment
from kg.ingest.signatories import read_signatories
from kg.ingest.structure import Document
from kg.reference.tables import Registry, load_registry
from kg.settings import Settings

__all__ = ["IngestResult", "ingest_bytes", "ingest_file"]


@dataclass(frozen=True)
class IngestResult:
    """One ingested text: its IRI, its named graph and that graph's triples.

    ``kind`` tells an agreement from an amending agreement (「…の一部を変更する連携協約」); for an
    amendment, ``agreement`` is the amendment's IRI (``id/amendment/…``) and ``graph_name`` its
    graph (``graph/amendment/…``); the agreement it amends is its ``eli:amends``.
    """

    agreement: rdflib.URIRef  # the agreement's (or amendment's) IRI (docs/model.md)
    graph_name: rdflib.URIRef  # its named graph IRI
    graph: rdflib.Graph  # the triples of that named graph, prefixes bound
    layout: str  # the layout family "T1", "T2", "T3", "T4", "I1", "P"; "amendment" for an amending agreement
    source: str  # the file name
    kind: Literal["agreement", "amendment"] = "agreement"
    #: For a text read by OCR: every word read under the confidence threshold and every correction to a
    #: known term, with page and cell, for a clerk to check against the printed page (`kg ingest --review`).
    review: tuple[Problem, ...] = ()


def ingest_file(path: Path, settings: Settings) -> IngestResult:
    """Ingest the text file or 例規集 HTML page at ``path``; errors name ``path`` as given."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=path, ja="そのようなファイルはありません。",
                         fix="check the file's name and folder",
                         fix_ja="ファイルの名前と場所を確かめてください。") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=path, ja="フォルダーです。ファイルを指定してください。",
                         fix="give a file, or use kg ingest DIR to read every file in it",
                         fix_ja="ファイルを指定するか、kg ingest でフォルダーを指定して中のファイルを"
                                "すべて読んでください。") from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file=path, ja=f"読めません（{e.strerror}）。",
                         fix="check that the file can be read",
                         fix_ja="ファイルを読む権限があるか確かめてください。") from e
    return ingest_bytes(data, str(path), settings)


def ingest_bytes(data: bytes, name: str, settings: Settings) -> IngestResult:
    """Ingest the bytes of a file called ``name`` (used in messages and the source's id).

    The file is an HTML page if its name or its first bytes say so (kg/ingest/page.py), else a
    text; either holds an agreement or an amending agreement.
    """
    source = read_document(data, name, settings)  # by its magic bytes: text, page, PDF, Word, scan
    registry = load_registry(settings.data_path / "reference")
    file = name.replace("\\", "/").rsplit("/", 1)[-1]
    unsure = _review(source, settings)
    if is_amendment(source):
        built = _amendment(source, registry, settings)
        return IngestResult(built.agreement, built.graph_name, built.graph, "amendment", file, "amendment", unsure)
    built, layout = _agreement(source, registry, settings)
    return IngestResult(built.agreement, built.graph_name, built.graph, layout, file, review=unsure)


def _review(source: SourceText, settings: Settings) -> tuple[Problem, ...]:
    """What a clerk should check of a text read by OCR (nothing for a printed text)."""
    if source.reading != "ocr":
        return ()
    from kg.ingest.document.ocr_review import review  # the OCR modules (numpy, PIL) only for scans

    return tuple(review(source, settings.ocr_review_confidence))


def _signing(doc: Document, source: SourceText) -> PrintedDate:
    """The signing date, or an error at the end of the text if none is printed."""
    signing = doc.signing_date()
    if signing is None:
        raise IngestError("no signing date (a line such as 「令和元年10月18日」)", file=source.name,
                          line=source.line_count, ja="締結の日付（「令和元年10月18日」のような行）がありません。",
                          fix="print the signing date on its own line above the signatures",
                          fix_ja="署名欄の上に、締結の日付を一行で記載してください。")
    return signing[1]


def _agreement(source: SourceText, registry: Registry, settings: Settings) -> tuple[Built, str]:
    """An agreement: segment, parties, signatories, initiatives, categories, graph — every problem noted."""
    problems = ProblemList(source.name)
    # Every impossible date in the text, not only the first the segmenter meets (issue 9).
    problems.items.extend(date_problems(((line.number, line.text) for line in lines_of(source)), source.name))
    try:
        doc = segment(source)
    except IngestError:
        problems.raise_if_any()  # the dates found are the reason: report them all
        raise
    date: PrintedDate | None = None
    try:
        date = _signing(doc, source)
    except IngestError as e:
        problems.extend(e)
    try:
        parties = read_parties(doc, registry)
    except IngestError as e:
        problems.extend(e)
        problems.raise_if_any()  # without the parties no role can be read: stop here
        raise
    signatories = []
    if date is not None:
        try:
            signatories = read_signatories(doc.signatures, parties, date.date, registry, source.name)
        except IngestError as e:
            problems.extend(e)
    framework = load_framework(settings.ontology_path / "framework.ttl")
    pillar_keys = tuple(k for pillar in framework.pillars for k in pillar.keys)
    reading = annex.read(doc, parties, registry, pillar_keys, problems)
    alignment = None
    if reading is not None:
        try:
            alignment = align(framework, reading.groups, source.name)
        except IngestError as e:
            problems.extend(e)
    problems.raise_if_any()
    assert date is not None and reading is not None and alignment is not None  # noqa: S101 (else raised)
    basis = legal_basis(line.text for line in doc.preamble)
    provisions = known_provisions(settings.data_path / "reference" / "law.ttl")
    return build(doc, parties, date, reading, alignment, signatories, basis, settings.ids, provisions), reading.layout


def _amendment(source: SourceText, registry: Registry, settings: Settings) -> Built:
    """An amending agreement: its parts, parties, signatories, changes, graph."""
    parts = split(source)
    # Above the signatures, as for an agreement; an amendment has no articles, so say where they end.
    after = [d for d in parts.doc.dates if parts.provisions and d[0].number > parts.provisions[-1].number]
    date = after[0][1] if after else _signing(parts.doc, source)
    parties = read_parties(parts.doc, registry)
    text = read_amendment(parts, parties.code_for)
    signatories = read_signatories(parts.doc.signatures, parties, date.date, registry, source.name)
    basis = legal_basis(line.text for line in parts.doc.preamble)
    return build_amendment(text, parties, date, signatories, basis, settings.ids)
