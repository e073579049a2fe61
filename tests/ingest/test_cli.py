"""``kg ingest`` as a user runs it: the installed command, exit codes, messages, output files."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from .helpers import AGREEMENT, SEED, T3, run_kg

TEXT = SEED.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def _replace_line(number: int, new: str) -> str:
    lines = list(LINES)
    lines[number - 1] = new
    return "\n".join(lines)


def _drop_last_cell(number: int) -> str:
    return _replace_line(number, LINES[number - 1].rsplit("\t", 1)[0])


# (case id, file content, line the message must name, words it must contain)
NEGATIVE: list[tuple[str, Callable[[], bytes], int, str]] = [
    ("empty-file", lambda: b"", 1, "empty"),
    ("binary-file", lambda: b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), 1, "binary"),
    ("no-articles", lambda: "お知らせ\n\n本日の会議は中止します。\n".encode(), 3, "no article"),
    ("impossible-date", lambda: _replace_line(5, "令和元年13月45日").encode(), 5, "13月45日"),
    ("annex-row-missing-column", lambda: _drop_last_cell(87).encode(), 87, "3 columns"),
    ("duplicated-article", lambda: _replace_line(33, LINES[32].replace("第5条", "第4条")).encode(), 33,
     "第4条 appears twice"),
    ("unknown-municipality", lambda: TEXT.replace("二本松市", "二本杉市").encode(), 11, "二本杉市"),
    ("undecodable", lambda: _replace_line(9, "\udcff" + LINES[8]).encode("utf-8", "surrogateescape"), 9,
     "0xff"),
]


@pytest.mark.parametrize(("content", "line", "words"), [c[1:] for c in NEGATIVE],
                         ids=[c[0] for c in NEGATIVE])
def test_unreadable_text_exits_2_with_file_line_message(tmp_path: Path, content: Callable[[], bytes],
                                                        line: int, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content())
    result = run_kg("ingest", path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    # kg.errors prints FILE:LINE, then the article or annex row when known, then the message.
    assert re.match(rf"{re.escape(str(path))}:{line}(?: [^:]+)?: ", result.stderr), result.stderr
    assert words in result.stderr
    assert result.stdout == ""


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    result = run_kg("ingest", tmp_path / "absent.txt")
    assert result.returncode == 2 and "absent.txt: no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_failure_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    out.write_text("previous contents\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(_replace_line(5, "令和元年13月45日"), encoding="utf-8")
    result = run_kg("ingest", SEED, bad, "-o", out)
    assert result.returncode == 2
    assert out.read_text(encoding="utf-8") == "previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "out.ttl"]  # no temp file left


def test_output_file_is_written_in_the_format_asked(tmp_path: Path) -> None:
    out = tmp_path / "seed.nt"
    result = run_kg("ingest", SEED, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    graph = Graph().parse(out, format="nt")
    assert (None, None, None) in graph and len(graph) > 600


def test_stdout_is_turtle_by_default() -> None:
    result = run_kg("ingest", SEED)
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert any(str(s) == AGREEMENT for s in graph.subjects())


@pytest.mark.parametrize("fmt", ["nq", "trig", "jsonld"])
def test_several_files_keep_their_named_graphs(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"both.{fmt}"
    result = run_kg("ingest", SEED, T3, "-o", out, "--format", fmt)
    assert result.returncode == 0, result.stderr
    ds = Dataset()
    ds.parse(out, format={"nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt])
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {"https://w3id.org/renkei/graph/agreement/072036-072109-2019-10-18",
                     "https://w3id.org/renkei/graph/agreement/431001-432083-2022-03-28"}


def test_several_files_in_turtle_merge_their_triples(tmp_path: Path) -> None:
    result = run_kg("ingest", SEED, T3, "--format", "ttl")
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    agreements = {str(s) for s in graph.subjects() if str(s).rsplit("/", 2)[-2] == "agreement"}
    assert len(agreements) == 2


def test_same_agreement_twice_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    result = run_kg("ingest", SEED, copy)
    assert result.returncode == 2 and "same agreement" in result.stderr
    assert "Traceback" not in result.stderr


def test_n_triples_output_is_sorted_and_stable() -> None:
    first, second = run_kg("ingest", SEED, "-f", "nt"), run_kg("ingest", SEED, "-f", "nt")
    assert first.stdout == second.stdout
    lines = first.stdout.splitlines()
    assert lines == sorted(lines)
