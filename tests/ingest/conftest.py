"""Fixtures for the ingester's tests: settings and the fixture text of each layout, ingested once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.ingest import IngestResult, ingest_bytes, ingest_file
from kg.settings import Settings

from .helpers import I1, SEED, T2, T3, T4, P


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def seed(settings: Settings) -> IngestResult:
    return ingest_file(SEED, settings)


@pytest.fixture(scope="session")
def t3(settings: Settings) -> IngestResult:
    return ingest_file(T3, settings)


@pytest.fixture(scope="session")
def i1(settings: Settings) -> IngestResult:
    return ingest_file(I1, settings)


@pytest.fixture(scope="session")
def t2(settings: Settings) -> IngestResult:
    return ingest_file(T2, settings)


@pytest.fixture(scope="session")
def t4(settings: Settings) -> IngestResult:
    return ingest_file(T4, settings)


@pytest.fixture(scope="session")
def p(settings: Settings) -> IngestResult:
    return ingest_file(P, settings)


@pytest.fixture
def ingest_text(settings: Settings) -> Callable[..., IngestResult]:
    """Ingest a text given as str (UTF-8) under a file name."""
    def run(text: str, name: str = "case.txt") -> IngestResult:
        return ingest_bytes(text.encode("utf-8"), name, settings)
    return run

