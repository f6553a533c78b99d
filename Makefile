# sigap: the two commands are `make demo` and `make test` (see README.md).
# Everything installs into .venv from the package registries; nothing else is needed but Python 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test test-sqlite test-postgres lint serve install vendor chromium screenshots sample-report clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per version of pyproject.toml: dependencies are re-installed only when it changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,analytics]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# ECharts and axe-core from the npm registry (pinned, sha512-verified; tools/vendor.json),
# into the git-ignored src/sigap/web/static/vendor/. A no-op when already present.
vendor: | $(BIN)/python
	$(BIN)/python tools/fetch_vendor.py

install: $(STAMP) vendor

# The browser tests drive Debian's Chromium; Playwright's own browser downloads are never used.
# Installed here when missing (as root, or with sudo). Without it the browser tests skip with a
# message on a developer machine, and fail under CI=true.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "chromium: $(CHROMIUM) is missing and this user can neither apt-get (not root) nor sudo:"; \
	  echo "  install it with 'apt-get install chromium' as root; the browser tests skip until then (fail under CI=true)."; \
	  if [ "$$CI" = true ]; then exit 1; else exit 0; fi; fi; \
	echo "chromium: installing Debian's chromium for the browser tests (apt-get)"; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Full-page PNGs of the pages the browser journeys visit, into docs/screenshots/ (committed);
# a larger demo than the test run (20,000 requests) so the figures are not all small samples.
screenshots: $(STAMP) vendor chromium
	SIGAP_SCREENSHOTS=docs/screenshots SIGAP_BROWSER_REQUESTS=20000 $(BIN)/python -m pytest -p no:cacheprovider tests/browser -q

# The sample analysis report of docs/analytics.md, from the real log kept with the tests (the BPI
# "receipt" log, 1,434 cases), into docs/sample-report/ (committed): Indonesian HTML and XLSX,
# English HTML; and the public suite's "reviewing" log (start and complete events, duplicates and
# ties kept and reported: the data-quality section and the service/waiting-time table).
SAMPLE_LOG := tests/analytics/data/receipt.csv.gz
SAMPLE_PROCEDURE := Confirmation of receipt,T02 Check confirmation of receipt,T04 Determine confirmation of receipt,T05 Print and send confirmation of receipt,T06 Determine necessity of stop advice,T10 Determine necessity to stop indication
sample-report: $(STAMP)
	mkdir -p docs/sample-report
	for out in receipt.html receipt.xlsx; do \
	  $(BIN)/sigap analyze $(SAMPLE_LOG) --format csv --no-progress --procedure "$(SAMPLE_PROCEDURE)" \
	    --out docs/sample-report/$$out || exit 1; done
	$(BIN)/sigap analyze $(SAMPLE_LOG) --format csv --no-progress --procedure "$(SAMPLE_PROCEDURE)" \
	  --lang en --out docs/sample-report/receipt.en.html
	$(BIN)/sigap analyze tests/analytics/data/public-suite/reviewing.xes.gz --no-progress \
	  --out docs/sample-report/reviewing.html

# The demo makes and uses its own keys, labelled as such (var/demo-keys.env); a real
# installation sets its keys in the environment (`sigap keys generate`, docs/security.md).
demo: $(STAMP) vendor
	$(BIN)/sigap demo
	$(BIN)/sigap serve --demo

serve: $(STAMP) vendor
	$(BIN)/sigap serve --demo

LINTED := $(wildcard src tests bench tools deploy)

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy src/sigap

test-sqlite: $(STAMP) vendor chromium
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile $(PYTEST_ARGS)

# The same suite on PostgreSQL, for the tests that touch the database. Without a server the leg
# is skipped with a message, except under CI=true where it is required.
test-postgres: $(STAMP) vendor chromium
	@$(BIN)/python tools/ensure_postgres.py "$(PG_URL)"; status=$$?; \
	if [ $$status -eq 0 ]; then \
	  SIGAP_DB_LEG=postgres SIGAP_DATABASE_URL="$(PG_URL)" $(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile $(PYTEST_ARGS); \
	elif [ $$status -eq 3 ]; then exit 0; else exit $$status; fi

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
