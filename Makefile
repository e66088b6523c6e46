# Everything set up from a fresh clone: `make demo` runs the demo against the
# Central emulator, `make test` runs every test. Both create what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT := $(abspath .)
BUILD := $(ROOT)/.build
COLLECTIONS := $(BUILD)/collections
STAGED := $(COLLECTIONS)/ansible_collections/stackrox/central
VENV := $(ROOT)/.venv
VENV_LATEST := $(ROOT)/.venv-latest
VENV_GATES := $(ROOT)/.venv-gates

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PYTHONPATH := $(COLLECTIONS)$(if $(PYTHONPATH),:$(PYTHONPATH))

.PHONY: help demo test unit emulator-test integration venvs collection clean benchmark gates-venv gates gate-sanity gate-units gate-lint gate-docs gate-changelog gate-importer gate-ecosystem

help:
	@echo "make demo   start the Central emulator and run playbooks/demo.yml against it"
	@echo "make test   run every test (unit, emulator, reliability, integration on the oldest and newest ansible-core)"
	@echo "            and the quality gates (make gates; README, section Quality gates)"
	@echo "make benchmark  the task loop against the role, N = 10, 100, 500 (benchmarks/README.md)"

$(VENV)/.installed: requirements/oldest.txt requirements/test.txt requirements/constraints-oldest.txt
	rm -rf $(VENV)
	$$(scripts/find-python 3.11) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/oldest.txt \
	  -c requirements/constraints-oldest.txt
	touch $@

$(VENV_LATEST)/.installed: requirements/latest.txt requirements/test.txt requirements/constraints-latest.txt
	rm -rf $(VENV_LATEST)
	$$(scripts/find-python 3.12) -m venv $(VENV_LATEST)
	$(VENV_LATEST)/bin/pip install --quiet --disable-pip-version-check -r requirements/latest.txt \
	  -c requirements/constraints-latest.txt
	touch $@

venvs: $(VENV)/.installed $(VENV_LATEST)/.installed

# The gate tools (ansible-lint, galaxy-importer, antsibull-*, ansible-builder, ansible-runner)
# pin their own ansible-core, so they get their own virtual environment.
$(VENV_GATES)/.installed: requirements/gates.txt requirements/gates-constraints.txt
	rm -rf $(VENV_GATES)
	$$(scripts/find-python 3.12) -m venv $(VENV_GATES)
	$(VENV_GATES)/bin/pip install --quiet --disable-pip-version-check -r requirements/gates.txt
	touch $@

gates-venv: $(VENV_GATES)/.installed

# The collection as Ansible finds it: ansible_collections/stackrox/central.
collection:
	mkdir -p $(dir $(STAGED))
	ln -sfn $(ROOT) $(STAGED)

demo: $(VENV)/.installed collection
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/python scripts/with_emulator.py -- \
	  ansible-playbook playbooks/demo.yml --diff

unit: $(VENV)/.installed collection
	$(VENV)/bin/python -m pytest -q tests/unit

emulator-test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest -q tests/emulator

integration: venvs collection
	$(VENV)/bin/python -m pytest -q tests/integration

test: venvs collection gates-venv
	$(VENV)/bin/python -m pytest -q tests/unit tests/emulator tests/reliability tests/integration
	scripts/gates all

# Quality gates on the built artifact: scripts/gates, README section "Quality gates".
gates: venvs gates-venv
	scripts/gates all

gate-sanity: venvs gates-venv
	scripts/gates stage sanity-oldest sanity-latest

gate-units: venvs gates-venv
	scripts/gates stage units-oldest units-latest

gate-lint: gates-venv
	scripts/gates stage lint

gate-docs: gates-venv
	scripts/gates stage docs

gate-changelog: gates-venv
	scripts/gates changelog

gate-importer: gates-venv
	scripts/gates stage importer

gate-ecosystem: gates-venv
	scripts/gates stage ecosystem

# Loop of image_integration tasks vs the image_integrations role, N = 10, 100, 500, against the emulator;
# see benchmarks/README.md. Shorter: make benchmark BENCHMARK_ARGS="--sizes 10,100"
benchmark: $(VENV)/.installed collection
	$(VENV)/bin/python benchmarks/run_benchmark.py $(BENCHMARK_ARGS)

clean:
	rm -rf $(BUILD) $(VENV) $(VENV_LATEST) $(VENV_GATES)
