"""``/``: the front page — what the dataset holds, and every agreement."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.server.context import Ctx
from kg.server.views import select

__all__ = ["router"]

router = APIRouter()


@router.get("/", response_model=None, include_in_schema=False)
async def home(request: Request, ctx: Ctx) -> Response:
    """The front page: what is here, and every agreement."""
    agreements = await select(
        ctx,
        """SELECT ?a ?title ?date ?area_ja { ?a a renkei:Agreement ; dct:title ?title .
      OPTIONAL { ?a eli:date_document ?date } OPTIONAL { ?a renkei:area ?area .
      ?area skos:prefLabel ?area_ja FILTER(LANG(?area_ja) = 'ja') } } ORDER BY ?date ?a""",
        key=("a",),
    )
    page: Response = ctx.templates.TemplateResponse(
        request,
        "index.html",
        {
            "agreements": agreements,
            "graphs": ctx.graphs,
            "base": ctx.base,
            "version": ctx.release.version,
            "created": ctx.release.created,
        },
    )
    return page
