"""Cold start of ``kg serve`` on an existing store: from the command to the first ``/health`` 200.

Each run starts ``kg serve --store RELEASE --port P`` on a free loopback port, polls ``/health``
every 20 ms, records the seconds until it answers 200 (the store open and a query worker
answering ``ASK {}``), then stops that server (SIGTERM to its own pid, SIGKILL after 10 s).
The median and range of ``--runs`` runs per size; the releases are bench/build_bench.py's.

    .venv/bin/python bench/cold_start.py --sizes 40 4000 --runs 5
    .venv/bin/python bench/cold_start.py --sizes 4000 --phases   # where the time goes, in-process
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from build_bench import build_dir  # noqa: E402

RESULTS = ROOT / "bench" / "cold_start.json"
#: A server not answering by then counts as failed, so the benchmark always ends.
DEADLINE = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_once(release: Path) -> float:
    """Seconds from starting ``kg serve`` to the first 200 from /health."""
    port = _free_port()
    env = {**os.environ, "KG_WORKERS": os.environ.get("KG_WORKERS", "2")}
    started = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "kg"), "serve", "--store", str(release),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        with httpx.Client(timeout=2.0) as client:
            while time.perf_counter() - started < DEADLINE:
                if proc.poll() is not None:
                    raise SystemExit(f"kg serve exited with {proc.returncode} before answering")
                try:
                    if client.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                        return time.perf_counter() - started
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
        raise SystemExit(f"kg serve did not answer /health within {DEADLINE:g} s")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def phases(release: Path) -> dict[str, float]:
    """Seconds of each step of a start, measured in this process (so without interpreter start-up)."""
    import asyncio

    marks = [time.perf_counter()]
    from kg.formats import RESULT_FORMATS
    from kg.server import create_app
    from kg.settings import Settings
    from kg.store import check_query

    marks.append(time.perf_counter())
    app = create_app(Settings(), release=release)
    marks.append(time.perf_counter())
    ctx = app.state.ctx
    ctx.load_graphs()  # the lifespan's first step
    marks.append(time.perf_counter())
    ctx.pool.start()

    async def first_answer() -> None:
        await ctx.pool.run(check_query("ASK {}"), RESULT_FORMATS[0], limit=1, timeout=DEADLINE)

    asyncio.run(first_answer())
    marks.append(time.perf_counter())
    ctx.pool.close()
    cli = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "kg"), "--help"], capture_output=True, check=True)
    cli = time.perf_counter() - cli
    steps = ("import kg.server", "create_app", "load_graphs (lifespan)", "pool.start + first ASK")
    timed = {s: b - a for s, a, b in zip(steps, marks[:-1], marks[1:], strict=True)}
    return {"kg --help (interpreter + CLI)": cli, **timed}


def main(argv: list[str] | None = None) -> int:
    """Measure each size, print a table, write bench/cold_start.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 400, 4000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--phases", action="store_true", help="time each start-up step in-process instead")
    args = parser.parse_args(argv)
    if args.phases:
        for size in args.sizes:
            for step, seconds in phases((build_dir(size, args.seed) / "current").resolve()).items():
                print(f"{size:,}\t{step}\t{seconds:.2f} s")
        return 0
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    for size in args.sizes:
        release = (build_dir(size, args.seed) / "current").resolve()
        if not (release / "store").is_dir():
            raise SystemExit(f"no release for {size}: run bench/build_bench.py --sizes {size} first")
        load = os.getloadavg()[0]
        times = [run_once(release) for _ in range(args.runs)]
        results[str(size)] = {"median": statistics.median(times), "min": min(times), "max": max(times),
                              "runs": times, "load": load, "date": time.strftime("%Y-%m-%d %H:%M %Z")}
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print("| agreements | runs | ready in s: median (min–max) | load avg |")
    print("|---:|---:|---:|---:|")
    for size in sorted((k for k in results if k.isdigit()), key=int):
        r = results[size]
        spread = f"{r['median']:.2f} ({r['min']:.2f}–{r['max']:.2f})"
        print(f"| {int(size):,} | {len(r['runs'])} | {spread} | {r['load']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
