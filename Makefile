# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := factcheck

.PHONY: run test lint install install-dev bench clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/flask migrate
	$(BIN)/flask seed
	$(BIN)/flask ensure-admin
	@echo "Serving on http://$(HOST):$(PORT)/ (background jobs: a huey worker, log in instance/worker.log)"
	@mkdir -p instance; \
	$(BIN)/huey_consumer factcheck.worker.huey --workers 2 --worker-type thread > instance/worker.log 2>&1 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest -n 2 --dist worksteal  # two cores; idle worker steals queued tests; own databases

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

clean-db:
	rm -f instance/factcheck.db instance/factcheck.db-wal instance/factcheck.db-shm
