"""Seconds per page to read a text PDF and a Word document (issue 10, "Done when": measured in bench/).

The fixture texts of every layout are rendered as a text PDF (reportlab, IPA Mincho, A4) and as a Word
``.docx`` (python-docx), as the tests render them (tests/ingest/documents/make.py). Each document is
then read ``--runs`` times; the figure is the median run, divided by the document's pages. A Word file
has no pages of its own until Word lays it out, so it is counted in the pages of the PDF of the same
text. Two figures per format: **read** (the document → its lines and table cells,
kg.ingest.document.sniff.read_document) and **ingest** (the document → its graph, kg.ingest.ingest_bytes).

    .venv/bin/python bench/documents_bench.py --runs 7
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.ingest import ingest_bytes  # noqa: E402
from kg.ingest.document.pdf import page_count  # noqa: E402
from kg.ingest.document.sniff import read_document  # noqa: E402
from kg.settings import Settings  # noqa: E402
from tests.ingest.documents.make import to_docx, to_pdf  # noqa: E402

TEXTS = [ROOT / "tests" / "data" / "ingest" / f"{name}.txt" for name in (
    "koriyama-nihonmatsu-2019", "t2-field-policy-columns", "t3-three-annex-tables", "t4-cost-sharing-columns",
    "p-default-division", "i1-inline-nested")]


def _median(run: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls, after one warm-up call."""
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per document (median taken)")
    parser.add_argument("--json", type=Path, default=Path(__file__).with_suffix(".json"),
                        help="where to write the figures (default: bench/documents_bench.json)")
    args = parser.parse_args(argv)
    settings = Settings()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for text_path in TEXTS:
            text = text_path.read_text(encoding="utf-8")
            pdf = to_pdf(text, Path(tmp) / f"{text_path.stem}.pdf").read_bytes()
            docx = to_docx(text, Path(tmp) / f"{text_path.stem}.docx").read_bytes()
            pages = page_count(pdf)
            for kind, data in (("pdf", pdf), ("docx", docx)):
                name = f"{text_path.stem}.{kind}"
                read = _median(lambda d=data, n=name: read_document(d, n, Settings()), args.runs)
                ingest = _median(lambda d=data, n=name: ingest_bytes(d, n, settings), args.runs)
                rows.append({"text": text_path.stem, "format": kind, "pages": pages, "bytes": len(data),
                             "read_s_per_page": read / pages, "ingest_s_per_page": ingest / pages})
    print("| document | format | pages | read s/page | ingest s/page |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['text']} | {r['format']} | {r['pages']} | {r['read_s_per_page']:.3f} | "
              f"{r['ingest_s_per_page']:.3f} |")
    summary = {}
    for kind in ("pdf", "docx"):
        mine = [r for r in rows if r["format"] == kind]
        summary[kind] = {key: statistics.median(float(r[key]) for r in mine)  # type: ignore[arg-type]
                         for key in ("read_s_per_page", "ingest_s_per_page")}
        print(f"| median of the documents | {kind} | | {summary[kind]['read_s_per_page']:.3f} | "
              f"{summary[kind]['ingest_s_per_page']:.3f} |")
    print(f"\nmachine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"runs {args.runs}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    if args.json:  # replaced by each run: the figures of one machine and moment
        args.json.write_text(json.dumps({"rows": rows, "median": summary, "runs": args.runs,
                                         "nproc": os.cpu_count(), "loadavg": os.getloadavg(),
                                         "date": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
