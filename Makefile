# The commands people type. Every target bootstraps .venv from requirements.txt first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SETTINGS ?= pelicanconf.py
OUTPUT ?= output
RUN := $(BIN)/python -m generator

.PHONY: html check links test lint clean publish

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --requirement requirements.txt
	@touch $@

html: $(STAMP)  ## build content/ into output/
	$(RUN) build --settings $(SETTINGS) --output $(OUTPUT)

check: $(STAMP)  ## validate content/ only; writes nothing
	$(RUN) check --settings $(SETTINGS)

links: $(STAMP)  ## crawl output/ for broken links, missing anchors, network resources
	$(RUN) links $(OUTPUT)

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator

publish: $(STAMP)  ## build for GitHub Pages (SITEURL from the environment)
	$(RUN) build --settings publishconf.py --output $(OUTPUT)

clean:  ## output and every cache: the next build is cold
	rm -rf $(OUTPUT) .output.* .timeline-cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
