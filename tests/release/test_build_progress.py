"""kg build's progress (kg.release.progress, drawn by kg.cli.build) and its batched store load (kg.release.load)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rich.console import Console

from kg.cli.build import Lines, progress_display
from kg.release.build import build
from kg.release.load import BatchLoader
from kg.release.progress import PHASES, Progress
from kg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "koriyama-nihonmatsu-2019.txt"


def _data(folder: Path) -> Path:
    (folder / "sources").mkdir(parents=True)
    shutil.copy(SEED, folder / "sources")
    (folder / "reference").symlink_to(ROOT / "data" / "reference")
    return folder


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_lines_say_each_phase_its_count_the_time_left_and_its_end() -> None:
    out, clock = io.StringIO(), _Clock()
    lines = Lines(out, clock=clock, interval=10.0)
    lines(Progress("agreements", 1000, 4000))  # 1,000 texts from the build cache
    clock.now += 4.0
    lines(Progress("agreements", 1500, 4000))  # within the interval: no line
    clock.now += 6.0
    lines(Progress("agreements", 2000, 4000))  # 1,000 texts in 10 s: 2,000 more take 20 s
    clock.now += 20.0
    lines(Progress("agreements", 4000, 4000))
    lines(Progress("optimize", 0, 0))
    clock.now += 3.0
    lines.finish()
    assert out.getvalue().splitlines() == [
        "kg build: ingesting and validating (取り込みと検査): 1,000 of 4,000",
        "kg build: ingesting and validating (取り込みと検査): 2,000 of 4,000, 10 s, about 20 s left",
        "kg build: ingesting and validating (取り込みと検査): 4,000 of 4,000 done in 30.0 s",
        "kg build: optimising the store (ストアの最適化)",
        "kg build: optimising the store (ストアの最適化): done in 3.0 s",
    ]


def test_a_build_reports_every_phase_in_order_and_draws_on_a_terminal_and_off_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=_data(tmp_path / "data"), build_dir=tmp_path / "build")
    seen: list[Progress] = []
    plain = io.StringIO()
    terminal = Console(file=io.StringIO(), force_terminal=True, width=120)
    assert terminal.is_terminal
    with progress_display(Console(file=plain)) as lines, progress_display(terminal) as bars:
        def both(p: Progress) -> None:
            seen.append(p)
            lines(p)
            bars(p)

        build(settings, progress=both)
    phases = list(dict.fromkeys(p.phase for p in seen))
    assert phases == [p for p in PHASES if p != "store"]  # a whole build: no previous store updated
    assert Progress("agreements", 1, 1) in seen
    graphs = [p for p in seen if p.phase == "dumps"]
    assert graphs[-1].done == graphs[-1].total > 1  # the agreement's graph and the reference graphs
    text = plain.getvalue()
    for phase, (en, ja) in PHASES.items():
        assert (f"kg build: {en} ({ja})" in text) == (phase != "store")
    assert "ingesting and validating (取り込みと検査): 1 of 1 done in" in text
    drawn = terminal.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[" in drawn and "search index" in drawn  # rich drew (escape codes), to the last phase
    # A build from the previous release (the text changed): its store updated, not optimised afresh.
    source = next((settings.data_path / "sources").iterdir())
    source.write_bytes(source.read_bytes() + b"\n")
    seen.clear()
    with progress_display(Console(file=plain)) as lines:
        build(settings, progress=lambda p: (seen.append(p), lines(p)))
    assert list(dict.fromkeys(p.phase for p in seen)) == [p for p in PHASES if p != "optimize"]
    assert "kg build: updating the previous store (前のストアの更新): done in" in plain.getvalue()


def test_kg_build_off_a_terminal_prints_plain_progress_lines(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    env = {**os.environ, "KG_DATA_DIR": str(data), "KG_BUILD_DIR": str(tmp_path / "build")}
    env.pop("FORCE_COLOR", None)
    kg = Path(sys.executable).parent / "kg"
    done = subprocess.run([str(kg), "build"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("release ")  # the result alone on standard output
    assert "kg build: ingesting and validating (取り込みと検査): 0 of 1" in done.stderr
    assert "kg build: search index (検索索引): done in" in done.stderr
    assert "\x1b[" not in done.stderr


def _graph(name: str, label: str) -> bytes:
    g = f"<http://example.org/g/{name}>"
    return (f"_:{label} <http://example.org/p> \"{name}\" {g} .\n"
            f"<http://example.org/s/{name}> <http://example.org/q> _:{label} {g} .\n").encode()


def test_batches_end_at_a_graph_end_so_blank_nodes_stay_whole(tmp_path: Path) -> None:
    texts = [_graph(f"g{i}", f"b{i}") for i in range(50)]  # a label per graph, as in the dumps (kg.release.dumps)
    store = ox.Store(str(tmp_path / "store"))
    with BatchLoader(store, batch=300) as loader:  # a batch every two or three graphs
        for text in texts:
            loader.add(text)
        assert loader._queue.qsize() <= 1  # at most one batch waits: memory stays flat
    whole = ox.Store()
    whole.bulk_load(b"".join(texts), format=ox.RdfFormat.N_QUADS)
    assert len(store) == len(whole) == 100
    ask = "SELECT (COUNT(DISTINCT ?b) AS ?n) { GRAPH ?g { ?b <http://example.org/p> ?o . ?s ?q ?b } }"
    for s in (store, whole):  # each graph's blank node is one node, and no two graphs share one
        solutions = s.query(ask)
        assert isinstance(solutions, ox.QuerySolutions)
        assert [int(row["n"].value) for row in solutions] == [50]


def test_a_batch_that_cannot_be_loaded_fails_with_a_store_error(tmp_path: Path) -> None:
    from kg.errors import StoreError

    store = ox.Store(str(tmp_path / "store"))
    with pytest.raises(StoreError, match="could not load the store"), BatchLoader(store, batch=10) as loader:
        loader.add(b"<not a quad\n")
        loader.add(_graph("g", "b"))
