# Two commands for a fresh machine with Python 3.11+ and make:
#   make run    installs the locked runtime into .venv and launches claude-tui
#   make test   installs the locked runtime + test tools into .venv and runs the whole suite
# Everything comes from uv.lock (exact versions of every package, direct and transitive), so a
# fresh clone gets what CI tested. uv itself is pinned and installed from the registry into a
# bootstrap venv (.venv-tools): the machine needs nothing but Python and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .venv-tools
UV_VERSION := 0.13.9
UV := $(TOOLS)/bin/uv
RUN_STAMP := $(VENV)/.run-stamp
DEV_STAMP := $(VENV)/.dev-stamp
# uv: use this Python (never download one), put the project's environment in .venv.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
UV_SYNC := $(UV) sync --locked --python $(PYTHON)
# The tests of the TypeScript programs (`claude-tui code --lang typescript`) type-check and
# run them with the official SDK, tsc and tsx, installed from tests/typescript's committed
# package-lock.json (npm ci). Without npm they are skipped, said here; .ci/run installs Node.js.
NPM ?= npm
TS_DIR := tests/typescript
TS_STAMP := $(TS_DIR)/node_modules/.make-stamp
# Parallel workers for `make test` (pytest-xdist); PYTEST_ARGS adds to them.
TEST_WORKERS ?= auto

.PHONY: run test lint format lock bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# `make run` needs the runtime only; --inexact keeps test tools a developer already has.
$(RUN_STAMP): pyproject.toml uv.lock | $(UV)
	$(UV_SYNC) --inexact --quiet
	touch $@

$(DEV_STAMP): pyproject.toml uv.lock | $(UV)
	$(UV_SYNC) --all-groups --quiet
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/claude-tui $(ARGS)

$(TS_STAMP): $(TS_DIR)/package.json $(TS_DIR)/package-lock.json
	@if command -v $(NPM) >/dev/null 2>&1; then \
		$(NPM) ci --prefix $(TS_DIR) --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "make: npm not found: the TypeScript program tests are skipped (install Node.js 20+ and npm)"; \
	fi

test: $(DEV_STAMP) $(TS_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# ruff (lint + format check) and mypy, as CI runs them.
lint: $(DEV_STAMP)
	$(BIN)/ruff check tui_app tests benchmarks
	$(BIN)/ruff format --check tui_app tests benchmarks
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix tui_app tests benchmarks
	$(BIN)/ruff format tui_app tests benchmarks

# Refresh uv.lock to the newest versions pyproject.toml allows; commit the result.
lock: | $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

# Every benchmark, the machine described first; also written to benchmarks/latest.md.
bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(TOOLS) $(TS_DIR)/node_modules .pytest_cache .mypy_cache .ruff_cache
