# LiveOps review workbench — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DATA ?= data/demo
PORT ?= 8866
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint install install-test system-deps system-fonts demo voila serve lab batch bench clean

## make run: install, generate the demo dataset if absent, serve Voila on http://127.0.0.1:$(PORT)
run: install system-fonts demo voila

## make test: install with test extras and browser, run the static checks (make lint), then the whole suite
test: install-test lint system-deps
	$(PY) -m pytest -n 2 --dist loadgroup --durations=25 $(PYTEST_ARGS)

## make lint: style (ruff), types (mypy), layers (import-linter); settings in pyproject.toml.
## Runs all three, prints every finding, and fails if any of them found something.
lint: install-test
	@status=0; \
	echo "ruff check ."; $(VENV)/bin/ruff check . || status=1; \
	echo "mypy liveops_nb"; $(VENV)/bin/mypy liveops_nb || status=1; \
	echo "lint-imports"; $(VENV)/bin/lint-imports --no-logo || status=1; \
	exit $$status

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

install: $(VENV)/.installed
	@$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null

install-test: $(VENV)/.installed-test

# Debian packages: Chromium for the real-browser tests, Noto CJK so charts render Chinese, a Java runtime for
# the Spark tests (PySpark itself comes with the test extras).
system-deps: system-fonts
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless; }

system-fonts:
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk fontconfig; }

demo: $(DATA)/planted.json

$(DATA)/planted.json: | $(VENV)/.installed
	$(VENV)/bin/liveops demo --out $(DATA) --seed 7

# voila.json (repo root) holds the Voila settings; share/jupyter holds the offline page template.
# voila.json pre-heats one kernel for the review page; VOILA_ARGS adds or overrides Voila options, e.g.
# VOILA_ARGS="--VoilaConfiguration.default_pool_size=3" for three managers opening it at once.
VOILA_ARGS ?=
voila:
	LIVEOPS_DATA=$(abspath $(DATA)) JUPYTER_PATH=$(abspath share/jupyter) $(VENV)/bin/voila notebooks/ --port=$(PORT) --no-browser $(VOILA_ARGS)

# make serve: the pages for a team on the office network (README "Serving to a team"): a token (or password)
# through Jupyter Server's identity provider, no code, no tracebacks, no file listing, kernels that cannot
# write the data folder (except ARCHIVE=on's <data>/archive). Options:
#   HOST=0.0.0.0          address to listen on (default 127.0.0.1: this machine only)
#   PORT=8866             port
#   TOKEN_FILE=path       file holding the token; created with a random one when absent (kept across restarts)
#   TOKEN=...             the token itself (visible in the process list: prefer TOKEN_FILE); neither: a random one
#   PASSWORD_FILE=path    a hashed password (.venv/bin/python -m devtools.serve --hash-password > path)
#   ARCHIVE=on|off        on: A/B verdicts can be archived to <data>/archive; off: the data folder is fully read-only
#   POOL=N                pre-heated review kernels (voila.json: 1); about one per manager opening it at once
#   BASE_URL=/liveops/    path prefix when a reverse proxy serves it under a sub-path
#   SANDBOX=off           only on machines without Linux Landlock (kernels then NOT write-protected)
# The URL with the token is printed once at start.
HOST ?= 127.0.0.1
TOKEN ?=
TOKEN_FILE ?=
PASSWORD_FILE ?=
ARCHIVE ?= on
POOL ?=
BASE_URL ?= /
SANDBOX ?= on
serve: install system-fonts $(if $(filter data/demo,$(DATA)),demo)
	@LIVEOPS_TOKEN='$(TOKEN)' $(PY) -m devtools.serve --data '$(abspath $(DATA))' --host '$(HOST)' --port '$(PORT)' \
	  --archive '$(ARCHIVE)' --base-url '$(BASE_URL)' --sandbox '$(SANDBOX)' \
	  $(if $(TOKEN_FILE),--token-file '$(TOKEN_FILE)') $(if $(PASSWORD_FILE),--password-file '$(PASSWORD_FILE)') \
	  $(if $(POOL),--pool-size '$(POOL)') $(if $(VOILA_ARGS),-- $(VOILA_ARGS))

# make lab: JupyterLab for analysts on a scratch copy of the notebooks in LAB (outside git), so autosave never
# writes outputs into the tracked templates; a notebook already in LAB is kept (your work survives a rerun),
# delete it there to get the template again. Works as root (--allow-root). LAB=folder to choose the copy.
LAB ?= $(HOME)/liveops-lab
lab: install demo
	@mkdir -p '$(LAB)' && for f in notebooks/*.ipynb; do [ -e '$(LAB)'/"$${f##*/}" ] || cp "$$f" '$(LAB)/'; done
	@echo "notebooks: $(LAB) (scratch copies; the templates in notebooks/ stay clean)"
	LIVEOPS_DATA=$(abspath $(DATA)) $(VENV)/bin/jupyter lab --ip=127.0.0.1 --notebook-dir='$(LAB)' \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

batch: install demo
	$(VENV)/bin/liveops batch --data $(DATA) --sessions all --out reports/

bench: install demo
	$(PY) -m benchmarks.run_all

clean:
	rm -rf $(VENV) reports/ .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .grimp_cache
