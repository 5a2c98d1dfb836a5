# The README's commands. `make test` is the one CI runs (through .ci/run).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test test-fast lint check bench clean-venv

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,server,installer,bench]'
	touch $(STAMP)

## Install into .venv if needed, then run the whole test suite.
test: $(STAMP)
	$(PY) -m pytest

## The unit tests only (no Qt widgets, no server process, no whole-program runs, nothing slow).
## Markers are applied by tests/conftest.py; the folders below hold no unit tests and are not even imported.
FAST_MARKERS := not gui and not e2e and not server and not slow
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "$(FAST_MARKERS)" tests/sync tests/specialist_app --ignore=tests/specialist_app/gui

## ruff, mypy and the import-linter layering contracts.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy specialist_app sync market_server bench scripts build_installer.py
	$(VENV)/bin/lint-imports

check: lint test

.PHONY: demo
## Start a local market server with the province demo data and open the app signed in as the demo specialist.
## Everything lives in a demo folder kept between runs (server, app data, a file keyring; same port, so the same
## profile next time); closing the app stops the server. Start over: $(PY) -m specialist_app.demo --fresh
demo: $(STAMP)
	$(PY) -m specialist_app.demo --scale province

## Benchmarks (print figures; see docs/performance.md).
bench: $(STAMP)
	$(PY) bench/search_bench.py
	$(PY) bench/import_bench.py

clean-venv:
	rm -rf $(VENV)
