# The commands people type. Every target bootstraps .venv from requirements.txt first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SETTINGS ?= pelicanconf.py
OUTPUT ?= output
RUN := $(BIN)/python -m generator

.PHONY: html check links serve test lint clean publish

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --requirement requirements.txt
	@touch $@

html: $(STAMP)  ## build content/ into output/
	$(RUN) build --settings $(SETTINGS) --output $(OUTPUT)

FORMAT ?= text
check: $(STAMP)  ## validate content/ only; writes nothing (FORMAT=github: Actions annotations)
	$(RUN) check --settings $(SETTINGS) --format $(FORMAT)

links: $(STAMP)  ## crawl output/ for broken links, missing anchors, network resources
	$(RUN) links $(OUTPUT) $(if $(SITEURL),--site-url $(SITEURL))

serve: $(STAMP)  ## serve output/ on http://127.0.0.1:8000 and rebuild on every change
	$(RUN) serve --settings $(SETTINGS) --output $(OUTPUT) --port $(or $(PORT),8000)

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator

publish: $(STAMP)  ## build for GitHub Pages (SITEURL from the environment)
	$(RUN) build --settings publishconf.py --output $(OUTPUT)

.PHONY: dist github new
DIST ?= dist
dist: html  ## dist/timeline-site.zip: the built site to read offline (unzip, open index.html)
	@test -f $(OUTPUT)/download/timeline-site.zip || { echo "dist: no $(OUTPUT)/download/timeline-site.zip (TIMELINE_DOWNLOAD_ZIP is off?)" >&2; exit 2; }
	mkdir -p $(DIST)
	cp $(OUTPUT)/download/timeline-site.zip $(DIST)/timeline-site.zip

github: publish  ## commit output/ to the gh-pages branch (then: git push origin gh-pages)
	$(BIN)/ghp-import -n -b gh-pages $(OUTPUT)

new: $(STAMP)  ## start an article dated now: make new TITLE="Shelling near Bakhmut"
	@test -n "$(TITLE)" || { echo 'usage: make new TITLE="Title of the update"' >&2; exit 2; }
	$(RUN) new --settings $(SETTINGS) "$(TITLE)"

.PHONY: fuzz
fuzz: $(STAMP)  ## long random hunt: the property tests with Hypothesis's "fuzz" profile (tests/conftest.py)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/core/test_fuzz.py

N ?= 1000
ROUNDS ?= 3
.PHONY: bench
bench: $(STAMP)  ## time cold/warm builds vs stock Pelican on N synthetic articles (JSON=file saves)
	$(BIN)/python bench/run.py --articles $(N) --rounds $(ROUNDS) $(if $(JSON),--json $(JSON))

clean:  ## output and every cache: the next build is cold
	rm -rf $(OUTPUT) .output.* .timeline-cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
