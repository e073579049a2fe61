"""Many files at once (issue 9, point 5): folders and globs, every file read whatever the others do,
a closing table, exit 2 if any failed, and nothing written then unless --keep-going."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.cli.batch import INGESTED_SUFFIXES, Row, expand, print_table
from kg.errors import Problem

from .helpers import KG, SEED, T3

SEED_IRI = "https://w3id.org/renkei/id/agreement/072036-072109-2019-10-18"
T3_IRI = "https://w3id.org/renkei/id/agreement/431001-432083-2022-03-28"


def kg(*args: str | Path, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    return subprocess.run([str(KG), *map(str, args)], capture_output=True, text=True, env=env, timeout=300,
                          check=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two good agreements (one in a subfolder), two bad texts, and files that are not read."""
    root = tmp_path / "agreements"
    (root / "2022").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "koriyama.txt").write_bytes(SEED.read_bytes())
    (root / "2022" / "kumamoto.TXT").write_bytes(T3.read_bytes())
    bad = SEED.read_text(encoding="utf-8").replace("令和元年10月18日", "令和元年13月45日", 1)
    (root / "bad-date.txt").write_text(bad, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "notes.md").write_text("not an agreement\n", encoding="utf-8")
    (root / ".hidden" / "draft.txt").write_bytes(b"")
    return root


def test_a_folder_is_read_recursively_and_every_file_is_reported(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.nq"
    done = kg("ingest", folder, "-o", out, "--lang", "en")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{folder / 'bad-date.txt'}:5: impossible date 「令和元年13月45日」" in done.stderr
    assert f"{folder / 'empty.txt'}:1: empty file" in done.stderr
    assert "notes.md" not in done.stderr and "draft.txt" not in done.stderr
    table = done.stderr[done.stderr.index("file\tagreement\tarticles\tinitiatives\troles\tproblem"):].splitlines()
    assert table[1:5] == [
        f"{folder / '2022' / 'kumamoto.TXT'}\t{T3_IRI}\t5\t9\t18",
        f"{folder / 'bad-date.txt'}\tnot read\t\t\t\t5: impossible date 「令和元年13月45日」 (month 13, day 45)",
        f"{folder / 'empty.txt'}\tnot read\t\t\t\t1: empty file: no text to read",
        f"{folder / 'koriyama.txt'}\t{SEED_IRI}\t6\t19\t38",
    ]
    assert table[5] == "2 of 4 files read, 2 failed."
    assert not out.exists()  # one dataset: nothing is written while a file fails


def test_keep_going_writes_what_was_read_and_still_exits_2(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.nq"
    done = kg("ingest", folder, "-o", out, "--keep-going")
    assert done.returncode == 2
    ds = Dataset()
    ds.parse(out, format="nquads")
    names = {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)}
    assert names == {"072036-072109-2019-10-18", "431001-432083-2022-03-28"}


def test_the_table_and_the_closing_line_are_japanese_under_a_japanese_locale(folder: Path) -> None:
    done = kg("ingest", folder, lang="ja_JP.UTF-8")
    assert done.returncode == 2 and done.stdout == ""
    assert "ファイル\t協約\t条\t取組\t役割\t問題" in done.stderr
    assert "4件中2件を読み取り、2件は読み取れませんでした。" in done.stderr
    assert "何も書き出していません" in done.stderr
    assert "[1/4]" in done.stderr  # four files or more: a line per file when stderr is no terminal


def test_globs_are_expanded_even_when_the_shell_leaves_them(folder: Path) -> None:
    done = kg("ingest", str(folder / "**" / "*.TXT"), str(folder / "k*.txt"), "-f", "nq")
    assert done.returncode == 0, done.stderr
    assert SEED_IRI.replace("/id/", "/graph/") in done.stdout and T3_IRI.replace("/id/", "/graph/") in done.stdout


def test_an_argument_naming_nothing_is_a_problem_and_the_rest_is_still_read(folder: Path) -> None:
    done = kg("ingest", folder / "koriyama.txt", folder / "nothing-*.txt", folder / "absent.txt", "--lang", "ja")
    assert done.returncode == 2
    assert f"{folder / 'nothing-*.txt'}: このパターンに当てはまるファイルがありません。" in done.stderr
    assert f"{folder / 'absent.txt'}: ファイルもフォルダもありません。" in done.stderr
    assert f"{folder / 'koriyama.txt'}\t{SEED_IRI}\t6\t19\t38" in done.stderr


def test_the_same_agreement_twice_fails_the_second_file_only(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    done = kg("ingest", folder / "koriyama.txt", copy, "--lang", "ja")
    assert done.returncode == 2
    assert f"{copy}: {folder / 'koriyama.txt'} と同じ協約（{SEED_IRI}）です。" in done.stderr


def test_validate_takes_a_folder_and_closes_with_a_table(folder: Path) -> None:
    done = kg("validate", folder, "--format", "json", "--lang", "en")
    assert done.returncode == 2
    docs = {Path(d["source"]).name: d for d in map(json.loads, done.stdout.splitlines())}
    assert sorted(docs) == ["bad-date.txt", "empty.txt", "koriyama.txt", "kumamoto.TXT"]
    assert docs["koriyama.txt"]["exit_code"] == 0 and docs["bad-date.txt"]["exit_code"] == 2
    assert docs["bad-date.txt"]["problems"][0]["line"] == 5
    assert "file\tresult\tviolations\twarnings\tinfos\tproblem" in done.stderr
    assert f"{folder / 'koriyama.txt'}\tconforms\t0\t" in done.stderr


def test_expand_finds_every_ingested_file_once_in_name_order(folder: Path) -> None:
    files, problems = expand([folder, folder / "koriyama.txt", str(folder / "*.txt")], INGESTED_SUFFIXES)
    assert [f.relative_to(folder).as_posix() for f in files] == [
        "2022/kumamoto.TXT", "bad-date.txt", "empty.txt", "koriyama.txt"]
    assert problems == []


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    files, [problem] = expand([tmp_path], INGESTED_SUFFIXES)
    assert files == [] and problem.file == str(tmp_path) and "フォルダ" in problem.ja


def test_the_table_counts_more_problems_than_the_first(tmp_path: Path) -> None:
    out = tmp_path / "table.txt"
    problem = Problem("日付がありません。", "no date", "a.txt", 3)
    with out.open("w", encoding="utf-8") as stream:
        print_table([Row("a.txt", problem=problem, more=2), Row("b.txt", "iri", (1, 2, 3))],
                    ("ファイル", "協約", "条", "取組", "役割", "問題"), "ja", stream)
    assert out.read_text(encoding="utf-8").splitlines()[1:] == [
        "a.txt\t読めません\t\t\t\t3: 日付がありません。（ほか2件）", "b.txt\tiri\t1\t2\t3",
        "2件中1件を読み取り、1件は読み取れませんでした。"]
