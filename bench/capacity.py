"""What a runaway leaves of kg serve's capacity: never-seen point lookups at N clients, with and without one.

Issue 13: "a runaway must not halve the capacity left for everyone else", and never-seen point
lookups at 32 clients with a runaway running: p99 < 100 ms. Each *target* is a server over the same
release: ``kg serve`` of this source tree, of a baseline tree (``--baseline``, made with ``git
archive COMMIT kg | tar -x -C DIR``), and the minimal FastAPI + pyoxigraph endpoint the issue
compares with (bench/minimal_endpoint.py: ``--minimal`` on the store on disk, ``--minimal-memory``
on an in-memory copy). With and without the runaway of bench/load.py (a cartesian product, resent
as soon as it is answered; kg serve cuts it off at ``--timeout``, the minimal endpoint never does),
``--clients`` closed-loop clients send point lookups for ``--seconds``: ``SELECT ?p ?o {
<agreement> ?p ?o }`` for an agreement drawn at random, each text made unique by a comment so that
no answer comes from a cache. The runs alternate between the targets, ``--rounds`` times, so that a
machine shared with other work loads each alike; the table gives the median of the rounds, each
target's capacity with a runaway as a share of its capacity without, and the CPU a query cost the
server process and its workers (``/proc/PID/stat``).

    .venv/bin/python bench/capacity.py --release bench/.cache/build-s0-n400/current \\
        --minimal --clients 32 --seconds 8 --rounds 3 [--baseline /tmp/base]

Writes bench/capacity.json (one record per ``--label``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import HOST, ROOT, Kind, Mix, cpu_split, load, machine, serve  # noqa: E402

BENCH = ROOT / "bench"

RESULTS = ROOT / "bench" / "capacity.json"


#: What the clients ask of a random agreement: its triples (a point lookup), or its initiatives with
#: both parties' roles (queries/002, a query that keeps a worker busy for longer).
QUERIES = {
    "lookup": "SELECT ?p ?o { <{iri}> ?p ?o }",
    "initiatives": (ROOT / "queries" / "002_initiatives_of_agreement.rq").read_text(encoding="utf-8").replace(
        "VALUES ?agreement { agr:072036-072109-2019-10-18 }", "VALUES ?agreement { <{iri}> }"),
}


class PointLookups(Mix):
    """Every request a never-seen query about one agreement (:data:`QUERIES`)."""

    def __init__(self, agreements: list[str], query: str) -> None:
        super().__init__({}, [], True)
        self.agreements = agreements
        self.query = query

    def request(self, rng: random.Random, n: int) -> tuple[str, str, str]:
        text = self.query.replace("{iri}", rng.choice(self.agreements)) + f"\n# {n} {rng.random()}"
        return "query", "GET", "/sparql?" + urlencode({"query": text})


def agreements(url: str) -> list[str]:
    query = "SELECT ?a { ?a a <https://w3id.org/renkei/ns#Agreement> } ORDER BY ?a LIMIT 500"
    for _ in range(5):  # a server just started on a busy machine may answer 503 at first
        r = httpx.get(url + "/sparql", params={"query": query}, timeout=60,
                      headers={"Accept": "application/sparql-results+json"})
        if r.status_code == 200:
            return [b["a"]["value"] for b in r.json()["results"]["bindings"]]
        print(f"  listing the agreements: {r.status_code} {r.text[:200]}", file=sys.stderr)
        time.sleep(2)
    raise SystemExit("the server did not list the agreements")


@dataclass(frozen=True)
class Target:
    """A server measured: ``kg serve`` of a source tree, or the minimal endpoint (on disk or in memory)."""

    name: str
    code: Path = ROOT
    minimal: str | None = None  # "disk" or "memory": bench/minimal_endpoint.py instead of kg serve

    def command(self, release: Path) -> Callable[[int], list[str]]:
        if self.minimal is not None:
            return lambda port: [sys.executable, str(BENCH / "minimal_endpoint.py"), "--release", str(release),
                                 "--port", str(port), *(["--memory"] if self.minimal == "memory" else [])]
        # `kg serve` itself, as a deployment runs it (its HTTP protocol, limits and logging).
        return lambda port: [sys.executable, "-c", "from kg.cli import main; main()", "serve",
                             "--host", HOST, "--port", str(port)]


def one_run(target: Target, release: Path, clients: int, seconds: float, runaway: bool, timeout: float,
            seed: int, query: str, workers: int = 2, in_memory: str = "no") -> dict[str, Any]:
    """Start the target's server, warm it up, and run the point lookups: rate, p50, p99, errors."""
    env = {"KG_STORE": str(release), "KG_QUERY_TIMEOUT": str(timeout), "KG_WORKERS": str(workers),
           "KG_STORE_IN_MEMORY": in_memory}
    with serve(env, target.code, target.command(release), quiet=True) as (url, pid):
        port = int(url.rsplit(":", 1)[1])
        mix = PointLookups(agreements(url), QUERIES[query])
        asyncio.run(load(port, mix, 4, 1.0, 50, False, seed + 99))  # warm-up: every worker has answered
        started, (server0, workers0) = time.monotonic(), cpu_split(pid)
        # The rate over the clients' time: the runaway's last request is not waited for.
        kinds: dict[str, Kind] = asyncio.run(load(port, mix, clients, seconds, 10_000, runaway, seed, False))
        wall, (server1, workers1) = time.monotonic() - started, cpu_split(pid)
    q = kinds["query"]
    n = max(1, len(q.latencies))
    for e in q.errors[:3]:
        print(f"  error: {e}", file=sys.stderr)
    return {"rate": len(q.latencies) / wall, "p50_ms": q.pct(0.5), "p99_ms": q.pct(0.99), "errors": len(q.errors),
            "requests": len(q.latencies), "runaways": len(kinds["runaway"].latencies),
            # CPU per answered query; with a runaway, the workers' share includes the runaway's.
            "server_cpu_ms": (server1 - server0) / n * 1000, "workers_cpu_ms": (workers1 - workers0) / n * 1000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=ROOT / "build" / "current")
    parser.add_argument("--baseline", type=Path, help="another source tree to compare with")
    parser.add_argument("--code", type=Path, default=ROOT, help="the source tree measured (default: this one)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=5.0, help="KG_QUERY_TIMEOUT of the server")
    parser.add_argument("--workers", type=int, default=2, help="KG_WORKERS of kg serve")
    parser.add_argument("--store-in-memory", choices=("no", "auto", "yes"), default="no",
                        help="KG_STORE_IN_MEMORY of kg serve (default no: the store on disk, as --minimal reads it)")
    parser.add_argument("--query", choices=sorted(QUERIES), default="lookup")
    parser.add_argument("--minimal", action="store_true", help="measure the minimal endpoint on the store on disk")
    parser.add_argument("--minimal-memory", action="store_true",
                        help="measure the minimal endpoint on an in-memory copy of the release")
    parser.add_argument("--runaway", choices=("both", "yes", "no"), default="both",
                        help="runs with a runaway, without, or both (the capacity left needs both)")
    parser.add_argument("--label", default="capacity")
    args = parser.parse_args(argv)
    release = args.release.resolve()
    targets = [*([Target("baseline", args.baseline.resolve())] if args.baseline else []),
               Target("this", args.code.resolve()), *([Target("minimal", minimal="disk")] if args.minimal else []),
               *([Target("minimal in memory", minimal="memory")] if args.minimal_memory else [])]
    trees = {t.name: t for t in targets}
    record: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(), "release": str(release),
        "query": args.query, "workers": args.workers, "store_in_memory": args.store_in_memory,
        "clients": args.clients, "seconds": args.seconds,
        "rounds": args.rounds, "timeout": args.timeout,
        "trees": {t.name: str(t.code) if t.minimal is None else f"bench/minimal_endpoint.py ({t.minimal})"
                  for t in targets}, "loadavg_before": os.getloadavg(), "runs": [],
    }
    for rnd in range(args.rounds):
        for runaway in [r for r in (False, True) if args.runaway in ("both", "yes" if r else "no")]:
            # Each tree first in every other round: the first of a pair meets a colder page cache.
            for name, target in (list(trees.items()) if rnd % 2 == 0 else list(trees.items())[::-1]):
                run = one_run(target, release, args.clients, args.seconds, runaway, args.timeout, rnd, args.query,
                              args.workers, args.store_in_memory)
                record["runs"].append({"tree": name, "runaway": runaway, "round": rnd, **run})
                print(f"round {rnd + 1}, {name}, {'with' if runaway else 'without'} a runaway: "
                      f"{run['rate']:.1f} req/s, p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms, "
                      f"{run['errors']} errors; CPU per query: server {run['server_cpu_ms']:.2f} ms, "
                      f"workers {run['workers_cpu_ms']:.2f} ms", file=sys.stderr)
    record["loadavg_after"] = os.getloadavg()
    summary: dict[str, dict[str, float]] = {}
    for name in trees:
        for runaway in (False, True):
            runs = [r for r in record["runs"] if r["tree"] == name and r["runaway"] == runaway]
            if not runs:
                continue
            summary[f"{name} {'with' if runaway else 'without'} a runaway"] = {
                k: statistics.median(r[k] for r in runs)
                for k in ("rate", "p50_ms", "p99_ms", "errors", "server_cpu_ms", "workers_cpu_ms")}
    record["summary"] = summary
    print(f"\n{record['date']}, {record['machine']}, load average {record['loadavg_before'][0]:.1f} → "
          f"{record['loadavg_after'][0]:.1f}; release {release}; "
          f"KG_WORKERS={args.workers}, KG_QUERY_TIMEOUT={args.timeout:g}, KG_STORE_IN_MEMORY={args.store_in_memory}; "
          f"{args.clients} clients asking {args.query}, {args.seconds:g} s a run, median of {args.rounds} rounds\n")
    print("| server | runaway | queries/s | p50 ms | p99 ms | errors | capacity left | server CPU ms "
          "| worker CPU ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in trees:
        alone = summary.get(f"{name} without a runaway", {}).get("rate")
        for runaway in (False, True):
            if (s := summary.get(f"{name} {'with' if runaway else 'without'} a runaway")) is None:
                continue
            left = f"{s['rate'] / alone:.2f}" if runaway and alone else ""
            print(f"| {name} | {'yes' if runaway else 'no'} | {s['rate']:.1f} | {s['p50_ms']:.1f} | "
                  f"{s['p99_ms']:.1f} | {s['errors']:g} | {left} | {s['server_cpu_ms']:.2f} | "
                  f"{s['workers_cpu_ms']:.2f} |")
    existing = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    existing[args.label] = record
    RESULTS.write_text(json.dumps(existing, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
