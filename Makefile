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

# The checks run side by side: lint and mypy use the CPU while the tests mostly wait (servers,
# ptys, tmux); make still fails when any of them fails. Each one's output is printed whole.
test: $(STAMP)
	$(MAKE) --no-print-directory -j3 --output-sync=target lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Three workers per core (pytest-xdist): most tests wait on servers, ptys and tmux, so two cores
# keep six workers busy; worksteal hands a slow worker's queue to an idle one. Measured on 2
# cores: 4 workers 169 s, 6 workers 149 s, 8 workers 174 s (each worker's start and the
# contention cost more than the waits they fill).
# Every server in the tests binds a port of its own. Bytecode is written even where the
# environment says not to: pytest then rewrites each test module's asserts once, not in every
# worker of every run (about 5 s of CPU per worker), and each app the tests start (SSH, web,
# `formative` runs) loads its modules compiled instead of compiling them again.
WORKERS ?= $(shell echo $$(( $$(nproc) * 3 )))
pytest: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q -n $(WORKERS) --dist worksteal

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Mutation testing of the core (workbook/, answers/, walk.py, workshop/policy.py) with the fast unit
# tests ([tool.mutmut] in pyproject.toml); bounded by MUTATE_MINUTES, not in CI. Results stay in
# mutants/ (a second run goes on where the first stopped); `mutmut browse` shows the survivors.
# Niced: on a shared machine it takes only the CPU nobody else wants. After adding tests, recheck
# only the survivors: `.venv/bin/mutmut run NAME...` (names from `.venv/bin/mutmut results`).
# A complete run is about 2.5 CPU-hours: 75-90 minutes on an idle 2-core machine.
MUTATE_MINUTES ?= 90
mutate: $(STAMP)
	-timeout $(MUTATE_MINUTES)m nice -n 19 $(BIN)/mutmut run --max-children 2
	$(BIN)/python tests/mutation_score.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants
