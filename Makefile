# The two commands a new user needs: `make run` (whole pipeline on the bundled
# sample, producing a release) and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export DAGSTER_HOME ?= $(CURDIR)/.dagster

.PHONY: setup test-deps run live test ui parse clean bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@mkdir -p $(DAGSTER_HOME)
	@test -f $(DAGSTER_HOME)/dagster.yaml || printf 'telemetry:\n  enabled: false\n' > $(DAGSTER_HOME)/dagster.yaml
	@touch $@

run: setup  ## whole pipeline, offline, on the bundled sample snapshot -> data/releases/latest
	@mkdir -p $(DAGSTER_HOME)
	$(PY) -m pipelines.run

live: setup  ## whole pipeline against the live sites (needs a network)
	@mkdir -p $(DAGSTER_HOME)
	$(PY) -m pipelines.run --live

test: setup test-deps
	$(PY) -m pytest -q

test-deps:  ## what the tests drive: headless Chromium, PostgreSQL (root or sudo), udata in .venv-udata
	bash scripts/install_test_browser.sh
	bash scripts/install_test_postgres.sh
	bash scripts/install_test_udata.sh

ui: setup  ## Dagster UI on http://127.0.0.1:3000
	@mkdir -p $(DAGSTER_HOME)
	$(VENV)/bin/dagster dev -m pipelines.definitions

bench: setup  ## performance and scale, measured side by side -> bench/results.md, bench/results.json
	$(PY) -m bench.run_all

parse: setup  ## make parse SOURCE=poles PAGE=path/to/page.html [URL=https://...]
	$(PY) -m spiders.parse $(SOURCE) '$(PAGE)' $(if $(URL),--url '$(URL)')

clean:
	rm -rf data/raw data/warehouse data/runs
