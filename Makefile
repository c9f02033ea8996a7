# Two entry points for a fresh machine: `make lab` (learners) and `make test` (everyone, CI).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: lab test lint course check-course bench clean-notebooks help present screenshots

help:
	@echo "make lab    - set up .venv, bring course updates into work/, start JupyterLab on work/"
	@echo "make test   - set up .venv and run the whole test suite (what CI runs)"
	@echo "make course - regenerate course/ from solutions/ (authors)"
	@echo "make bench  - run the benchmarks in bench/"
	@echo "make present SECTION=06-tradeoffs [PORT=8866] - classroom demo in Voila (code hidden)"
	@echo "make screenshots - regenerate docs/screenshots/*.png in headless Chromium"

# Installs with uv when it is on PATH or installable into the venv (about 10x faster than pip
# from a warm cache), else with pip. Each step prints one line saying what it does.
# rfc3987-syntax (an optional jsonschema extra pulled in by jupyter-events) builds a grammar on
# import, and every kernel imports it through plotly -> nbformat: 1.2 s per kernel start
# (bench/bench_kernel_start.py); it is removed. Without it jsonschema only skips IRI checks.
$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV)/ (a Python virtual environment)"; \
		$(PYTHON) -m venv $(VENV) || exit 1; fi
	@echo "Installing the workbook and its dependencies into $(VENV)/ (a minute the first time)"
	@if command -v uv >/dev/null 2>&1; then UV=uv; \
	elif [ -x $(BIN)/uv ] || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
		>/dev/null 2>&1; then UV=$(BIN)/uv; else UV=; fi; \
	if [ -n "$$UV" ]; then \
		$$UV pip install --quiet --python $(BIN)/python -e '.[dev]' || exit 1; \
		$$UV pip uninstall --quiet --python $(BIN)/python rfc3987-syntax >/dev/null 2>&1; \
	else \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' || exit 1; \
		$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax >/dev/null 2>&1; \
	fi; true
	@touch $@

# The learner's lab: work/ (git-ignored) is their copy of course/, seeded on the first run and
# merged with course updates on every run (`mlsd update`: answers are never overwritten).
# course/ is never regenerated here. `mlsd lab` adds etc/jupyter-learner/ to the Jupyter config
# path, which keeps nbgrader's instructor tools out of the learner's lab. START=no: set up only.
START ?= yes
lab: $(STAMP)
	@$(BIN)/mlsd update
	@if [ "$(START)" != no ]; then $(BIN)/mlsd lab --port=$(PORT); fi

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
present: $(STAMP)
	@$(BIN)/mlsd present $(SECTION) $(if $(filter command line,$(origin PORT)),--port=$(PORT),) $(if $(EXERCISES),--exercises=$(EXERCISES),)

screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

clean-notebooks: $(STAMP)
	$(BIN)/mlsd clean
