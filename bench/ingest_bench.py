"""Ingest time per agreement: this tree's reader against another tree's, side by side in one run.

Issue 9 asks that the annex reader by meaning be no slower than 1.5× the six layout parsers it
replaced. Each tree runs in its own Python process (its own ``kg`` package on ``sys.path``) over the
same texts — the fixtures of every layout, the fresh texts and a generated corpus — alternating
trees run by run so that the shared machine's load falls on both alike; the figure is the median of
the runs, in milliseconds per text.

    git worktree add /tmp/kg-before 0b2131b     # the six layout parsers, before issue 9
    .venv/bin/python bench/ingest_bench.py --before /tmp/kg-before --runs 5
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

#: Run inside each tree's process: ingest every text ``repeat`` times, print seconds per text.
_CHILD = r"""
import json, sys, time
from pathlib import Path
import kg.ingest
from kg.ingest import ingest_bytes
from kg.settings import Settings
settings = Settings()
# The reader alone: segmenting and reading the initiatives (the six parsers before, the reader by
# meaning after), timed by wrapping the two functions the pipeline calls.
spent = [0.0]
def timed(module, name):
    inner = getattr(module, name)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t
    setattr(module, name, wrapper)
timed(kg.ingest, "segment")
try:
    import kg.ingest.annex as reader
except ImportError:
    import kg.ingest.layouts as reader
timed(reader, "read")
paths = [Path(p) for p in json.loads(sys.argv[1])]
texts = [(p.read_bytes(), p.name) for p in paths]
for data, name in texts[:3]:          # warm the caches both trees keep (registry, framework)
    ingest_bytes(data, name, settings)
spent[0] = 0.0
start = time.perf_counter()
done = 0
for data, name in texts:
    ingest_bytes(data, name, settings)
    done += 1
print(json.dumps({"seconds": time.perf_counter() - start, "reader": spent[0], "texts": done}))
"""


def texts(size: int) -> list[Path]:
    """The texts both trees read: a generated corpus (T1, T3, I1 from the registry) and the fixtures
    the old parsers were written for, so neither side is measured on texts it refuses."""
    corpus, _ = ensure_corpus(size)
    found = sorted((corpus / "sources").glob("*.txt"))
    data = ROOT / "tests" / "data" / "ingest"
    found += [p for p in sorted(data.glob("*.txt")) if not p.name.startswith("amendment")]
    found += [p for p in sorted((data / "fresh").glob("*.txt")) if not p.name.startswith("amendment")]
    return found


def run(tree: Path, paths: list[Path]) -> tuple[float, float]:
    """Seconds per text for the kg package of ``tree``: the whole ingest, and the reader alone."""
    env = dict(os.environ, PYTHONPATH=str(tree))  # the tree's own kg, ontology and reference data
    done = subprocess.run([sys.executable, "-c", _CHILD, json.dumps([str(p) for p in paths])], env=env,
                          capture_output=True, text=True, cwd=tree, check=True, timeout=3600)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["seconds"]) / int(result["texts"]), float(result["reader"]) / int(result["texts"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="the source tree to compare with")
    parser.add_argument("--size", type=int, default=40, help="generated agreements in the corpus")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    paths = texts(args.size)
    trees = {"before": args.before.resolve(), "after": ROOT}
    times: dict[str, list[float]] = {name: [] for name in trees}
    reader: dict[str, list[float]] = {name: [] for name in trees}
    loads = []
    for _ in range(args.runs):
        for name, tree in trees.items():
            loads.append(os.getloadavg()[0])
            whole, alone = run(tree, paths)
            times[name].append(whole)
            reader[name].append(alone)
    median = {name: statistics.median(values) for name, values in times.items()}
    median_reader = {name: statistics.median(values) for name, values in reader.items()}
    record = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "texts": len(paths), "runs": args.runs,
              "cores": os.cpu_count(), "load_1min": [min(loads), max(loads)],
              "ms_per_text": {k: round(v * 1000, 2) for k, v in median.items()},
              "reader_ms_per_text": {k: round(v * 1000, 3) for k, v in median_reader.items()},
              "all_ms": {k: [round(v * 1000, 2) for v in vs] for k, vs in times.items()},
              "ratio_after_to_before": round(median["after"] / median["before"], 3),
              "reader_ratio_after_to_before": round(median_reader["after"] / median_reader["before"], 3)}
    print(f"{len(paths)} texts, median of {args.runs} runs, load {min(loads):.2f}–{max(loads):.2f}")
    print(f"  {'':6} {'ingest':>10} {'reader':>10}   (ms per text; reader = segment + initiatives)")
    for name in trees:
        print(f"  {name:6} {median[name] * 1000:10.2f} {median_reader[name] * 1000:10.3f}")
    print(f"  after / before: ingest {record['ratio_after_to_before']:.2f}×, reader "
          f"{record['reader_ratio_after_to_before']:.2f}× (issue 9: the reader at most 1.5×)")
    (ROOT / "bench" / "ingest_bench.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
