"""``kg push`` on the command line: what it prints, its JSON report, and its refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kg.cli.push import register
from kg.errors import StoreError

from .conftest import Pushes, Virtuoso

pytestmark = pytest.mark.virtuoso


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def root() -> None:
        """Make ``push`` a subcommand, as it is under ``kg``."""

    return app


def _invoke(app: typer.Typer, build_dir: Path, *args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(app, ["push", *args], env={"KG_BUILD_DIR": str(build_dir)})
    return result.exit_code, result.output, result.exception


def _args(virtuoso: Virtuoso) -> list[str]:
    return ["--endpoint", virtuoso.gsp, "--query-endpoint", virtuoso.query,
            "--auth", f"{virtuoso.user}:{virtuoso.password}"]


def test_push_prints_each_graph_replaced_with_its_counts(app: typer.Typer, build_dir: Path, pushed: Pushes,
                                                         virtuoso: Virtuoso) -> None:
    code, out, _ = _invoke(app, build_dir, *_args(virtuoso))
    assert code == 0, out
    graphs = {c.graph: c.sent for c in pushed.first.changes}
    for graph, n in graphs.items():
        assert f"replace {graph}  {n} → {n} triples" in out
    assert f"0 created, {len(graphs)} replaced" in out and "remote counts match" in out


def test_push_json_report_lists_before_sent_and_after(app: typer.Typer, build_dir: Path, pushed: Pushes,
                                                      virtuoso: Virtuoso) -> None:
    code, out, _ = _invoke(app, build_dir, *_args(virtuoso), "--format", "json", "--dry-run")
    assert code == 0, out
    report = json.loads(out)
    assert report["dry_run"] is True and report["stale"] == {}
    assert all(g["before"] == g["sent"] and g["after"] is None for g in report["graphs"])


def test_push_takes_credentials_from_the_environment(app: typer.Typer, build_dir: Path, pushed: Pushes,
                                                     virtuoso: Virtuoso) -> None:
    result = CliRunner().invoke(app, ["push", "--endpoint", virtuoso.gsp, "--dry-run"],
                                env={"KG_BUILD_DIR": str(build_dir),
                                     "KG_PUSH_AUTH": f"{virtuoso.user}:{virtuoso.password}"})
    assert result.exit_code == 0, result.output
    assert "stale graphs: not checked" in result.output  # no query endpoint: counted by GET


def test_wrong_password_is_a_store_error_not_a_traceback(app: typer.Typer, build_dir: Path,
                                                         virtuoso: Virtuoso) -> None:
    _, _, error = _invoke(app, build_dir, "--endpoint", virtuoso.gsp, "--auth", "kg_push:wrong")
    # kg.cli.main prints a KgError's message and exits with its code; here it reaches the runner.
    assert isinstance(error, StoreError) and "HTTP 401" in str(error) and virtuoso.gsp in str(error)


@pytest.mark.parametrize("args", [
    pytest.param(["--auth", "no-colon"], id="auth-without-colon"),
    pytest.param(["--auth-scheme", "ntlm"], id="unknown-auth-scheme"),
    pytest.param(["--format", "xml"], id="unknown-format"),
])
def test_bad_option_is_a_usage_error(app: typer.Typer, build_dir: Path, virtuoso: Virtuoso,
                                     args: list[str]) -> None:
    code, out, _ = _invoke(app, build_dir, "--endpoint", virtuoso.gsp, *args)
    assert code == 2, out


def _kg(build_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` through the real entry point (kg.cli.main), as a user runs it."""
    env = {**os.environ, "KG_BUILD_DIR": str(build_dir)}
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=300, check=False)


def test_kg_push_reports_a_refused_write_in_one_line_and_exit_code_2(build_dir: Path, pushed: Pushes,
                                                                     virtuoso: Virtuoso) -> None:
    done = _kg(build_dir, "push", "--endpoint", virtuoso.gsp, "--auth", "kg_push:wrong")
    assert done.returncode == StoreError.exit_code == 2
    assert "Traceback" not in done.stderr
    # Without --query-endpoint the first request is the GET that counts the first graph.
    assert done.stderr.startswith(f"GET {virtuoso.gsp} graph <") and "HTTP 401" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1


def test_kg_push_dry_run_through_the_entry_point(build_dir: Path, pushed: Pushes, virtuoso: Virtuoso) -> None:
    done = _kg(build_dir, "push", *_args(virtuoso), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "dry run: nothing written" in done.stdout
