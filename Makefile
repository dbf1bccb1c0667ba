# The two commands a new user needs: `make run` (whole pipeline on the bundled
# sample, producing a release) and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export DAGSTER_HOME ?= $(CURDIR)/.dagster

.PHONY: setup test-deps run live test ui parse clean bench mutation

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

# pytest-xdist: test files spread over the cores (up to 4); a file stays on one worker, so its
# module fixtures are built once. A session fixture (the good release) is built once per worker.
test: setup test-deps  ## lint, format check, then the tests (the bench harness smoke included)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -q -n auto --maxprocesses 4 --dist loadfile

test-deps:  ## what the tests drive: headless Chromium, PostgreSQL (root or sudo), udata in .venv-udata
	bash scripts/install_test_browser.sh
	bash scripts/install_test_postgres.sh
	bash scripts/install_test_udata.sh

ui: setup  ## Dagster UI on http://127.0.0.1:3000
	@mkdir -p $(DAGSTER_HOME)
	$(VENV)/bin/dagster dev -m pipelines.definitions

bench: setup  ## performance and scale, measured side by side -> bench/results.md, bench/results.json
	$(PY) -m bench.run_all

# SOURCE, PAGE and URL reach the command through the environment, unexpanded ($(value …)),
# never through a shell command line: a page path holding ' or $(…) is just a path.
parse: export POLES_CCE_PARSE_SOURCE = $(value SOURCE)
parse: export POLES_CCE_PARSE_PAGE = $(value PAGE)
parse: export POLES_CCE_PARSE_URL = $(value URL)
unexport SOURCE PAGE URL
parse: setup  ## make parse SOURCE=poles PAGE=path/to/page.html [URL=https://...]
	$(PY) -c 'import sys, spiders.parse as p; sys.exit(p.main_from_env())'

# Mutation score of the core pure modules ([tool.mutmut] in pyproject.toml; docs/mutation.md).
# Not part of `make test`: ~15 min on 2 quiet cores for the default set. Reuses data/releases/latest (made by `make run`)
# for the checks' corruption tests, then applies the five mutations issue 17 named.
# The default is the set docs/mutation.md reports (places + the merge's matching); MUTANTS='*' runs all.
MUTANTS ?= common.places* pipelines.clean.advisors.x__given_compatible* \
	pipelines.clean.advisors.xǁ_Bucketǁcompatible* pipelines.clean.advisors.x_family_key* \
	pipelines.clean.advisors.x_given_keys* pipelines.clean.advisors.x_advisor_id* \
	pipelines.clean.advisors.xǁ_Bucketǁ_compatible_groups* pipelines.clean.advisors.x__place* \
	pipelines.clean.advisors.x__names* pipelines.clean.advisors.x__matches* \
	pipelines.clean.advisors.x__components* pipelines.clean.advisors.x__groups* \
	pipelines.clean.advisors.x__shown* pipelines.clean.advisors.x__ambiguous_issue* \
	pipelines.clean.advisors.x__committee_people*
mutation: setup
	@test -e data/releases/latest || $(MAKE) run
	POLES_CCE_TEST_RELEASE=$(CURDIR)/data/releases/latest $(VENV)/bin/mutmut run --max-children 2 $(MUTANTS)
	$(VENV)/bin/mutmut results
	POLES_CCE_TEST_RELEASE=$(CURDIR)/data/releases/latest $(PY) scripts/mutation/named_mutations.py

clean:
	rm -rf data/raw data/warehouse data/runs
