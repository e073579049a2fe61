"""Rerun every figure of issue 13 side by side, in one command, and summarise them in one table.

Runs the project's own benchmark scripts, each with its own flags, in this order, then reads the
figures they wrote beside themselves and prints one Markdown summary (and writes it, with every
command, exit status and duration, to bench/issue13.json):

    1. build      bench/build_bench.py --cache cold          (build time, peak memory)
    2. Virtuoso   bench/engines.py load                      (a private Virtuoso holding the release)
    3. queries    bench/query_bench.py                       (every library query on raw pyoxigraph,
                  after the rewrite, kg's own query path, an in-memory store, Virtuoso, and kg's
                  path on Virtuoso as ``kg serve --store sparql:…`` runs it)
    4. search     bench/search_bench.py                      (ranked Japanese search, four indexes)
    5. load       bench/load.py --distinct                   (kg serve at 8 and 32 clients, a runaway)
    6. capacity   bench/capacity.py --minimal                (never-seen lookups, with and without a runaway:
                  kg serve and the minimal FastAPI + pyoxigraph endpoint, bench/minimal_endpoint.py,
                  side by side on the same release)

``--quick`` is a smoke run (40 agreements, one run, seconds of load) that shows the chain works;
its figures say nothing about targets. The full run (4,000 agreements, three runs) takes an hour on
two loaded cores. A step that fails is reported as failed and the others still run; the exit
status is 1 if any failed.

    .venv/bin/python bench/issue13.py --quick
    nice .venv/bin/python bench/issue13.py                 # 4,000 agreements
    nice .venv/bin/python bench/issue13.py --sizes 40000 --skip build search
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from engines import HTTP_PORT, SQL_PORT  # noqa: E402

RESULTS = BENCH / "issue13.json"
PYTHON = sys.executable
TARGET_MS = 100.0  # issue 13: every library query under 100 ms at 4,000
CAPACITY_CLIENTS = 32  # bench/capacity.py's default
STEPS = ("build", "virtuoso", "queries", "search", "load", "capacity")


@dataclass(frozen=True)
class Plan:
    """How much each step measures: the full run's or the smoke run's figures."""

    size: int
    runs: int
    seconds: float
    clients: tuple[int, ...]
    engines: tuple[str, ...]
    only: tuple[str, ...]


FULL = Plan(4000, 3, 20.0, (8, 32), ("oxigraph", "rewrite", "kg", "memory"), ())
QUICK = Plan(40, 1, 3.0, (8,), ("oxigraph", "kg"), ("0",))


@dataclass
class Step:
    """One benchmark script run: what was run, how it ended, what it printed."""

    name: str
    command: list[str]
    label: str
    returncode: int | None = None
    seconds: float = 0.0
    stdout: str = ""
    headline: dict[str, Any] = field(default_factory=dict)

    def run(self) -> None:
        print(f"\n## {self.name}: {' '.join(self.command)}\n", file=sys.stderr, flush=True)
        started = time.perf_counter()
        # The step's own table goes to our stdout as it comes; its progress (stderr) passes through.
        done = subprocess.run(self.command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
        self.seconds = time.perf_counter() - started
        self.returncode = done.returncode
        self.stdout = done.stdout
        print(done.stdout, flush=True)


def _json(name: str) -> dict[str, Any]:
    path = BENCH / f"{name}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return data


def _release(size: int) -> Path:
    """The benchmark's release of ``size`` agreements (seed 0), as bench/build_bench.py builds it."""
    return BENCH / ".cache" / f"build-s0-n{size}" / "current"


def _build_headline(size: int) -> dict[str, Any]:
    summary = _json("build_bench").get(f"{size}-cold", {}).get("summary", {})
    if not summary:
        return {}
    return {"wall_s": summary["wall"]["median"], "peak_tree_mb": summary.get("peak_tree_mb", {}).get("median"),
            "runs": summary.get("runs"), "quads": summary.get("quads", {}).get("median")
            if isinstance(summary.get("quads"), dict) else summary.get("quads")}


def _query_headline(size: int) -> dict[str, Any]:
    """Per engine: library queries under the target, the slowest, and the geometric mean ratio to kg."""
    entry = _json("query_bench").get(str(size), {})
    library = {n: f for n, f in entry.get("queries", {}).items() if not n.startswith("family_")}
    engines = sorted({e for f in library.values() for e, m in f.items() if isinstance(m, dict) and "runs" in m})
    out: dict[str, Any] = {"queries": len(library), "engines": {}}
    for engine in engines:
        medians = {n: f[engine]["median"] * 1000 for n, f in library.items() if "median" in f.get(engine, {})}
        ratios = [f[engine]["median"] / f["kg"]["median"] for f in library.values()
                  if "median" in f.get(engine, {}) and "median" in f.get("kg", {})]
        capped = [n for n, f in library.items() if f.get(engine, {}).get("capped")]
        failed = [n for n, f in library.items() if f.get(engine, {}).get("error") and not f[engine].get("runs")]
        out["engines"][engine] = {
            "measured": len(medians), "under_target": sum(ms < TARGET_MS for ms in medians.values()),
            "capped": capped, "failed": failed, "slowest": max(medians, key=medians.__getitem__) if medians else None,
            "slowest_ms": max(medians.values(), default=None),
            "geomean_vs_kg": math.exp(sum(map(math.log, ratios)) / len(ratios)) if ratios else None,
            "faster_than_kg": sum(r < 1 for r in ratios)}
    return out


def _search_headline(size: int) -> dict[str, Any]:
    methods = _json("search_bench").get(str(size), {}).get("methods", {})
    return {m: {"median_ms": f.get("median_ms"), "max_ms": f.get("max_ms"), "ndcg10": f.get("ndcg10")}
            for m, f in methods.items()}


def _load_headline(label: str) -> dict[str, Any]:
    runs = _json("load").get(label, {}).get("runs", {})
    return {clients: {kind: {"p50_ms": k.get("p50_ms"), "p99_ms": k.get("p99_ms"), "errors": k.get("errors")}
                      for kind, k in kinds.items() if kind in ("query", "page")}
            for clients, kinds in runs.items()}


def _capacity_headline(label: str) -> dict[str, Any]:
    summary = _json("capacity").get(label, {}).get("summary", {})
    return {k: {"rate": v["rate"], "p50_ms": v["p50_ms"], "p99_ms": v["p99_ms"]} for k, v in summary.items()}


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}{unit}" if value >= 10 else f"{value:.2f}{unit}"
    return f"{value}{unit}"


def summary(steps: list[Step], plan: Plan) -> list[str]:
    """The Markdown summary: one row per figure, the target beside it where issue 13 sets one."""
    lines = ["| step | figure | measured | target (issue 13, at 4,000) | exit | took |", "|---|---|---|---|---:|---:|"]

    def row(step: Step, figure: str, measured: str, target: str = "") -> None:
        lines.append(f"| {step.name} | {figure} | {measured} | {target} | {step.returncode} | {step.seconds:.0f} s |")

    for step in steps:
        h = step.headline
        # bench/load.py exits 1 when a request failed, after writing its figures: show them (their
        # error counts say why), rather than "did not finish".
        measured_errors = step.name == "load" and step.returncode == 1 and bool(h) and any(
            k.get("errors") for kinds in h.values() for k in kinds.values())
        if (step.returncode != 0 and not measured_errors) or not h:
            row(step, "did not finish" if step.returncode else "no figures", "–")
        elif step.name == "build":
            row(step, f"cold build of {plan.size:,} (median of {h['runs']})",
                f"{_fmt(h['wall_s'], ' s')}, peak {_fmt(h['peak_tree_mb'], ' MB')}", "< 60 s, < 1 GB")
        elif step.name == "virtuoso":
            row(step, "bulk load into Virtuoso", f"{h['quads']:,} quads: dump {_fmt(h['dump_seconds'], ' s')}, "
                f"load {_fmt(h['load_seconds'], ' s')}{' (already held)' if h.get('reused') else ''}")
        elif step.name == "queries":
            for engine, e in h["engines"].items():
                ratio = "" if engine == "kg" else f"; {_fmt(e['geomean_vs_kg'], '×')} kg's time (geometric mean), " \
                    f"faster than kg on {e['faster_than_kg']}"
                row(step, f"library queries on {engine}",
                    f"{e['under_target']} of {h['queries']} under {TARGET_MS:.0f} ms; slowest "
                    f"{e['slowest']} {_fmt(e['slowest_ms'], ' ms')}{ratio}"
                    + (f"; capped: {', '.join(e['capped'])}" if e["capped"] else "")
                    + (f"; failed: {', '.join(n[:3] for n in e['failed'])}" if e.get("failed") else ""),
                    f"all under {TARGET_MS:.0f} ms" if engine == "kg" else "")
        elif step.name == "search":
            for method, m in h.items():
                row(step, f"ranked search, {method}", f"median {_fmt(m['median_ms'], ' ms')}, max "
                    f"{_fmt(m['max_ms'], ' ms')}, nDCG@10 {_fmt(m['ndcg10'])}", "< 20 ms")
        elif step.name == "load":
            for clients, kinds in h.items():
                for kind, k in kinds.items():
                    row(step, f"{kind} at {clients} clients, never-seen, a runaway running",
                        f"p50 {_fmt(k['p50_ms'], ' ms')}, p99 {_fmt(k['p99_ms'], ' ms')}, {k['errors']} errors",
                        "p99 < 100 ms (lookups at 32)" if kind == "query" else "")
        elif step.name == "capacity":
            for case, c in h.items():
                name = case.removesuffix(" with a runaway").removesuffix(" without a runaway")
                ours = name == "this"
                row(step, f"never-seen point lookups at {CAPACITY_CLIENTS} clients, "
                    f"{'kg serve' if ours else f'the {name} endpoint'}, {case.removeprefix(name + ' ')}",
                    f"{_fmt(c['rate'], ' /s')}, p50 {_fmt(c.get('p50_ms'), ' ms')}, p99 {_fmt(c['p99_ms'], ' ms')}",
                    "a runaway leaves ≥ half; p99 < 100 ms" if ours else "")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the steps, print every step's table and the summary, write bench/issue13.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 40 agreements, one run, seconds of load")
    parser.add_argument("--sizes", type=int, nargs="+", help="agreements (default 4,000; 40 with --quick)")
    parser.add_argument("--skip", nargs="+", default=[], choices=STEPS, help="steps not to run")
    parser.add_argument("--rdflib", action="store_true", help="add rdflib's engine to the query step (slow)")
    parser.add_argument("--virtuoso-dir", type=Path, help="the private Virtuoso's folder (bench/engines.py's default)")
    parser.add_argument("--virtuoso-ports", type=int, nargs=2, default=[HTTP_PORT, SQL_PORT], metavar=("HTTP", "SQL"),
                        help="its HTTP and SQL ports")
    parser.add_argument("--keep-virtuoso", action="store_true", help="leave the private Virtuoso running at the end")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    record: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "quick": args.quick, "command": " ".join(sys.argv),
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
                   f"{platform.python_version()}", "memory": _free(), "loadavg_before": os.getloadavg(), "sizes": {}}
    failed = False
    virtuoso = (["--dir", str(args.virtuoso_dir)] if args.virtuoso_dir else []) + [
        "--http-port", str(args.virtuoso_ports[0]), "--sql-port", str(args.virtuoso_ports[1])]
    for size in args.sizes or [base.size]:
        plan = Plan(size, base.runs, base.seconds, base.clients, base.engines, base.only)
        steps = _steps(plan, args, virtuoso)
        for step in steps:
            step.run()
            if step.returncode == 0:
                step.headline = _headline(step, size)
            failed |= step.returncode != 0
            if step.name == "virtuoso" and step.returncode != 0:
                # Without the instance the query step cannot measure Virtuoso: measure the rest.
                _drop_virtuoso(steps)
        lines = summary(steps, plan)
        print(f"\n# Issue 13 at {size:,} agreements{' (quick: a smoke run)' if args.quick else ''}\n")
        print("\n".join(lines))
        record["sizes"][str(size)] = {
            "plan": plan.__dict__, "summary": lines,
            "steps": [{"name": s.name, "command": s.command, "returncode": s.returncode, "seconds": s.seconds,
                       "headline": s.headline} for s in steps]}
    if "virtuoso" not in args.skip and not args.keep_virtuoso:
        subprocess.run([PYTHON, str(BENCH / "engines.py"), "stop", *virtuoso], cwd=ROOT, check=False)
    record["loadavg_after"] = os.getloadavg()
    print(f"\n{record['machine']}; {record['memory']}; load average {record['loadavg_before'][0]:.1f} → "
          f"{record['loadavg_after'][0]:.1f}")
    RESULTS.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if failed else 0


def _steps(plan: Plan, args: argparse.Namespace, virtuoso: list[str]) -> list[Step]:
    """The benchmark scripts to run for one size, each with its own flags."""
    release = str(_release(plan.size))
    label = f"issue13-{plan.size}" + ("-quick" if args.quick else "")
    engines = [*plan.engines, *(["rdflib"] if args.rdflib else [])]
    query = [PYTHON, "bench/query_bench.py", "--sizes", str(plan.size), "--runs", str(plan.runs),
             *(["--only", *plan.only] if plan.only else [])]
    steps = [
        Step("build", [PYTHON, "bench/build_bench.py", "--sizes", str(plan.size), "--runs", str(plan.runs),
                       "--cache", "cold"], label),
        Step("virtuoso", [PYTHON, "bench/engines.py", "load", "--release", release, "--label", str(plan.size),
                          *virtuoso], str(plan.size)),
        Step("queries", [*query, "--engines", *engines, "virtuoso", "kg-virtuoso", "--virtuoso",
                         f"http://127.0.0.1:{args.virtuoso_ports[0]}/sparql"], label),
        Step("search", [PYTHON, "bench/search_bench.py", "--size", str(plan.size), "--runs", str(max(plan.runs, 3))],
             label),
        Step("load", [PYTHON, "bench/load.py", "--release", release, "--distinct", "--clients",
                      *map(str, plan.clients), "--seconds", f"{plan.seconds:g}", "--label", label], label),
        Step("capacity", [PYTHON, "bench/capacity.py", "--release", release, "--minimal",
                          "--rounds", str(plan.runs), "--seconds", f"{min(plan.seconds, 8.0):g}", "--label", label],
             label),
    ]
    if "virtuoso" in args.skip:
        _drop_virtuoso(steps)
    return [s for s in steps if s.name not in args.skip]


def _drop_virtuoso(steps: list[Step]) -> None:
    """Measure the query step without Virtuoso (its instance is skipped or failed to load)."""
    for step in steps:
        if step.name == "queries" and step.returncode is None and "--virtuoso" in step.command:
            at = step.command.index("virtuoso")
            step.command = step.command[:at]


def _headline(step: Step, size: int) -> dict[str, Any]:
    """The step's figures, read back from the JSON its script wrote."""
    if step.name == "build":
        return _build_headline(size)
    if step.name == "virtuoso":
        record: dict[str, Any] = _json("engines").get(step.label, {})
        return record
    if step.name == "queries":
        return _query_headline(size)
    if step.name == "search":
        return _search_headline(size)
    if step.name == "load":
        return _load_headline(step.label)
    return _capacity_headline(step.label)


def _free() -> str:
    """``free -h``'s memory line."""
    done = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False)
    return next((line for line in done.stdout.splitlines() if line.startswith("Mem:")), "")


if __name__ == "__main__":
    sys.exit(main())
