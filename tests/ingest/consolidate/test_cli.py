"""``kg consolidate`` and ``kg ingest`` with amendments, as a user runs them.

Until ``kg consolidate`` is registered in kg/cli/__init__.py (the lead's file), it is run through
the same ``kg.cli.main`` with the command added first; once registered, the installed ``kg``.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from .conftest import AMENDMENT, SEED

KG = Path(sys.executable).parent / "kg"
KEY = "072036-072109-2019-10-18"
ROW = URIRef(f"https://w3id.org/renkei/id/agreement/{KEY}/initiative/3-5")
SHIM = ("import sys\nfrom kg.cli import app, main\nfrom kg.cli import consolidate\n"
        "consolidate.register(app)\nmain(sys.argv[1:])")


@cache
def _registered() -> bool:
    """True once the installed ``kg`` knows ``consolidate``."""
    result = subprocess.run([str(KG), "--help"], capture_output=True, text=True, timeout=60, check=False)
    return " consolidate " in result.stdout


def _kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [str(KG)] if args[0] != "consolidate" or _registered() else [sys.executable, "-c", SHIM]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=120, check=False)


def test_consolidate_prints_the_amended_row_from_the_day_it_takes_effect() -> None:
    before = _kg("consolidate", KEY, "--on", "2020-07-07", "--from", SEED, "--from", AMENDMENT)
    after = _kg("consolidate", KEY, "--on", "令和2年7月8日", "--from", SEED, "--from", AMENDMENT)
    assert before.returncode == 0 and after.returncode == 0, before.stderr + after.stderr
    titles = [Graph().parse(data=r.stdout, format="turtle").value(ROW, DCTERMS.title) for r in (before, after)]
    assert titles == [Literal("災害対策・住民の安全安心確保", lang="ja"),
                      Literal("災害・感染症対策・住民の安全安心確保", lang="ja")]


def test_consolidate_reads_rdf_files_and_writes_sorted_n_triples(tmp_path: Path) -> None:
    out = tmp_path / "both.nq"
    ingested = subprocess.run([str(KG), "ingest", SEED, AMENDMENT, "-o", out], capture_output=True, text=True,
                              timeout=120, check=False)
    assert ingested.returncode == 0, ingested.stderr
    result = _kg("consolidate", f"https://w3id.org/renkei/id/agreement/{KEY}", "--on", "2020-07-08", "--from", out,
                 "-f", "nt")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == sorted(lines) and any("災害・感染症対策" in line for line in lines)


def test_consolidate_refuses_a_bad_date_and_an_unknown_agreement() -> None:
    bad_date = _kg("consolidate", KEY, "--on", "yesterday", "--from", SEED)
    unknown = _kg("consolidate", "072036-072109-2019-10-19", "--on", "2020-07-08", "--from", SEED)
    for result, words in ((bad_date, "not a date"), (unknown, "no agreement")):
        assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr


def _bad_amendment(tmp_path: Path) -> Path:
    bad = tmp_path / "bad-amendment.txt"
    bad.write_text(AMENDMENT.read_text(encoding="utf-8").replace("「災害対策」を", "「災害予防」を"), encoding="utf-8")
    return bad


def test_consolidate_names_the_line_of_an_amendment_that_cannot_be_applied(tmp_path: Path) -> None:
    bad = _bad_amendment(tmp_path)
    result = _kg("consolidate", KEY, "--on", "2020-07-08", "--from", SEED, "--from", bad)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("bad-amendment.txt:5 change 1: ") and "「災害予防」 does not occur" in result.stderr


def test_ingest_refuses_an_amendment_that_cannot_be_applied_to_the_agreement_beside_it(tmp_path: Path) -> None:
    bad = _bad_amendment(tmp_path)
    alone = subprocess.run([str(KG), "ingest", bad], capture_output=True, text=True, timeout=120, check=False)
    together = subprocess.run([str(KG), "ingest", SEED, bad], capture_output=True, text=True, timeout=120, check=False)
    assert alone.returncode == 0, alone.stderr  # the agreement is not there to check against
    assert together.returncode == 2 and together.stderr.startswith("bad-amendment.txt:5 change 1: ")
    assert together.stdout == ""
