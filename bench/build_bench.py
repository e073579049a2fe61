"""Build time and peak memory of ``kg build`` at 40, 400 and 4,000 agreements, phase by phase.

Each run is ``kg.release.build.build(force=True)`` in a fresh child process on a cached corpus
(bench/generate_corpus.py), with timers wrapped around the phases the build goes through:

    ingest     kg.ingest.ingest_file, per text, in the build's worker processes (CPU seconds, summed)
    validate   kg.validation.validate.conforms, per text, likewise
    workers    wall time of kg.release.build._agreements: the cache look-ups, then ingest + validate +
               dump parts over the process pool
    reference  kg.reference.graphs.reference_graphs
    dumps      kg.release.dumps.write_dumps: the cached parts put end to end (10 files)
    publish    kg.release.catalogue.publish: the catalogue and VoID statistics
    total      the whole build() call
    store      total − workers − reference − dumps − publish: the bulk load, flush, optimize, the
               reference graphs' parts and the manifest — the rest of build()

Two ways to run (``--cache``):

    cold       the build cache is emptied first: every text is ingested and validated
    warm       the cache holds the corpus, and one text has changed (a line added at its end,
               taken back afterwards): what a rebuild after editing one agreement costs

Memory: the peak of the summed resident set of the build's whole process tree (sampled every
0.1 s from /proc) and the largest single process (``getrusage(RUSAGE_CHILDREN).ru_maxrss``).
The release is kept in bench/.cache/build-s{seed}-n{size}/ for bench/query_bench.py.

    .venv/bin/python bench/build_bench.py --sizes 40 400 --runs 3
    .venv/bin/python bench/build_bench.py --sizes 4000 --runs 3 --cache cold
    .venv/bin/python bench/build_bench.py --sizes 4000 --runs 3 --cache warm
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from generate_corpus import CACHE, ensure_corpus  # noqa: E402

PHASES = ("ingest", "validate", "workers", "reference", "dumps", "publish", "total")
RESULTS = ROOT / "bench" / "build_bench.json"


def build_dir(size: int, seed: int = 0) -> Path:
    """Where the benchmark's release of this corpus is built (and later queried)."""
    return CACHE / f"build-s{seed}-n{size}"


def _child(data_dir: str, out_dir: str, sink: str) -> None:
    """In the child: wrap the phases with timers appending ``phase seconds`` lines to ``sink``."""
    import kg.ingest
    import kg.reference.graphs
    import kg.release.build
    import kg.release.catalogue
    import kg.release.dumps
    import kg.validation.validate
    from kg.settings import Settings

    fd = os.open(sink, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def timed(module: Any, name: str, phase: str) -> None:
        inner = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                # One short write with O_APPEND: lines from concurrent workers never interleave.
                os.write(fd, f"{phase} {time.perf_counter() - started:.6f}\n".encode())

        setattr(module, name, wrapper)

    # kg.release.build imports ingest_file/conforms inside its worker function at call time, and the
    # pool forks after these assignments, so the workers see the wrappers too.
    timed(kg.ingest, "ingest_file", "ingest")
    timed(kg.validation.validate, "conforms", "validate")
    timed(kg.release.build, "_agreements", "workers")
    timed(kg.reference.graphs, "reference_graphs", "reference")
    timed(kg.release.build, "write_dumps", "dumps")
    timed(kg.release.catalogue, "publish", "publish")
    timed(kg.release.build, "build", "total")
    release = kg.release.build.build(Settings(data_dir=Path(data_dir), build_dir=Path(out_dir)), force=True)
    graphs = release.manifest.graphs if release.manifest else {}
    count = len(graphs) if isinstance(graphs, dict) else 0
    print(json.dumps({"quads": release.manifest.quads if release.manifest else None, "graphs": count}))


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[pid] = next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier.extend(kids)
    return sum(rss.get(p, 0) for p in tree)


def _prepare(data: Path, out: Path, cache: str) -> Path | None:
    """Empty the build cache (cold), or fill it and change one text (warm; returned, to restore)."""
    if cache == "cold":
        shutil.rmtree(out / "cache", ignore_errors=True)
        return None
    if not any((out / "cache").glob("*/*.zip")):
        subprocess.run([sys.executable, __file__, "--fill", str(data), str(out)], check=True)
    changed = sorted((data / "sources").glob("*.txt"))[0]
    changed.write_bytes(changed.read_bytes() + b"\n")
    return changed


def run_once(size: int, seed: int, cache: str = "cold") -> dict[str, Any]:
    """One build of the corpus in a child process: phase seconds, wall seconds, memory."""
    data, _ = ensure_corpus(size, seed)
    out = build_dir(size, seed)
    changed = _prepare(data, out, cache)
    try:
        return _measure(size, data, out) | {"cache": cache}
    finally:
        if changed is not None:
            changed.write_bytes(changed.read_bytes()[:-1])


def _measure(size: int, data: Path, out: Path) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("r", suffix=".phases", delete=False) as f:
        sink = f.name
    load1 = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--child", str(data), str(out), sink],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(child.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    stdout, stderr = child.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        raise SystemExit(f"build of {size} failed:\n{stderr[-3000:]}")
    phases: dict[str, float] = dict.fromkeys(PHASES, 0.0)
    for line in Path(sink).read_text().splitlines():
        phase, seconds = line.split()
        phases[phase] += float(seconds)
    os.unlink(sink)
    info = json.loads(stdout.strip().splitlines()[-1])
    return {"size": size, "wall": wall, **phases,
            "store": phases["total"] - phases["workers"] - phases["reference"] - phases["dumps"] - phases["publish"],
            "code": _head(),
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "peak_tree_mb": peak / 2**20, "max_process_mb": after.ru_maxrss / 1024,
            "load_before": load1, "load_after": os.getloadavg()[0], **info}


def _head() -> str:
    """The commit the build code came from (figures change with kg/release/build.py, kg/validation/validate.py, …)."""
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip()


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float)) and k != "size"]
    out: dict[str, Any] = {"size": runs[0]["size"], "runs": len(runs)}
    for k in keys:
        values = [r[k] for r in runs]
        out[k] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
    return out


def main(argv: list[str] | None = None) -> int:
    """Build each size ``--runs`` times and print a table; results merge into bench/build_bench.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 400, 4000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", choices=("cold", "warm"), default="cold")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--fill", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    if args.fill:
        from kg.release.build import build
        from kg.settings import Settings

        build(Settings(data_dir=Path(args.fill[0]), build_dir=Path(args.fill[1])), force=True)
        return 0
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    for size in args.sizes:
        runs = [run_once(size, args.seed, args.cache) for _ in range(args.runs)]
        key = str(size) if args.cache == "cold" else f"{size}-{args.cache}"
        results[key] = {"summary": _summary(runs), "runs": runs,
                        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "nproc": os.cpu_count()}
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print("| agreements | cache | runs | wall s | ingest s (Σ workers) | validate s (Σ workers) | workers s "
          "| reference s | dumps s | store s | publish s | peak tree MB | largest process MB | quads | load avg |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in sorted((k for k in results if k.split("-")[0].isdigit()), key=lambda k: (int(k.split("-")[0]), k)):
        s = results[key]["summary"]
        if "dumps" not in s:
            continue  # a run of the code before the dumps were written from parts

        def f(k: str, s: dict[str, Any] = s) -> str:
            m = s[k]
            span = "" if m["min"] == m["max"] else f" ({m['min']:.1f}–{m['max']:.1f})"
            return f"{m['median']:.1f}{span}"

        size, _, mode = key.partition("-")
        print(f"| {int(size):,} | {mode or 'cold'} | {s['runs']} | {f('wall')} | {f('ingest')} | {f('validate')} "
              f"| {f('workers')} | {f('reference')} | {f('dumps')} | {f('store')} | {f('publish')} "
              f"| {s['peak_tree_mb']['max']:.0f} "
              f"| {s['max_process_mb']['max']:.0f} | {s['quads']['median']:,.0f} | {s['load_before']['median']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
