# The commands people type. Every target bootstraps .venv first: the build targets install the
# runtime lock only (requirements/runtime.txt); test, lint, fuzz and bench add the development
# lock (requirements/dev.txt) once. Both are installed with --require-hashes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check --quiet --require-hashes
SETTINGS ?= pelicanconf.py
OUTPUT ?= output
RUN := $(BIN)/python -m generator

.PHONY: html check links serve test lint clean publish lock

$(STAMP): $(RUNTIME_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --requirement $(RUNTIME_LOCK)
	@touch $@

$(DEV_STAMP): $(DEV_LOCK) $(STAMP)
	$(PIP_INSTALL) --requirement $(DEV_LOCK)
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

test: $(DEV_STAMP)  ## the whole test suite
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)  ## ruff (format and checks) and mypy (strict); CI runs it before the tests
	$(BIN)/ruff format --check generator tests bench
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
fuzz: $(DEV_STAMP)  ## long random hunt: the property tests with Hypothesis's "fuzz" profile (tests/conftest.py)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/content/test_fuzz.py

N ?= 1000
ROUNDS ?= 3
.PHONY: bench
# BASELINE=0 leaves stock Pelican out (minutes at N=50,000); KINDS=cold,full,... picks builds.
bench: $(DEV_STAMP)  ## time builds and size the output on N synthetic articles (JSON=file, BASELINE=0, KINDS=)
	$(BIN)/python bench/run.py --articles $(N) --rounds $(ROUNDS) $(if $(JSON),--json $(JSON)) \
		$(if $(filter 0,$(BASELINE)),--no-baseline) $(if $(KINDS),--kinds $(KINDS))

# The locks: requirements/*.in say what we depend on; `make lock` resolves them for Python 3.11
# on Linux into requirements/*.txt, every file with its hashes, from PyPI alone (whatever the
# local pip configuration says). Versions already locked stay unless UPGRADE=1. pip-tools runs in
# a throwaway venv, never in .venv. Then: make clean test, and commit the .in and .txt files.
PYPI_ONLY := env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null PIP_INDEX_URL=https://pypi.org/simple
LOCK_COMPILE = $(PYPI_ONLY) CUSTOM_COMPILE_COMMAND="make lock" "$$tmp/bin/pip-compile" --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url $(if $(UPGRADE),--upgrade)
lock:  ## re-resolve requirements/*.in into the hashed locks requirements/*.txt (UPGRADE=1: newest)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && set -e && \
	$(PYTHON) -m venv "$$tmp" && \
	$(PYPI_ONLY) "$$tmp/bin/python" -m pip install --disable-pip-version-check --quiet \
		--require-hashes --requirement requirements/tools.txt && \
	for name in tools runtime dev; do \
		echo "lock: requirements/$$name.in -> requirements/$$name.txt"; \
		$(LOCK_COMPILE) --output-file requirements/$$name.txt requirements/$$name.in; \
	done

clean:  ## output and every cache: the next build is cold
	rm -rf $(OUTPUT) .output.* .timeline-cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
