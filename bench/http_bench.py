"""Drive our endpoint and the rdflib baseline with the same concurrent clients on loopback.

Starts both servers on free 127.0.0.1 ports over the same release, then for each query and each
concurrency (8, 32) sends requests from that many clients until a request count or a time bound
is reached, several runs each; prints queries/s and p50/p99 latency (medians over runs) as a
Markdown table with the ratio. Loopback only, bounded in count and time; not part of the tests.

    .venv/bin/python bench/http_bench.py --release build/current
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
AGREEMENT = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"
PREFIXES = """PREFIX renkei: <https://w3id.org/renkei/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
QUERIES = {
    "agreements": PREFIXES
    + """SELECT ?a ?title ?date { ?a a renkei:Agreement ; eli:title ?title .
        OPTIONAL { ?a eli:date_document ?date } } ORDER BY ?date""",
    "roles_of_one_agreement": PREFIXES
    + f"""SELECT ?id ?title ?actor ?lead {{
        <{AGREEMENT}> renkei:initiative ?i . ?i dct:identifier ?id ; dct:title ?title ; renkei:role ?r .
        ?r renkei:actor ?actor ; renkei:lead ?lead }} ORDER BY ?id ?actor""",
    "initiatives_per_pillar": PREFIXES
    + """SELECT ?pillar ?label (COUNT(?i) AS ?n) {
        ?i a renkei:Initiative ; renkei:pillar ?pillar .
        ?pillar skos:prefLabel ?label FILTER(LANG(?label) = "ja")
        } GROUP BY ?pillar ?label ORDER BY ?pillar""",
    "area_members": PREFIXES
    + """SELECT ?area ?name (COUNT(?m) AS ?members) {
        ?area a renkei:Area ; skos:prefLabel ?name ; ^org:organization ?m FILTER(LANG(?name) = "ja")
        } GROUP BY ?area ?name ORDER BY DESC(?members) LIMIT 10""",
}


@dataclass
class Run:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def qps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(argv: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            *argv,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                httpx.get(url, params={"query": "ASK {}"}, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"{argv[0]} did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def drive(url: str, query: str, clients: int, max_requests: int, max_seconds: float) -> Run:
    latencies: list[float] = []
    errors = 0
    sent = 0
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:

        async def worker() -> None:
            nonlocal sent, errors
            while sent < max_requests and time.perf_counter() - started < max_seconds:
                sent += 1
                t0 = time.perf_counter()
                r = await client.post(
                    url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}
                )
                latencies.append(time.perf_counter() - t0)
                errors += r.status_code != 200

        await asyncio.gather(*(worker() for _ in range(clients)))
    return Run(len(latencies), errors, time.perf_counter() - started, latencies)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    return f"{os.cpu_count()} cores ({cpu}), {mem} RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=ROOT / "build" / "current")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300, help="most requests per run")
    parser.add_argument("--seconds", type=float, default=10.0, help="longest run")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    args = parser.parse_args()
    release = args.release.resolve()
    build_dir = release.parent.parent if release.parent.name == "releases" else release.parent
    ours_env = {"KG_BUILD_DIR": str(build_dir), "KG_QUERY_TIMEOUT": "120", "KG_LOG_LEVEL": "warning"}
    results: dict[tuple[str, str, int], list[Run]] = {}
    with (
        serve(["kg.server.app:create_app", "--factory"], ours_env, free_port()) as ours,
        serve(["bench.rdflib_endpoint:app"], {"KG_BENCH_RELEASE": str(release)}, free_port()) as base,
    ):
        for name, query in QUERIES.items():
            for clients in args.clients:
                for label, url in (("pyoxigraph (kg serve)", ours), ("rdflib engine", base)):
                    runs = [
                        asyncio.run(drive(url, query, clients, args.requests, args.seconds))
                        for _ in range(args.runs)
                    ]
                    results[(name, label, clients)] = runs
                    print(
                        f"{name} c={clients} {label}: {statistics.median(r.qps for r in runs):.1f} q/s",
                        file=sys.stderr,
                    )
    print(
        f"\nrelease `{release.name}`, {time.strftime('%Y-%m-%d')}, {machine()}; median of {args.runs} runs, "
        f"each ≤ {args.requests} requests or ≤ {args.seconds:g} s\n"
    )
    print("| query | clients | engine | q/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for (name, label, clients), runs in results.items():
        qps = statistics.median(r.qps for r in runs)
        print(
            f"| {name} | {clients} | {label} | {qps:.1f} | "
            f"{statistics.median(r.pct(0.5) for r in runs):.1f} | "
            f"{statistics.median(r.pct(0.99) for r in runs):.1f} | {sum(r.errors for r in runs)} |"
        )
    print("\n| query | clients | throughput ratio (ours / rdflib) |")
    print("|---|---:|---:|")
    for name in QUERIES:
        for clients in args.clients:
            ours_qps = statistics.median(r.qps for r in results[(name, "pyoxigraph (kg serve)", clients)])
            base_qps = statistics.median(r.qps for r in results[(name, "rdflib engine", clients)])
            print(f"| {name} | {clients} | {ours_qps / base_qps:.1f}× |")


if __name__ == "__main__":
    main()
