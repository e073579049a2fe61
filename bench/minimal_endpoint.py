"""The minimal FastAPI + pyoxigraph SPARQL endpoint issue 13 compares ``kg serve`` with: the baseline, no kg code.

GET and POST ``/sparql`` (``query=`` in the URL or a form, or an ``application/sparql-query`` body)
on a release's store opened read-only, the default graph the union of all graphs, answers in
SPARQL 1.1 JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE). Nothing else: no time limit, no
memory bound, no cache, no checks, no negotiation, no gzip — what a few dozen lines give, and so
what ``kg serve``'s guarantees cost is measured against (bench/capacity.py ``--minimal``).
``/health`` answers ``ok`` (the benchmarks wait for it). ``--memory`` loads the release's
``dumps/dataset.nq`` into an in-memory store first.

    .venv/bin/python bench/minimal_endpoint.py --release bench/.cache/build-s0-n400/current --port 18100
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyoxigraph as ox
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool


def create(release: Path, memory: bool = False) -> FastAPI:
    """The app over ``release`` (a folder holding ``store/`` and ``dumps/dataset.nq``)."""
    if memory:
        store = ox.Store()
        store.bulk_load(path=str(release / "dumps" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    else:
        store = ox.Store.read_only(str(release / "store"))
    app = FastAPI()

    def answer(query: str) -> Response:
        try:
            result = store.query(query, use_default_graph_as_union=True)
        except SyntaxError as e:
            return PlainTextResponse(str(e), status_code=400)
        if isinstance(result, ox.QueryTriples):
            return Response(result.serialize(format=ox.RdfFormat.N_TRIPLES), media_type="application/n-triples")
        return Response(result.serialize(format=ox.QueryResultsFormat.JSON),
                        media_type="application/sparql-results+json")

    @app.get("/sparql")
    def get(query: str) -> Response:
        return answer(query)

    @app.post("/sparql")
    async def post(request: Request) -> Response:
        if request.headers.get("content-type", "").startswith("application/sparql-query"):
            text = (await request.body()).decode()
        else:
            text = str((await request.form())["query"])
        return await run_in_threadpool(answer, text)

    @app.get("/health")
    def health() -> Response:
        return PlainTextResponse("ok")

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, required=True)
    parser.add_argument("--port", type=int, default=18100)
    parser.add_argument("--memory", action="store_true", help="serve an in-memory copy of dumps/dataset.nq")
    args = parser.parse_args(argv)
    uvicorn.run(create(args.release.resolve(), args.memory), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
