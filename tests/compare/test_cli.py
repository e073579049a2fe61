"""``kg compare`` and ``kg chart`` on the fixture dataset (the store is swapped in for the build's)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import typer
from typer.testing import CliRunner

from kg.cli import chart as chart_cli
from kg.cli import compare as compare_cli
from kg.compare import StoreSource, UnknownAgreementError, compare
from kg.compare.textdiff import display_width
from kg.namespaces import Ids

from .conftest import KORIYAMA, KUMAMOTO

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def app(source: StoreSource, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setattr(compare_cli, "source_for", lambda endpoint, settings: source)
    monkeypatch.setattr(chart_cli, "source_for", lambda endpoint, settings: source)
    monkeypatch.setenv("KG_BASE_IRI", "https://w3id.org/renkei/")
    app = typer.Typer()
    compare_cli.register(app)
    chart_cli.register(app)
    return app


def run(app: typer.Typer, *args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_table_shows_both_agreements_and_marks_changes_without_colour(app: typer.Typer) -> None:
    out = run(app, "compare", KORIYAMA, KUMAMOTO, "--no-color", "--width", "120")
    assert "郡山市と二本松市との連携中枢都市圏形成に係る連携協約" in out and "熊本市" in out
    assert "共通の分類 8: 1.a 1.b 1.d 2.a 2.b 3.A.3 3.A.4 3.A.7" in out
    assert "[-郡山市-]" in out and "{+甲+}" in out
    assert "\x1b[" not in out


def test_table_is_coloured_on_request(app: typer.Typer) -> None:
    out = run(app, "compare", KORIYAMA, KUMAMOTO, "--color")
    assert "\x1b[31;9m郡山市\x1b[0m" in out


@pytest.mark.parametrize("width", [80, 120, 200])
def test_table_lines_fit_the_width(source: StoreSource, ids: Ids, width: int) -> None:
    text = compare_cli.render_table(compare(source, ids, KORIYAMA, KUMAMOTO), width, colour=True)
    body = [ANSI.sub("", line) for line in text.splitlines() if " | " in line]
    assert body and max(display_width(line) for line in body) <= width


def test_wrapped_lines_never_start_with_closing_punctuation() -> None:
    lines = compare_cli.wrap([("", "あいうえおかきくけこ、さしすせそ。")], 20)
    assert ["".join(t for _, t in line) for line in lines] == ["あいうえおかきくけこ、", "さしすせそ。"]


def test_json_and_csv_formats(app: typer.Typer) -> None:
    data = json.loads(run(app, "compare", KORIYAMA, KUMAMOTO, "--format", "json"))
    assert data["summary"]["only_b_categories"] == ["3.C.1"]
    rows = list(csv.reader(io.StringIO(run(app, "compare", KORIYAMA, KUMAMOTO, "--format", "csv"))))
    assert rows[0][0] == "match" and len(rows) == len(data["rows"]) + 1


def test_unknown_agreement_is_a_kg_error_naming_it(app: typer.Typer) -> None:
    with pytest.raises(UnknownAgreementError, match="no agreement '999999'"):
        CliRunner().invoke(app, ["compare", "999999", KUMAMOTO], catch_exceptions=False)


@pytest.mark.parametrize("chart", ["coverage", "timeline"])
def test_chart_writes_svg_to_a_file_or_stdout(app: typer.Typer, tmp_path: Path, chart: str) -> None:
    out = tmp_path / f"{chart}.svg"
    run(app, "chart", chart, "-o", str(out))
    assert ElementTree.parse(out).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert run(app, "chart", chart).startswith("<?xml")


def test_chart_coverage_by_area(app: typer.Typer) -> None:
    root = ElementTree.fromstring(run(app, "chart", "coverage", "--by", "areas").encode())
    assert "圏域" in "".join(root.itertext())
