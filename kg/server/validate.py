"""``POST /validate``: an agreement as RDF or as text in, the SHACL report out — as ``kg validate``.

The body is written to a temporary file named after its media type and handed to
``kg.validation.validate.validate_path``, so the server and the command line share one code path and print
the same messages (DESIGN.md: "the same over HTTP"). It runs in the validation worker
(:mod:`kg.server.validator`): one at a time, off the event loop, stopped at its time limit.

A body that cannot be used is answered with every problem found in it: as JSON (the shape of
``kg validate --format json`` for an unusable file, each problem in Japanese and English) when the
client accepts JSON, else as plain text in the client's language (``?lang=ja|en``, else its
``Accept-Language``; English by default). Never a 500, never a traceback.

``GET /validate`` is the clerk's page (Japanese, English with ``?lang=en``): a form that uploads a
file or pasted text as ``multipart/form-data`` to ``POST /validate``, which then answers the page
with the report: each problem beside the line, article or annex row of the text it concerns, with
the JSON and the Turtle report to download and a print style. ``POST /validate`` answers
``text/html`` and ``text/plain`` (``kg validate``'s text) to any body too. The page's work — the
report, its Turtle and the lines of the text — is one job of a worker of its own
(:func:`kg.server.clerk.clerk_job`, run by a :class:`~kg.server.validator.Validator` like the JSON one), so the
ingester never runs on the server's thread.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from kg.errors import InputError, KgError, NotAcceptable, Problem, UnsupportedMediaType
from kg.formats import RDF_FORMATS
from kg.rdfguard import refuse_remote_contexts
from kg.server.clerk import LINES_JOB, PAGE_JOB, Refused, Upload, in_worker
from kg.server.context import Ctx, ServerContext
from kg.server.http import error_response, page_lang, read_body, request_lang
from kg.server.negotiate import best_match
from kg.validation.report import Report, Severity

__all__ = ["SUFFIXES", "Shown", "read_upload", "refusal", "render_page", "router"]

log = logging.getLogger(__name__)
router = APIRouter()
#: The media types accepted in, and the file suffix ``kg validate`` recognises each by.
SUFFIXES = {
    "text/plain": ".txt",
    "text/html": ".html",  # a 例規集 page, read by the ingester like `kg validate page.html`
    **{f.media_type: "." + f.extension for f in RDF_FORMATS},  # RDF, by kg.formats' table
    # Documents as published and drafted (issue 10); the ingester tells them apart by their bytes.
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/jpeg": ".jpg",
}
_OUT = ["application/json", "text/turtle", "text/html", "text/plain"]
#: A form sent by the page asks for the page first; a raw body, as before, for JSON first.
_FORM_OUT = ["text/html", "application/json", "text/turtle", "text/plain"]
_NAME = re.compile(r"[^\w.-]")
#: The suffix of each kind of upload a name may already end with (``?name=x.txt`` stays ``x.txt``).
_KNOWN_SUFFIXES = {*SUFFIXES.values(), ".htm", ".tiff", ".jpeg"}
#: A form: the page's (a file or a text), or a text written as a URL-encoded form (``curl -d text=…``).
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def refusal(error: KgError, problems: tuple[Problem, ...], out: str | None, lang: str, source: str) -> Response:
    """The answer to an unusable body: every problem, as JSON in both languages when the client
    takes JSON (as ``kg validate --format json`` prints it), else as text in ``lang``."""
    if out != "application/json":
        return error_response(error, lang, problems)
    first = problems[0]
    doc = {"source": source, "exit_code": error.exit_code, "error_type": type(error).__name__,
           "error": {"message": first.en, "message_ja": first.ja, "file": first.file, "line": first.line,
                     "where": first.where},
           "problems": [p.as_dict() for p in problems]}
    return Response(json.dumps(doc, ensure_ascii=False), status_code=error.http_status,
                    media_type="application/json", headers={"Content-Language": lang})


@router.get("/validate", response_model=None, summary="The clerk's page: upload or paste a draft, read its report")
async def validate_page(request: Request, ctx: Ctx) -> Response:
    """The form (Japanese; English with ``?lang=en``)."""
    return render_page(request, ctx, page_lang(request))


@router.post("/validate", response_model=None)
async def validate(request: Request, ctx: Ctx) -> Response:
    """Validate the body; 200 with the report whether or not it conforms (the report says which).

    A body that cannot be used: 4xx with every problem (see the module docstring).
    """
    lang = request_lang(request)
    form = _media(request) in _FORMS
    out = best_match(request.headers.get("accept"), _FORM_OUT if form else _OUT)
    name = _file_name(request.query_params.get("name", "upload"), "")
    try:
        return await _validate(request, ctx, out)
    except Refused as r:
        return await _refused(request, ctx, r.error, r.problems, out, r.source, r.upload)
    except KgError as e:
        return await _refused(request, ctx, e, e.problems, out, name, None)
    except Exception as e:  # noqa: BLE001 — a bug reaches the client as a message (as the worker's do), never a 500
        log.exception("POST /validate failed")
        error = KgError(f"internal error while validating: {e!r}", ja=f"検査中に内部エラーが起きました（{e!r}）。")
        return refusal(error, error.problems, out, lang, name)


async def _refused(request: Request, ctx: ServerContext, error: KgError, problems: tuple[Problem, ...],
                   out: str | None, source: str, upload: Upload | None) -> Response:
    """An unusable body: the page with every problem beside its line, or :func:`refusal`'s answer."""
    if out != "text/html":
        return refusal(error, problems, out, request_lang(request), source)
    lines: list[Any] = []
    if upload is not None:  # the problems name lines: show them in the text when it can be read at all
        try:
            lines = json.loads((await in_worker(request, ctx, LINES_JOB, upload)).text)["lines"]
        except (KgError, Refused):
            lines = []
    lang = page_lang(request)
    shown = [_problem_shown(p, lang) for p in problems]
    return render_page(request, ctx, lang, source=source, refused=shown, lines=_placed(lines, shown, source),
                       status=error.http_status)


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _validate(request: Request, ctx: ServerContext, out: str | None) -> Response:
    media = _media(request)
    if media not in SUFFIXES and media not in _FORMS:
        raise UnsupportedMediaType(
            "send an agreement as " + ", ".join(SUFFIXES) + f" or a multipart/form-data form, not {media or 'nothing'}",
            ja="協約は " + "、".join(SUFFIXES) + f" のいずれか、またはフォーム（multipart/form-data）で送ってください"
               f"（送られたのは {media or 'なし'}）。",
        )
    if out is None:
        raise NotAcceptable("the report is available as " + ", ".join(_OUT),
                            ja="検査結果は " + "、".join(_OUT) + " のいずれかで返します。")
    upload = await read_upload(request, ctx)
    if upload.name.endswith(".jsonld"):
        refuse_remote_contexts(upload.body)
    if out == "text/html":
        page = json.loads((await in_worker(request, ctx, PAGE_JOB, upload)).text)
        return _report_page(request, ctx, upload, page)
    validated = await in_worker(request, ctx, out if out != "text/plain" else "application/json", upload)
    headers = {} if validated.conforms is None else {"X-Conforms": str(validated.conforms).lower()}
    if out == "text/plain":  # as `kg validate` prints it, in the client's language
        text = Report.from_json(validated.text).to_text(request_lang(request)) + "\n"
        return Response(text, media_type="text/plain; charset=utf-8", headers=headers)
    return Response(
        validated.text, media_type=out + ("; charset=utf-8" if out.startswith("text/") else ""), headers=headers
    )


# ─── the upload: a raw body or the page's form ──────────────────────────────────────────────────


def _file_name(given: str, suffix: str) -> str:
    """A safe file name from what the client called the file, ending in ``suffix`` once
    (``?name=x.txt`` is ``x.txt``, not ``x.txt.txt``)."""
    name = _NAME.sub("_", given.replace("\\", "/").rsplit("/", 1)[-1])[:80]
    while len(name.encode()) > 200:  # a file name is at most 255 bytes: 80 characters may be 320
        name = name[:-1]
    known = Path(name).suffix.lower()
    if known in _KNOWN_SUFFIXES:
        suffix = suffix or known
        name = name[: -len(known)]
    return (name.strip(".") or "upload") + suffix


async def read_upload(request: Request, ctx: ServerContext) -> Upload:
    """The body (a file of a media type of :data:`SUFFIXES`, named by ``?name=``) or the file or text of a
    ``multipart/form-data`` form (fields ``file`` and ``text``), within KG_MAX_UPLOAD_BYTES."""
    body = await read_body(request, ctx.settings.max_upload_bytes, "KG_MAX_UPLOAD_BYTES")
    media = _media(request)
    if media not in _FORMS:
        return Upload(body, _file_name(request.query_params.get("name", "upload"), SUFFIXES[media]),
                      dict(request.query_params))

    async def stream() -> Any:
        yield body

    try:
        if media == "application/x-www-form-urlencoded":
            pairs: list[tuple[str, str | UploadFile]] = [*parse_qsl(body.decode("utf-8", "replace"), max_num_fields=8)]
            form = FormData(pairs)
        else:
            form = await MultiPartParser(request.headers, stream(), max_files=1, max_fields=8,
                                         max_part_size=len(body) + 1).parse()
    except (MultiPartException, ValueError) as e:
        raise InputError(f"the form cannot be read: {e}", where=media,
                         ja=f"フォームを読み取れません（{e}）。",
                         fix="send the page's form again", fix_ja="検査のページからもう一度送ってください。") from None
    file, text = form.get("file"), form.get("text")
    fields = {k: v for k, v in form.items() if isinstance(v, str) and k != "text"}
    if isinstance(file, UploadFile) and file.filename:
        data = await file.read()
        if data:
            suffix = Path(file.filename).suffix.lower()
            if suffix not in _KNOWN_SUFFIXES:
                suffix = SUFFIXES.get((file.content_type or "").split(";")[0].strip().lower(), ".txt")
            return Upload(data, _file_name(file.filename, suffix), fields)
    if isinstance(text, str) and text.strip():
        return Upload(text.encode("utf-8"), _file_name(fields.get("name") or "pasted", ".txt"), fields)
    raise InputError("the form holds neither a file nor a text: choose a file or paste the agreement's text",
                     where="file, text", ja="ファイルも本文もありません。",
                     fix="choose a file, or paste the agreement's text",
                     fix_ja="ファイルを選ぶか、協約の本文を貼り付けてください。")


# ─── the page ───────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Shown:
    """One problem as the page shows it, in the page's language."""

    severity: str  #: violation, warning, info (a result) or error (an unusable file)
    label: str  #: 違反 / Violation …
    rule: str  #: the shape's id, or the error's kind
    place: str  #: 別表 3-(8) 二本松市の役割
    where: str  #: draft.txt:12-14
    message: str
    fix: str
    first: int | None
    last: int | None
    file: str | None  #: the file the lines are of (RDF ingested from a text points at the text's lines)


def _result_shown(r: Any, lang: str) -> Shown:
    loc = r.location
    return Shown(r.severity.value.lower(), r.severity.label(lang), r.shape_id, loc.text.get(lang),
                 loc.lines() + (f" p.{loc.page}" if loc.page else ""), r.message.get(lang),
                 r.description.get(lang), loc.first_line, loc.last_line or loc.first_line, loc.file)


def _problem_shown(p: Problem, lang: str) -> Shown:
    return Shown("error", _T[lang]["error"], "", p.where or "", p.location(), p.message(lang), p.fix(lang) or "",
                 p.line, p.line, p.file)


def _placed(lines: list[Any], shown: list[Shown], source: str) -> dict[str, Any]:
    """The lines of ``source``, each with the problems shown right after it (a problem after the last line
    of the part it concerns) and whether a problem concerns it; and the problems placed on no line (or on
    the lines of another file: RDF made from a text names the text's lines)."""
    rows = [{"n": n, "cells": text.split("\t"), "page": page, "hit": "", "problems": []} for n, text, page in lines]
    unplaced = []
    for s in shown:
        if s.file not in (None, source):
            unplaced.append(s)
            continue
        at = [row for row in rows if s.first is not None and s.first <= row["n"] <= (s.last or s.first)]
        if not at:
            before = [row for row in rows if s.first is not None and row["n"] <= s.first]
            at = before[-1:]
        if not at:
            unplaced.append(s)
            continue
        for row in at:
            row["hit"] = row["hit"] if row["hit"] == "violation" else s.severity
        at[-1]["problems"].append(s)
    return {"rows": rows, "unplaced": unplaced}


def _data_uri(text: str, media: str) -> str:
    return f"data:{media};charset=utf-8;base64," + base64.b64encode(text.encode()).decode()


def _report_page(request: Request, ctx: ServerContext, upload: Upload, page: dict[str, Any]) -> Response:
    lang = page_lang(request)
    report = Report.from_json(page["json"])
    shown = [_result_shown(r, lang) for r in report.results]
    stem = upload.name.rsplit(".", 1)[0]
    downloads = [(_T[lang]["json"], f"{stem}.report.json", _data_uri(page["json"], "application/json")),
                 (_T[lang]["turtle"], f"{stem}.report.ttl", _data_uri(page["turtle"], "text/turtle"))]
    headers = {"X-Conforms": str(report.conforms).lower()}
    return render_page(request, ctx, lang, source=upload.name, report=report, summary=report.summary(lang),
                       results=shown, lines=_placed(page["lines"], shown, upload.name), downloads=downloads,
                       headers=headers)


def render_page(request: Request, ctx: ServerContext, lang: str, *, status: int = 200,
                headers: dict[str, str] | None = None, **data: Any) -> Response:
    """validate.html in ``lang`` with ``data`` (nothing but the form when there is none)."""
    other = "en" if lang == "ja" else "ja"
    page: Response = ctx.templates.TemplateResponse(
        request, "validate.html",
        {"t": _T[lang], "lang": lang, "version": ctx.release.version, "action": f"/validate?lang={lang}",
         "switch": "/validate" + ("?lang=en" if other == "en" else ""),
         "severities": [(s.value.lower(), s.label(lang)) for s in Severity], **data},
        status_code=status, headers={"Content-Language": lang, **(headers or {})},
    )
    return page


_T: dict[str, dict[str, str]] = {
    "ja": {
        "title": "協約案の検査", "other": "English", "other_lang": "en",
        "intro": "協約の本文をファイルで選ぶか、貼り付けてください。SHACL の規則で検査し、問題ごとに本文の該当する"
                 "条や別表の行の横に、直し方とともに示します。",
        "formats": "読めるファイル: テキスト（.txt、文字コードは UTF-8・Shift_JIS のいずれでも）、"
                   "例規集のページ（.html）、PDF、Word（.docx）、スキャン画像（.png .tif .jpg）、"
                   "RDF（.ttl .nt .nq .trig .jsonld .rdf）",
        "file": "ファイルを選ぶ", "drop": "ここにファイルをドロップすることもできます", "paste": "または本文を貼り付け",
        "submit": "検査する", "busy": "検査しています…",
        "kept": "送ったファイルは検査が終わると消去され、保存されません。",
        "report": "検査結果", "problems": "問題の一覧", "none": "問題は見つかりませんでした。",
        "download": "ダウンロード", "json": "JSON", "turtle": "Turtle（SHACL の検査結果）",
        "print": "印刷する", "print_hint": "ブラウザの印刷機能で、この検査結果を印刷できます。",
        "text": "本文と問題", "whole": "本文の特定の行に当たらない問題", "fix": "直し方", "line": "行",
        "page": "%sページ", "refused": "このファイルは検査できませんでした", "error": "読めない箇所",
        "show": "表示", "again": "別のファイルを検査する",
    },
    "en": {
        "title": "Validate a draft agreement", "other": "日本語", "other_lang": "ja",
        "intro": "Choose the agreement's file or paste its text. It is checked against the SHACL shapes, and "
                 "each problem is shown beside the article or annex row it concerns, with how to fix it.",
        "formats": "Files read: text (.txt, UTF-8 or Shift_JIS), 例規集 pages (.html), PDF, Word (.docx), "
                   "scans (.png .tif .jpg), RDF (.ttl .nt .nq .trig .jsonld .rdf)",
        "file": "Choose a file", "drop": "or drop a file here", "paste": "or paste the text",
        "submit": "Validate", "busy": "Validating…",
        "kept": "The file sent is deleted once it is validated; nothing is kept.",
        "report": "Report", "problems": "Problems", "none": "No problem found.",
        "download": "Download", "json": "JSON", "turtle": "Turtle (the SHACL report)",
        "print": "Print", "print_hint": "Print this report with the browser's print command.",
        "text": "The text and its problems", "whole": "Problems not on a line of the text", "fix": "How to fix",
        "line": "line", "page": "page %s", "refused": "This file could not be validated", "error": "Unreadable",
        "show": "Show", "again": "Validate another file",
    },
}
