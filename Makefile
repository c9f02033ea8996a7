# Two entry points for a fresh machine: `make lab` (learners) and `make test` (everyone, CI).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
SECTION_SOURCES := $(wildcard solutions/*/*.ipynb)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test lint course check-course bench clean-notebooks help present screenshots

help:
	@echo "make lab    - set up .venv, build course/ if needed, start JupyterLab on course/"
	@echo "make test   - set up .venv and run the whole test suite (what CI runs)"
	@echo "make course - regenerate course/ from solutions/ (authors)"
	@echo "make bench  - run the benchmarks in bench/"
	@echo "make present SECTION=06-tradeoffs [PORT=8866] - classroom demo in Voila (code hidden)"
	@echo "make screenshots - regenerate docs/screenshots/*.png in headless Chromium"

$(STAMP): pyproject.toml Makefile
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# rfc3987-syntax (an optional jsonschema extra pulled in by jupyter-events) builds a
	# grammar on import, and every kernel imports it through plotly -> nbformat: 1.2 s per
	# kernel start (bench/bench_kernel_start.py). Without it jsonschema only skips IRI checks.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $@

# course/ is committed; rebuild it only when a solutions/ notebook is newer.
$(VENV)/.course-built: $(STAMP) $(SECTION_SOURCES)
	$(BIN)/mlsd build-course --check || $(BIN)/mlsd build-course
	touch $@

lab: $(VENV)/.course-built
	$(BIN)/jupyter lab --notebook-dir=course --port=$(PORT) $(ROOT_FLAG)

test: $(STAMP)
	$(BIN)/ruff check src tests bench tools autograder
	$(BIN)/ruff format --check src tests bench tools autograder
	# The timed notebook runs go first and alone: their seconds are compared with the bars.
	$(BIN)/python -m pytest tests/notebooks/test_notebooks_run.py
	$(BIN)/python -m pytest -n 2 --dist loadfile tests solutions --nbval-lax --nbval-current-env \
		--ignore=tests/notebooks/test_notebooks_run.py

course: $(STAMP)
	$(BIN)/mlsd build-course

check-course: $(STAMP)
	$(BIN)/mlsd build-course --check

bench: $(STAMP)
	@failed=""; for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || failed="$$failed $$f"; done; \
	if [ -n "$$failed" ]; then echo "bars missed in:$$failed"; exit 1; fi

SECTION ?= 06-tradeoffs
present: $(VENV)/.course-built
	$(BIN)/mlsd present $(SECTION) $(if $(filter command line,$(origin PORT)),--port=$(PORT),) $(if $(EXERCISES),--exercises=$(EXERCISES),)

screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

clean-notebooks: $(STAMP)
	$(BIN)/mlsd clean
