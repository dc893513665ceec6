# crmsec: `make demo` and `make test` work on a fresh machine with only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-stamp
DEV_STAMP := $(VENV)/.installed-stamp

# A .venv left by a Python older than 3.11, or whose interpreter no longer runs (moved, upgraded, deleted),
# is rebuilt instead of failing later with a confusing error.
ifneq ($(wildcard $(VENV)),)
ifneq ($(shell $(BIN)/python -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null),True)
$(info make: $(VENV) was made by a Python that is missing or older than 3.11; rebuilding it)
$(shell rm -rf $(VENV))
endif
endif

# Test processes (pytest-xdist); CI machines have 2 cores. `make unit TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= 2

.PHONY: demo test lint typecheck unit install clean docs bench

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crmsec needs Python 3.11 or newer, $(PYTHON) is " + sys.version.split()[0] + "; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

# `make demo` needs the runtime and the lab extra (Faker); `make test` adds the dev tools (pytest, mypy, ruff, ...).
$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	touch $(RUNTIME_STAMP)

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(RUNTIME_STAMP) $(DEV_STAMP)

install: $(DEV_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/crmsec demo --no-plugins

lint: $(DEV_STAMP)
	$(BIN)/ruff check crmsec checks tests bench examples
	$(BIN)/ruff format --check crmsec checks tests bench examples

typecheck: $(DEV_STAMP)
	$(BIN)/mypy --strict crmsec
	$(BIN)/mypy --strict $$(find checks -name '*.py')

unit: $(DEV_STAMP)
	$(BIN)/pytest -q -m "not live" -n $(TEST_WORKERS)

test: lint typecheck unit

docs: $(DEV_STAMP)
	$(BIN)/python -m crmsec.checkdocs docs/checks
	$(BIN)/python -m crmsec.keydocs docs/evidence-keys.md

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache crmsec-report crmsec-demo crmsec-demo-keys

# Live end to end against real BottleCRM (django-crm from PyPI, Python 3.12) and real Tryton (trytond 8.2 from PyPI)
# on loopback; see docs/bottlecrm.md and docs/tryton.md. The venvs and the prepared databases are cached in
# .cache/live/ (git-ignored); every server is stopped on exit.
.PHONY: test-live
test-live: $(DEV_STAMP)
	CRMSEC_LIVE=1 $(BIN)/pytest -q -m live --durations=0 tests/live
