"""The baseline: the same release served by rdflib's own SPARQL engine behind FastAPI.

This is the approach of rdflib-endpoint (vemonet/rdflib-endpoint): the dataset in an in-memory
rdflib ``Dataset`` with the union as default graph, each query evaluated in the request handler
(FastAPI's thread pool), no timeout, no result cap. Only what the benchmark needs: GET/POST
``query`` with SPARQL JSON results.

    KG_BENCH_RELEASE=build/current .venv/bin/python -m uvicorn bench.rdflib_endpoint:app --port 8001
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from rdflib import Dataset

__all__ = ["app", "load"]


def load(release: Path) -> Dataset:
    """The release's TriG dump in an rdflib Dataset whose default graph is the union of the named ones."""
    dataset = Dataset(default_union=True)
    dataset.parse(release / "dumps" / "dataset.trig", format="trig")
    return dataset


DATASET = load(Path(os.environ.get("KG_BENCH_RELEASE", "build/current")))
app = FastAPI(title="rdflib SPARQL baseline")


def _answer(query: str) -> Response:
    result = DATASET.query(query)
    body = result.serialize(format="json")
    return Response(body, media_type="application/sparql-results+json")


@app.get("/sparql")
def sparql_get(query: str) -> Response:
    """GET ?query= (evaluated synchronously, as rdflib-endpoint does)."""
    return _answer(query)


@app.post("/sparql")
async def sparql_post(request: Request) -> Response:
    """POST form-encoded query."""
    form = await request.form()
    return _answer(str(form["query"]))
