# Set-up is one idempotent target; `make serve` and `make test` depend on it.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup serve build test lint regen-queries demo clean bench bench-quick

$(STAMP): pyproject.toml kg/server/package-lock.json scripts/system-packages.sh
	@# Debian packages for OCR and the test documents' fonts (installs when root; else says what is missing).
	bash scripts/system-packages.sh
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@# Front-end libraries for the query page come from the npm registry, never a CDN; without
	@# npm the page falls back to a plain textarea.
	if command -v npm >/dev/null 2>&1; then npm ci --prefix kg/server --no-audit --no-fund --silent; fi
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/kg build

serve: setup
	$(BIN)/kg serve

# The demo: published texts with the composed test texts, built apart (build/demo/, base
# https://w3id.org/renkei/demo/) and served; every page says it is composed (docs/queries.md).
demo: setup
	$(BIN)/kg demo

# The coverage floor is the suite's figure when it was set (85.6–85.8 % in two fresh-clone runs of
# .ci/run, 2026-12-07), less a small margin: a change that drops it fails the run.
COVERAGE_FLOOR := 84
test: setup
	$(BIN)/python -m pytest -q --cov=kg --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

# Every figure of issue 13 side by side (build, queries on each engine, search, load): about an hour at
# 4,000 agreements; bench-quick is a three-minute smoke run at 40 (docs/perf/, bench/README.md).
# The search step measures SudachiPy and tantivy too (pyproject's `bench` extra): installed once.
$(VENV)/.bench-installed: $(STAMP) pyproject.toml
	$(BIN)/pip install -q -e '.[bench]'
	touch $@

bench: $(VENV)/.bench-installed
	nice $(BIN)/python bench/issue13.py

bench-quick: $(VENV)/.bench-installed
	nice $(BIN)/python bench/issue13.py --quick

lint: setup
	$(BIN)/ruff check kg tests
	$(BIN)/mypy

# Rewrite queries/expected/* and docs/queries.md after a deliberate change; review the diff by eye.
regen-queries: setup
	$(BIN)/python -m tests.queries.regen

clean:
	rm -rf build
