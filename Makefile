# Cohort: two commands for a newcomer.
#   make run    create .venv, install, migrate, seed the demo, serve on http://127.0.0.1:5000
#   make test   install the dev dependencies and run the whole suite
# HOST and PORT override where `make run` listens; PYTHON picks the interpreter (3.11+).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app forum
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint install install-dev clean-venv

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Cohort needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11 and try again.")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

instance/secret_key:
	@mkdir -p instance
	@$(PY) -c 'import secrets; print(secrets.token_hex(32))' > $@
	@chmod 600 $@
	@echo "Created a local secret key in $@ (kept out of git)."

run: export COHORT_ENV = development
run: install instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check forum tests
	$(VENV)/bin/ruff format --check forum tests
	$(VENV)/bin/lint-imports

clean-venv:
	rm -rf $(VENV)
