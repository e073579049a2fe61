"""Synthetic corpora for the benchmarks: a ``KG_DATA_DIR`` per (seed, size), cached under bench/.cache/.

Each corpus is a data directory that ``kg build`` accepts as it is::

    bench/.cache/corpus-s{seed}-n{size}/
      sources/          gen-00000-t1.txt … (kg.generate: layouts T1, T3, I1 from the real registry)
      sources/koriyama-nihonmatsu-2019.txt   the founding agreement, so that the library's queries
                        whose parameter defaults to it (queries/002, …) find it at every size
      sources/manifest.json   what each text says (not a source: kg.release.build reads .txt/.html only)
      reference -> data/reference   the real registry, shared, never copied

A corpus is written once and reused while its ``.complete`` marker is there; the marker is
written last, so an interrupted run is redone rather than trusted. Never part of the published
dataset (issue 5, point 1).

    .venv/bin/python bench/generate_corpus.py              # 40, 400 and 4,000 agreements
    .venv/bin/python bench/generate_corpus.py --sizes 40 --seed 7
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: import the working tree's kg
    sys.path.insert(0, str(ROOT))

from kg.generate import write_corpus  # noqa: E402
from kg.settings import Settings  # noqa: E402

__all__ = ["CACHE", "SIZES", "corpus_dir", "ensure_corpus"]

CACHE = ROOT / "bench" / ".cache"
#: The sizes of issue 5: the real corpus (~330) is between the first two; 4,000 is ten times it.
SIZES = (40, 400, 4000)
#: The one real text every corpus also holds (see the module docstring).
FOUNDING = "koriyama-nihonmatsu-2019.txt"


def corpus_dir(size: int, seed: int = 0) -> Path:
    """Where the corpus of ``size`` agreements for ``seed`` lives (whether or not it exists yet)."""
    return CACHE / f"corpus-s{seed}-n{size}"


def ensure_corpus(size: int, seed: int = 0) -> tuple[Path, float]:
    """The data directory of the corpus, written if missing; and the seconds writing it took (0 if cached)."""
    out = corpus_dir(size, seed)
    if (out / ".complete").is_file():
        return out, 0.0
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    (out / "sources").mkdir(parents=True)
    # The registry is input to every build and must match the code's: link it, never copy it.
    (out / "reference").symlink_to(Settings().data_path.resolve() / "reference", target_is_directory=True)
    write_corpus(out / "sources", size, seed=seed, settings=Settings())
    founding = Settings().data_path / "sources" / FOUNDING
    (out / "sources" / FOUNDING).write_bytes(founding.read_bytes())
    seconds = time.perf_counter() - started
    (out / ".complete").write_text(json.dumps({"size": size, "seed": seed, "seconds": round(seconds, 3)}) + "\n",
                                   encoding="utf-8")
    return out, seconds


def main(argv: list[str] | None = None) -> int:
    """Write (or find) each corpus and print a table of where it is and what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="agreements per corpus")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same corpus")
    args = parser.parse_args(argv)
    rows = []
    for size in args.sizes:
        path, seconds = ensure_corpus(size, args.seed)
        texts = list((path / "sources").glob("gen-*.txt"))
        mb = sum(p.stat().st_size for p in texts) / 1e6
        rows.append({"size": size, "seed": args.seed, "path": str(path.relative_to(ROOT)), "texts": len(texts),
                     "megabytes": round(mb, 2), "seconds": round(seconds, 2), "cached": seconds == 0.0})
    print("| agreements | texts | MB | written in s | path |")
    print("|---:|---:|---:|---:|---|")
    for r in rows:
        written = "cached" if r["cached"] else f"{r['seconds']:.2f}"
        print(f"| {r['size']:,} | {r['texts']:,} | {r['megabytes']:.2f} | {written} | {r['path']} |")
    (ROOT / "bench" / "generate_corpus.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
