# Everything runs inside .venv, which demo and test create when missing.
# `make demo` installs only the runtime dependencies; `make test` (and bench, lint) install the dev extra.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
STAMP := $(VENV)/.installed
# The dev extra's training stack needs torch; this pin takes the CPU wheel the CI machines carry
# instead of letting pip resolve a multi-GB CUDA build. Override with `make test TORCH=torch`.
TORCH ?= torch==2.13.0

.PHONY: install install-runtime demo test bench lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

# The report tests open report.html in the system Chromium (driven by Playwright): installed here when missing
# (apt, as root, which CI and the project machines are).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]' '$(TORCH)'
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	touch $(STAMP) $(RUNTIME_STAMP)

install-runtime: $(RUNTIME_STAMP)

install: $(STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/chukmath build --recipe datasets/demo.toml --out datasets/demo

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4

bench: $(STAMP)
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/builtin.py
	$(BIN)/python bench/trace_variety.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/verify_latex.py
	$(BIN)/python bench/verify_corpus.py
	$(BIN)/python bench/rewards.py
	$(BIN)/python bench/teach.py
	$(BIN)/python bench/teach_faults.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/build.py

# mypy: strict on the public API, a lighter level elsewhere ([tool.mypy] in pyproject.toml); not in `make test`,
# where it would add minutes.
lint: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) build dist *.egg-info
