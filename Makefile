# pathways: two commands on a fresh machine with Python 3.11 and pip.
#   make demo   create .venv, install, run the main job on the bundled pilot graph
#   make test   create .venv, install, run ruff, mypy --strict and the test suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install system-deps demo test lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Graphviz draws the SVG pathway diagrams (pathways export --to svg). Installed from
# Debian's packages when missing and we may (root); otherwise SVG export says how.
system-deps:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz (apt-get)"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else echo "graphviz not found: SVG export needs it (apt-get install graphviz)"; fi; }

demo: install system-deps
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

unit: install system-deps
	$(BIN)/pytest -q

test: lint typecheck unit

bench: install
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache .hypothesis
