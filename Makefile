# The two commands of the README: `make run` and `make test`.
# Both bootstrap .venv from requirements.lock (exact versions, hashes checked).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
AXE := tests/browser/node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck unit db bench lock messages screenshots clean

# axe-core for the accessibility tests, from the npm registry (exact version in the lock).
$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

db: $(STAMP)
	$(BIN)/kanava db upgrade
	$(BIN)/kanava data load
	$(BIN)/kanava users demo
	$(BIN)/kanava demo generate --year 2024

run: db
	$(BIN)/kanava serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy src

unit: $(STAMP) $(AXE)
	$(BIN)/pytest

test: lint typecheck unit

bench: db
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r bench/requirements.lock
	$(BIN)/python bench/hours_resolution.py
	$(BIN)/python bench/guide_http.py
	$(BIN)/python bench/slot_search.py
	$(BIN)/python bench/booking_http.py
	$(BIN)/python bench/login_storm.py
	$(BIN)/python bench/staffing_erlang.py
	$(BIN)/python bench/contacts_weekly.py
	$(BIN)/python bench/contacts_ingest.py
	$(BIN)/python bench/network_optimize.py
	$(BIN)/python bench/pmedian_exact.py
	$(BIN)/python bench/covering_national.py
	$(BIN)/python bench/cli_start.py

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock --quiet

# Pictures of the main pages for the README, taken by the browser tests.
screenshots: $(STAMP) $(AXE)
	KANAVA_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/browser -k sqlite

# Re-extract the page texts and merge them into the fi and sv catalogues (then translate).
messages: $(STAMP)
	mkdir -p var
	cd src/kanava && ../../$(BIN)/pybabel extract -F babel.cfg -k _ -k reason -o ../../var/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -w 100 -i var/messages.pot -d src/kanava/locale -D messages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
