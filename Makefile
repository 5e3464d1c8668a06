# `make run` opens Formative on a bundled workbook; `make test` runs every check.
# Both create .venv from nothing on a machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench mutate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/formative

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# -n auto: one worker per core (pytest-xdist); every server in the tests binds a port of its own.
pytest: $(STAMP)
	$(BIN)/pytest -q -n auto

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Mutation testing of the core (workbook/, answers/, walk.py, workshop/policy.py) with the fast unit
# tests ([tool.mutmut] in pyproject.toml); bounded by MUTATE_MINUTES, not in CI. Results stay in
# mutants/ (a second run goes on where the first stopped); `mutmut browse` shows the survivors.
# Niced: on a shared machine it takes only the CPU nobody else wants. After adding tests, recheck
# only the survivors: `.venv/bin/mutmut run NAME...` (names from `.venv/bin/mutmut results`).
MUTATE_MINUTES ?= 20
mutate: $(STAMP)
	-timeout $(MUTATE_MINUTES)m nice -n 19 $(BIN)/mutmut run --max-children 2
	$(BIN)/python tests/mutation_score.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants
