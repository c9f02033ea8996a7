# Two entry points for a fresh machine: `make lab` (learners) and `make test` (everyone, CI).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
SECTION_SOURCES := $(wildcard solutions/*/*.ipynb)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test lint course check-course bench clean-notebooks help

help:
	@echo "make lab    - set up .venv, build course/ if needed, start JupyterLab on course/"
	@echo "make test   - set up .venv and run the whole test suite (what CI runs)"
	@echo "make course - regenerate course/ from solutions/ (authors)"
	@echo "make bench  - run the benchmarks in bench/"

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# course/ is committed; rebuild it only when a solutions/ notebook is newer.
$(VENV)/.course-built: $(STAMP) $(SECTION_SOURCES)
	$(BIN)/mlsd build-course --check || $(BIN)/mlsd build-course
	touch $@

lab: $(VENV)/.course-built
	$(BIN)/jupyter lab --notebook-dir=course --port=$(PORT) $(ROOT_FLAG)

test: $(STAMP)
	$(BIN)/ruff check src tests bench autograder
	$(BIN)/ruff format --check src tests bench autograder
	$(BIN)/python -m pytest -n 2 --dist loadfile tests solutions --nbval-lax --nbval-current-env

course: $(STAMP)
	$(BIN)/mlsd build-course

check-course: $(STAMP)
	$(BIN)/mlsd build-course --check

bench: $(STAMP)
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean-notebooks: $(STAMP)
	$(BIN)/mlsd clean
