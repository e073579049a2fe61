"""CPU per text of a cold build's workers: ``kg.release.text.ingest_and_validate``, tree against tree.

A cold build spends most of its time in the worker processes that ingest, validate and cache each
text (docs/perf/build.md). This runs that function over the first N texts of a generated corpus in
one process per run, with a scratch build cache, for this tree and for another (``--tree``, a git
worktree of the code before a change), alternating the two run by run so that the shared machine's
load falls on both alike; each figure is the median of the runs. Beside the CPU seconds per text it
gives the split into phases, timed by wrapping the functions the worker calls (those a tree lacks
count as "other"):

- ingest: ``kg.ingest.ingest_file`` (reading the text, building its graph);
- validate: ``kg.validation.validate.conforms`` (context, SHACL engine);
- parts: ``kg.release.dumps.graph_parts`` (the five dump formats, each a gzip member);
- other: the rest (the graph's N-Triples, the cache file, the entry).

    git worktree add /tmp/h6/h2-before b96d662
    nice .venv/bin/python bench/worker_bench.py --tree /tmp/h6/h2-before --texts 200 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.generate_corpus import ensure_corpus  # noqa: E402

#: Run inside each tree's process: ingest_and_validate every text once, print CPU seconds by phase.
_CHILD = r"""
import json, multiprocessing, sys, tempfile, time
from pathlib import Path

def work(corpus, count, scratch, out):
    import kg.ingest, kg.release.dumps, kg.release.text, kg.validation.validate
    from kg.release.cache import BuildCache
    from kg.release.text import ingest_and_validate
    from kg.settings import Settings
    settings = Settings(data_dir=corpus)
    spent = {"ingest": 0.0, "validate": 0.0, "parts": 0.0}
    depth = [0]
    def timed(phase, *modules, name):
        for module in modules:
            inner = getattr(module, name, None)
            if inner is None:
                continue
            def wrapper(*args, _inner=inner, **kwargs):
                depth[0] += 1
                t = time.process_time()
                try:
                    return _inner(*args, **kwargs)
                finally:
                    depth[0] -= 1
                    if depth[0] == 0:
                        spent[phase] += time.process_time() - t
            setattr(module, name, wrapper)
    timed("ingest", kg.ingest, name="ingest_file")
    timed("validate", kg.validation.validate, name="conforms")
    timed("parts", kg.release.dumps, kg.release.text, name="graph_parts")
    paths = sorted((corpus / "sources").glob("*.txt"))
    cache = BuildCache(scratch, "bench")
    for i, p in enumerate(paths[:3]):  # warm what a worker keeps per process (registry, shapes, context)
        ingest_and_validate(p, settings, cache, f"warm{i}")
    for k in spent:
        spent[k] = 0.0
    chosen = paths[3:3 + count]
    start = time.process_time()
    for i, p in enumerate(chosen):
        ingest_and_validate(p, settings, cache, f"text{i}")
    total = time.process_time() - start
    out.put({"texts": len(chosen), "total": total, **spent})

if __name__ == "__main__":
    # In a child process, as a build's worker is (a worker keeps per process what a build's own
    # process does not).
    out = multiprocessing.Queue()
    child = multiprocessing.Process(target=work, args=(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), out))
    child.start()
    result = out.get()
    child.join()
    print(json.dumps(result))
"""

PHASES = ("ingest", "validate", "parts", "other")


def run(tree: Path, corpus: Path, count: int, scratch: Path) -> dict[str, float]:
    """CPU seconds per text for ``tree``'s code: total and by phase."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    scratch.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(corpus), str(count), str(scratch)], env=env,
                          capture_output=True, text=True, cwd=tree, check=True, timeout=3600)
    r = json.loads(done.stdout.strip().splitlines()[-1])
    n = int(r["texts"])
    out = {p: float(r[p]) / n for p in ("ingest", "validate", "parts")}
    out["other"] = float(r["total"]) / n - sum(out.values())
    out["total"] = float(r["total"]) / n
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, required=True, help="the source tree to compare with (before)")
    parser.add_argument("--size", type=int, default=4000, help="generated agreements in the corpus")
    parser.add_argument("--texts", type=int, default=200, help="texts ingested and validated per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/worker_bench"),
                        help="where the runs' build caches go (deleted after each run)")
    args = parser.parse_args(argv)
    corpus, _ = ensure_corpus(args.size)
    trees = {"before": args.tree.resolve(), "after": ROOT}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    loads = []
    for i in range(args.runs):
        for name, tree in trees.items():
            loads.append(os.getloadavg()[0])
            scratch = args.scratch / f"{name}-{i}"
            try:
                runs[name].append(run(tree, corpus, args.texts, scratch))
            finally:
                subprocess.run(["rm", "-rf", str(scratch)], check=False)
    median = {name: {k: statistics.median(r[k] for r in rs) for k in (*PHASES, "total")}
              for name, rs in runs.items()}
    ratio = median["after"]["total"] / median["before"]["total"]
    record = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "corpus": args.size, "texts": args.texts,
              "runs": args.runs, "before": str(trees["before"]), "cores": os.cpu_count(),
              "load_1min": [round(min(loads), 2), round(max(loads), 2)],
              "cpu_ms_per_text": {name: {k: round(v * 1000, 2) for k, v in m.items()} for name, m in median.items()},
              "all_total_ms": {name: [round(r["total"] * 1000, 2) for r in rs] for name, rs in runs.items()},
              "ratio_after_to_before": round(ratio, 3)}
    print(f"{args.texts} texts of the {args.size} corpus, median of {args.runs} runs, "
          f"load {min(loads):.2f}–{max(loads):.2f} (CPU ms per text)")
    print("| code | " + " | ".join(PHASES) + " | total |")
    print("|---|" + "---:|" * (len(PHASES) + 1))
    for name in trees:
        print(f"| {name} | " + " | ".join(f"{median[name][k] * 1000:.1f}" for k in (*PHASES, "total")) + " |")
    print(f"after / before: {ratio:.2f}×")
    (ROOT / "bench" / "worker_bench.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
