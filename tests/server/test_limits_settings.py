"""KG_CACHE_BYTES, KG_VALIDATE_TIMEOUT and KG_QUERY_MEMORY reach the server (kg/settings.py,
kg/server/app.py); a wrong setting is a message naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kg import settings as settings_module
from kg.errors import InputError
from kg.server.app import create_app
from kg.server.pool import QueryPool
from kg.server.validator import MIN_TIME_LIMIT_S
from kg.settings import MIN_QUERY_MEMORY, Settings
from tests.server.conftest import start_server

ASK = "ASK { ?s ?p ?o }"


def test_cache_bytes_zero_keeps_no_answer(build_dir: Path) -> None:
    for server in start_server(build_dir, KG_CACHE_BYTES="0"):
        for _ in range(2):
            assert httpx.get(f"{server.url}/sparql", params={"query": ASK}, timeout=30).status_code == 200
        cache = httpx.get(f"{server.url}/health", timeout=30).json()["cache"]
        assert cache["answers"] == 0 and cache["hits"] == 0


def test_answers_are_kept_by_default(build_dir: Path) -> None:
    for server in start_server(build_dir):
        for _ in range(2):
            assert httpx.get(f"{server.url}/sparql", params={"query": ASK}, timeout=30).status_code == 200
        cache = httpx.get(f"{server.url}/health", timeout=30).json()["cache"]
        assert cache["answers"] >= 1 and cache["hits"] >= 1


def test_validate_timeout_overrides_the_query_timeout(build_dir: Path) -> None:
    app = create_app(Settings(build_dir=build_dir, query_timeout=30, validate_timeout=2.5))
    assert app.state.validator.time_limit == 2.5
    app = create_app(Settings(build_dir=build_dir, query_timeout=3))
    assert app.state.validator.time_limit == MIN_TIME_LIMIT_S


def test_query_memory_defaults_to_half_the_machine_shared_by_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_QUERY_MEMORY", raising=False)
    monkeypatch.setattr(settings_module, "machine_memory", lambda: 24 * 2**30)
    assert Settings(workers=2).query_memory_bytes == 6 * 2**30
    assert Settings(workers=4).query_memory_bytes == 3 * 2**30
    monkeypatch.setattr(settings_module, "machine_memory", lambda: 0)  # a platform that does not say
    assert Settings(workers=2).query_memory_bytes == MIN_QUERY_MEMORY
    assert Settings(query_memory=2**30).query_memory_bytes == 2**30


def test_the_query_pool_takes_its_memory_limit_from_the_settings(monkeypatch: pytest.MonkeyPatch,
                                                                 build_dir: Path) -> None:
    monkeypatch.setenv("KG_QUERY_MEMORY", str(512 * 2**20))
    assert QueryPool(build_dir / "current" / "store", 2, 5.0).memory_limit == 512 * 2**20
    assert QueryPool(build_dir / "current" / "store", 2, 5.0, memory_limit=None).memory_limit is None


def test_a_wrong_setting_is_a_message_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_QUERY_MEMORY", "1000")
    monkeypatch.setenv("KG_MAX_URL_BYTES", "lots")
    with pytest.raises(InputError) as wrong:
        Settings.from_env()
    assert "KG_QUERY_MEMORY='1000'" in wrong.value.message and "KG_MAX_URL_BYTES='lots'" in wrong.value.message
    assert wrong.value.ja and "設定" in wrong.value.ja


def test_kg_serve_says_which_setting_is_wrong(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store", str(tmp_path)]
    result = subprocess.run(command, env={**os.environ, "KG_HEADER_TIMEOUT": "-1"}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2, result.stderr
    assert "KG_HEADER_TIMEOUT" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["build"], ["query", "ASK {}"], ["validate", "x.ttl"], ["--help"]])
def test_every_command_says_which_setting_is_wrong(command: list[str], tmp_path: Path) -> None:
    script = [sys.executable, "-c", "from kg.cli import main; main()", *command]
    result = subprocess.run(script, env={**os.environ, "KG_WORKERS": "many"}, capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "KG_WORKERS='many'" in result.stderr and "Traceback" not in result.stderr
