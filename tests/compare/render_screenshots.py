"""Render the pictures of docs/compare.md: ``python -m tests.compare.render_screenshots``.

Writes ``docs/screenshots/{coverage,coverage-areas,timeline,compare}.png``. The timeline is drawn
from the registry (real data); the coverage matrices and the /compare page from the test
fixtures (the founding agreement and the composed samples of tests/data/compare), as their
captions in docs/compare.md say. Needs Debian's ``chromium``.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.compare import StoreSource
from kg.ingest import ingest_file
from kg.namespaces import DEFAULT_BASE
from kg.reference.graphs import reference_graphs
from kg.settings import Settings
from kg.svg import coverage, coverage_svg, timeline, timeline_svg

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def chromium() -> str:
    """The Chromium binary, or exit with how to get one."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        sys.exit("needs Chromium: apt-get install chromium fonts-ipafont-gothic")
    return found


def screenshot(target: str, png: Path, width: int, height: int) -> None:
    """Render ``target`` (a file path or URL) to ``png`` at ``width`` × ``height``."""
    subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--window-size={width},{height}", f"--screenshot={png}",
                    target], check=True, capture_output=True, timeout=120)


def svg_size(svg: str) -> tuple[int, int]:
    m = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)
    assert m, "an SVG without width and height"
    return int(m[1]), int(m[2])


def fixture_store(settings: Settings) -> ox.Store:
    """The test fixture dataset (tests/compare/conftest.py) as one in-memory store."""
    store = ox.Store()
    graphs = dict(reference_graphs(settings))
    for path in [ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt",
                 *sorted((ROOT / "tests" / "data" / "compare").glob("*.txt"))]:
        result = ingest_file(path, settings)
        graphs[result.graph_name] = result.graph
    for name, graph in graphs.items():
        store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(str(name)))
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_compare_page(source: StoreSource, port: int) -> None:
    """The /compare router alone, with the site's static files, on loopback (daemon thread)."""
    import uvicorn
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from kg.server.compare import router, sparql_source

    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[sparql_source] = lambda: source
    app.mount("/static", StaticFiles(directory=ROOT / "kg" / "server" / "static"), name="static")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/compare", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    sys.exit("the compare page did not start")


def main() -> None:
    settings = Settings(base_iri=DEFAULT_BASE, root=ROOT, data_dir=ROOT / "data")
    OUT.mkdir(parents=True, exist_ok=True)
    fixture = StoreSource(fixture_store(settings))
    registry = StoreSource(ox.Store())
    for graph_name, graph in reference_graphs(settings).items():
        registry.store.bulk_load(graph.serialize(format="nt", encoding="utf-8"),
                                 format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph_name)))
    pictures = {
        "coverage": coverage_svg(coverage(fixture, settings.ids)),
        "coverage-areas": coverage_svg(coverage(fixture, settings.ids, "areas")),
        "timeline": timeline_svg(timeline(registry)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, svg in pictures.items():
            path = Path(tmp) / f"{name}.svg"
            path.write_text(svg, encoding="utf-8")
            screenshot(str(path), OUT / f"{name}.png", *svg_size(svg))
            print(f"wrote {OUT / name}.png")
    port = free_port()
    serve_compare_page(fixture, port)
    screenshot(f"http://127.0.0.1:{port}/compare?a=072036-072109-2019-10-18&b=431001-432083-2022-03-28",
               OUT / "compare.png", 1100, 1500)
    print(f"wrote {OUT / 'compare.png'}")


if __name__ == "__main__":
    main()
