# UrbanGrid: `make demo` runs the demo county, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: demo test lint messages bench clean
# One test worker per core; a file's tests stay together on one worker.
PARALLEL ?= -n auto --dist loadfile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(RUNTIME)

demo: $(RUNTIME)
	$(BIN)/urbangrid demo

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! /usr/bin/chromium is missing: the browser tests will be SKIPPED.      !!"; \
	  echo "!! Install it with: apt-get install -y chromium fonts-noto-cjk           !!"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PARALLEL)
	@if [ -n "$$URBANGRID_TEST_DATABASE_URL" ]; then \
	  echo "== tests on PostgreSQL ($$URBANGRID_TEST_DATABASE_URL) =="; \
	  DATABASE_URL="$$URBANGRID_TEST_DATABASE_URL" $(BIN)/pytest $(PARALLEL) -m "not browser"; \
	else \
	  echo "URBANGRID_TEST_DATABASE_URL is not set: PostgreSQL run skipped"; \
	fi

# Extract UI strings into each app's own catalogue (needs GNU gettext), then compile them all.
APPS := $(notdir $(patsubst %/apps.py,%,$(wildcard urbangrid/*/apps.py)))
messages: $(DEV)
	for app in $(APPS); do \
	  mkdir -p urbangrid/$$app/locale && \
	  (cd urbangrid/$$app && ../../$(BIN)/urbangrid makemessages -l zh_Hans --no-obsolete --ignore 'static/*' -v0) || exit 1; \
	done
	$(BIN)/python -m urbangrid.core.i18n_compile

bench: $(DEV)
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var
