# Glide's commands. `make run` serves the app with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format bench check-system-libs system-packages clean

# The browser tests inject axe-core (from the npm registry, pinned by the lock file)
# into each page to check it for accessibility faults.
AXE := tests/e2e/tools/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/tools/package.json tests/e2e/tools/package-lock.json
	npm ci --prefix tests/e2e/tools --no-audit --no-fund --silent
	touch $@

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# The system packages live in one list, tools/system-packages.sh. `make run` only
# warns about missing ones; `make test` installs them (as root) or stops, before
# anything runs, with the one command to run.
check-system-libs:
	@bash tools/system-packages.sh --warn

system-packages:
	@bash tools/system-packages.sh

# Without a database, the server still starts and answers 503 until it is back.
run: $(VENV)/.installed check-system-libs
	@if $(PY) manage.py database_reachable; then \
		$(PY) manage.py migrate --noinput && $(PY) manage.py seed_demo; \
	else \
		echo "Starting without the database: Glide answers 503 until it is back."; \
	fi
	$(PY) manage.py runserver $(HOST):$(PORT)

# The second, independent FHIR validator of the tests: HL7's FHIR R4 JSON Schema, run
# by Node (tools/fhir-validator; Node and npm come with the system packages).
FHIR_VALIDATOR := tools/fhir-validator/node_modules/.installed
$(FHIR_VALIDATOR): tools/fhir-validator/package.json tools/fhir-validator/package-lock.json
	npm ci --prefix tools/fhir-validator --no-audit --no-fund --loglevel=error
	touch $@

test: system-packages $(VENV)/.installed-dev $(AXE) $(FHIR_VALIDATOR)
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed-dev
	@bash tools/system-packages.sh --bench
	$(PY) bench/run_all.py

# Redraw the exercise illustrations after changing a pose in tools/illustrations/.
.PHONY: drawings
drawings: | $(VENV)/bin/python
	$(PY) -m tools.illustrations.build

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
