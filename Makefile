# Glide's commands. `make run` serves the app with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format bench check-system-libs system-packages clean

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

test: system-packages $(VENV)/.installed-dev
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
