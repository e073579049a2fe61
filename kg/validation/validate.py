"""Validate an agreement or an amending agreement against the SHACL shapes of ``shapes/`` and say
what is wrong, and where.

The data graph the SHACL engine sees (:mod:`kg.validation.engine`) is the agreement **plus the reference
context** it points at (the framework scheme, the statute, its municipalities:
:func:`kg.reference.graphs.context_ntriples`), so that a party is checked against the code list and a pillar
against the framework. The shapes are parsed and compiled once per (folder, base IRI) and reused:
a build validates thousands of agreements.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.errors import DecodeError, InputError, Problem, RdfSyntaxError
from kg.formats import RDF_FORMATS, by_extension
from kg.ingest.document.sniff import SUFFIXES
from kg.namespaces import DEFAULT_BASE, ELI, RENKEI, SH, bind_prefixes
from kg.rdfguard import check_rdf
from kg.settings import Settings
from kg.validation.engine import run_shapes
from kg.validation.locate import Location, describe, locate, printed_date_line
from kg.validation.reads import only_read, predicates_read
from kg.validation.report import Report, Result, Severity, Text

__all__ = [
    "RDF_SUFFIXES", "SHAPES_NS", "TEXT_SUFFIXES", "VALIDATED_CLASSES", "Shapes", "build_report", "conforms",
    "load_shapes", "read_rdf", "validate_graph", "validate_path",
]

log = logging.getLogger(__name__)

#: The namespace of shape IRIs (stable, numbered: ``shapes:AG-01-two-parties``).
SHAPES_NS = "https://w3id.org/renkei/shapes#"

#: The suffixes of the RDF files read (kg.formats' table): .ttl .nt .jsonld .rdf .nq .trig.
RDF_SUFFIXES: tuple[str, ...] = tuple("." + f.extension for f in RDF_FORMATS)
#: Files that are ingested first (kg.ingest): texts, 例規集 pages (docs/ingest.md, "例規集 pages"), PDFs,
#: Word documents and scans. A file whose first bytes are a PDF's, a zip's (.docx), an old Office
#: file's or an image's is ingested whatever its name (kg/ingest/document/sniff.py).
TEXT_SUFFIXES = SUFFIXES  # ingested first: texts, pages, PDFs, Word files, scans (kg/ingest/document/sniff.py)
#: The first bytes of the documents :func:`validate_path` ingests by content.
_DOCUMENT_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
#: What a graph must hold to be worth validating: an agreement or an amending agreement.
VALIDATED_CLASSES = (RENKEI.Agreement, RENKEI.Amendment)


@dataclass(frozen=True)
class Shapes:
    """The parsed shapes graph and, for each rule shape, its names, messages and descriptions."""

    graph: Graph
    rules: dict[URIRef, dict[URIRef, Text]]  #: shape → {sh:name, sh:message, sh:description → Text}
    #: The predicates the shapes can read (kg.validation.reads), or None: all of them.
    reads: frozenset[str] | None = None

    def text(self, shape: Node | None, prop: URIRef) -> Text:
        """The shape's ``prop`` (sh:name, sh:message, sh:description) in both languages."""
        if not isinstance(shape, URIRef):
            return Text("", "")
        return self.rules.get(shape, {}).get(prop, Text("", ""))


@cache
def load_shapes(shapes_dir: Path, base_iri: str = DEFAULT_BASE) -> Shapes:
    """Parse every ``*.ttl`` in ``shapes_dir`` (once per folder and base IRI).

    Data IRIs in the shapes (the framework, the statute) are written with the default base; they
    are rewritten to ``base_iri`` so that a deployment under another base validates its own data.
    """
    g = Graph()
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise InputError("no shapes (*.ttl) found", file=shapes_dir,
                         ja="検査規則（shapes/*.ttl）が見つかりません。",
                         fix="check KG_ROOT (the project root holding shapes/) or the installation",
                         fix_ja="KG_ROOT（shapes/ のあるフォルダ）の設定か、インストールを確かめてください。")
    for path in files:
        text = path.read_text(encoding="utf-8").replace(DEFAULT_BASE + "id/", base_iri + "id/")
        try:
            g.parse(data=text, format="turtle", publicID=path.as_uri())
        except Exception as e:  # rdflib raises several unrelated types for bad Turtle
            raise RdfSyntaxError(f"shapes do not parse: {e}", file=path,
                                 ja=f"検査規則のファイルが Turtle として読めません: {e}") from e
    rules: dict[URIRef, dict[URIRef, Text]] = {}
    for shape in set(g.subjects(SH.severity, None)):
        if isinstance(shape, URIRef):
            rules[shape] = {p: _bilingual(g, shape, p) for p in (SH.name, SH.message, SH.description)}
    return Shapes(g, rules, predicates_read(g))


def _bilingual(g: Graph, s: Node, p: URIRef) -> Text:
    texts = {getattr(o, "language", None): str(o) for o in g.objects(s, p)}
    return Text(texts.get("ja", ""), texts.get("en", ""))


def validate_graph(data: Graph, settings: Settings, *, source: str | None = None,
                   ntriples: bytes | None = None) -> Report:
    """Validate one agreement or amendment graph (with its reference context) against the shapes.

    ``ntriples`` is ``data`` already serialised as N-Triples, when the caller has it (a build
    does). Raises :class:`~kg.errors.InputError` when ``data`` holds neither a
    ``renkei:Agreement`` nor a ``renkei:Amendment``: an empty or unrelated graph would otherwise
    "conform" vacuously.
    """
    from kg.reference.graphs import context_ntriples

    data, _conforms, report_graph, ntriples = _run(data, settings, source, ntriples)
    if (None, RDF.type, SH.ValidationResult) in report_graph:  # names for the results: the whole context
        data = _with_named(data, context_ntriples(data, settings, ntriples), report_graph)
    return build_report(report_graph, data,
                        load_shapes(settings.shapes_path, settings.base_iri), source)


def conforms(data: Graph, settings: Settings, *, ntriples: bytes | None = None) -> bool:
    """Whether ``data`` conforms (only Violations fail), without building a report: what a build
    asks of each of thousands of agreements; it builds the report of those that do not."""
    return _run(data, settings, None, ntriples)[1]


def _run(data: Graph, settings: Settings, source: str | None,
         ntriples: bytes | None) -> tuple[Graph, bool, Graph, bytes]:
    """``data`` (flattened if it is a Dataset), the engine's verdict and report on it beside its
    context, and ``data`` as N-Triples. The engine is given only the triples a shape can read, of
    ``data`` and of its context (kg.validation.reads): the same results, less to parse."""
    from kg.reference.graphs import context_ntriples

    if isinstance(data, Dataset) or data.context_aware:
        data, ntriples = _merge(data), None
    if not any((None, RDF.type, cls) in data for cls in VALIDATED_CLASSES):
        raise InputError("holds neither a renkei:Agreement nor a renkei:Amendment: nothing to validate",
                         file=source,
                         ja="協約（renkei:Agreement）も変更協約（renkei:Amendment）も含まれていません。検査するものが"
                            "ありません。",
                         fix="give the RDF kg ingest wrote for an agreement, or the agreement's text",
                         fix_ja="kg ingest で作った協約のRDFか、協約の本文を指定してください。")
    shapes = load_shapes(settings.shapes_path, settings.base_iri)
    if ntriples is None:
        ntriples = data.serialize(format="nt", encoding="utf-8")
    context = context_ntriples(data, settings, ntriples, predicates=shapes.reads)
    started = time.perf_counter()
    read = only_read(ntriples, shapes.reads) + context
    ok, report_graph = run_shapes(read, shapes.graph, (settings.shapes_path, settings.base_iri),
                                  settings.shacl_engine)
    log.debug("validated %s in %.2fs", source or "graph", time.perf_counter() - started)
    return data, ok, report_graph, ntriples


def _with_named(data: Graph, context: bytes, report: Graph) -> Graph:
    """``data`` plus what the context says of the nodes ``data`` and the results name (a party's
    municipality, a pillar), so that the report can call them by name. Not the whole context (the
    framework scheme is most of it): parsing it back took longer than validating."""
    named = {f"<{n}>".encode() for n in (*data.objects(), *report.objects(None, SH.focusNode),
                                         *report.objects(None, SH.value)) if isinstance(n, URIRef)}
    lines = [line for line in context.splitlines(keepends=True) if line[:line.find(b" ")] in named]
    merged = Graph()
    merged += data
    merged.parse(data=b"".join(lines), format="nt")
    return merged


def _merge(data: Graph) -> Graph:
    """A graph with every triple of every named graph of ``data``."""
    g = Graph()
    bind_prefixes(g)
    for s, p, o, _c in data.quads((None, None, None, None)):  # type: ignore[attr-defined]
        g.add((s, p, o))
    return g


def validate_path(path: Path, settings: Settings, *, allow_remote: bool = False) -> Report:
    """Validate a file: RDF by its extension (.ttl .nt .nq .trig .jsonld .rdf), or a text (.txt),
    例規集 page (.html .htm), PDF, Word document (.docx) or scan, ingested first. A PDF, Word file or
    image is known by its first bytes whatever its name, unless the name says RDF.

    Nothing is fetched unless ``allow_remote`` (``kg validate --allow-remote``): see :func:`read_rdf`."""
    suffix = path.suffix.lower()
    # A name that says RDF is read as RDF; any other is ingested when its bytes are a document's.
    if suffix in TEXT_SUFFIXES or (suffix not in RDF_SUFFIXES and _is_document(path)):
        from kg.ingest import ingest_file

        result = ingest_file(path, settings)
        report = validate_graph(result.graph, settings, source=str(path))
        if result.review:  # a scan: what OCR read with low confidence is a warning at its page and cell
            report = replace(report, results=report.results + tuple(_review_result(p) for p in result.review))
        return report
    return validate_graph(read_rdf(path, allow_remote=allow_remote), settings, source=str(path))


#: The id OCR review warnings are reported under: not a shape of the graph (the graph holds what was
#: read, not how sure the engine was) but of the reading (kg/ingest/document/ocr.py, docs/validation.md).
OCR_REVIEW = SHAPES_NS + "OCR-review"


def _review_result(problem: Problem) -> Result:
    """A word OCR read with low confidence (or corrected), as a warning of the report."""
    where = Text(f"{problem.page}ページ" if problem.page else "", f"page {problem.page}" if problem.page else "")
    return Result(Severity.WARNING, OCR_REVIEW, Text("OCR の読み取りの確認", "OCR reading to check"),
                  Text(problem.ja, problem.en), Text(problem.fix_ja or "", problem.fix_en or ""),
                  focus=problem.file or "", path=None, value=None,
                  location=Location(where, problem.file, problem.line, problem.line, problem.page))


def _is_document(path: Path) -> bool:
    """Whether the file starts like a PDF, a zip (.docx), an old Office file or an image."""
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError:
        return False  # the reader that follows says what is wrong with the path
    return head.startswith(_DOCUMENT_MAGIC) or b"%PDF-" in head


#: What ``kg validate`` says about a remote JSON-LD context it refuses: how to allow it (English, Japanese).
_ALLOW_REMOTE = ("kg validate fetches nothing unless asked: write the context inline, or pass --allow-remote "
                 "to let it be fetched",
                 "kg validate は指示がない限り外部から何も取得しません。@context の内容を本文に直接書くか、"
                 "取得してよい場合は --allow-remote を指定してください。")


def read_rdf(path: Path, *, allow_remote: bool = False) -> Graph:
    """Parse an RDF file by its extension; every way it can fail is a KgError naming FILE:LINE.

    Before parsing, :func:`kg.rdfguard.check_rdf` refuses what would make a parser blow up or go
    out to the network: RDF/XML with a DTD, JSON-LD nested too deep, and (unless ``allow_remote``)
    JSON-LD contexts named by IRI or imported."""
    fmt = by_extension(path.suffix) if path.suffix.lower() in RDF_SUFFIXES else None
    if fmt is None:
        known = " ".join([*RDF_SUFFIXES, *TEXT_SUFFIXES])
        raise InputError(f"unknown file type {path.suffix or '(none)'!r}; expected one of: {known}",
                         file=path, ja=f"ファイルの種類（拡張子 {path.suffix or 'なし'}）が分かりません。",
                         fix=f"name the file with one of: {known}",
                         fix_ja=f"拡張子を次のいずれかにしてください: {known}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=path, ja="ファイルがありません。",
                         fix_ja="ファイル名とフォルダを確かめてください。",
                         fix="check the file's name and folder") from None
    except IsADirectoryError:
        raise InputError("is a directory, not an RDF file", file=path,
                         ja="フォルダです。RDFファイルではありません。") from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file=path, ja=f"ファイルを読めません（{e.strerror}）。") from e
    if not data.strip():
        raise InputError("empty file", file=path, ja="ファイルが空です。",
                         fix="check that the right file was given and that it was saved",
                         fix_ja="指定したファイルが正しいか、保存されているかを確かめてください。")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        # RDF syntaxes are UTF-8 (RDF 1.1 Turtle §6, N-Triples §4): anything else is binary or mis-saved.
        line = data[: e.start].count(b"\n") + 1
        raise DecodeError(f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
                          "RDF files must be UTF-8", file=path, line=line,
                          ja=f"UTF-8のテキストではありません（{e.start}バイト目の0x{data[e.start]:02x}）。"
                             "RDFファイルはUTF-8で保存する必要があります。",
                          fix="save the file as UTF-8", fix_ja="ファイルをUTF-8で保存し直してください。") from e
    display = fmt.label
    check_rdf(data, fmt.rdflib, path, allow_remote=allow_remote, how_to_allow=_ALLOW_REMOTE)
    g: Graph = Dataset() if fmt.datasets else Graph()
    try:
        g.parse(data=data, format=fmt.rdflib, publicID=path.resolve().as_uri())
    except Exception as e:  # rdflib's parsers raise unrelated exception types
        where, message = _syntax_error(data, fmt.rdf_format, e)
        raise RdfSyntaxError(f"not valid {display}: {message}", file=path, line=where,
                             ja=f"{display}として正しくありません（構文誤り: {message}）。",
                             fix=f"correct the {display} syntax at this line, or write the file again with kg ingest",
                             fix_ja=f"この行の{display}の構文を直すか、kg ingest で作り直してください。") from e
    return g


_OX_SUFFIX = re.compile(r"\s*\((?:[^()]*, )?line \d+\)$")  # Python's SyntaxError adds "(file, line N)"


def _syntax_error(data: bytes, ox_format: ox.RdfFormat, error: Exception) -> tuple[int | None, str]:
    """Line and message of a syntax error: pyoxigraph's parsers say exactly where; rdflib's not always."""
    try:
        for _ in ox.parse(data, format=ox_format):
            pass
    except SyntaxError as e:
        message = _OX_SUFFIX.sub("", str(e))
        # "Parser error between line 2 column 34 and line 3 column 1": the error starts on line 2.
        first = re.search(r"\bline (\d+)", message)
        return (int(first.group(1)) if first else e.lineno), message
    except Exception as e:  # noqa: BLE001 — pyoxigraph could not say where; rdflib's error still stands
        log.debug("pyoxigraph could not locate the error: %s", e)
    line: int | None
    lines = getattr(error, "lines", None)
    if isinstance(lines, int):  # rdflib's Turtle/TriG BadSyntax counts from 0
        line = lines + 1
    elif hasattr(error, "getLineNumber"):  # xml.sax.SAXParseException (RDF/XML)
        line = error.getLineNumber()
    else:
        line = getattr(error, "lineno", None)  # json.JSONDecodeError (JSON-LD)
    text = str(error).strip()
    return line, text.splitlines()[-1] if text else type(error).__name__


# ── From pySHACL's report to ours ─────────────────────────────────────────────────────────────

_VAR = re.compile(r"\{[?$](value|this)\}")


def build_report(report_graph: Graph, data: Graph, shapes: Shapes, source: str | None) -> Report:
    """Our :class:`Report` from pySHACL's ``sh:ValidationReport``: each result with its rule's texts,
    its message in both languages with ``{?value}`` filled in, and the place in the text it points at.

    Where one shape fails twice on the same value (sh:datatype and sh:minInclusive, say), the
    report lists it once: the message is the shape's, so the second line would only repeat it.
    The Turtle rendering keeps every SHACL result.
    """
    results: dict[tuple[Node | None, ...], Result] = {}
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        shape, focus, path, value = (report_graph.value(node, p) for p in
                                     (SH.sourceShape, SH.focusNode, SH.resultPath, SH.value))
        key = (shape, focus, path, value)
        if key not in results:
            results[key] = _result(report_graph, data, shapes, node, source)
        _annotate(report_graph, node, results[key].message, results[key].location.text)
    for shape in {URIRef(r.shape) for r in results.values()}:
        for p in (SH.name, SH.description):
            for o in shapes.graph.objects(shape, p):
                report_graph.add((shape, p, o))
    bind_prefixes(report_graph)
    report_graph.bind("shapes", SHAPES_NS)
    ordered = sorted(results.values(), key=lambda r: (r.severity.rank, r.location.file or "",
                                                      r.location.first_line or 0, r.shape_id, r.focus,
                                                      r.value or ""))
    return Report(source, tuple(ordered), report_graph)


def _result(report_graph: Graph, data: Graph, shapes: Shapes, node: Node, source: str | None) -> Result:
    shape, focus, path, value, severity = (report_graph.value(node, p) for p in (
        SH.sourceShape, SH.focusNode, SH.resultPath, SH.value, SH.resultSeverity))
    names = {"value": describe(data, value), "this": describe(data, focus)}
    template = shapes.text(shape, SH.message)

    def fill(lang: str) -> str:  # {?value} → 二本松市 / Nihonmatsu City, in the message's language
        return _VAR.sub(lambda m: names[m.group(1)].get(lang), template.get(lang))

    message = Text(fill("ja"), fill("en"))
    where = locate(data, focus, value)
    if source and where.file == Path(source).name:
        where = replace(where, file=source)  # the path the user gave, not only the file name
    if source and path == ELI.date_document and where.first_line is None:
        # A date before the framework (AG-06), in the future …: name the line the date is printed on.
        line = printed_date_line(data, focus, Path(source))
        if line is not None:
            where = replace(where, first_line=line, last_line=line)
    return Result(Severity(str(severity).rpartition("#")[2]), str(shape), shapes.text(shape, SH.name),
                  message, shapes.text(shape, SH.description), str(focus), _path_text(report_graph, path),
                  None if value is None else str(value), where)


def _annotate(g: Graph, node: Node, message: Text, place: Text) -> None:
    """Replace pySHACL's messages (which lose their language tag once {?value} is filled in) by
    ours, and label the result with the place it points at."""
    g.remove((node, SH.resultMessage, None))
    for lang in ("ja", "en"):
        g.add((node, SH.resultMessage, Literal(message.get(lang), lang=lang)))
        g.add((node, RDFS.label, Literal(place.get(lang), lang=lang)))


def _path_text(g: Graph, path: Node | None) -> str | None:
    """A result path as a SPARQL property path (full IRIs), e.g. ``^<…#initiative>``."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _sparql_iri(_path_text(g, inverse))
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_sparql_iri(_path_text(g, p)) for p in Collection(g, alternatives))
    return str(path)


def _sparql_iri(text: str | None) -> str:
    return f"<{text}>" if text and ":" in text and not text.startswith(("^", "<")) else text or ""
