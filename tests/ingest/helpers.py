"""Shared helpers of the ingester's tests: fixture paths, SPARQL over a graph, the real ``kg``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rdflib import Graph

from kg.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "ingest"
SEED = DATA / "koriyama-nihonmatsu-2019.txt"
T2 = DATA / "t2-field-policy-columns.txt"
T3 = DATA / "t3-three-annex-tables.txt"
T4 = DATA / "t4-cost-sharing-columns.txt"
I1 = DATA / "i1-inline-nested.txt"
P = DATA / "p-default-division.txt"
#: Every layout's fixture text, by layout name.
BY_LAYOUT = {"T1": SEED, "T2": T2, "T3": T3, "T4": T4, "I1": I1, "P": P}
KG = Path(sys.executable).parent / "kg"  # the console script the venv installs
AGREEMENT = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"

_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + \
    "PREFIX rid: <https://w3id.org/renkei/id/>\n"


def select(graph: Graph, query: str) -> list[tuple[object, ...]]:
    """Rows of a SELECT over ``graph`` with the project's prefixes, values as Python objects."""
    return [tuple(v.toPython() if v is not None else None for v in row)  # type: ignore[union-attr]
            for row in graph.query(_PROLOGUE + query)]


def ask(graph: Graph, query: str) -> bool:
    """The answer of an ASK over ``graph`` with the project's prefixes."""
    return bool(graph.query(_PROLOGUE + query).askAnswer)


def run_kg(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``kg`` command, as a user would."""
    return subprocess.run([str(KG), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=120, check=False)
