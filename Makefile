# pathways: two commands on a fresh machine with Python 3.11 and pip.
#   make demo   create .venv, install, run the main job on the bundled pilot graph
#   make test   create .venv, install, run ruff, mypy --strict and the test suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	@echo "== pathways info (the bundled pilot knowledge graph)"
	$(BIN)/pathways info
	@echo
	@echo "== micro-credentials per country and EQF level (SPARQL)"
	$(BIN)/pathways query examples/credentials-by-country.rq
	@echo
	@echo "== a persistent store: load once, query many times"
	rm -rf $(VENV)/demo-store
	$(BIN)/pathways load data/ --store $(VENV)/demo-store
	$(BIN)/pathways query examples/hv-ladder.rq --store $(VENV)/demo-store

lint: install
	$(BIN)/ruff check pathways tests bench
	$(BIN)/ruff format --check pathways tests bench

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

test: lint typecheck unit

bench: install
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache .hypothesis
