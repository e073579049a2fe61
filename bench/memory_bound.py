"""The pathological query from eight clients at once: the server's memory and a cheap query's latency
(issue 14, point 1; docs/performance.md, "Memory bound per query").

``SELECT ?a { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c`` on the published release grew a worker by a
gigabyte a second to 16 GB before the time limit stopped it. This starts the server on a free
loopback port over a release (``uvicorn --factory``, as bench/load.py does), then for ``--seconds``
has ``--clients`` clients send that query again and again, while a probe asks ``ASK {}`` and a
query no answer is kept for (``ASK { BIND(NOW() AS ?n) }``: it must reach a worker) every
``--every`` seconds. The resident memory of the server's whole process tree is sampled every
0.1 s. Two modes: ``same`` (every client sends the same text, as the issue's harness does) and
``distinct`` (each client's text differs by a comment, so no two share a run). Each mode is run
``--runs`` times; the figures are medians. Exits 1 if the tree went over ``--ceiling-mb`` (default:
the documented ceiling, server + workers × KG_QUERY_MEMORY) or, in mode ``same``, ``ASK {}`` took
longer than 1 s.

    .venv/bin/python bench/memory_bound.py --release build/current --query-memory 2G
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import serve, tree_rss  # noqa: E402 — bench/ is a folder of scripts, not a package

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "memory_bound.json"
RUNAWAY = "SELECT ?a { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c"
PROBES = {"ask": "ASK {}", "ask_now": "ASK { BIND(NOW() AS ?n) }"}
#: What the server's own process (uvicorn, the app, the answers kept) is allowed on top of the workers.
SERVER_MB = 512


def _size(text: str) -> int:
    units = {"K": 2**10, "M": 2**20, "G": 2**30}
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].upper() in units else int(text)


def one_run(url: str, pid: int, mode: str, clients: int, seconds: float, every: float) -> dict[str, Any]:
    """One bounded run: statuses of the runaways, probe latencies, peak RSS of the process tree."""
    stop = time.monotonic() + seconds
    statuses: dict[int, int] = {}
    latencies: dict[str, list[float]] = {name: [] for name in PROBES}
    probe_errors: list[str] = []
    peak = {"total_mb": 0.0, "workers_mb": 0.0, "server_mb": 0.0}
    lock = threading.Lock()

    def client(i: int) -> None:
        query = RUNAWAY if mode == "same" else f"{RUNAWAY} # client {i}"
        with httpx.Client(base_url=url, timeout=120) as http:
            while time.monotonic() < stop:
                status = http.get("/sparql", params={"query": query}).status_code
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1

    def probe() -> None:
        with httpx.Client(base_url=url, timeout=40) as http:
            while time.monotonic() < stop:
                for name, query in PROBES.items():
                    started = time.monotonic()
                    try:
                        r = http.get("/sparql", params={"query": query})
                    except httpx.TransportError as e:
                        probe_errors.append(f"{name}: {e!r}")
                        continue
                    finally:
                        latencies[name].append(time.monotonic() - started)
                    if r.status_code != 200:
                        probe_errors.append(f"{name}: {r.status_code} {r.text[:120]}")
                time.sleep(every)

    def sample() -> None:
        while time.monotonic() < stop + 1:
            rss = tree_rss(pid)
            for key in peak:
                peak[key] = max(peak[key], rss[key])
            time.sleep(0.1)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    threads += [threading.Thread(target=probe), threading.Thread(target=sample)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    health = httpx.get(url + "/health", timeout=30).json()
    return {
        "runaway_statuses": statuses,
        "probe_errors": probe_errors,
        **{f"{name}_max_s": max(values, default=float("nan")) for name, values in latencies.items()},
        **{f"{name}_p50_s": statistics.median(values) if values else float("nan")
           for name, values in latencies.items()},
        "peak_total_mb": peak["total_mb"],
        "peak_workers_mb": peak["workers_mb"],
        "peak_server_mb": peak["server_mb"],
        "probe_failures": len(probe_errors),
        "queries_out_of_memory": health.get("queries_out_of_memory"),
        "workers_restarted": health.get("workers_restarted"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", type=Path, default=ROOT / "build" / "current")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--every", type=float, default=0.25, help="seconds between probes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--query-memory", default=None, help="KG_QUERY_MEMORY (e.g. 2G); default: the server's")
    parser.add_argument("--modes", nargs="+", default=["same", "distinct"], choices=["same", "distinct"])
    parser.add_argument("--ceiling-mb", type=float, default=None)
    args = parser.parse_args()

    from kg.settings import Settings, machine_memory

    env = {"KG_STORE": str(args.release.resolve()), "KG_WORKERS": str(args.workers), "KG_QUERY_TIMEOUT": "30"}
    if args.query_memory:
        env["KG_QUERY_MEMORY"] = str(_size(args.query_memory))
    per_worker = Settings(workers=args.workers, query_memory=_size(args.query_memory) if args.query_memory else None)
    ceiling = args.ceiling_mb or SERVER_MB + args.workers * per_worker.query_memory_bytes / 2**20
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {machine_memory() / 2**30:.0f} GB",
        "load_before": os.getloadavg(),
        "query_memory_mb": per_worker.query_memory_bytes / 2**20,
        "ceiling_mb": ceiling,
        "clients": args.clients,
        "seconds": args.seconds,
        "modes": {},
    }
    failed = False
    for mode in args.modes:
        runs = []
        for n in range(args.runs):
            with serve(env) as (url, pid):  # a fresh server each run: nothing remembered from the last
                httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)  # as a client would, before
                runs.append(one_run(url, pid, mode, args.clients, args.seconds, args.every))
            print(f"{mode} run {n + 1}: {json.dumps(runs[-1])}", file=sys.stderr)
        keys = [k for k, v in runs[0].items() if isinstance(v, float | int) and not isinstance(v, bool)]
        medians = {k: statistics.median(r[k] for r in runs) for k in keys}
        report["modes"][mode] = {"median": medians, "runs": runs}
        if max(r["peak_total_mb"] for r in runs) > ceiling:
            print(f"{mode}: the process tree went over {ceiling:.0f} MB", file=sys.stderr)
            failed = True
        if mode == "same" and max(r["ask_max_s"] for r in runs) > 1.0:
            print(f"{mode}: ASK {{}} took longer than 1 s", file=sys.stderr)
            failed = True
    report["load_after"] = os.getloadavg()
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("| mode | runaways answered (status: count, run 1) | out of memory | peak tree MB | peak workers MB "
          "| ASK {} p50 / max s | ASK NOW() p50 / max s | probe failures |")
    print("|---|---|---|---|---|---|---|---|")
    for mode, data in report["modes"].items():
        m = data["median"]
        print(f"| {mode} | {data['runs'][0]['runaway_statuses']} | {m['queries_out_of_memory']:.0f} "
              f"| {m['peak_total_mb']:.0f} | {m['peak_workers_mb']:.0f} | {m['ask_p50_s']:.3f} / {m['ask_max_s']:.3f} "
              f"| {m['ask_now_p50_s']:.3f} / {m['ask_now_max_s']:.3f} | {m['probe_failures']:.0f} |")
    print(f"\nceiling {ceiling:.0f} MB ({SERVER_MB} + {args.workers} × {report['query_memory_mb']:.0f}); "
          f"load {report['load_before'][0]:.2f} → {report['load_after'][0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
