"""KG_CACHE_BYTES and KG_VALIDATE_TIMEOUT reach the server (kg/settings.py, kg/server/app.py)."""

from __future__ import annotations

from pathlib import Path

import httpx

from kg.server.app import create_app
from kg.server.validator import MIN_TIME_LIMIT_S
from kg.settings import Settings
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
