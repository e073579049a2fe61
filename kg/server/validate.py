"""``POST /validate``: an agreement as RDF or as text in, the SHACL report out — as ``kg validate``.

The body is written to a temporary file named after its media type and handed to
``kg.validate.validate_path``, so the server and the command line share one code path and print
the same messages (DESIGN.md: "the same over HTTP"). It runs in the validation worker
(:mod:`kg.server.validator`): one at a time, off the event loop, stopped at its time limit.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.errors import InputError, KgError
from kg.server.context import Ctx
from kg.server.http import NotAcceptable, UnsupportedMediaType, read_body
from kg.server.negotiate import best_match
from kg.server.validator import ValidationJob, Validator

__all__ = ["SUFFIXES", "refuse_remote_contexts", "router"]

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
                        "on a client's behalf: write the context inline", where="@context"
                    )
                if key == "@import":
                    raise InputError(
                        "the JSON-LD imports a context (@import); this server fetches nothing on a client's "
                        "behalf: write the context inline", where="@import"
                    )
                stack.append(value)


@router.post("/validate", response_model=None)
async def validate(request: Request, ctx: Ctx) -> Response:
    """Validate the body; 200 with the report whether or not it conforms (the report says which)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in SUFFIXES:
        raise UnsupportedMediaType(
            "send an agreement as " + ", ".join(SUFFIXES) + f", not {media or 'nothing'}"
        )
    out = best_match(request.headers.get("accept"), _OUT)
    if out is None:
        raise NotAcceptable("the report is available as application/json or text/turtle")
    body = await read_body(request, ctx.settings.max_body_bytes)
    if media == "application/ld+json":
        refuse_remote_contexts(body)
    validator: Validator = request.app.state.validator
    name = _NAME.sub("_", request.query_params.get("name", "upload"))[:80] or "upload"
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as tmp:
        path = Path(tmp) / f"{name}{SUFFIXES[media]}"
        path.write_bytes(body)
        try:
            validated = await validator.run(ValidationJob(str(path), ctx.settings, out))
        except KgError as e:
            if e.file and e.file.startswith(tmp):
                e.file = e.file[len(tmp) + 1 :]  # name the upload as the client named it, not our temp dir
            raise
        text = validated.text.replace(tmp + "/", "")
    headers = {} if validated.conforms is None else {"X-Conforms": str(validated.conforms).lower()}
    return Response(
        text, media_type=out + ("; charset=utf-8" if out.startswith("text/") else ""), headers=headers
    )
