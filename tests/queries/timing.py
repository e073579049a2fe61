"""Time every library query on a synthetic national-scale dataset (a check, not the benchmark).

    python -m tests.queries.timing 4000          # generate, ingest, load, time (median of 3)
    python -m tests.queries.timing 4000 007 009  # only these queries

Texts come from ``kg.generate`` (never published data) and go through the real ingester; the
reference graphs are added as in a build. The loaded dataset is cached as N-Quads in the
temporary folder, so a second run only times. The project's benchmarks live in ``bench/``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.generate import write_corpus
from kg.ingest import ingest_file
from kg.querylib import load_queries
from kg.reference.graphs import reference_graphs

from .dataset import QUERIES_DIR, fixture_settings

RUNS = 3


def national_store(n: int) -> ox.Store:
    """``n`` generated agreements and the reference graphs, loaded (from the cache when there)."""
    cache = Path(tempfile.gettempdir()) / f"renkei-query-timing-{n}.nq"
    store = ox.Store()
    if not cache.exists():
        settings = fixture_settings()
        with tempfile.TemporaryDirectory() as tmp:
            texts = Path(tmp)
            write_corpus(texts, n, seed=0, settings=settings)
            for name, g in reference_graphs(settings).items():
                store.bulk_load(g.serialize(format="nt", encoding="utf-8"),
                                format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
            for path in sorted(texts.glob("*.txt")):
                r = ingest_file(path, settings)
                store.bulk_load(r.graph.serialize(format="nt", encoding="utf-8"),
                                format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(r.graph_name)))
        store.dump(str(cache), format=ox.RdfFormat.N_QUADS)
    else:
        store.bulk_load(path=str(cache), format=ox.RdfFormat.N_QUADS)
    return store


def main(argv: list[str]) -> int:
    """Print the median time and row count of each query (or of the numbers after ``n``)."""
    if not argv or not argv[0].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    n, wanted = int(argv[0]), set(argv[1:])
    store = national_store(n)
    print(f"{len(store)} quads, {n} generated agreements; median of {RUNS} runs")
    for doc in load_queries(QUERIES_DIR):
        if wanted and doc.number not in wanted:
            continue
        times, rows = [], 0
        for _ in range(RUNS):
            started = time.perf_counter()
            result = store.query(doc.body, use_default_graph_as_union=True)
            rows = 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)
            times.append((time.perf_counter() - started) * 1000)
        print(f"| {doc.number} | {statistics.median(times):8.0f} ms | {rows:6d} rows |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
