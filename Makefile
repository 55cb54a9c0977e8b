# Everything runs inside .venv, which `make install` (and demo/test) create when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/chukmath build --recipe datasets/demo.toml --out datasets/demo

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/builtin.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/teach.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/build.py

lint: $(STAMP)
	$(BIN)/python -m ruff check .

clean:
	rm -rf $(VENV) build dist *.egg-info
