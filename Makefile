# Palermo: `make demo` runs the platform (server and background worker) with demo data; `make test` runs the
# whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# UNODC's GLOTIP file, read where it lies (never copied into the project); the demo loads it when present.
GLOTIP_FILE ?= ../shared/data/unodc_glotip/data_glotip.xlsx
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test lint typecheck contracts test-sqlite test-postgres lock messages benchmarks clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The background worker (imports, snapshot refreshes, PDFs, releases) runs beside the server. Ctrl-C reaches both:
# the worker finishes its current job first (a second Ctrl-C cuts it short; a retryable job runs again at the next
# start); the worker is also stopped whenever the server ends.
demo: install
	$(BIN)/palermo migrate --noinput
	$(BIN)/palermo demo
	@if [ -f "$(GLOTIP_FILE)" ]; then $(BIN)/palermo import glotip "$(GLOTIP_FILE)"; \
	else echo "Official statistics not loaded: no $(GLOTIP_FILE) (palermo import glotip FILE loads them)."; fi
	@echo "Serving Palermo on http://$(HOST):$(PORT), with a background worker for imports, refreshes, PDFs and releases (Ctrl-C stops both)"
	@$(BIN)/palermo worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'wait $$worker; exit 130' INT; \
	trap 'exit 143' TERM; \
	$(BIN)/palermo runserver --noreload $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check palermo tests benchmarks

typecheck: install
	$(BIN)/mypy palermo

contracts: install
	$(BIN)/lint-imports

test-sqlite: install
	@echo "== pytest on SQLite =="
	DATABASE_URL= $(BIN)/pytest -q

test-postgres: install
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(POSTGRES_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== pytest on PostgreSQL ($(POSTGRES_TEST_URL)) =="; \
		DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -q; \
	elif [ -n "$$PALERMO_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is not reachable at $(POSTGRES_TEST_URL), and PALERMO_REQUIRE_POSTGRES is set: failing."; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(POSTGRES_TEST_URL): the suite ran on SQLite only."; \
	fi

test: lint typecheck contracts test-sqlite test-postgres

lock:
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

messages: install
	@for app in palermo/*/; do if [ -d $$app/locale ]; then \
		(cd $$app && ../../$(BIN)/palermo makemessages -l fr --no-obsolete --ignore "migrations/*" >/dev/null \
		 && ../../$(BIN)/palermo compilemessages -l fr >/dev/null) || exit 1; fi; done

benchmarks: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var
