"""Latency of every library query and of the "lacking a category" family, per engine and size.

For each corpus size (a release built by bench/build_bench.py, built here if missing) and each
query of queries/*.rq plus the family's forms (FAMILY below), the median and range of ``--runs``
timed runs after one warm-up, on:

    oxigraph    the release's on-disk pyoxigraph store (read-only, as the server opens it), the
                query as written; the default graph is the union of the named graphs, as served
    rewrite     the same store, the query through kg.store.rewrite.rewrite first; rewrite() remembers
                its answers, so its own cost on a text first seen is the column "rewrite() ms"
    memory      (with --engines memory) the same quads in an in-memory pyoxigraph store, rewritten
                as above: what serving from memory instead of the on-disk store would give
    rdflib      rdflib's own engine on the same quads (dumps/dataset.nq in a Dataset whose default
                graph is the union): the baseline a user would otherwise pick
    kg          (with --engines kg) kg's own query path on the same store: the guard, then
                kg.store.execute (renkei:search expansion, the rewrite, the engine) writing the
                results as a client gets them (SPARQL JSON; Turtle for CONSTRUCT and DESCRIBE)
    virtuoso    with --virtuoso URL: the same text over HTTP with SPARQLWrapper (the release must
                be loaded there: bench/engines.py load, or ``kg push``)
    kg-virtuoso (with --engines kg-virtuoso and --virtuoso URL) kg's query path on that endpoint, as
                ``kg serve --store sparql:URL`` runs a request: the guard, kg.store.remote.RemoteStore,
                the results re-written by kg

A run is the query plus reading every row (what a client pays). Each query runs in a forked
child killed at ``--cap`` seconds (pyoxigraph cannot cancel a query); a killed run is recorded as
"> cap", never as a number. Speed-up is rdflib's median over rewrite's; its geometric mean is over
the library's queries (a capped rdflib run makes that query's ratio a lower bound, marked ≥).

The memory engine's child first reads every quad of the store once, untimed (``TOUCH``, 1–2 s at
4,000 agreements). pyoxigraph's in-memory store writes to the memory it reads (reference counts,
most likely: minor page faults that a read alone would not take), so a child forked from the
process that loaded it copies each page its query visits the first time (copy on write): measured
on 001 at 4,000 agreements, a child's runs took 302, 147, 136, 128, … ms with 78,754, 14,049,
7,150, … minor page faults, still 118 ms and 2,571 faults at the twelfth run, where the loading
process itself, before it forked, ran it in 112 ms (1,861 faults) then 105–111 ms (0–6 faults).
After the scan (219,000 faults: the whole store copied) the child ran it in 120 ms (2,013 faults)
then 111–116 ms (under 70 faults), as the loading process. kg serve's query workers load their own
copy and answer every query in that process, so the scan makes the figure theirs rather than a
first-runs penalty that a warm-up or two would not absorb.

    .venv/bin/python bench/query_bench.py --sizes 40 400 4000
    .venv/bin/python bench/query_bench.py --sizes 400 --only 005 family_not_exists_path
    .venv/bin/python bench/query_bench.py --sizes 4000 --engines oxigraph kg kg-virtuoso \
        --virtuoso http://127.0.0.1:8896/sparql --only 0     # after bench/engines.py load

``--release`` measures a given release folder (one size) instead of the benchmark's own build;
``--statistics`` counts the statistics graph again into the in-memory store (kg.release.statistics,
as a build of the code measured would), for a release built before one of its data sets existed.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from build_bench import build_dir  # noqa: E402
from generate_corpus import ensure_corpus  # noqa: E402

RESULTS = ROOT / "bench" / "query_bench.json"
ROW_LIMIT = 10**7  # kg's row cap for the "kg" engines: above every query's rows, so all are read
TARGET = 0.1  # seconds: issue 13's target for every library query at 4,000 agreements
PREFIXES = """PREFIX renkei: <https://w3id.org/renkei/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# The (area, category) pairs first, as queries/005 does: joining every other agreement's
# initiatives row by row would measure a join of millions of rows, not the anti-join.
_AREA = """  { SELECT DISTINCT ?area ?category {
      ?other renkei:area ?area ; renkei:initiative/renkei:category ?category } }
  ?agreement a renkei:Agreement ; renkei:area ?area .
"""
_ALL = """  { SELECT DISTINCT ?category { ?i renkei:category ?category } }
  ?agreement a renkei:Agreement .
"""
#: "Agreements lacking a category that others (in their area / anywhere) have", as users write it.
FAMILY = {
    "family_area_not_exists_path": f"SELECT ?agreement ?category {{\n{_AREA}"
    "  FILTER NOT EXISTS { ?agreement renkei:initiative/renkei:category ?category }\n}",
    "family_area_not_exists_bgp": f"SELECT ?agreement ?category {{\n{_AREA}"
    "  FILTER NOT EXISTS { ?agreement renkei:initiative ?j . ?j renkei:category ?category }\n}",
    "family_area_optional_not_bound": f"SELECT ?agreement ?category {{\n{_AREA}"
    "  OPTIONAL { ?agreement renkei:initiative ?j . ?j renkei:category ?category }\n  FILTER (!BOUND(?j))\n}",
    "family_area_minus": f"SELECT ?agreement ?category {{\n{_AREA}"
    "  MINUS { ?agreement renkei:initiative/renkei:category ?category }\n}",
    # The two spellings the rewriter learnt in issue 13: a nested FILTER EXISTS, and counting.
    "family_area_nested_exists": f"SELECT ?agreement ?category {{\n{_AREA}"
    "  FILTER NOT EXISTS { ?agreement renkei:initiative ?j FILTER EXISTS { ?j renkei:category ?category } }\n}",
    "family_area_group_by_having": f"SELECT ?agreement ?category {{\n{_AREA}"
    "  OPTIONAL { ?agreement renkei:initiative ?j . ?j renkei:category ?category }\n}\n"
    "GROUP BY ?agreement ?category HAVING (COUNT(?j) = 0)",
    "family_all_not_exists": f"SELECT ?agreement ?category {{\n{_ALL}"
    "  FILTER NOT EXISTS { ?agreement renkei:initiative/renkei:category ?category }\n}",
    "family_all_minus": f"SELECT ?agreement ?category {{\n{_ALL}"
    "  MINUS { ?agreement renkei:initiative/renkei:category ?category }\n}",
}


def queries() -> dict[str, str]:
    """Every library query (by file name) and every family form, as full texts."""
    from kg.querylib import load_queries

    out = {d.name: d.text for d in load_queries(ROOT / "queries")}
    out.update({name: PREFIXES + text for name, text in FAMILY.items()})
    return out


def _runner(engine: str, release: Path, virtuoso: str | None) -> Callable[[str], int]:
    """A function running one query on ``engine`` and returning how many rows (or triples) it read."""
    if engine in ("oxigraph", "rewrite"):
        import pyoxigraph as ox

        from kg.store.rewrite import rewrite

        store = ox.Store.read_only(str(release / "store"))

        def run_ox(text: str) -> int:
            result = store.query(rewrite(text) if engine == "rewrite" else text, use_default_graph_as_union=True)
            return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)

        return run_ox
    if engine == "memory":
        import pyoxigraph as ox

        from kg.store.rewrite import rewrite

        memory = _MEMORY[0]

        def run_memory(text: str) -> int:
            result = memory.query(rewrite(text), use_default_graph_as_union=True)
            return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)

        return run_memory
    if engine == "rdflib":
        dataset = _RDFLIB[0]

        def run_rdflib(text: str) -> int:
            result = dataset.query(text)
            return 1 if result.type == "ASK" else sum(1 for _ in result)

        return run_rdflib
    if engine == "kg":
        return _kg_runner(release)
    if engine == "kg-virtuoso":
        return _kg_remote_runner(virtuoso)
    from SPARQLWrapper import JSON, SPARQLWrapper

    if virtuoso is None:
        raise SystemExit("--engines virtuoso needs --virtuoso URL")
    url = virtuoso

    def run_virtuoso(text: str) -> int:
        client = SPARQLWrapper(url)
        client.setQuery(text)
        client.setReturnFormat(JSON)
        doc: Any = client.queryAndConvert()
        return 1 if "boolean" in doc else len(doc["results"]["bindings"])

    return run_virtuoso


def _kg_runner(release: Path) -> Callable[[str], int]:
    """kg's own query path on the release's store: the guard, kg.store.execute (search expansion,
    rewrite, the engine) and the results written as a client gets them (SPARQL JSON, Turtle)."""
    import pyoxigraph as ox

    from kg.errors import SearchUnavailable
    from kg.formats import formats_for
    from kg.search.index import SearchIndex
    from kg.store.execute import execute, release_index
    from kg.store.guard import check_query

    store = ox.Store.read_only(str(release / "store"))
    try:  # only a query using renkei:search needs it; a release built before search has none
        index: SearchIndex | None = release_index(release)
    except SearchUnavailable:
        index = None

    def run_kg(text: str) -> int:
        query = check_query(text)
        return execute(store, query, formats_for(query.kind)[0], limit=ROW_LIMIT, search=index).count

    return run_kg


def _kg_remote_runner(url: str | None) -> Callable[[str], int]:
    """kg's query path on a remote endpoint, as ``kg serve --store sparql:URL`` runs each request:
    the guard, kg.store.remote.RemoteStore (SPARQLWrapper) and the results re-written by kg."""
    import asyncio

    from kg.formats import formats_for
    from kg.settings import Settings
    from kg.store.guard import check_query
    from kg.store.remote import RemoteStore

    if url is None:
        raise SystemExit("--engines kg-virtuoso needs --virtuoso URL")
    remote = RemoteStore(url, Settings(query_timeout=3600.0, result_limit=ROW_LIMIT))

    def run_kg_remote(text: str) -> int:
        query = check_query(text)
        return asyncio.run(remote.run(query, formats_for(query.kind)[0], limit=ROW_LIMIT)).count

    return run_kg_remote


_RDFLIB: list[Any] = []  # the rdflib Dataset, loaded once in the parent and inherited by forks
_MEMORY: list[Any] = []  # the in-memory pyoxigraph store, likewise


#: Every quad of the in-memory store, read once by the memory engine's child before its runs (module docstring).
TOUCH = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def _child(conn: Any, engine: str, release: Path, virtuoso: str | None, text: str, runs: int) -> None:
    """In a forked child: the store read whole (memory engine), then the warm-up and timed runs, each reported."""
    run = _runner(engine, release, virtuoso)
    started = time.perf_counter()
    if engine == "memory":
        for _ in _MEMORY[0].query(TOUCH):
            pass
    conn.send(time.perf_counter() - started)
    for _ in range(runs):
        started = time.perf_counter()
        rows = run(text)
        conn.send((time.perf_counter() - started, rows))


def measure(engine: str, release: Path, text: str, runs: int, cap: float, virtuoso: str | None,
            warmup: int = 1) -> dict[str, Any]:
    """Timed runs of one query on one engine after ``warmup`` untimed ones, each bounded by ``cap`` s."""
    ctx = multiprocessing.get_context("fork")  # the rdflib Dataset is shared copy-on-write
    parent, child_end = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child_end, engine, release, virtuoso, text, runs + warmup))
    proc.start()
    child_end.close()
    times: list[float] = []
    rows = None
    capped = error = False
    try:  # the memory engine's scan of the store (untimed; a few seconds at most), or nothing
        touched = parent.poll(max(cap, 120.0)) and parent.recv() is not None
    except EOFError:
        touched = False
    if not touched:
        capped = proc.is_alive()
        error = not capped
        runs = warmup = 0
    for k in range(runs + warmup):
        if not parent.poll(cap):
            capped = proc.is_alive()
            error = not capped
            break
        try:
            seconds, rows = parent.recv()
        except EOFError:
            error = True
            break
        if k >= warmup:
            times.append(seconds)
    proc.kill()
    proc.join()
    out: dict[str, Any] = {"runs": len(times), "rows": rows, "capped": capped, "error": error, "times": times,
                           "load": os.getloadavg()[0], "cap": cap}
    if times:
        out.update(median=statistics.median(times), min=min(times), max=max(times))
    return out


def _rewrite_cost(text: str) -> float:
    """Seconds kg.store.rewrite takes on a text it has not seen (later calls are remembered, ~0)."""
    from kg.store.rewrite import _explain, rewrite  # _explain: to clear its memory

    _explain.cache_clear()
    started = time.perf_counter()
    rewrite(text)
    return time.perf_counter() - started


def _cell(m: dict[str, Any] | None, cap: float) -> str:
    """median (min–max) in ms, or "> cap" for a run that was killed (at the cap it ran with)."""
    if m is None:
        return "–"
    if m["capped"] and not m["runs"]:
        return f"> {m.get('cap', cap):g} s"
    if m["error"] and not m["runs"]:
        return "error"
    ms = [m[k] * 1000 for k in ("median", "min", "max")]
    digits = 0 if ms[0] >= 10 else 1
    return f"{ms[0]:.{digits}f} ({ms[1]:.{digits}f}–{ms[2]:.{digits}f})" + (" †" if m["capped"] else "")


def _ratio(slow: dict[str, Any] | None, fast: dict[str, Any] | None, cap: float) -> tuple[float, bool] | None:
    """rdflib median / rewrite median, and whether it is a lower bound (rdflib capped)."""
    if not slow or not fast or "median" not in fast:
        return None
    if "median" in slow:
        return slow["median"] / fast["median"], False
    return (slow.get("cap", cap) / fast["median"], True) if slow["capped"] else None


def main(argv: list[str] | None = None) -> int:
    """Measure, print one Markdown table per size, and merge the figures into bench/query_bench.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 400, 4000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cap", type=float, default=30.0, help="seconds before a run is killed")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (0 for rdflib, which caches nothing)")
    parser.add_argument("--engines", nargs="+", default=["oxigraph", "rewrite", "rdflib"])
    parser.add_argument("--virtuoso", help="a SPARQL endpoint holding the same release (adds that engine)")
    parser.add_argument("--only", nargs="+", help="query names (or prefixes) to run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--release", type=Path,
                        help="measure this release folder (one size) instead of the benchmark's own build of it")
    parser.add_argument("--statistics", action="store_true",
                        help="count the statistics graph again into the in-memory store (engine memory), as a "
                             "build of this code would: for a release built before a data set was added")
    args = parser.parse_args(argv)
    if args.release and len(args.sizes) != 1:
        parser.error("--release names the release of one size: give one --sizes")
    # --engines virtuoso --virtuoso URL measures Virtuoso alone; its figures merge with the others'.
    engines = [e for e in args.engines if e != "virtuoso"] + (["virtuoso"] if args.virtuoso else [])
    texts = {n: t for n, t in queries().items() if not args.only or any(n.startswith(o) for o in args.only)}
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    for size in args.sizes:
        release = args.release.resolve() if args.release else _release(size, args.seed)
        load_seconds = None
        figures: dict[str, dict[str, Any]] = {n: {"rewrite_cost": _rewrite_cost(t)} for n, t in texts.items()}
        # Each engine holding the dataset in this process (rdflib's Dataset, the in-memory store)
        # runs in a group of its own, loaded only then: a forked child of a process holding the
        # in-memory store ran queries/002 on the on-disk store in 11 ms instead of 2 ms.
        light = [e for e in engines if e not in ("rdflib", "memory")]
        for group in (light, [e for e in engines if e == "memory"], [e for e in engines if e == "rdflib"]):
            _RDFLIB.clear()
            _MEMORY.clear()
            if group == ["rdflib"]:
                from rdflib import Dataset

                started = time.perf_counter()
                dataset = Dataset(default_union=True)
                dataset.parse(release / "dumps" / "dataset.nq", format="nquads")
                _RDFLIB.append(dataset)
                load_seconds = time.perf_counter() - started
            if group == ["memory"]:
                import pyoxigraph as ox

                started = time.perf_counter()
                memory = ox.Store()
                memory.bulk_load(path=str(release / "dumps" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
                if args.statistics:
                    from kg.release.statistics import add_statistics
                    from kg.settings import Settings

                    add_statistics(memory, Settings())
                _MEMORY.append(memory)
                print(f"{size}: in-memory store loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            for name, text in texts.items() if group else ():
                for engine in group:
                    figures[name][engine] = measure(engine, release, text, args.runs, args.cap, args.virtuoso,
                                                    args.warmup)
                print(f"{size} {name}: " + ", ".join(f"{e} {_cell(figures[name][e], args.cap)}" for e in group),
                      file=sys.stderr, flush=True)
        _RDFLIB.clear()
        _MEMORY.clear()
        entry = results.setdefault(str(size), {})
        if entry.get("quads") not in (None, _quads(release)):
            # Another release (the corpus or the graphs changed): its figures are not comparable.
            entry.clear()
        entry.update({"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cap": args.cap, "runs": args.runs,
                      "quads": _quads(release)})
        if load_seconds is not None:
            entry["rdflib_load_seconds"] = load_seconds
        for name, figure in figures.items():  # merge: a run with other engines keeps these
            entry.setdefault("queries", {}).setdefault(name, {}).update(figure)
        shown = [e for e in ("oxigraph", "rewrite", "kg", "memory", "rdflib", "virtuoso", "kg-virtuoso")
                 if any(e in f for f in entry["queries"].values())]
        _print(size, entry, shown, args.cap)
    # Read again before writing: a run of another size that ended meanwhile keeps its figures.
    latest = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    RESULTS.write_text(json.dumps({**latest, **{str(s): results[str(s)] for s in args.sizes}}, indent=1) + "\n",
                       encoding="utf-8")
    return 0


def _release(size: int, seed: int) -> Path:
    """The benchmark's release of this corpus (built now if bench/build_bench.py has not)."""
    current = build_dir(size, seed) / "current"
    if not (current / "store").is_dir():
        from kg.release.build import build
        from kg.settings import Settings

        data, _ = ensure_corpus(size, seed)
        build(Settings(data_dir=data, build_dir=build_dir(size, seed)))
    return current.resolve()


def _loads(figure: dict[str, Any], engines: list[str]) -> str:
    """The load average when each engine's runs of a query ended, as a range."""
    loads = [figure[e]["load"] for e in engines if e in figure and "load" in figure[e]]
    if not loads:
        return "–"
    low, high = min(loads), max(loads)
    return f"{low:.1f}" if high - low < 0.05 else f"{low:.1f}–{high:.1f}"


def _quads(release: Path) -> int | None:
    manifest: dict[str, Any] = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    quads: int | None = manifest.get("quads")
    return quads


def _print(size: int, entry: dict[str, Any], engines: list[str], cap: float) -> None:
    """One size as a Markdown table (ms: median (min–max)), with the geometric mean speed-up."""
    print(f"\n### {size:,} agreements ({entry.get('quads') or 0:,} quads; rdflib load "
          f"{entry.get('rdflib_load_seconds') or 0:.1f} s)\n")
    # Where both were measured: kg's path on the embedded store over kg's path on the remote (> 1: remote faster).
    remote = "kg" in engines and "kg-virtuoso" in engines
    print("| query | rows | " + " | ".join(f"{e} ms" for e in engines) + " | rdflib ÷ rewrite |"
          + (" kg ÷ kg-virtuoso |" if remote else "") + " rewrite() ms | load |")
    print("|---|---:|" + "---:|" * len(engines) + "---:|" + ("---:|" if remote else "") + "---:|---:|")
    logs: list[float] = []
    remote_logs: list[float] = []
    bound = False
    for name, f in entry["queries"].items():
        rows = {f[e]["rows"] for e in engines if e in f and f[e]["rows"] is not None}
        ratio = _ratio(f.get("rdflib"), f.get("rewrite"), cap)
        shown = "–" if ratio is None else ("≥ " if ratio[1] else "") + (
            f"{ratio[0]:.1f}×" if ratio[0] < 10 else f"{ratio[0]:,.0f}×")
        if ratio is not None and not name.startswith("family_"):
            logs.append(math.log(ratio[0]))
            bound |= ratio[1]
        row_cell = str(rows.pop()) if len(rows) == 1 else "differ: " + "/".join(
            f"{e}={f[e]['rows']}" for e in engines if e in f)
        versus = _ratio(f.get("kg"), f.get("kg-virtuoso"), cap) if remote else None
        if versus is not None and not name.startswith("family_"):
            remote_logs.append(math.log(versus[0]))
        remote_cell = ("–" if versus is None else f"{'≥ ' if versus[1] else ''}{versus[0]:.2f}") if remote else ""
        print(f"| {name} | {row_cell} | " + " | ".join(_cell(f.get(e), cap) for e in engines)
              + f" | {shown} |" + (f" {remote_cell} |" if remote else "")
              + f" {f.get('rewrite_cost', 0) * 1000:.0f} | {_loads(f, engines)} |")
    library = {n: f for n, f in entry["queries"].items() if not n.startswith("family_")}
    fast = [n[:3] for n, f in library.items() if f.get("rewrite", {}).get("median", math.inf) < TARGET]
    if any("rewrite" in f for f in library.values()):
        print(f"\nUnder {TARGET * 1000:.0f} ms after the rewrite (median): {len(fast)} of {len(library)} "
              f"library queries ({', '.join(fast)})")
    for engine in ("kg", "kg-virtuoso"):
        under = [n[:3] for n, f in library.items() if f.get(engine, {}).get("median", math.inf) < TARGET]
        if any(engine in f for f in library.values()):
            print(f"\nUnder {TARGET * 1000:.0f} ms on {engine} (median): {len(under)} of {len(library)} library "
                  f"queries ({', '.join(under)})")
    if remote_logs:
        print(f"\nkg ÷ kg-virtuoso, geometric mean across the {len(remote_logs)} library queries both answered: "
              f"{math.exp(sum(remote_logs) / len(remote_logs)):.2f} (> 1: the remote store is faster); remote "
              f"faster on {sum(v > 0 for v in remote_logs)}")
    if logs:
        print(f"\nGeometric mean speed-up over rdflib across the library's {len(logs)} queries: "
              f"{'≥ ' if bound else ''}{math.exp(sum(logs) / len(logs)):,.0f}×")


if __name__ == "__main__":
    sys.exit(main())
