"""``POST /validate``: an agreement as RDF or as text in, the SHACL report out — as ``kg validate``.

The body is written to a temporary file named after its media type and handed to
``kg.validate.validate_path``, so the server and the command line share one code path and print
the same messages (DESIGN.md: "the same over HTTP").
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.errors import KgError, StoreError
from kg.server.context import Ctx
from kg.server.http import NotAcceptable, UnsupportedMediaType, read_body
from kg.server.negotiate import best_match

__all__ = ["SUFFIXES", "router"]

router = APIRouter()
#: The media types accepted in, and the file suffix ``kg validate`` recognises each by.
SUFFIXES = {
    "text/plain": ".txt",
    "text/turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/n-quads": ".nq",
    "application/trig": ".trig",
    "application/ld+json": ".jsonld",
    "application/rdf+xml": ".rdf",
}
_OUT = ["application/json", "text/turtle"]
_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _validator() -> Any:
    try:
        from kg import validate
    except ImportError as e:  # the shapes package is part of the project; say so if it is missing
        raise StoreError(f"validation is unavailable in this installation: {e}") from None
    return validate.validate_path


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
    validate_path = _validator()
    name = _NAME.sub("_", request.query_params.get("name", "upload"))[:80] or "upload"
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as tmp:
        path = Path(tmp) / f"{name}{SUFFIXES[media]}"
        path.write_bytes(body)
        try:
            # pySHACL is CPU-bound: off the event loop, one at a time, so queries keep flowing.
            async with ctx.validate_lock:
                report = await asyncio.to_thread(validate_path, path, ctx.settings)
        except KgError as e:
            if e.file and e.file.startswith(tmp):
                e.file = e.file[len(tmp) + 1 :]  # name the upload as the client named it, not our temp dir
            raise
        text = report.to_json() if out == "application/json" else report.to_turtle()
        text = text.replace(tmp + "/", "")
    conforms = getattr(report, "conforms", None)
    headers = {} if conforms is None else {"X-Conforms": str(bool(conforms)).lower()}
    return Response(
        text, media_type=out + ("; charset=utf-8" if out.startswith("text/") else ""), headers=headers
    )
