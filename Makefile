# The two set-up commands are `make demo` and `make test`; everything else is a helper they call.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test install check lint types docs screenshots clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned: this machine has a local CPU wheel for exactly this version
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,eval]'
	touch $(STAMP)

install: $(STAMP)

DEMO_DB ?= newsprism-demo.db

demo: $(STAMP)
	$(VENV)/bin/newsprism ingest examples/articles/ --db $(DEMO_DB)
	$(VENV)/bin/newsprism articles --db $(DEMO_DB)
	$(VENV)/bin/newsprism cluster --db $(DEMO_DB)
	$(VENV)/bin/newsprism compare examples/articles/ --format md --output demo-report.md --html demo-report.html
	@echo "Report: demo-report.md and demo-report.html (open it in a browser); web app: .venv/bin/newsprism serve --db $(DEMO_DB)"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

types: $(STAMP)
	$(VENV)/bin/mypy

test: lint types
	$(VENV)/bin/pytest

screenshots: $(STAMP)
	NEWSPRISM_SCREENSHOTS=docs/screenshots $(VENV)/bin/pytest -q -m browser tests/web

docs: $(STAMP)
	$(VENV)/bin/python -m newsprism.clidoc > docs/cli.md

check: test

clean-venv:
	rm -rf $(VENV)
