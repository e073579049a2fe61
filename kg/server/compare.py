"""``/compare`` (two agreements side by side, or a draft beside a published one) and ``/charts/*.svg``.

``GET /compare`` chooses any two agreements of the dataset from lists; ``POST /compare`` takes a
clerk's draft (any file ``POST /validate`` reads, as a form or a raw body) and the published agreement
``b`` to compare it with (「うちの案は隣の市の協約とどこが違うか」). The draft is ingested in the
validation page's worker and read there beside what the dataset says of the names and framework it
may refer to (:func:`kg.server.clerk.read_draft`, :class:`kg.compare.draft.DraftSource`), never on the
server's thread.

Data comes through the dependency :func:`sparql_source`: anything with a ``query(sparql)``
method returning rows as ``{variable: lexical value}`` dicts (:class:`kg.compare.SparqlSource`).
By default it is :class:`PoolSource`: every query goes through the server's query runner, as
``/sparql``'s and the pages' do — the pool of killable workers with its time limit
(``KG_QUERY_TIMEOUT``), cache and memory bound, or the remote store (``kg serve --store sparql:…``);
pyoxigraph never runs on a server thread (issue 15). A query cut off is answered as ``/sparql``'s
is: 503 with the reason in the client's language. An app factory or a test replaces the source
with ``app.dependency_overrides[sparql_source] = lambda: source``. The routes are plain ``def``s
(kg.compare and kg.svg ask their questions one after another): FastAPI runs them in its thread
pool, and each question is handed to the event loop, which waits for the worker's answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from anyio import from_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.compare import (
    FIELDS,
    PREFIXES,
    Agreement,
    Comparison,
    SparqlSource,
    UnknownAgreementError,
    agreement_keys,
    align,
    compare,
    read_agreement,
    resolve,
    to_csv,
    to_json,
)
from kg.compare.textdiff import html_a, html_b
from kg.errors import InputError, KgError, Problem, QueryError, StoreError
from kg.namespaces import Ids
from kg.server import filters
from kg.server.context import ServerContext
from kg.server.http import page_lang
from kg.server.rows import bindings
from kg.settings import Settings
from kg.svg import coverage, coverage_svg, timeline, timeline_svg

__all__ = ["KNOWN", "PoolSource", "compare_ids", "router", "sparql_source"]

router = APIRouter()

#: Most rows a query of /compare or /charts may find (more is an error, never a chart cut short).
ROWS = 1_000_000
#: What the dataset says of everything a draft may refer to: names and codes, and the framework's
#: concepts (kg.compare.draft.DraftSource's two questions, asked of the whole dataset in one).
KNOWN = PREFIXES + """SELECT ?x ?name ?code ?notation ?label ?broader {
  { ?x skos:prefLabel ?name FILTER (lang(?name) = "ja") }
  UNION { ?x renkei:localGovernmentCode ?code }
  UNION { ?x skos:notation ?notation OPTIONAL { ?x skos:prefLabel ?label FILTER (lang(?label) = "ja") }
          OPTIONAL { ?x skos:broader ?broader } } }"""
FORMATS = {"html": "text/html", "json": "application/json", "csv": "text/csv"}
TEMPLATES = Path(__file__).parent / "templates"
#: The page's words (Japanese; English with ``?lang=en``): no page mixes the two.
WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "title": "協約の比較", "other": "English", "other_lang": "en", "compare": "比較する",
        "draft_h": "案を公開済みの協約と比較", "draft_file": "案のファイル", "paste": "または本文を貼り付け",
        "published": "比較する協約", "draft_go": "案を比較する",
        "draft_hint": "テキスト（.txt、文字コードは問いません）、例規集の .html、PDF、Word（.docx）、スキャン画像を"
                      "読み取ります。送った案は比較の後に消去され、公開されません。",
        "draft": "案", "central": "中心市", "partner": "連携市", "shared": "共通の分類", "only_a": "Aのみの分類",
        "only_b": "Bのみの分類", "data": "データ", "del": "Aのみ", "ins": "Bのみ", "similarity": "名称の類似度",
        "lead": "主導", "none": "（なし）", "blank": "（記載なし）", "no_concept": "（分類なし）",
        "charts": "図", "coverage": "取組の分類（協約別）", "coverage_areas": "（圏域別）", "timeline": "締結日の年表",
        "fix": "直し方",
    },
    "en": {
        "title": "Compare agreements", "other": "日本語", "other_lang": "ja", "compare": "Compare",
        "draft_h": "Compare a draft with a published agreement", "draft_file": "The draft's file",
        "paste": "or paste its text", "published": "Published agreement", "draft_go": "Compare the draft",
        "draft_hint": "Text (.txt, any encoding), 例規集 pages (.html), PDF, Word (.docx) and scans are read; "
                      "the draft is deleted once compared, and never published.",
        "draft": "Draft", "central": "central city", "partner": "partner", "shared": "Categories in both",
        "only_a": "Only in A", "only_b": "Only in B", "data": "Data", "del": "only in A", "ins": "only in B",
        "similarity": "title likeness", "lead": "Leads", "none": "(none)", "blank": "(not stated)",
        "no_concept": "(no category)", "charts": "Charts", "coverage": "Categories by agreement",
        "coverage_areas": "(by area)", "timeline": "Signing dates", "fix": "how to fix",
    },
}
LEAD = {"ja": {"central": "中心市", "partner": "連携市", "both": "双方", "none": "—"},
        "en": {"central": "central city", "partner": "partner", "both": "both", "none": "—"}}
MATCH = {
    "ja": {"category": "同じ分類", "broader": "上位・下位の分類", "title": "名称の類似", "only_a": "Aのみ",
           "only_b": "Bのみ"},
    "en": {"category": "same category", "broader": "broader and narrower categories", "title": "alike titles",
           "only_a": "only in A", "only_b": "only in B"},
}


def _settings(request: Request) -> Settings:
    ctx = getattr(request.app.state, "ctx", None)  # create_app sets it; a bare router in tests has none
    return ctx.settings if ctx is not None else Settings()


class PoolSource:
    """The server's query runner as a :class:`SparqlSource`, for a route running in FastAPI's thread
    pool: each SELECT is run by the event loop in the runner (``ctx.pool``), and the thread waits."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx

    def query(self, sparql: str) -> list[dict[str, str]]:
        """The SELECT's rows as ``{variable: lexical value}``; the runner's error (QueryTimeout…) if it fails."""
        found = from_thread.run(bindings, self.ctx, sparql, ROWS + 1)
        if len(found) > ROWS:
            raise QueryError(f"a query of /compare or /charts found more than {ROWS:,} rows",
                             ja=f"/compare または /charts の問い合わせの結果が{ROWS:,}行を超えました。")
        return [{var: term["value"] for var, term in row.items()} for row in found]


def sparql_source(request: Request) -> Iterator[SparqlSource]:
    """FastAPI dependency: where /compare and /charts read from (see the module docstring)."""
    ctx: ServerContext | None = getattr(request.app.state, "ctx", None)
    if ctx is None:
        raise StoreError("/compare needs the server's query runner (create_app), or a source given as "
                         "app.dependency_overrides[sparql_source]",
                         ja="/compare にはサーバーの問い合わせの処理（create_app）が必要です。")
    yield PoolSource(ctx)


def compare_ids(request: Request) -> Ids:
    """FastAPI dependency: the IRI minting of the served dataset (its base IRI)."""
    return _settings(request).ids


Source = Annotated[SparqlSource, Depends(sparql_source)]


def _etagged(request: Request, body: bytes, media_type: str, **headers: str) -> Response:
    """``body`` with a strong ETag of its bytes, or 304 if the client already has them (RFC 9110 §13.1.2)."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    common = {"ETag": etag, "Vary": "Accept", "Cache-Control": "public, max-age=300", **headers}
    given = request.headers.get("if-none-match", "")
    if etag in {t.strip().removeprefix("W/") for t in given.split(",")}:
        return Response(status_code=304, headers=common)
    return Response(body, media_type=media_type, headers=common)


def _format(request: Request, fmt: str | None) -> str:
    """``?format=`` if given, else the client's best Accept match among HTML, JSON and CSV."""
    from kg.errors import NotAcceptable
    from kg.server.negotiate import best_match

    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}", where="?format=")
        return fmt
    media = best_match(request.headers.get("accept"), list(FORMATS.values()))
    if media is None:
        raise NotAcceptable("/compare answers in text/html, application/json or text/csv")
    return next(k for k, v in FORMATS.items() if v == media)


@router.get("/compare", response_model=None, summary="Two agreements side by side")
def compare_page(
    request: Request,
    source: Source,
    ids: Annotated[Ids, Depends(compare_ids)],
    a: Annotated[str | None, Query(description="Agreement A: IRI or key (072036-072109-2019-10-18)")] = None,
    b: Annotated[str | None, Query(description="Agreement B: IRI or key")] = None,
    format: Annotated[str | None, Query(description="html, json or csv (default: by Accept)")] = None,
) -> Response:
    """Initiatives of A and B aligned by framework category; HTML, JSON or CSV (docs/compare.md)."""
    fmt = _format(request, format)
    if fmt != "html" and not (a and b):
        raise InputError("both ?a= and ?b= are needed for JSON or CSV", where="/compare",
                         ja="JSON と CSV には ?a= と ?b= の両方が必要です。")
    result, error = None, None
    if a and b:
        try:
            result = compare(source, ids, a, b)
        except UnknownAgreementError as e:
            if fmt != "html":
                raise
            error = e
    return _answer(request, source, ids, fmt, result, error, a=a or "", b=b or "")


@router.post("/compare", response_model=None, summary="A draft beside a published agreement")
async def compare_draft(
    request: Request,
    source: Source,
    ids: Annotated[Ids, Depends(compare_ids)],
    format: Annotated[str | None, Query(description="html, json or csv (default: by Accept)")] = None,
) -> Response:
    """The draft sent (a form's ``file`` or ``text``, or the body as ``POST /validate`` takes it) as A,
    the published agreement ``b`` (a form field or ``?b=``) as B."""
    from kg.server.clerk import Refused, read_draft
    from kg.server.http import error_response, request_lang
    from kg.server.validate import read_upload

    fmt = _format(request, format)
    b = ""
    try:
        upload = await read_upload(request, request.app.state.ctx)
        b = upload.fields.get("b", "")
        if not b:
            raise InputError("choose the published agreement to compare the draft with (b)", where="b",
                             ja="比較する公開済みの協約（b）を選んでください。")
        known = await run_in_threadpool(source.query, KNOWN)
        drafted = await read_draft(request, request.app.state.ctx, upload, tuple(known))
        result = await run_in_threadpool(_with_draft, source, ids, drafted, b)
    except (KgError, Refused) as e:
        error, problems = (e.error, e.problems) if isinstance(e, Refused) else (e, e.problems)
        if fmt != "html":
            return error_response(error, request_lang(request), problems)
        shown = partial(_answer, request, source, ids, fmt, None, error, b=b, problems=problems, draft_b=b)
        return await run_in_threadpool(shown)
    return await run_in_threadpool(partial(_answer, request, source, ids, fmt, result, None, b=b, draft=upload.name,
                                           draft_b=b))


def _with_draft(source: SparqlSource, ids: Ids, drafted: Agreement, b: str) -> Comparison:
    """The draft (A, read in the worker) aligned with the published agreement ``b`` (B)."""
    return align(drafted, read_agreement(source, ids, resolve(source, ids, b)))


def _answer(request: Request, source: SparqlSource, ids: Ids, fmt: str, result: Comparison | None,
            error: KgError | None, *, a: str = "", b: str = "", draft: str | None = None, draft_b: str = "",
            problems: tuple[Problem, ...] = ()) -> Response:
    """The comparison in ``fmt``; the page (with the error, 404 for an unknown agreement) for HTML."""
    if fmt == "json" and result is not None:
        body = json.dumps(to_json(result), ensure_ascii=False, indent=1).encode()
        return _etagged(request, body, "application/json")
    if fmt == "csv" and result is not None:
        name = f"compare_{result.a.key}_{result.b.key}.csv"
        return _etagged(
            request,
            to_csv(result).encode(),
            "text/csv; charset=utf-8; header=present",
            **{"Content-Disposition": f'attachment; filename="{name}"'},
        )
    shown = problems or (error.problems if error else ())
    lang = page_lang(request)
    page = _render(
        request,
        {
            "lang": lang,
            "t": WORDS[lang],
            "switch": _switch(request, lang),
            "action": "/compare" + ("?lang=en" if lang == "en" else ""),
            "agreements": sorted(agreement_keys(source, ids).items()),
            "a": a,
            "b": b,
            "draft": draft,
            "draft_b": draft_b,
            "result": result,
            "errors": [(p.message(lang), p.fix(lang)) for p in shown],
            "rows": _rows(result, ids, lang, draft is not None),
            "data_links": {
                f: "/compare?" + urlencode({"a": a, "b": b, "format": f}) for f in ("json", "csv")
            },
        },
    )
    if error is not None:
        return Response(page, status_code=error.http_status, media_type="text/html; charset=utf-8",
                        headers={"Content-Language": lang})
    if draft is not None:  # an answer to a POST: nothing to revalidate
        return Response(page, media_type="text/html; charset=utf-8")
    return _etagged(request, page.encode(), "text/html; charset=utf-8", **{"Content-Language": lang})


def _switch(request: Request, lang: str) -> str:
    """This page in the other language (a comparison's ``a`` and ``b`` kept)."""
    params = {k: v for k, v in request.query_params.items() if k in ("a", "b")}
    if lang == "ja":
        params["lang"] = "en"
    return "/compare" + ("?" + urlencode(params) if params else "")


@router.get("/charts/coverage.svg", response_model=None, summary="Coverage matrix (SVG)")
def coverage_chart(
    request: Request,
    source: Source,
    ids: Annotated[Ids, Depends(compare_ids)],
    by: Annotated[
        str, Query(pattern="^(agreements|areas)$", description="Rows: agreements or areas")
    ] = "agreements",
) -> Response:
    """Agreements (or areas) × framework categories, a filled cell per category covered."""
    svg = coverage_svg(coverage(source, ids, "areas" if by == "areas" else "agreements"))
    return _etagged(request, svg.encode(), "image/svg+xml")


@router.get("/charts/timeline.svg", response_model=None, summary="Signing dates by area (SVG)")
def timeline_chart(request: Request, source: Source) -> Response:
    """One row per area, a mark per signing date (registry memberships and agreement texts)."""
    return _etagged(request, timeline_svg(timeline(source), page_lang(request)).encode(), "image/svg+xml")


# ─── the HTML page ────────────────────────────────────────────────────────────────────────────


def _local(iri: str, ids: Ids) -> str:
    """``/id/…`` for IRIs of the dataset (served by the /id pages), the IRI itself otherwise."""
    base = ids.base
    return "/" + iri[len(base) :] if iri.startswith(base) else iri


def _rows(result: Comparison | None, ids: Ids, lang: str = "ja", draft: bool = False) -> list[dict[str, Any]]:
    """What the template shows per aligned row, diffs already rendered to <ins>/<del> HTML; A's
    initiatives unlinked when A is a draft (it is not published)."""
    from markupsafe import Markup, escape

    if result is None:
        return []
    out = []
    for r in result.rows:
        fields = []
        words = WORDS[lang]
        for name, label in FIELDS[lang]:
            segs = r.diffs.get(name)
            cells = []
            for side, fn in ((r.a, html_a), (r.b, html_b)):
                if side is None:
                    cells.append(Markup('<span class="none">{}</span>').format(words["none"]))
                elif segs is not None:
                    cells.append(Markup(fn(segs)))  # noqa: S704 -- html_a/html_b escape every segment
                else:
                    value = getattr(side, name)
                    value = value.text if hasattr(value, "text") else (value or words["blank"])
                    cells.append(escape(value))
            fields.append((label, cells))
        concept = r.concept
        out.append(
            {
                "concept": f"{concept.notation} {concept.label}" if concept else words["no_concept"],
                "concept_href": _local(concept.iri, ids) if concept else None,
                "match": r.match,
                "match_label": MATCH[lang][r.match],
                "similarity": r.similarity,
                "fields": fields,
                "links": [((None if draft and side == 0 else _local(i.iri, ids)), i.identifier) if i else None
                          for side, i in enumerate((r.a, r.b))],
                "lead": [LEAD[lang][i.lead] if i else "" for i in (r.a, r.b)],
                "lead_differs": r.lead_differs,
            }
        )
    return out


def _render(request: Request, context: dict[str, Any]) -> str:
    ctx = getattr(request.app.state, "ctx", None)
    env: Environment | None = ctx.templates.env if ctx is not None else getattr(request.app.state, "compare_env", None)
    if env is None:
        # The router alone in another app: an environment of its own, with the site's filters and globals
        # (compare.html extends the site's base.html)
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
        filters.install(env, _settings(request).base_iri)
        request.app.state.compare_env = env
    version = ctx.release.version if ctx is not None else ""
    ids: Ids = _settings(request).ids
    return env.get_template("compare.html").render(
        version=version, local=lambda iri: _local(iri, ids), request=request, **context
    )
