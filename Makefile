# Two commands do all set-up: `make poster` and `make test` create .venv and install archviz.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= output

.PHONY: setup test poster docs lint typecheck bench bench-big schema examples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples docs tools
	$(BIN)/ruff format --check --quiet src tests benchmarks examples docs tools
	$(BIN)/mypy
	$(PY) -m pytest -n 2 --dist loadgroup -q

poster: $(STAMP)
	$(BIN)/archviz poster -o $(OUT)/poster.pdf --size auto
	$(BIN)/archviz poster -o $(OUT)/poster.png --size auto --dpi 300

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs tools
	$(BIN)/ruff format --check src tests benchmarks docs tools

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(PY) benchmarks/run.py --readme

docs: $(STAMP)
	$(PY) -m mkdocs build --strict

bench-big: $(STAMP)
	$(PY) benchmarks/big.py --readme

schema: $(STAMP)
	$(BIN)/archviz schema > schema/spec.schema.json

examples: $(STAMP)
	$(PY) examples/make_gallery.py

clean:
	rm -rf $(OUT) .pytest_cache build dist
