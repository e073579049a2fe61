"""Where kg serve's own CPU goes per request: a CPU-time profile of the server process under load.

Runs the app in a child process under cProfile with ``time.process_time`` as its clock (CPU, not
wall time: a machine shared with other work does not skew it), switched on after a warm-up and
off after ``--seconds`` of ``--clients`` clients sending never-seen point lookups
(bench/capacity.py's), then sums the CPU each function spent in itself by the part of the server
it belongs to. Profiling slows the Python part several times, so the shares are what to read, not
the times. The store's work is in the query workers, which are not profiled.

    .venv/bin/python bench/profile_serve.py --release bench/.cache/build-s0-n400/current

Writes bench/profile_serve.json.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from capacity import QUERIES, PointLookups, agreements  # noqa: E402
from load import HOST, ROOT, load, machine, serve  # noqa: E402

RESULTS = ROOT / "bench" / "profile_serve.json"
#: The parts of the server, by where a function is defined (first match wins).
PARTS = (
    ("the worker round trip (job and answer pickled through the pipe)",
     ("multiprocessing/", "kg/server/runner.py", "kg/server/pool.py", "kg/store/worker.py", "_pickle")),
    ("kg's own code (query guard, negotiation, parameters, cache key, request limits)",
     ("kg/store/", "kg/server/", "kg/errors.py", "kg/settings.py")),
    ("HTTP/1.1 (uvicorn on httptools, or h11: requests parsed, headers validated and written)",
     ("h11/", "uvicorn/", "httptools")),
    ("gzip of answers over 1,000 bytes", ("gzip.py", "zlib")),
    ("Starlette and FastAPI (middleware, routing, dependencies, responses)", ("starlette/", "fastapi/", "anyio/")),
    ("the event loop, sockets and selectors", ("asyncio/", "selectors.py", "socket")),
)


def serve_profiled(release: str, port: int, out: str) -> None:
    """The child: the app under a CPU-time profiler that SIGUSR1 starts and SIGUSR2 stops and writes."""
    import uvicorn

    from kg.server import security
    from kg.server.app import create_app
    from kg.settings import Settings

    profile = cProfile.Profile(time.process_time)
    signal.signal(signal.SIGUSR1, lambda *_: profile.enable())
    signal.signal(signal.SIGUSR2, lambda *_: (profile.disable(), profile.dump_stats(out)))
    settings = Settings(query_timeout=5, workers=2)
    app = create_app(settings, release=Path(release))
    # kg serve's own HTTP protocol (its request limits, on httptools when installed).
    uvicorn.run(app, host=HOST, port=port, log_level="warning", http=security.protocol(settings))


def _part(filename: str, function: str) -> str:
    where = f"{filename} {function}"
    return next((name for name, marks in PARTS if any(m in where for m in marks)), "other")


def shares(stats_file: str) -> tuple[float, dict[str, float]]:
    """Total CPU seconds profiled, and each part's share of it: the time functions spent in
    themselves, a built-in's (``len``, ``isinstance``, ``dict.get``…) given to its callers' parts."""
    stats = pstats.Stats(stats_file).stats  # type: ignore[attr-defined]
    parts = {name: 0.0 for name, _ in PARTS} | {"other": 0.0}
    total = 0.0
    for (filename, _line, function), (_cc, _nc, own, _cum, callers) in stats.items():
        total += own
        by_caller = {(f, fn): c[2] for (f, _l, fn), c in callers.items()} if filename == "~" else {}
        spread = sum(by_caller.values())
        if not spread or _part(filename, function) != "other":
            parts[_part(filename, function)] += own
            continue
        for (caller_file, caller_function), share in by_caller.items():
            parts[_part(caller_file, caller_function)] += own * share / spread
    return total, {k: v / total for k, v in parts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=ROOT / "build" / "current")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args(argv)
    out = str(Path(tempfile.mkdtemp(prefix="kg-profile-")) / "server.prof")
    release = str(args.release.resolve())
    with serve({}, ROOT, lambda port: [sys.executable, __file__, "--child", release, str(port), out]) as (url, pid):
        port = int(url.rsplit(":", 1)[1])
        mix = PointLookups(agreements(url), QUERIES["lookup"])
        asyncio.run(load(port, mix, 4, 1.0, 50, False, 1))  # warm-up, not profiled
        os.kill(pid, signal.SIGUSR1)
        kinds = asyncio.run(load(port, mix, args.clients, args.seconds, 100_000, False, 2))
        os.kill(pid, signal.SIGUSR2)
        while not Path(out).is_file():
            time.sleep(0.1)
        time.sleep(0.5)  # written whole
    requests = len(kinds["query"].latencies)
    total, parts = shares(out)
    print(f"\n{machine()}, load average {os.getloadavg()[0]:.1f}; {requests} point lookups by {args.clients} "
          f"clients; {total:.2f} s of profiled server CPU ({total / requests * 1000:.2f} ms a request, "
          "profiler included)\n")
    print("| part of the server | share of its CPU |\n|---|---:|")
    for name, share in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {share * 100:.0f} % |")
    record = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(), "requests": requests,
              "clients": args.clients, "profiled_cpu_s": total, "shares": parts, "loadavg": os.getloadavg()}
    RESULTS.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        serve_profiled(*sys.argv[2:5])
    else:
        raise SystemExit(main())
