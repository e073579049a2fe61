"""``kg query`` on a local release (the same checks as the endpoint) and ``kg serve``'s registration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kg.cli import query as query_cli
from kg.cli import serve as serve_cli
from kg.errors import QueryRefused

AGREEMENTS = (
    "SELECT ?t { ?a a <https://w3id.org/renkei/ns#Agreement> ; "
    "<http://data.europa.eu/eli/ontology#title> ?t }"
)


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    query_cli.register(app)
    serve_cli.register(app)
    return app


def test_query_prints_an_aligned_table(cli: typer.Typer, fixture_release: Path) -> None:
    r = CliRunner().invoke(cli, ["query", AGREEMENTS, "--store", str(fixture_release)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("?t") and set(lines[1]) <= {"-", " "}
    assert "郡山市と二本松市との連携中枢都市圏形成に係る連携協約" in lines[2]


@pytest.mark.parametrize(("fmt", "check"), [("json", "bindings"), ("csv", "t\n郡山市")])
def test_query_writes_json_and_csv(cli: typer.Typer, fixture_release: Path, fmt: str, check: str) -> None:
    r = CliRunner().invoke(cli, ["query", AGREEMENTS, "--format", fmt, "--store", str(fixture_release)])
    assert r.exit_code == 0 and check in r.output
    if fmt == "json":
        assert len(json.loads(r.output)["results"]["bindings"]) == 1


def test_query_reads_a_file_and_writes_turtle_for_construct(
    cli: typer.Typer, fixture_release: Path, tmp_path: Path
) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("DESCRIBE <https://w3id.org/renkei/id/municipality/072036>", encoding="utf-8")
    r = CliRunner().invoke(cli, ["query", "--file", str(rq), "--store", str(fixture_release)])
    assert r.exit_code == 0 and '"郡山市"@ja' in r.output


def test_query_refuses_updates_like_the_endpoint(cli: typer.Typer, fixture_release: Path) -> None:
    r = CliRunner().invoke(cli, ["query", "DROP ALL", "--store", str(fixture_release)])
    assert isinstance(r.exception, QueryRefused)  # kg.cli.main prints it and exits 2


def test_serve_is_registered_with_its_options(cli: typer.Typer) -> None:
    r = CliRunner().invoke(cli, ["serve", "--help"])
    assert r.exit_code == 0
    assert "--host" in r.output and "--port" in r.output and "--store" in r.output
