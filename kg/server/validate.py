"""``POST /validate``: an agreement as RDF or as text in, the SHACL report out — as ``kg validate``.

The body is written to a temporary file named after its media type and handed to
``kg.validate.validate_path``, so the server and the command line share one code path and print
the same messages (DESIGN.md: "the same over HTTP"). It runs in the validation worker
(:mod:`kg.server.validator`): one at a time, off the event loop, stopped at its time limit.

A body that cannot be used is answered with every problem found in it: as JSON (the shape of
``kg validate --format json`` for an unusable file, each problem in Japanese and English) when the
client accepts JSON, else as plain text in the client's language (``?lang=ja|en``, else its
``Accept-Language``; English by default). Never a 500, never a traceback.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.errors import InputError, KgError, Problem
from kg.server.context import Ctx
from kg.server.http import NotAcceptable, UnsupportedMediaType, error_response, read_body, request_lang
from kg.server.negotiate import best_match
from kg.server.validator import ValidationJob, Validator

__all__ = ["SUFFIXES", "refuse_remote_contexts", "refusal", "router"]

log = logging.getLogger(__name__)
router = APIRouter()
#: The media types accepted in, and the file suffix ``kg validate`` recognises each by.
SUFFIXES = {
    "text/plain": ".txt",
    "text/html": ".html",  # a 例規集 page, read by the ingester like `kg validate page.html`
    "text/turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/n-quads": ".nq",
    "application/trig": ".trig",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".rdf",
    # Documents as published and drafted (issue 10); the ingester tells them apart by their bytes.
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/jpeg": ".jpg",
}
_OUT = ["application/json", "text/turtle"]
_NAME = re.compile(r"[^A-Za-z0-9._-]")


def refuse_remote_contexts(body: bytes) -> None:
    """Refuse JSON-LD that names a context by IRI (JSON-LD 1.1 §3.1) or imports one (§4.1.10).

    rdflib dereferences such contexts: the server would fetch any URL, or read any local file a
    relative IRI resolves to, on a client's behalf. The endpoint never fetches (docs/http.md), so
    neither does validation; a context written inline is read as usual.
    """
    try:
        stack: list[object] = [json.loads(body)]
    except (ValueError, RecursionError):
        return  # not JSON: the parser's own error will name the line
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                contexts = value if isinstance(value, list) else [value]
                if key == "@context" and any(isinstance(c, str) for c in contexts):
                    iri = next(c for c in contexts if isinstance(c, str))
                    raise InputError(
                        f"the JSON-LD names its context by IRI ({iri[:200]!r}); this server fetches nothing "
                        "on a client's behalf: write the context inline", where="@context",
                        ja=f"JSON-LD が文脈（@context）を IRI（{iri[:200]}）で指定しています。このサーバーは"
                           "外部から何も取得しません。",
                        fix="write the context inline", fix_ja="@context の内容を本文の中に直接書いてください。",
                    )
                if key == "@import":
                    raise InputError(
                        "the JSON-LD imports a context (@import); this server fetches nothing on a client's "
                        "behalf: write the context inline", where="@import",
                        ja="JSON-LD が文脈を @import で読み込もうとしています。"
                           "このサーバーは外部から何も取得しません。",
                        fix="write the context inline", fix_ja="@context の内容を本文の中に直接書いてください。",
                    )
                stack.append(value)


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


@router.post("/validate", response_model=None)
async def validate(request: Request, ctx: Ctx) -> Response:
    """Validate the body; 200 with the report whether or not it conforms (the report says which).

    A body that cannot be used: 4xx with every problem (see the module docstring).
    """
    lang = request_lang(request)
    out = best_match(request.headers.get("accept"), _OUT)
    name = _NAME.sub("_", request.query_params.get("name", "upload"))[:80] or "upload"
    try:
        return await _validate(request, ctx, out, name)
    except _Refusal as r:
        return refusal(r.error, r.problems, out, lang, r.source)
    except KgError as e:
        return refusal(e, e.problems, out, lang, name)
    except Exception as e:  # noqa: BLE001 — a bug reaches the client as a message (as the worker's do), never a 500
        log.exception("POST /validate failed")
        error = KgError(f"internal error while validating: {e!r}", ja=f"検査中に内部エラーが起きました（{e!r}）。")
        return refusal(error, error.problems, out, lang, name)


class _Refusal(Exception):
    """A KgError whose problems name the upload as the client named it (not our temporary file)."""

    def __init__(self, error: KgError, problems: tuple[Problem, ...], source: str) -> None:
        super().__init__(str(error))
        self.error, self.problems, self.source = error, problems, source


async def _validate(request: Request, ctx: Ctx, out: str | None, name: str) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in SUFFIXES:
        raise UnsupportedMediaType(
            "send an agreement as " + ", ".join(SUFFIXES) + f", not {media or 'nothing'}",
            ja="協約は " + "、".join(SUFFIXES) + f" のいずれかで送ってください（送られたのは {media or 'なし'}）。",
        )
    if out is None:
        raise NotAcceptable("the report is available as application/json or text/turtle",
                            ja="検査結果は application/json または text/turtle で返します。")
    body = await read_body(request, ctx.settings.max_upload_bytes, "KG_MAX_UPLOAD_BYTES")
    if media == "application/ld+json":
        refuse_remote_contexts(body)
    validator: Validator = request.app.state.validator
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as tmp:
        path = Path(tmp) / f"{name}{SUFFIXES[media]}"
        path.write_bytes(body)
        try:
            validated = await validator.run(ValidationJob(str(path), ctx.settings, out))
        except KgError as e:
            def local(file: str | None) -> str | None:  # the upload as the client named it, not our temp dir
                return file[len(tmp) + 1:] if file and file.startswith(tmp + "/") else file

            e.file = local(e.file)
            problems = tuple(replace(p, file=local(p.file)) for p in e.problems)
            raise _Refusal(e, problems, path.name) from None
        text = validated.text.replace(tmp + "/", "")
    headers = {} if validated.conforms is None else {"X-Conforms": str(validated.conforms).lower()}
    return Response(
        text, media_type=out + ("; charset=utf-8" if out.startswith("text/") else ""), headers=headers
    )
