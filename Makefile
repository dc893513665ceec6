# crmsec: `make demo` and `make test` work on a fresh machine with only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck unit install clean docs bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/crmsec demo --no-plugins

lint: $(STAMP)
	$(BIN)/ruff check crmsec checks tests bench examples
	$(BIN)/ruff format --check crmsec checks tests bench examples

typecheck: $(STAMP)
	$(BIN)/mypy --strict crmsec
	$(BIN)/mypy --strict $$(find checks -name '*.py')

unit: $(STAMP)
	$(BIN)/pytest -q -m "not live"

test: lint typecheck unit

docs: $(STAMP)
	$(BIN)/python -m crmsec.checkdocs docs/checks

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache crmsec-report crmsec-demo crmsec-demo-keys

# Live end to end against real BottleCRM (django-crm from PyPI, Python 3.12) and real Tryton (trytond 8.2 from PyPI)
# on loopback; see docs/bottlecrm.md and docs/tryton.md. The venvs and the prepared databases are cached in
# .cache/live/ (git-ignored); every server is stopped on exit.
.PHONY: test-live
test-live: $(STAMP)
	CRMSEC_LIVE=1 $(BIN)/pytest -q -m live --durations=0 tests/live
