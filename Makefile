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

.PHONY: run test demo browser clean

run: $(INSTALLED) $(DB)
	SMARTCITY_DB="$(DB)" $(BIN)/streamlit run app.py --server.port $(PORT) --server.address localhost \
		--server.headless true

test: $(INSTALLED) browser
	$(BIN)/python -m pytest tests

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
