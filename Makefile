VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/disclosures run --folder corpus -o out
	$(VENV)/bin/disclosures facts --db out/disclosures.sqlite --format table
	$(VENV)/bin/disclosures report --db out/disclosures.sqlite -o out/report
	@echo "results: out/facts.json (all current facts), store: out/disclosures.sqlite"
	@echo "report:  $(CURDIR)/out/report/index.html"

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check parser tests bench
	$(VENV)/bin/ruff format --check parser tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) out build dist
