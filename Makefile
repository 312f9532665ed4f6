# pathways: two commands on a fresh machine with Python 3.11 and pip.
#   make demo   create .venv, install, run the main job on the bundled pilot graph
#   make test   create .venv, install, run ruff, mypy --strict and the test suite
#   make serve  create .venv, install, serve the web explorer on http://127.0.0.1:8000/
#   make messages  extract the explorer's interface strings, update and compile the catalogues

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install system-deps demo serve test lint typecheck unit bench messages screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Graphviz draws the SVG pathway diagrams (pathways export --to svg); Debian's chromium
# is the browser of the web explorer's browser tests (tests/web/test_browser.py, which
# Playwright drives; they are skipped without it). Installed from Debian's packages
# when missing and we may (root); otherwise each says how.
system-deps:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz (apt-get)"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else echo "graphviz not found: SVG export needs it (apt-get install graphviz)"; fi; }
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (apt-get)"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not found: the browser tests are skipped (apt-get install chromium)"; fi; }

demo: install system-deps
	@mkdir -p $(VENV)/demo
	@echo "== pathways info: the bundled pilot knowledge graph"
	$(BIN)/pathways info
	@echo
	@echo "== SPARQL: micro-credentials per country and EQF level"
	$(BIN)/pathways query examples/credentials-by-country.rq
	@echo
	@echo "== a persistent store: load once, query many times"
	rm -rf $(VENV)/demo/store
	$(BIN)/pathways load data/ --store $(VENV)/demo/store
	$(BIN)/pathways query examples/hv-ladder.rq --store $(VENV)/demo/store
	@echo
	@echo "== QA: pathway conditionality (exit 1 is expected: the pilot has defective courses)"
	$(BIN)/pathways validate --store $(VENV)/demo/store --profile conditionality \
	    --format csv -o $(VENV)/demo/conditionality.csv; test $$? -le 1
	$(BIN)/pathways validate --store $(VENV)/demo/store --profile conditionality | tail -n 1; true
	$(BIN)/pathways eligibility --store $(VENV)/demo/store --scheme funding-es-fundae \
	    --format csv -o $(VENV)/demo/eligibility-fundae.csv
	@echo "   reports written to $(VENV)/demo/"
	@echo
	@echo "== a route for a workshop technician holding 1S and an OBD unit"
	$(BIN)/pathways route --store $(VENV)/demo/store --holding examples/technician.txt \
	    --to pilot:es-cert-tecnico-baterias --term-hours 120
	@echo
	@echo "== pathway analytics"
	$(BIN)/pathways metrics --store $(VENV)/demo/store --top 5
	@echo
	@echo "== funding simulation: per enrolment vs pathway conditionality"
	$(BIN)/pathways simulate --store $(VENV)/demo/store --budget 250000 --report $(VENV)/demo/simulation
	@echo
	@echo "== a pathway diagram"
	$(BIN)/pathways export --store $(VENV)/demo/store --to svg --pathway pilot:pathway-fi-eat \
	    -o $(VENV)/demo/pathway-fi-eat.svg || $(BIN)/pathways export --store $(VENV)/demo/store \
	    --to dot --pathway pilot:pathway-fi-eat -o $(VENV)/demo/pathway-fi-eat.dot
	@echo "   diagram written to $(VENV)/demo/"
	@echo
	@echo "== the web explorer: run 'make serve' (or $(BIN)/pathways serve) and open"
	@echo "   http://127.0.0.1:8000/ in a browser (search, credential pages, /sparql, /docs)"

# The web explorer over the bundled pilot graph, on loopback; Ctrl-C stops it.
serve: install
	$(BIN)/pathways serve

lint: install
	$(BIN)/ruff check pathways tests bench docs
	$(BIN)/ruff format --check pathways tests bench docs
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy

unit: install system-deps
	$(BIN)/pytest -q -n auto --dist loadgroup

test: lint typecheck unit

# The web explorer's interface strings: extracted from the templates (babel.cfg) into
# messages.pot, merged into each language's messages.po (translate the new or fuzzy
# entries there), compiled to the messages.mo files that ship in the package. Both
# the .po and the .mo files are committed; tests/web/test_i18n.py checks they agree.
LOCALEDIR := pathways/web/locale
UI_LOCALES := es pt fi

messages: install
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --width 100 \
	    --project pathways --copyright-holder "pathways developers" \
	    -o $(LOCALEDIR)/messages.pot pathways/web
	for ll in $(UI_LOCALES); do \
	  $(BIN)/pybabel update --init-missing --width 100 -i $(LOCALEDIR)/messages.pot \
	      -d $(LOCALEDIR) -l $$ll || exit 1; \
	done
	$(BIN)/pybabel compile --statistics -d $(LOCALEDIR)

# Screenshots of the explorer's main pages for the README (needs chromium: system-deps).
screenshots: install system-deps
	$(BIN)/python docs/screenshots.py

bench: install
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache .hypothesis
