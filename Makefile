# Glide's commands. `make run` serves the app with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format bench check-system-libs clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

check-system-libs:
	@ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || \
		echo "WARNING: libharfbuzz-subset0 is missing: handouts will render about nine times slower. Install it with: apt-get install libharfbuzz-subset0"
	@ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || \
		echo "WARNING: Pango is missing: WeasyPrint cannot render handouts. Install it with: apt-get install libpango-1.0-0 libpangoft2-1.0-0"

run: $(VENV)/.installed check-system-libs
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The second, independent FHIR validator of the tests: HL7's FHIR R4 JSON Schema, run
# by Node (tools/fhir-validator). Node comes from the system's packages when missing.
FHIR_VALIDATOR := tools/fhir-validator/node_modules/.installed
$(FHIR_VALIDATOR): tools/fhir-validator/package.json tools/fhir-validator/package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } || \
		{ echo "Node.js is needed for the FHIR validator: apt-get install nodejs npm"; exit 1; }
	npm ci --prefix tools/fhir-validator --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.installed-dev check-system-libs $(FHIR_VALIDATOR)
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed-dev
	$(PY) bench/run_all.py

# Redraw the exercise illustrations after changing a pose in tools/illustrations/.
.PHONY: drawings
drawings: | $(VENV)/bin/python
	$(PY) -m tools.illustrations.build

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
