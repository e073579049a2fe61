"""Bounded load test of ``kg serve`` on loopback, and a memory-growth run (issue 5, points 3 and 4).

Starts the server on a free 127.0.0.1 port over a release (never any other address: there is no
option to change it), then for each client count (8, 32) runs that many concurrent clients for at
most ``--seconds`` and at most ``--requests`` each, sending a mix of simple library queries, /id
pages, HEADs of the dumps and /health, while one *runaway* query (a cartesian product) is sent
again and again and cut off by the timeout. Reports errors and p50/p99 per kind of request, and
the RSS of the server's processes (uvicorn and its workers) before and after. Exits 1 if any
request failed or a runaway was not cut off (.ci/run runs it, bounded, on every CI run).

``--memory N`` then sends N requests of the same mix (no runaway, so no worker is replaced and
its growth shows) to the same server, samples the RSS every ``--sample`` requests, and fails
(exit 1) if, after the first two samples (the warm-up), it grows by more than ``--bound-mb``
beyond what the answers the server keeps account for (they are bounded on their own).

    .venv/bin/python bench/load.py --release build/current
    .venv/bin/python bench/load.py --release bench/.cache/build-s0-n400/current --memory 10000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only, by construction: nothing here can make it listen elsewhere
RESULTS = ROOT / "bench" / "load.json"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FOUNDING = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"
PAGES = ["/id/agreement/072036-072109-2019-10-18", "/id/municipality/072036", "/id/area/koriyama"]
DUMPS = ["/dumps/dataset.nt.gz", "/dumps/dataset.ttl", "/dumps/catalog.ttl"]
#: The mix: kind → weight. Queries dominate, as on a public endpoint.
MIX = {"query": 6, "page": 2, "dump_head": 1, "health": 1}


@contextmanager
def serve(env: dict[str, str], code: Path = ROOT, command: Callable[[int], list[str]] | None = None,
          quiet: bool = False) -> Iterator[tuple[str, int]]:
    """``uvicorn kg.server.app:create_app`` on a free loopback port: (base URL, pid) until torn down.

    ``code`` is the source tree whose ``kg`` is served (another commit's, for a before/after);
    ``command(port)``, if given, is the command that serves instead (bench/profile_serve.py's,
    ``kg serve``, the minimal endpoint); ``quiet`` sends its output (an access log) to /dev/null.
    """
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port = int(sock.getsockname()[1])
    argv = command(port) if command else [
        sys.executable, "-m", "uvicorn", "kg.server.app:create_app", "--factory",
        "--host", HOST, "--port", str(port), "--log-level", "warning"]
    out = subprocess.DEVNULL if quiet else None
    proc = subprocess.Popen(argv, cwd=code, env={**os.environ, **env, "PYTHONPATH": str(code)}, stdout=out, stderr=out)
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/health", timeout=10).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            # A runaway still running in the minimal endpoint's thread holds its exit: not for long.
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def tree_rss(pid: int) -> dict[str, float]:
    """Resident memory (MB) of the server process and of all its descendants (the query workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    descendants, frontier = [], [pid]
    while frontier:
        children = [p for p, pp in parents.items() if pp in frontier]
        descendants += children
        frontier = children
    server = _rss_kb(pid) / 1024
    workers = 0.0
    for child in descendants:
        with contextlib.suppress(OSError):  # a worker replaced meanwhile
            workers += _rss_kb(child) / 1024
    return {"server_mb": server, "workers_mb": workers, "total_mb": server + workers, "processes": 1 + len(descendants)}


def cpu_split(pid: int) -> tuple[float, float]:
    """CPU seconds so far of the server process itself, and of its workers: every live descendant
    (the workers, and a fork server's workers are its children, not the server's) and those reaped
    (a process's cutime/cstime holds the time of the children it has waited for)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
    tree, frontier = {pid}, {pid}
    while frontier:
        frontier = {p for p, fields in stats.items() if int(fields[1]) in frontier} - tree
        tree |= frontier
    server = workers = 0.0
    for p in tree & stats.keys():
        own, reaped = (int(stats[p][11]) + int(stats[p][12])) / tick, (int(stats[p][13]) + int(stats[p][14])) / tick
        if p == pid:
            server += own  # utime stime
            workers += reaped  # cutime cstime: workers it has joined
        else:
            workers += own + reaped
    return server, workers


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by the server, its live workers, and the workers it has reaped."""
    return sum(cpu_split(pid))


def machine() -> str:
    """Cores, CPU model, memory and Python of this machine (for the record of a run)."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    total = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                 if line.startswith("MemTotal:"))
    return f"{os.cpu_count()} cores ({cpu}), {total / 2**20:.0f} GiB RAM, Python {platform.python_version()}"


@dataclass
class Kind:
    """Latencies and errors of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")


@dataclass
class Mix:
    """What the clients send: the simple queries and the pages of this release."""

    queries: dict[str, str]
    pages: list[str]
    distinct: bool  # make each query text unique (a comment), so no answer can come from a cache

    def __post_init__(self) -> None:
        self._targets = {name: "/sparql?" + urlencode({"query": text}) for name, text in self.queries.items()}

    def request(self, rng: random.Random, n: int) -> tuple[str, str, str]:
        """(kind, method, target) of the next request."""
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        if kind == "query":
            name = rng.choice(sorted(self.queries))
            if self.distinct:
                return kind, "GET", "/sparql?" + urlencode({"query": f"{self.queries[name]}\n# {n} {rng.random()}"})
            return kind, "GET", self._targets[name]
        if kind == "page":
            return kind, "GET", rng.choice(self.pages)
        if kind == "dump_head":
            return kind, "HEAD", rng.choice(DUMPS)
        return kind, "GET", "/health"


class Connection:
    """One client's keep-alive HTTP/1.1 connection, lean so that the load generator, which shares the
    machine's cores with the server, spends as little of them as it can (httpx spent 3.4 ms a request
    at 32 clients, twice what the server did)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, target: str, accept: str) -> tuple[int, bytes]:
        """Send one request and read the whole answer: (status, body)."""
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(HOST, self.port)
        reader, writer = self._reader, self._writer
        assert reader is not None
        writer.write(f"{method} {target} HTTP/1.1\r\nHost: {HOST}\r\nAccept: {accept}\r\n"
                     "Accept-Encoding: gzip\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if method == "HEAD" or status in (204, 304):
            body = b""
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:  # chunked (RFC 9112 §7.1)
            parts = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            body = b"".join(parts)
        if headers.get("connection", "").lower() == "close":
            writer.close()
        return status, body

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


async def timed(conn: Connection, method: str, target: str, accept: str) -> tuple[float, int, str]:
    """(seconds, status, a few words of the body) of one request; status 0 if the exchange failed."""
    t0 = time.perf_counter()
    try:
        status, body = await asyncio.wait_for(conn.request(method, target, accept), 60)
        why = body[:120].decode("utf-8", "replace") if status != 200 else ""
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError) as e:
        conn.close()
        status, why = 0, repr(e)
    return time.perf_counter() - t0, status, why


async def load(
    port: int, mix: Mix, clients: int, seconds: float, requests: int, runaway: bool, seed: int,
    await_runaway: bool = True,
) -> dict[str, Kind]:
    """One bounded run: ``clients`` closed-loop clients, and the runaway query resent until the end;
    the runaway's last request is waited for (to check it was cut off) unless not ``await_runaway``."""
    kinds: dict[str, Kind] = {k: Kind() for k in (*MIX, "runaway")}
    started = time.monotonic()

    async def one_client(i: int) -> None:
        rng, conn = random.Random(seed * 1000 + i), Connection(port)
        for n in range(requests):
            if time.monotonic() - started >= seconds:
                break
            kind, method, target = mix.request(rng, n)
            accept = "text/html" if kind == "page" else "application/sparql-results+json, */*;q=0.1"
            took, status, why = await timed(conn, method, target, accept)
            kinds[kind].latencies.append(took)
            if status != 200:
                kinds[kind].errors.append(f"{method} {target[:80]}: {status} {why}")
        conn.close()

    async def runaway_loop() -> None:
        conn, target = Connection(port), "/sparql?" + urlencode({"query": RUNAWAY})
        try:
            while time.monotonic() - started < seconds:
                took, status, why = await timed(conn, "GET", target, "application/sparql-results+json")
                kinds["runaway"].latencies.append(took)
                if not (status == 503 and "QueryTimeout" in why):
                    kinds["runaway"].errors.append(f"the runaway query was not cut off: {status} {why}")
        finally:
            conn.close()

    # Without await_runaway the run ends when the clients are done: the runaway's request then in
    # flight is abandoned (waiting would add up to the time limit — 60 s on a server that never cuts
    # it off — to the run's wall time, and understate every rate measured with a runaway).
    chaser = asyncio.ensure_future(runaway_loop()) if runaway else None
    await asyncio.gather(*(one_client(i) for i in range(clients)))
    if chaser is not None:
        if not await_runaway:
            chaser.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await chaser
    return kinds


def classify(url: str, threshold_ms: float) -> tuple[dict[str, str], dict[str, float]]:
    """Time each library query alone (best of 3, never from the cache); those under the threshold are
    the simple ones."""
    times: dict[str, float] = {}
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))}
    with httpx.Client(base_url=url, timeout=120) as client:
        for name, text in texts.items():
            best = float("inf")
            for attempt in range(3):
                # A comment no other request has, so that no answer comes from the server's cache.
                unique = f"{text}\n# classify {attempt} {time.monotonic()}"
                t0 = time.perf_counter()
                r = client.get("/sparql", params={"query": unique},
                               headers={"Accept": "application/sparql-results+json"})
                best = min(best, time.perf_counter() - t0)
                if r.status_code != 200:
                    best = float("inf")
                if best * 1000 > 10 * threshold_ms:  # clearly not simple: no need to ask again
                    break
            times[name] = best * 1000
    simple = {name: texts[name] for name, ms in times.items() if ms < threshold_ms}
    return simple, times


def agreement_pages(url: str, count: int) -> list[str]:
    """The founding agreement's pages and those of ``count`` other agreements of the release."""
    query = f"SELECT ?a {{ ?a a <https://w3id.org/renkei/ns#Agreement> }} ORDER BY ?a LIMIT {count}"
    r = httpx.get(url + "/sparql", params={"query": query}, timeout=60)
    local = [b["a"]["value"].replace("https://w3id.org/renkei/", "/") for b in r.json()["results"]["bindings"]]
    return PAGES + [p for p in local if p != FOUNDING.replace("https://w3id.org/renkei/", "/")]


async def _memory_batch(port: int, mix: Mix, numbers: Iterator[int], clients: int, seed: int) -> int:
    """Send the requests numbered by ``numbers`` from ``clients`` clients; the number of errors."""
    errors = 0

    async def one_client(rng: random.Random) -> None:
        nonlocal errors
        conn = Connection(port)
        for n in numbers:  # shared: each number is taken by exactly one client
            kind, method, target = mix.request(rng, n)
            _, status, _ = await timed(conn, method, target, "text/html" if kind == "page" else "*/*")
            errors += status != 200
        conn.close()

    await asyncio.gather(*(one_client(random.Random(seed * 31 + i)) for i in range(clients)))
    return errors


async def memory(port: int, mix: Mix, total: int, every: int, clients: int, pid: int) -> list[dict[str, Any]]:
    """``total`` requests from ``clients`` clients, the server's RSS sampled every ``every`` requests."""
    samples: list[dict[str, Any]] = [{"requests": 0, "errors": 0, **tree_rss(pid), **await _kept(port)}]
    done, errors = 0, 0
    while done < total:
        batch = min(every, total - done)
        errors += await _memory_batch(port, mix, iter(range(done, done + batch)), clients, done)
        done += batch
        samples.append({"requests": done, "errors": errors, **tree_rss(pid), **await _kept(port)})
        last = samples[-1]
        print(f"  {done:>6} requests: RSS {last['total_mb']:.1f} MB (server {last['server_mb']:.1f}, "
              f"workers {last['workers_mb']:.1f}; answers kept {last['kept_mb']:.1f})", file=sys.stderr)
    return samples


async def _kept(port: int) -> dict[str, float]:
    """The bytes of answers the server keeps (its /health says; kg.server.cache), in MB."""
    conn = Connection(port)
    try:
        _, body = await conn.request("GET", "/health", "application/json")
    finally:
        conn.close()
    return {"kept_mb": json.loads(body).get("cache", {}).get("bytes", 0) / 2**20}


def table(results: dict[int, dict[str, Kind]], cpu: dict[int, dict[str, float]]) -> str:
    out = ["| clients | kind | requests | errors | p50 ms | p99 ms | max ms | req/s |",
           "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for clients, kinds in results.items():
        for name, k in kinds.items():
            if not k.latencies:
                continue
            rate = len(k.latencies) / cpu[clients]["wall_s"]
            out.append(f"| {clients} | {name} | {len(k.latencies)} | {len(k.errors)} | {k.pct(0.5):.1f} | "
                       f"{k.pct(0.99):.1f} | {max(k.latencies) * 1000:.1f} | {rate:.1f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=ROOT / "build" / "current")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=20.0, help="longest run per client count")
    parser.add_argument("--requests", type=int, default=400, help="most requests per client per run")
    parser.add_argument("--timeout", type=float, default=5.0, help="KG_QUERY_TIMEOUT of the server")
    parser.add_argument("--workers", type=int, default=2, help="KG_WORKERS of the server")
    parser.add_argument("--simple-ms", type=float, default=50.0, help="a library query alone under this is 'simple'")
    parser.add_argument("--distinct", action="store_true", help="make every query text unique (defeats any cache)")
    parser.add_argument("--no-runaway", action="store_true")
    parser.add_argument("--memory", type=int, default=0, help="then a memory-growth run of this many requests")
    parser.add_argument("--sample", type=int, default=1000, help="RSS sampled every this many requests")
    parser.add_argument("--bound-mb", type=float, default=16.0,
                        help="most RSS growth after warm-up beyond the answers the server keeps")
    parser.add_argument("--label", default=None, help="key of this run in bench/load.json (default: release)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="serve the kg package of this source tree (e.g. `git archive COMMIT | tar -x -C DIR`)")
    args = parser.parse_args(argv)
    release = args.release.resolve()
    env = {"KG_STORE": str(release), "KG_QUERY_TIMEOUT": str(args.timeout), "KG_WORKERS": str(args.workers)}
    record: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(), "release": str(release),
        "clients": args.clients, "seconds": args.seconds, "requests": args.requests, "timeout": args.timeout,
        "workers": args.workers, "distinct": args.distinct, "runaway": not args.no_runaway,
        "loadavg_before": os.getloadavg(), "code": str(args.code.resolve()),
    }
    failed = False
    with serve(env, args.code.resolve()) as (url, pid):
        port = int(url.rsplit(":", 1)[1])
        simple, times = classify(url, args.simple_ms)
        record["query_ms_alone"] = times
        record["simple_queries"] = sorted(simple)
        print(f"simple queries (< {args.simple_ms:g} ms alone): {', '.join(sorted(simple))}", file=sys.stderr)
        mix = Mix(simple, agreement_pages(url, 20), args.distinct)
        record["rss_before"] = tree_rss(pid)
        results: dict[int, dict[str, Kind]] = {}
        cpu: dict[int, dict[str, float]] = {}
        for clients in args.clients:
            client0, server0, wall0 = resource.getrusage(resource.RUSAGE_SELF), tree_cpu(pid), time.monotonic()
            results[clients] = asyncio.run(
                load(port, mix, clients, args.seconds, args.requests, not args.no_runaway, args.seed)
            )
            client1, server1, wall = resource.getrusage(resource.RUSAGE_SELF), tree_cpu(pid), time.monotonic() - wall0
            n = sum(len(k.latencies) for k in results[clients].values())
            used = client1.ru_utime + client1.ru_stime - client0.ru_utime - client0.ru_stime
            # Workers killed during the run take their CPU seconds with them: the server's is a floor.
            cpu[clients] = {"wall_s": wall, "requests": n, "client_ms_per_request": used / n * 1000,
                            "server_ms_per_request_at_least": (server1 - server0) / n * 1000}
            record[f"rss_after_{clients}"] = tree_rss(pid)
            for name, k in results[clients].items():
                for e in k.errors[:3]:
                    print(f"  error ({clients} clients, {name}): {e}", file=sys.stderr)
        record["loadavg_after"] = os.getloadavg()
        # Any failed request, or a runaway that was not cut off, fails the run (CI runs it bounded).
        failed = any(k.errors for kinds in results.values() for k in kinds.values())
        record["runs"] = {
            str(c): {n: {"requests": len(k.latencies), "errors": len(k.errors), "p50_ms": k.pct(0.5),
                         "p99_ms": k.pct(0.99), "max_ms": max(k.latencies, default=0) * 1000}
                     for n, k in kinds.items()}
            for c, kinds in results.items()
        }
        print(f"\n{record['date']}, {record['machine']}, load average {record['loadavg_before'][0]:.1f} → "
              f"{record['loadavg_after'][0]:.1f}; release {release}; KG_WORKERS={args.workers}, "
              f"KG_QUERY_TIMEOUT={args.timeout:g}; ≤ {args.seconds:g} s and ≤ {args.requests} requests per client\n")
        print(table(results, cpu))
        record["cpu"] = {str(c): v for c, v in cpu.items()}
        for clients, v in cpu.items():
            print(f"\n{clients} clients: {v['requests']} requests in {v['wall_s']:.1f} s; CPU per request: "
                  f"client {v['client_ms_per_request']:.2f} ms, server ≥ {v['server_ms_per_request_at_least']:.2f} ms",
                  end="")
        print()
        last = record[f"rss_after_{args.clients[-1]}"]
        print(f"\nRSS of server + workers: {record['rss_before']['total_mb']:.1f} MB before, "
              f"{last['total_mb']:.1f} MB after")
        if args.memory:
            samples = asyncio.run(memory(port, mix, args.memory, args.sample, 8, pid))
            warm, end = samples[min(2, len(samples) - 1)], samples[-1]
            growth = end["total_mb"] - warm["total_mb"]
            # The answers kept grow by design, up to their own bound (kg.server.pool.CACHE_BYTES): what
            # they do not explain is what would be a leak.
            unexplained = growth - (end["kept_mb"] - warm["kept_mb"])
            record["memory"] = {"samples": samples, "growth_after_warmup_mb": growth,
                                "unexplained_growth_mb": unexplained, "bound_mb": args.bound_mb}
            print(f"\nmemory: {args.memory} requests, RSS {samples[0]['total_mb']:.1f} → {warm['total_mb']:.1f} MB "
                  f"(warm-up, {warm['requests']} requests) → {end['total_mb']:.1f} MB: {growth:+.1f} MB after "
                  f"warm-up, of which answers kept {end['kept_mb'] - warm['kept_mb']:+.1f} MB; the rest "
                  f"{unexplained:+.1f} MB (bound {args.bound_mb:g} MB); errors {end['errors']}")
            failed = failed or unexplained > args.bound_mb or end["errors"] > 0
    existing = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    existing[args.label or release.parent.parent.name + ("-distinct" if args.distinct else "")] = record
    RESULTS.write_text(json.dumps(existing, indent=1, ensure_ascii=False) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
