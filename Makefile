VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench fuzz clean

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

# A long fuzz campaign (FUZZ_EXAMPLES per property, random): each new kind of crash is saved
# under tests/fuzz_regressions/, which the suite replays; commit the file with its fix.
fuzz: $(STAMP)
	DISCLOSURES_FUZZ=campaign DISCLOSURES_FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-20000} \
	  $(PY) -m pytest tests/test_fuzz.py -q -s -p no:cacheprovider -k "not saved"

lint: $(STAMP)
	$(VENV)/bin/ruff check parser tests bench
	$(VENV)/bin/ruff format --check parser tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) out build dist
