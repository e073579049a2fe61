"""Golden files: every tests/data/ingest/<case>.txt (or .html) gives exactly the graph in <case>.ttl.

Refresh them deliberately with ``.venv/bin/python tests/ingest/regen_goldens.py`` and review the
diff by eye.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.ingest import ingest_file
from kg.settings import Settings

from .helpers import DATA

CASES = sorted(p for p in (*DATA.glob("*.txt"), *DATA.glob("*.html")) if p.with_suffix(".ttl").exists())


def test_golden_folder_is_not_empty() -> None:
    assert len(CASES) >= 8 and any(p.suffix == ".html" for p in CASES), f"golden cases missing in {DATA}"


@pytest.mark.parametrize("text", CASES, ids=lambda p: p.stem)
def test_ingest_matches_golden(text: Path, settings: Settings) -> None:
    got = ingest_file(text, settings).graph
    want = Graph().parse(text.with_suffix(".ttl"), format="turtle")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        pytest.fail("graph differs from golden (regen with tests/ingest/regen_goldens.py if meant):\n"
                    f"only in output:\n{only_got.serialize(format='nt')}\n"
                    f"only in golden:\n{only_want.serialize(format='nt')}")


def test_ingest_is_deterministic(settings: Settings) -> None:
    text = CASES[0]
    a = ingest_file(text, settings).graph.serialize(format="nt")
    b = ingest_file(text, settings).graph.serialize(format="nt")
    assert sorted(a.splitlines()) == sorted(b.splitlines())
