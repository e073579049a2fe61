"""``/dumps/`` (the release's files), ``/catalog`` (DCAT-AP 3) and ``/.well-known/void`` (VoID §6.2)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCAT, FOAF, VOID
from rdflib.term import Node
from starlette.datastructures import Headers
from starlette.responses import MalformedRangeHeader, RangeNotSatisfiable
from starlette.types import Receive, Scope, Send

from kg.errors import DumpNotFound
from kg.namespaces import DCT, SPDX
from kg.release.catalogue import CATALOG_FILE
from kg.release.dumps import DUMPS
from kg.server.context import Ctx, ServerContext
from kg.server.head import is_head
from kg.server.http import not_modified, validators
from kg.server.negotiate import link_header, prefers_html, split_extension
from kg.server.rdf_answers import represent, representation_for, serialize
from kg.store import GRAPH_FORMATS

__all__ = ["DumpFile", "catalogue_document", "router"]

router = APIRouter()
_IANA = "http://www.iana.org/assignments/media-types/"
_DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace predates it
_SD_NAME = URIRef("http://www.w3.org/ns/sparql-service-description#name")
_STATS = (  # VoID §4.6 statistics shown on the page
    (VOID.triples, "トリプル", "triples"), (VOID.entities, "実体", "entities"),
    (VOID.distinctSubjects, "異なる主語", "distinct subjects"),
    (VOID.distinctObjects, "異なる目的語", "distinct objects"),
    (VOID.properties, "プロパティ", "properties"), (VOID.classes, "クラス", "classes"),
)
_MEDIA = {d.name: d.media_type for d in DUMPS} | {CATALOG_FILE: "text/turtle"}



class DumpFile(FileResponse):
    """A dump file answering HEAD without reading it, and Range as RFC 9110 §14.2 says.

    Starlette answers a Range it cannot parse, or one in a unit other than bytes, with 400; the
    RFC says a server MUST ignore an unknown range unit and MAY ignore a Range it cannot use, so
    both get the whole file (200). An unsatisfiable range is 416 with ``Content-Range: bytes */N``
    (§15.5.17) and a message saying why.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_head(scope):
            scope = {**scope, "method": "HEAD"}  # headers from stat, the file never read (a dump can be GBs)
        value = Headers(scope=scope).get("range")
        if value is not None and self.stat_result is not None:
            size = self.stat_result.st_size
            try:
                self._parse_range_header(value, size)
            except MalformedRangeHeader:
                scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"range"]}
            except RangeNotSatisfiable:
                refusal = Response(
                    f"RangeNotSatisfiable: Range: {value[:200]} starts past the end of the file ({size} bytes)\n",
                    status_code=416,
                    headers={"Content-Range": f"bytes */{size}"},
                    media_type="text/plain; charset=utf-8",
                )
                await refusal(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def _files(ctx: ServerContext) -> list[dict[str, object]]:
    folder = ctx.release.dumps_path
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and (path.name in _MEDIA or path.name.removesuffix(".gz") in _MEDIA):
            stat = path.stat()
            out.append(
                {
                    "name": path.name,
                    "bytes": stat.st_size,
                    "modified": datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds"),
                }
            )
    return out


@router.get("/dumps", response_model=None)
@router.get("/dumps/", response_model=None)
async def listing(request: Request, ctx: Ctx) -> Response:
    """The dump files: an HTML page for browsers, JSON for programs."""
    files = _files(ctx)
    if prefers_html(request.headers.get("accept")):
        page: Response = ctx.templates.TemplateResponse(
            request,
            "dumps.html",
            {"files": files, "base": ctx.base, "version": ctx.release.version, "media": _MEDIA},
        )
        return page
    from fastapi.responses import JSONResponse

    return JSONResponse({"version": ctx.release.version, "files": files})


@router.get("/dumps/{name}", response_model=None)
async def dump_file(name: str, request: Request, ctx: Ctx) -> Response:
    """One dump, with ETag/Last-Modified so harvesters can skip unchanged data (RFC 9110 §13)."""
    path = ctx.release.dumps_path / name
    plain = name.removesuffix(".gz")
    if "/" in name or plain not in _MEDIA or not path.is_file():
        raise DumpNotFound(f"no dump named {name!r}; see /dumps/")
    stat = path.stat()
    headers = validators(ctx, "dump", name, stat.st_size)
    headers["Last-Modified"] = format_datetime(datetime.fromtimestamp(stat.st_mtime, UTC), usegmt=True)
    cached = not_modified(request, headers)
    if cached is not None:
        return cached
    if name.endswith(".gz"):
        # The file is gzip itself: say so as its type, so no client or proxy unpacks it on the way.
        return DumpFile(path, media_type="application/gzip", headers=headers, filename=name, stat_result=stat)
    return DumpFile(
        path,
        media_type=_MEDIA[plain] + ("; charset=utf-8" if _MEDIA[plain].startswith("text/") else ""),
        headers=headers,
        stat_result=stat,
    )


def _catalogue(ctx: ServerContext) -> Graph:
    path = ctx.release.dumps_path / CATALOG_FILE
    if not path.is_file():
        raise DumpNotFound("this release has no catalogue (it was not built with kg.release.catalogue)")
    return Graph().parse(path, format="turtle")


def _text(g: Graph, s: Node, p: URIRef) -> dict[str, str]:
    return {getattr(o, "language", None) or "": str(o) for o in g.objects(s, p)}


def _one(g: Graph, s: Node, p: URIRef) -> str:
    return next((str(o) for o in sorted(g.objects(s, p), key=str)), "")


def _media(iri: str) -> str:
    """``http://www.iana.org/assignments/media-types/text/turtle`` → ``text/turtle``."""
    return iri.removeprefix(_IANA)


def catalogue_document(g: Graph) -> dict[str, Any]:
    """What the catalogue page shows: the catalogue, each dataset with its distributions (media type,
    size, checksum, licence), its VoID statistics and named graphs, and the data services."""
    catalog = next(iter(g.subjects(RDF.type, DCAT.Catalog)), None)
    datasets = []
    for ds in sorted(g.subjects(RDF.type, DCAT.Dataset), key=str):
        distributions = []
        for d in sorted(g.objects(ds, DCAT.distribution), key=str):
            checksum = g.value(d, SPDX.checksum)
            algorithm = _one(g, checksum, SPDX.algorithm) if checksum is not None else ""
            size = _one(g, d, DCAT.byteSize)
            distributions.append({
                "iri": str(d), "title": _text(g, d, DCT.title), "download": _one(g, d, DCAT.downloadURL),
                "media": _media(_one(g, d, DCAT.mediaType)), "compress": _media(_one(g, d, DCAT.compressFormat)),
                "bytes": int(size) if size.isdigit() else None,
                "checksum": _one(g, checksum, SPDX.checksumValue) if checksum is not None else "",
                "algorithm": algorithm.rsplit("_", 1)[-1].upper() if algorithm else "",
                "license": _one(g, d, DCT.license), "issued": _one(g, d, DCT.issued),
                "license_title": _text(g, URIRef(_one(g, d, DCT.license)), DCT.title),
            })
        subsets = [{"iri": str(sub), "graph": _one(g, sub, _SD_NAME), "triples": _one(g, sub, VOID.triples)}
                   for sub in sorted(g.objects(ds, VOID.subset), key=str)]
        datasets.append({
            "iri": str(ds), "title": _text(g, ds, DCT.title), "description": _text(g, ds, DCT.description),
            "issued": _one(g, ds, DCT.issued), "modified": _one(g, ds, DCT.modified),
            "version": _one(g, ds, _DCAT_VERSION), "license": _one(g, ds, DCT.license),
            "conforms": _one(g, ds, DCT.conformsTo), "uri_space": _one(g, ds, VOID.uriSpace),
            "sparql": _one(g, ds, VOID.sparqlEndpoint),
            "keywords": sorted(str(k) for k in g.objects(ds, DCAT.keyword)),
            "stats": [(ja, en, _one(g, ds, p)) for p, ja, en in _STATS if _one(g, ds, p)],
            "distributions": distributions, "subsets": subsets,
        })
    services = [
        {"iri": str(sv), "title": _text(g, sv, DCT.title), "description": _text(g, sv, DCT.description),
         "endpoint": _one(g, sv, DCAT.endpointURL), "conforms": _one(g, sv, DCT.conformsTo)}
        for sv in sorted(g.subjects(RDF.type, DCAT.DataService), key=str)
    ]
    licence = _one(g, catalog, DCT.license) if catalog is not None else ""
    publisher = g.value(catalog, DCT.publisher) if catalog is not None else None
    return {
        "iri": str(catalog or ""),
        "title": _text(g, catalog, DCT.title) if catalog is not None else {},
        "description": _text(g, catalog, DCT.description) if catalog is not None else {},
        "modified": _one(g, catalog, DCT.modified) if catalog is not None else "",
        "license": licence, "license_title": _text(g, URIRef(licence), DCT.title) if licence else {},
        "publisher": _text(g, publisher, FOAF.name) if publisher is not None else {},
        "datasets": datasets, "services": services,
    }


def _catalogue_answer(request: Request, ctx: ServerContext, url: str) -> Response:
    """The catalogue as HTML to a browser that asks for it, else as RDF (harvesters get RDF for ``*/*``)."""
    graph = _catalogue(ctx)
    rep = representation_for(request, None, url, extensions=False)
    if isinstance(rep, Response):
        return rep
    links = link_header(url, rep, extensions=False, describedby=url)
    if rep.is_html:
        headers = {**validators(ctx, url, "html"), "Vary": "Accept", "Link": links}
        page: Response = ctx.templates.TemplateResponse(
            request, "catalogue.html",
            {"doc": catalogue_document(graph), "base": ctx.base, "version": ctx.release.version, "url": url,
             "offered": [f.media_type for f in GRAPH_FORMATS]},
            headers=headers,
        )
        return page
    return represent(request, ctx, serialize(graph, rep, ctx.base), rep, (url,), links)


@router.get("/catalog", response_model=None)
async def catalog(request: Request, ctx: Ctx) -> Response:
    """The DCAT-AP 3 catalogue (with the VoID description): an HTML page for browsers; Turtle, RDF/XML,
    JSON-LD (with the project's @context), N-Triples, TriG or N3 for programs."""
    return _catalogue_answer(request, ctx, "/catalog")


@router.get("/.well-known/void", response_model=None)
async def void(request: Request, ctx: Ctx) -> Response:
    """VoID's well-known location (VoID §6.2) answers the same description."""
    return _catalogue_answer(request, ctx, "/.well-known/void")


@router.get("/graph/{name:path}", response_model=None)
async def named_graph(name: str, request: Request, ctx: Ctx) -> Response:
    """A named graph's IRI (``…/graph/areas``) answers 303 See Other to its description (Cool URIs for
    the Semantic Web §4.2): the catalogue's VoID subset that names it (``sd:name``, kg.release.catalogue) and
    counts its triples; ``graph/catalog`` to the catalogue itself."""
    stem, rep = split_extension(name)
    ext = "" if rep is None else name[len(stem):]
    graph = f"{ctx.base}graph/{stem}"
    if graph == str(ctx.settings.ids.graph("catalog")):
        return RedirectResponse("/catalog", status_code=303, headers={"Vary": "Accept"})
    if graph not in ctx.graphs:
        raise DumpNotFound(
            f"<{graph}> is not a named graph of this dataset; the graphs are listed at /catalog",
            ja=f"<{graph}> はこのデータセットの名前付きグラフではありません。一覧は /catalog にあります。",
        )
    return RedirectResponse(f"/id/dataset/subset/{stem}{ext}", status_code=303, headers={"Vary": "Accept"})
