"""Build time and peak memory of ``kg build`` at 40, 400 and 4,000 agreements, phase by phase.

Each run is ``kg.release.build.build(force=True)`` in a fresh child process on a cached corpus
(bench/generate_corpus.py). The phases are the build's own (the ``progress`` it reports,
kg.release.progress.PHASES): the child writes when each starts, and the parent, which samples the
resident memory of the child's whole process tree every 0.1 s, gives each phase its wall time and
its peak memory:

    workers    reading and hashing the texts, the cache look-ups, ingest + validate + dump parts
               over the process pool ("sources" and "agreements")
    reference  kg.reference.graphs.reference_graphs and the example queries' graph
    store      a warm build only: the previous release's store copied, the changed graphs replaced
               (kg.release.incremental)
    dumps      the parts put end to end into the ten dump files, the store bulk-loaded from the
               N-Quads meanwhile (kg.release.load)
    optimize   the store's optimize()
    publish    kg.release.publish.publish: the statistics graph, the catalogue and VoID statistics
    search     the wait for kg.search.index.write_index (or update_index), which runs beside publish
    rest       what follows until build() returns: the manifest, moving the release into place

Besides, in the worker processes, CPU seconds summed over them:

    ingest     kg.ingest.ingest_file, per text
    validate   kg.validation.validate.conforms, per text

Two ways to run (``--cache``):

    cold       the build cache is emptied first: every text is ingested and validated
    warm       the cache holds the corpus, and one text has changed (lines added at its end, one
               more each run so that each build differs from the last, taken back afterwards): what a
               rebuild after editing one agreement costs. The build is made from the release before
               (kg.release.incremental), as ``kg build`` does; a cold build is ``--force`` (whole)

``--baseline REV`` runs the build of commit REV as well, alternating with this tree's, from a git
worktree of it in the system's temporary folder and with its own build folder: the ratio of the
two in one run is what to trust on a shared machine. Its phases are only "total" when its build()
takes no ``progress``.

Memory: the peak of the summed resident set of the build's whole process tree (sampled every
0.1 s from /proc), overall and per phase, and the largest single process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``). The release is kept in
bench/.cache/build-s{seed}-n{size}/ for bench/query_bench.py, or under ``--build-dir DIR``, which
also gets its own copy of the corpus (a warm run changes one of its texts for the time of a build).

    .venv/bin/python bench/build_bench.py --sizes 40 400 --runs 3
    nice .venv/bin/python bench/build_bench.py --sizes 4000 --runs 3 --cache cold --baseline 3c9850a
    nice .venv/bin/python bench/build_bench.py --sizes 4000 --runs 3 --cache warm
"""

from __future__ import annotations

import argparse
import inspect
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
CACHE = ROOT / "bench" / ".cache"  # bench/generate_corpus.py's; not imported, so that a child imports
#                                    the kg of the code it measures (--code), not this tree's

#: The phases of a build as this benchmark reports them (see the module docstring).
PHASES = ("workers", "reference", "store", "dumps", "optimize", "publish", "search", "rest")
#: kg.release.build's phases → the benchmark's.
_PHASE_OF = {"sources": "workers", "agreements": "workers"}
RESULTS = ROOT / "bench" / "build_bench.json"


#: Where builds (and their corpus copies) go when not in CACHE (``--build-dir``).
WORK: list[Path] = []


def build_dir(size: int, seed: int = 0, code: str = "") -> Path:
    """Where the benchmark's release of this corpus is built (and later queried); ``code`` names
    a baseline's own folder."""
    return (WORK[0] if WORK else CACHE) / (f"build-s{seed}-n{size}" + (f"-{code}" if code else ""))


def _corpus(size: int, seed: int) -> Path:
    """The corpus's data folder: bench/generate_corpus.py's, or a copy of it under ``--build-dir``."""
    from generate_corpus import ensure_corpus

    data, _ = ensure_corpus(size, seed)
    if not WORK:
        return data
    copy = WORK[0] / data.name
    if not (copy / ".complete").is_file():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(data, copy, symlinks=True)
    return copy


def _child(data_dir: str, out_dir: str, sink: str, code: str, force: str = "1") -> None:
    """In the child: import kg from ``code``, write ``phase <name> <monotonic s>`` when each phase
    starts and ``cpu <ingest|validate> <s>`` per text to ``sink``, and build."""
    sys.path.insert(0, code)
    import kg.ingest
    import kg.release.build
    import kg.validation.validate
    from kg.settings import Settings

    fd = os.open(sink, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def note(line: str) -> None:
        os.write(fd, (line + "\n").encode())  # one short O_APPEND write: lines never interleave

    def timed(module: Any, name: str, phase: str) -> None:
        inner = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                note(f"cpu {phase} {time.process_time() - started:.6f}")

        setattr(module, name, wrapper)

    # kg.release.build imports ingest_file/conforms inside its worker function at call time, and
    # the pool forks after these assignments, so the workers see the wrappers too.
    timed(kg.ingest, "ingest_file", "ingest")
    timed(kg.validation.validate, "conforms", "validate")
    build = kg.release.build.build
    seen: set[str] = set()

    def progress(p: Any) -> None:
        phase = _PHASE_OF.get(p.phase, p.phase)
        if phase not in seen:
            seen.add(phase)
            note(f"phase {phase} {time.monotonic():.6f}")

    kwargs: dict[str, Any] = {"progress": progress} if "progress" in inspect.signature(build).parameters else {}
    settings = Settings(data_dir=Path(data_dir), build_dir=Path(out_dir))
    note(f"phase {'workers' if kwargs else 'total'} {time.monotonic():.6f}")
    release = build(settings, force=force == "1", **kwargs)
    note(f"phase end {time.monotonic():.6f}")
    manifest = release.manifest
    assert manifest is not None, "a build always writes its manifest"
    print(json.dumps({"quads": manifest.quads, "graphs": len(manifest.graphs)}))


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


def _prepare(data: Path, out: Path, cache: str, code: str) -> Path | None:
    """Empty the build cache (cold), or fill it and change one text (warm; returned, to restore)."""
    if cache == "cold":
        shutil.rmtree(out / "cache", ignore_errors=True)
        return None
    subprocess.run([sys.executable, __file__, "--fill", str(data), str(out), code], check=True)
    current = (out / "current").resolve()
    for old in (out / "releases").iterdir():  # so that the changed inputs' release was never built before
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
    changed = sorted((data / "sources").glob("*.txt"))[0]
    # Another change each run (1, 2, 3 … lines): each build differs from the release current before it.
    _RUNS[0] += 1
    changed.write_bytes(changed.read_bytes() + b"\n" * _RUNS[0])
    return changed


#: Warm runs so far in this process (each adds one more line than the last).
_RUNS = [0]


def run_once(size: int, seed: int, cache: str = "cold", code: Path = ROOT, name: str = "") -> dict[str, Any]:
    """One build of the corpus in a child process: phase seconds, wall seconds, memory."""
    sys.path.insert(0, str(ROOT / "bench"))
    data = _corpus(size, seed)
    out = build_dir(size, seed, name)
    changed = _prepare(data, out, cache, str(code))
    try:
        return _measure(size, data, out, code, cache) | {"cache": cache, "code": _head(code)}
    finally:
        if changed is not None:
            changed.write_bytes(changed.read_bytes()[:-_RUNS[0]])


def _measure(size: int, data: Path, out: Path, code: Path, cache: str = "cold") -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("r", suffix=".phases", delete=False) as f:
        sink = f.name
    load1 = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    force = "1" if cache == "cold" else "0"
    child = subprocess.Popen([sys.executable, __file__, "--child", str(data), str(out), sink, str(code), force],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int]] = []
    while child.poll() is None:
        samples.append((time.monotonic(), _tree_rss(child.pid)))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    stdout, stderr = child.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        raise SystemExit(f"build of {size} failed:\n{stderr[-3000:]}")
    cpu = {"ingest": 0.0, "validate": 0.0}
    starts: list[tuple[str, float]] = []
    for line in Path(sink).read_text().splitlines():
        kind, name, value = line.split()
        if kind == "cpu":
            cpu[name] += float(value)
        else:
            starts.append((name, float(value)))
    os.unlink(sink)
    seconds = dict.fromkeys(PHASES, 0.0)
    peaks = dict.fromkeys(PHASES, 0.0)
    for (phase, begin), (_, end) in zip(starts, starts[1:], strict=False):
        if phase == "total":  # a baseline whose build() reports no phases
            continue
        key = phase if phase in seconds else "rest"
        seconds[key] += end - begin
        peaks[key] = max([peaks[key], *(rss / 2**20 for t, rss in samples if begin <= t <= end)])
    seconds["total"] = starts[-1][1] - starts[0][1]
    info = json.loads(stdout.strip().splitlines()[-1])
    return {"size": size, "wall": wall, **cpu, **seconds, **{f"peak_{p}_mb": v for p, v in peaks.items()},
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "peak_tree_mb": max((rss for _, rss in samples), default=0) / 2**20,
            "max_process_mb": after.ru_maxrss / 1024,
            "load_before": load1, "load_after": os.getloadavg()[0], **info}


def _head(code: Path) -> str:
    """The commit the build code came from (figures change with kg/release/build.py, …)."""
    out = subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip()


def _worktree(rev: str) -> Path:
    """A git worktree of ``rev`` (made once) in the system's temporary folder."""
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True,
                         check=True).stdout.strip()
    path = Path(tempfile.gettempdir()) / f"kg-build-baseline-{sha}"
    if not (path / "kg").is_dir():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), sha], check=True,
                       capture_output=True)
    return path


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float)) and k != "size"]
    out: dict[str, Any] = {"size": runs[0]["size"], "runs": len(runs), "code": runs[0]["code"]}
    for k in keys:
        values = [r[k] for r in runs]
        out[k] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
    return out


def _table(results: dict[str, Any]) -> None:
    print("| agreements | cache | code | runs | wall s | CPU s (whole tree) | ingest s (Σ workers) "
          "| validate s (Σ workers) | workers s "
          "| reference s | store s | dumps (+ load) s | optimize s | publish s | search s | peak tree MB "
          "| peak in dumps + load | largest process MB | quads | load avg |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in sorted((k for k in results if k.split("-")[0].isdigit()), key=lambda k: (int(k.split("-")[0]), k)):
        s = results[key]["summary"]
        if "optimize" not in s:
            continue  # a run of the benchmark before it timed the build's own phases

        def f(k: str, s: dict[str, Any] = s) -> str:
            if k not in s:
                return "–"
            m = s[k]
            span = "" if m["min"] == m["max"] else f" ({m['min']:.1f}–{m['max']:.1f})"
            return f"{m['median']:.1f}{span}"

        size, _, mode = key.partition("-")
        cache, _, base = mode.partition("-")
        print(f"| {int(size):,} | {cache or 'cold'} | {s['code']}{' (baseline)' if base else ''} | {s['runs']} "
              f"| {f('wall')} | {f('cpu')} | {f('ingest')} | {f('validate')} | {f('workers')} | {f('reference')} "
              f"| {f('store')} "
              f"| {f('dumps')} "
              f"| {f('optimize')} | {f('publish')} | {f('search')} | {s['peak_tree_mb']['max']:.0f} "
              f"| {s['peak_dumps_mb']['max']:.0f} | {s['max_process_mb']['max']:.0f} | {s['quads']['median']:,.0f} "
              f"| {s['load_before']['median']:.1f} |")


def main(argv: list[str] | None = None) -> int:
    """Build each size ``--runs`` times and print a table; results merge into bench/build_bench.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 400, 4000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", choices=("cold", "warm"), default="cold")
    parser.add_argument("--baseline", metavar="REV", help="also build with the code of this commit, alternately")
    parser.add_argument("--build-dir", type=Path, help="build (and copy the corpus) here, not in bench/.cache")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--fill", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_dir:
        args.build_dir.mkdir(parents=True, exist_ok=True)
        WORK.append(args.build_dir.resolve())
    if args.child:
        _child(*args.child)
        return 0
    if args.fill:
        sys.path.insert(0, args.fill[2])
        from kg.release import build as b
        from kg.settings import Settings

        settings = Settings(data_dir=Path(args.fill[0]), build_dir=Path(args.fill[1]))
        tools = b._tools_digest(settings)
        current = b.current_release(settings, hold=False)
        # A cache and a current release made by this code (a change of code is a change of tools digest).
        if any((settings.build_path / "cache" / tools).glob("*.zip")) and current is not None and (
                getattr(current.manifest, "tools", tools) == tools):
            return 0
        b.build(settings, force=True)
        return 0
    codes = [("", ROOT)]
    if args.baseline:
        base = _worktree(args.baseline)
        codes.insert(0, (f"base{_head(base)}", base))
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    for size in args.sizes:
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in codes}
        for _ in range(args.runs):
            for name, code in codes:  # alternately, so that both see the same machine
                runs[name].append(run_once(size, args.seed, args.cache, code, name))
        for name, _ in codes:
            key = f"{size}-{args.cache}" + (f"-{name}" if name else "")
            results[key] = {"summary": _summary(runs[name]), "runs": runs[name],
                            "date": time.strftime("%Y-%m-%d %H:%M %Z"), "nproc": os.cpu_count()}
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    _table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
