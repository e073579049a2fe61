"""``kg validate`` as a user runs it: the installed ``kg`` command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph
from validate_inputs import AMENDMENT_TEXT, SEED

from kg.ingest import ingest_file
from kg.namespaces import ELI, SH
from kg.settings import Settings

KG = str(Path(sys.executable).with_name("kg"))


def kg(*args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    return subprocess.run([KG, "validate", *args], capture_output=True, text=True, env=env, timeout=120)


def test_founding_agreement_text_exits_zero() -> None:
    done = kg(str(SEED))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"{SEED}: conforms")


def test_amendment_text_exits_zero() -> None:
    done = kg(str(AMENDMENT_TEXT))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"{AMENDMENT_TEXT}: conforms (0 warnings, 0 infos)")


def test_amendment_without_eli_amends_exits_one_naming_the_rule_in_both_languages(tmp_path: Path) -> None:
    result = ingest_file(AMENDMENT_TEXT, Settings())
    result.graph.remove((result.agreement, ELI.amends, None))
    path = tmp_path / "amendment-without-amends.ttl"
    result.graph.serialize(path, format="turtle")
    ja, en = kg(str(path), "--lang", "ja"), kg(str(path), "--lang", "en")
    assert (ja.returncode, en.returncode) == (1, 1), ja.stderr + en.stderr
    assert ("amendment-koriyama-nihonmatsu-2020.txt: 違反 [AM-05-amends-one-agreement] 変更協約全体: "
            "変更する協約（IRI）がちょうど一つではありません。") in ja.stdout
    assert ("Violation [AM-05-amends-one-agreement] amending agreement (変更協約全体): The amending agreement "
            "does not name exactly one agreement (by its IRI) that it amends.") in en.stdout


def test_missing_actor_exits_one_naming_the_annex_row_in_both_languages(rdf_files: dict[str, Path]) -> None:
    ja = kg(str(rdf_files["without-actor"]), "--lang", "ja")
    en = kg(str(rdf_files["without-actor"]), "--lang", "en")
    assert (ja.returncode, en.returncode) == (1, 1), ja.stderr + en.stderr
    assert "違反 [IN-08-one-role-per-party] 別表 3-(8) 二本松市の役割: 二本松市の役割がないか" in ja.stdout
    assert ("Violation [IN-08-one-role-per-party] annex row 3-(8), role of Nihonmatsu City "
            "(別表 3-(8) 二本松市の役割): The role of Nihonmatsu City is missing") in en.stdout
    for done in (ja, en):  # the row's line in the source text the RDF was ingested from
        assert "koriyama-nihonmatsu-2019.txt:" in done.stdout


def test_language_defaults_to_the_locale(rdf_files: dict[str, Path]) -> None:
    assert "不適合" in kg(str(rdf_files["without-actor"]), lang="ja_JP.UTF-8").stdout
    assert "does not conform" in kg(str(rdf_files["without-actor"]), lang="C.UTF-8").stdout


@pytest.mark.parametrize("name, content, message", [
    ("garbage.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd", "garbage.ttl:1: not UTF-8 text"),
    ("syntax.ttl", b"@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n",
     "syntax.ttl:3: not valid Turtle"),
    ("empty.nt", b"", "empty.nt: empty file"),
    ("garbage.txt", bytes(range(256)) * 4, "garbage.txt"),
], ids=["binary", "turtle-syntax", "empty", "binary-text"])
def test_unusable_input_exits_two_with_file_and_line_and_no_traceback(tmp_path: Path, name: str,
                                                                      content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    done = kg(str(path))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_json_format_carries_the_same_results_as_text(rdf_files: dict[str, Path]) -> None:
    done = kg(str(rdf_files["without-actor"]), "--format", "json", "--lang", "en")
    assert done.returncode == 1
    [doc] = [json.loads(line) for line in done.stdout.splitlines()]
    text = kg(str(rdf_files["without-actor"]), "--lang", "en").stdout
    assert doc["exit_code"] == 1 and doc["conforms"] is False
    assert len(doc["results"]) == text.count("    how to fix: ")
    for result in doc["results"]:
        assert f"[{result['shape_id']}] {result['location']['en']}: {result['message']['en']}" in text


def test_ttl_format_parses_as_a_shacl_validation_report(rdf_files: dict[str, Path]) -> None:
    done = kg(str(rdf_files["without-actor"]), "--format", "ttl")
    assert done.returncode == 1
    g = Graph().parse(data=done.stdout, format="turtle")
    [report] = g.subjects(RDF.type, SH.ValidationReport)
    assert str(g.value(report, SH.conforms)) == "false"
    assert len(list(g.objects(report, SH.result))) >= 2


def test_several_files_give_one_report_each_and_the_worst_exit_code(tmp_path: Path,
                                                                    rdf_files: dict[str, Path]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle at all\n", encoding="utf-8")
    done = kg(str(rdf_files["whole"]), str(rdf_files["without-actor"]), "--format", "json")
    assert done.returncode == 1
    assert [json.loads(line)["exit_code"] for line in done.stdout.splitlines()] == [0, 1]
    done = kg(str(rdf_files["whole"]), str(bad), str(rdf_files["without-actor"]), "--format", "json")
    assert done.returncode == 2
    docs = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["exit_code"] for d in docs] == [0, 2, 1]
    assert docs[1]["error"]["file"] == str(bad) and docs[1]["error"]["line"] == 1
