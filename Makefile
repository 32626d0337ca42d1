# Kotim Smart City dashboard. `make run` and `make test` work on a fresh clone with nothing
# installed but python3.11; everything else is set up by the targets below.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Stamp: requirements installed into the venv; redone whenever requirements.txt changes.
INSTALLED := $(VENV)/.installed
# The database the app reads: SMARTCITY_DB from the environment, else data/smartcity.duckdb.
DB ?= $(or $(SMARTCITY_DB),data/smartcity.duckdb)
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test demo browser bench audit clean

run: $(INSTALLED) $(DB)
	SMARTCITY_DB="$(DB)" $(BIN)/streamlit run app.py --server.port $(PORT) --server.address localhost \
		--server.headless true

# The tests run in one process per core (pytest-xdist, at most 4), a test file's tests together.
test: $(INSTALLED) browser
	$(BIN)/python -m pytest tests -n auto --maxprocesses 4 --dist loadfile --durations=25

# Benchmarks at the scale of a whole province (issue 7): builds its data under bench/data/ (reused
# while the builders are unchanged), prints one table and writes it to bench/results.md. < 10 min.
bench: $(INSTALLED)
	$(BIN)/python -m bench.run

# Known vulnerabilities in the pinned requirements (needs the PyPI advisory service; offline it says so
# and exits 0 rather than failing a build on an intranet machine).
audit: $(INSTALLED)
	@$(BIN)/python -m pip install --disable-pip-version-check -q pip-audit==2.10.1 || { echo "pip-audit could not be installed (offline?): audit skipped"; exit 0; }
	@$(BIN)/python -m pip_audit --progress-spinner off || { rc=$$?; if [ $$rc = 1 ]; then exit 1; else echo "pip-audit could not reach its database (offline?): audit skipped"; fi; }

# Rebuild the demo database from data/demo/, replacing whatever is at $(DB).
demo: $(INSTALLED)
	$(BIN)/python -m smartcity demo --db "$(DB)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

# Built only when missing (order-only on the venv): `make demo` rebuilds it on purpose.
$(DB): | $(INSTALLED)
	$(BIN)/python -m smartcity demo --db "$(DB)"

# Browser tests drive Debian's chromium through Playwright (never `playwright install`).
# As root it is installed when missing; otherwise the browser tests skip (or fail under CI=true).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else \
			echo "chromium is missing and we are not root: browser tests will skip (and fail when CI=true)."; \
			echo "Install it with: sudo apt-get install -y chromium"; \
		fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache
