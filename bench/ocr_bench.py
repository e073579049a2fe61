"""OCR of scanned agreements: seconds per page, a 20-page scan, and the CER after each pipeline step.

    .venv/bin/python bench/ocr_bench.py                       # every step on the founding agreement, 1 run
    .venv/bin/python bench/ocr_bench.py --runs 3 --pages20    # medians of 3, and the 20-page scan
    .venv/bin/python bench/ocr_bench.py --fixtures t3-three-annex-tables --steps default

The scans are made as the tests make them (tests/ingest/ocr/make_scans.py: A4, 300 dpi, turned 0.7°,
light noise; and 150 dpi with heavy noise). Each step is the pipeline with some parts switched off
(kg.ingest.document.ocr.Options); the CER is over the initiatives' contents and the roles' texts of the
ingested graph against the text version (tests/ingest/ocr/compare.py), so a step whose reading cannot
be ingested shows why instead of a number. Prints a Markdown table; appends the run to bench/ocr_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.errors import KgError  # noqa: E402
from kg.ingest import ingest_bytes, ingest_file  # noqa: E402
from kg.ingest.document import ocr  # noqa: E402
from kg.ingest.document.ocr import Options  # noqa: E402
from kg.settings import Settings  # noqa: E402
from tests.ingest.ocr import make_scans  # noqa: E402
from tests.ingest.ocr.compare import cer, structure, texts  # noqa: E402

DATA = ROOT / "tests" / "data" / "ingest"
#: The steps, each the pipeline up to and including one more part (the last is the default pipeline).
STEPS = {
    "whole page (stock tesseract)": Options(deskew=False, cells=False, binarise=False, user_words=False,
                                             correct=False),
    "whole page, deskewed": Options(deskew=True, cells=False, binarise=False, user_words=False, correct=False),
    "cells, not deskewed": Options(deskew=False, cells=True, binarise=False, user_words=False, correct=False),
    "cells, deskewed": Options(deskew=True, cells=True, binarise=False, user_words=False, correct=False),
    "cells, deskewed, binarised": Options(binarise=True, user_words=False, correct=False),
    "+ user words": Options(binarise=True, user_words=True, correct=False),
    "+ user words + correction": Options(binarise=True, user_words=True, correct=True),
    "+ correction, language model only (jpn)": Options(second_opinion=False),
    "cells, deskewed, binarised + correction (default)": Options(),
}


def _ingest(data: bytes, name: str, options: Options) -> tuple[object, float]:
    """The ingest result (or the error) of a scanned PDF read with ``options``, and the OCR seconds."""
    spent = [0.0]
    original = ocr.read_scanned_pdf

    def timed(d: bytes, n: str) -> object:
        start = time.perf_counter()
        try:
            return original(d, n, options)
        finally:
            spent[0] += time.perf_counter() - start

    ocr.read_scanned_pdf = timed  # type: ignore[assignment]  # sniff.py looks it up at each call
    try:
        return ingest_bytes(data, name, Settings()), spent[0]
    except KgError as e:
        return e, spent[0]
    finally:
        ocr.read_scanned_pdf = original  # type: ignore[assignment]


def _row(fixture: str, label: str, scan: bytes, pages: int, options: Options, runs: int) -> dict[str, object]:
    reference = ingest_file(DATA / f"{fixture}.txt", Settings())
    seconds = []
    outcome: object = None
    for _ in range(runs):
        outcome, spent = _ingest(scan, f"{fixture}.pdf", options)
        seconds.append(spent)
    row: dict[str, object] = {"fixture": fixture, "step": label, "pages": pages,
                              "s_per_page": round(statistics.median(seconds) / pages, 2)}
    if isinstance(outcome, KgError):
        first = outcome.render("en").splitlines()[0]
        row.update(structure="refused", cer=None, note=first[:140])
    else:
        diff = structure(reference).differences(structure(outcome))  # type: ignore[arg-type]
        row.update(structure="same" if not diff else "differs", cer=round(cer(texts(reference),
                   texts(outcome)) * 100, 2), note="; ".join(diff)[:140])  # type: ignore[arg-type]
    print(f"| {fixture} | {label} | {row['s_per_page']} | {row['structure']} | "
          f"{'—' if row['cer'] is None else row['cer']} | {row['note']} |", flush=True)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", nargs="+", default=["koriyama-nihonmatsu-2019"])
    parser.add_argument("--steps", nargs="+", default=["all"], help="'all', 'default', or step labels")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--noisy", action="store_true", help="also the 150-dpi noisy scan (default pipeline)")
    parser.add_argument("--pages20", action="store_true", help="also a 20-page scan (the pages repeated)")
    args = parser.parse_args()
    steps = STEPS if args.steps == ["all"] else (
        {k: v for k, v in STEPS.items() if k.endswith("(default)")} if args.steps == ["default"]
        else {k: STEPS[k] for k in args.steps})
    machine = {"nproc": os.cpu_count(), "load": os.getloadavg(),
               "date": datetime.now(UTC).isoformat(timespec="seconds"),
               "python": platform.python_version(),
               "tesseract": subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                                           check=False).stdout.splitlines()[0],
               "command": " ".join(["bench/ocr_bench.py", *sys.argv[1:]])}
    print(f"nproc {machine['nproc']}, load {machine['load']}, {machine['date']}, {machine['tesseract']}\n")
    print("| fixture | step | s/page | structure | CER % | note |\n|---|---|---|---|---|---|")
    rows = []
    for fixture in args.fixtures:
        text = (DATA / f"{fixture}.txt").read_text(encoding="utf-8")
        light = make_scans.scan_pages(text, make_scans.LIGHT)
        scan = make_scans.pdf(light)
        for label, options in steps.items():
            rows.append(_row(fixture, label, scan, len(light), options, args.runs))
        if args.noisy:
            heavy = make_scans.scan_pages(text, make_scans.HEAVY)
            rows.append(_row(fixture, "150 dpi, heavy noise (default)", make_scans.pdf(heavy, 150), len(heavy),
                             Options(), args.runs))
        if args.pages20:
            pages = (light * (20 // len(light) + 1))[:20]
            data = make_scans.pdf(pages)
            start = time.perf_counter()
            form = ocr.read_scanned_pdf(data, f"{fixture}-20.pdf", settings=Settings())
            took = time.perf_counter() - start
            rows.append({"fixture": fixture, "step": "20 pages, OCR only (default)", "pages": form.pages,
                         "seconds": round(took, 1), "s_per_page": round(took / 20, 2)})
            print(f"| {fixture} | 20 pages, OCR only | {round(took / 20, 2)} | — | — | {took:.1f} s in all |")
    machine["load_after"] = os.getloadavg()
    out = Path(__file__).with_suffix(".json")
    runs = json.loads(out.read_text(encoding="utf-8")).get("runs", []) if out.exists() else []
    runs.append({"machine": machine, "rows": rows})
    out.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
