"""A query worker's store in memory against on disk: load time, memory per worker, the library queries' medians.

For each corpus size (the release of bench/build_bench.py, built if missing), in worker processes
started as the server starts them (spawned, their data segment capped at KG_QUERY_MEMORY's default
for two workers, kg.store.worker.limit_memory):

    load      how a copy in memory is made, each in a fresh process: ``load`` (what kg.store.worker
              does: Store.load of dumps/dataset.nq, then the graphs the dump leaves out copied from
              disk), ``bulk_load`` of the same dump, ``copy`` (every quad of the store on disk,
              Store.bulk_extend); seconds, growth of RSS and of the data segment (what RLIMIT_DATA
              counts), peak RSS, and RSS growth per byte of the dump (kg.store.worker's factor)
    start     a worker of kg.store.worker.WorkerStore with KG_STORE_IN_MEMORY=no and =yes: seconds
              from spawning it to ready (it answers from disk) and to answering from memory
    queries   the 26 library queries through kg's query path (kg.store.execute: the rewrite, the
              engine, SPARQL JSON or Turtle written) in the two workers side by side, alternating
              query by query: median of ``--runs`` after one warm-up; a run past ``--cap`` seconds
              is recorded as "> cap" and its worker restarted
    serve     (with ``--serve SECONDS``) ``kg serve --store <release>`` with KG_STORE_IN_MEMORY=no, then
              =yes: seconds until /health answers, then one never-seen count over HTTP a second; the
              median latency over the first and the last third of the time (the copy loading, loaded)

    .venv/bin/python bench/store_memory.py --sizes 400 4000 --serve 30
    .venv/bin/python bench/store_memory.py --sizes 400 --runs 5 --only 00

Prints one Markdown table per size and writes bench/store_memory.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from query_bench import _release  # noqa: E402
from query_bench import queries as all_queries  # noqa: E402

RESULTS = ROOT / "bench" / "store_memory.json"
ROW_LIMIT = 10**7  # above every query's rows: every row is read and written
TARGET = 0.1  # seconds: issue 13's target for every library query at 4,000 agreements
_CTX = multiprocessing.get_context("spawn")  # as kg.server.runner starts its workers


def _status() -> dict[str, int]:
    """This process's VmRSS and VmData (bytes), and its peak RSS."""
    out = {"peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmData"):
                out[key] = int(value.split()[0]) * 1024
    return out


def _limit() -> int:
    from kg.settings import Settings
    from kg.store.worker import limit_memory

    limit = Settings(workers=2).query_memory_bytes
    limit_memory(limit)
    return limit


def _load_child(conn: Any, release: str, how: str) -> None:
    """Make a copy in memory one way and report its cost."""
    import pyoxigraph as ox

    from kg.store.worker import DUMP, WorkerStore

    limit = _limit()
    before = _status()
    started = time.perf_counter()
    if how == "load":
        store = WorkerStore(Path(release) / "store", "yes")
        assert store.wait(), "the copy in memory was not loaded"
        quads = len(store.current)
    else:
        memory = ox.Store()
        if how == "bulk_load":
            memory.bulk_load(path=str(Path(release) / DUMP), format=ox.RdfFormat.N_QUADS)
        else:
            memory.bulk_extend(ox.Store.read_only(str(Path(release) / "store")))
        quads = len(memory)
    seconds = time.perf_counter() - started
    after = _status()
    conn.send({"seconds": seconds, "quads": quads, "limit": limit, "rss": after["VmRSS"] - before["VmRSS"],
               "data": after["VmData"] - before["VmData"], "peak": after["peak"]})


def _worker_child(conn: Any, release: str, mode: str) -> None:
    """A query worker: say when ready and when its copy is in memory, then time each query sent."""
    from kg.formats import formats_for
    from kg.store.execute import execute
    from kg.store.guard import check_query
    from kg.store.worker import WorkerStore

    _limit()
    store = WorkerStore(Path(release) / "store", mode)  # type: ignore[arg-type]
    conn.send(("ready", time.time()))
    in_memory = store.wait()
    conn.send(("loaded", time.time(), in_memory, _status()))
    while True:
        text = conn.recv()
        query = check_query(text)
        started = time.perf_counter()
        rows = execute(store.current, query, formats_for(query.kind)[0], limit=ROW_LIMIT).count
        conn.send((time.perf_counter() - started, rows))


class Worker:
    """A worker process of one mode, restarted after a run past the cap."""

    def __init__(self, release: Path, mode: str) -> None:
        self.release, self.mode = release, mode
        self.start()

    def start(self) -> None:
        self.conn, child = _CTX.Pipe()
        spawned = time.time()
        self.proc = _CTX.Process(target=_worker_child, args=(child, str(self.release), self.mode), daemon=True)
        self.proc.start()
        child.close()
        _, ready = self.conn.recv()
        _, loaded, in_memory, status = self.conn.recv()
        self.start_figures = {"ready_s": ready - spawned, "serving_s": loaded - spawned, "in_memory": in_memory,
                              "rss": status["VmRSS"], "data": status["VmData"], "peak": status["peak"]}

    def runs(self, text: str, runs: int, cap: float) -> dict[str, Any]:
        times: list[float] = []
        rows = None
        for k in range(runs + 1):  # one warm-up
            self.conn.send(text)
            if not self.conn.poll(cap):
                self.proc.kill()
                self.proc.join()
                self.start()
                return {"capped": True, "times": times, "rows": rows, "load": os.getloadavg()[0]}
            seconds, rows = self.conn.recv()
            if k:
                times.append(seconds)
        return {"capped": False, "times": times, "rows": rows, "median": statistics.median(times),
                "load": os.getloadavg()[0]}

    def stop(self) -> None:
        self.proc.kill()
        self.proc.join()


def _loads(release: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for how in ("load", "bulk_load", "copy"):
        parent, child = _CTX.Pipe(duplex=False)
        proc = _CTX.Process(target=_load_child, args=(child, str(release), how))
        proc.start()
        child.close()
        try:
            out[how] = parent.recv()
        except EOFError:
            out[how] = {"error": f"the process ended with {proc.exitcode} (over its memory limit?)"}
        proc.join()
        print(f"  {how}: {out[how]}", file=sys.stderr, flush=True)
    return out


def _serve(release: Path, mode: str, seconds: float) -> dict[str, Any]:
    """``kg serve`` on ``release``: seconds to /health, then a never-seen query over HTTP each second."""
    import httpx

    port = 8791
    env = dict(os.environ, KG_STORE_IN_MEMORY=mode)
    started = time.perf_counter()
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "kg"), "serve", "--port", str(port), "--store",
                               str(release)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    text = ("PREFIX renkei: <https://w3id.org/renkei/ns#> SELECT (COUNT(*) AS ?n) "
            "{ ?a a renkei:Agreement ; renkei:initiative ?i } # %d")
    try:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            if server.poll() is not None:
                raise SystemExit(f"kg serve ended with {server.returncode}")
            time.sleep(0.05)
        health = time.perf_counter() - started
        series: list[tuple[float, float]] = []
        while (at := time.perf_counter() - started) < health + seconds:
            sent = time.perf_counter()
            answer = httpx.post(f"{url}/sparql", data={"query": text % len(series)}, timeout=60,
                                headers={"Accept": "application/sparql-results+json"})
            answer.raise_for_status()
            series.append((at, time.perf_counter() - sent))
            time.sleep(max(0.0, 1 - (time.perf_counter() - sent)))
    finally:
        server.terminate()
        server.wait()
    third = len(series) // 3
    return {"health_s": health, "series": series,
            "first_third_ms": statistics.median(s for _, s in series[:third]) * 1000,
            "last_third_ms": statistics.median(s for _, s in series[-third:]) * 1000}


def _cell(m: dict[str, Any], cap: float) -> str:
    return f"> {cap * 1000:,.0f}" if m["capped"] else f"{m['median'] * 1000:,.1f}"


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def _print(size: int, entry: dict[str, Any], cap: float) -> None:
    dump = entry["dump_bytes"]
    print(f"\n### {size:,} agreements ({entry['quads']:,} quads; dumps/dataset.nq {_mb(dump)} MB; "
          f"worker memory limit {_mb(entry['limit'])} MB)\n")
    print("| copy made by | seconds | RSS growth MB | data segment growth MB | peak RSS MB | RSS ÷ dump bytes |")
    print("|---|---:|---:|---:|---:|---:|")
    for how, m in entry["loads"].items():
        if "error" in m:
            print(f"| {how} | {m['error']} | | | | |")
            continue
        print(f"| {how} | {m['seconds']:.1f} | {_mb(m['rss'])} | {_mb(m['data'])} | {_mb(m['peak'])} | "
              f"{m['rss'] / dump:.2f} |")
    print("\n| worker (KG_STORE_IN_MEMORY) | ready s | answering from memory s | RSS MB | data segment MB |")
    print("|---|---:|---:|---:|---:|")
    for mode, s in entry["start"].items():
        serving = f"{s['serving_s']:.2f}" if s["in_memory"] else "–"
        print(f"| {mode} | {s['ready_s']:.2f} | {serving} | {_mb(s['rss'])} | {_mb(s['data'])} |")
    print("\n| query | rows | disk ms | memory ms | disk ÷ memory | load |")
    print("|---|---:|---:|---:|---:|---:|")
    logs = []
    for name, f in entry["queries"].items():
        disk, memory = f["disk"], f["memory"]
        ratio = "–"
        if not disk["capped"] and not memory["capped"]:
            logs.append(math.log(disk["median"] / memory["median"]))
            ratio = f"{disk['median'] / memory['median']:.2f}"
        elif disk["capped"] and not memory["capped"]:
            ratio = f"≥ {cap / memory['median']:.1f}"
        rows = disk["rows"] if disk["rows"] == memory["rows"] else f"differ: {disk['rows']}/{memory['rows']}"
        print(f"| {name} | {rows} | {_cell(disk, cap)} | {_cell(memory, cap)} | {ratio} | "
              f"{disk['load']:.1f}–{memory['load']:.1f} |")
    under = {mode: sum(1 for f in entry["queries"].values() if not f[mode]["capped"] and f[mode]["median"] < TARGET)
             for mode in ("disk", "memory")}
    if "serve" in entry:
        print("\n| kg serve (KG_STORE_IN_MEMORY) | /health s | first third ms | last third ms |")
        print("|---|---:|---:|---:|")
        for mode, v in entry["serve"].items():
            print(f"| {mode} | {v['health_s']:.2f} | {v['first_third_ms']:.0f} | {v['last_third_ms']:.0f} |")
    if logs:
        print(f"\nGeometric mean disk ÷ memory over the {len(logs)} queries both answered: "
              f"{math.exp(sum(logs) / len(logs)):.2f}; under {TARGET * 1000:.0f} ms: disk {under['disk']}, "
              f"memory {under['memory']} of {len(entry['queries'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 4000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=float, default=10.0, help="seconds before a run is killed")
    parser.add_argument("--only", nargs="+", help="query names (or prefixes) to run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--serve", type=float, metavar="SECONDS", help="also time kg serve for this long per mode")
    args = parser.parse_args(argv)
    texts = {n: t for n, t in all_queries().items()
             if not n.startswith("family_") and (not args.only or any(n.startswith(o) for o in args.only))}
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results["machine"] = {"nproc": os.cpu_count(), "python": platform.python_version(),
                          "free": subprocess.run(["free", "-h"], capture_output=True, text=True).stdout}
    results["command"] = "bench/store_memory.py " + " ".join(argv if argv is not None else sys.argv[1:])
    for size in args.sizes:
        release = _release(size, args.seed)
        manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
        entry: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "runs": args.runs, "cap": args.cap,
                                 "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
                                 "quads": manifest.get("quads"),
                                 "dump_bytes": (release / "dumps" / "dataset.nq").stat().st_size}
        print(f"{size}: loads", file=sys.stderr, flush=True)
        entry["loads"] = _loads(release)
        entry["limit"] = next(m["limit"] for m in entry["loads"].values() if "limit" in m)
        workers = {mode: Worker(release, mode) for mode in ("no", "yes")}
        entry["start"] = {mode: w.start_figures for mode, w in workers.items()}
        entry["queries"] = {}
        for name, text in texts.items():
            entry["queries"][name] = {label: workers[mode].runs(text, args.runs, args.cap)
                                      for label, mode in (("disk", "no"), ("memory", "yes"))}
            figures = entry["queries"][name]
            print(f"{size} {name}: " + ", ".join(f"{k} {_cell(m, args.cap)}" for k, m in figures.items()),
                  file=sys.stderr, flush=True)
        for w in workers.values():
            w.stop()
        if args.serve:
            entry["serve"] = {mode: _serve(release, mode, args.serve) for mode in ("no", "yes")}
        results[str(size)] = entry
        _print(size, entry, args.cap)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
