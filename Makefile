# Mittelpunkt — two commands do all set-up:
#   make run    start the app with demo data on http://127.0.0.1:5000 (PORT=... to change;
#               HOST=0.0.0.0 make run serves the local network, for a try with a real tablet)
#   make test   run the whole test suite
# Both create the virtualenv, install the project and the front-end assets and
# compile the translations first, as needed.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 5000
HOST   ?= 127.0.0.1
WORKERS ?= 2
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app intranet
VENDOR := intranet/static/vendor

.PHONY: run test bench setup assets translations i18n lint db system-deps speech-deps clean

run: setup speech-deps
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	exec $(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) \
		--config python:intranet.demo.gunicorn_run --access-logfile - 'intranet:create_app()'

test: setup system-deps speech-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# By hand, not in CI: the app against the framework's floor, on the demo database and
# on two years of data, under gunicorn and wrk (bench/README.md); writes bench/results.md.
bench: setup system-deps
	@command -v wrk >/dev/null || { echo "installing wrk for the benchmark"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

setup: $(VENV)/.installed assets translations

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Third-party front-end files come from npm and are copied, never committed.
assets: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/htmx.org/LICENSE $(VENDOR)/htmx.LICENSE
	cp node_modules/@tabler/icons/tabler-nodes-outline.json $(VENDOR)/tabler-nodes-outline.json
	cp node_modules/@tabler/icons/LICENSE $(VENDOR)/tabler-icons.LICENSE
	mkdir -p $(VENDOR)/fonts
	for weight in 400 700; do cp node_modules/@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-$$weight-normal.woff2 $(VENDOR)/fonts/; done
	cp node_modules/@fontsource/noto-sans-arabic/LICENSE $(VENDOR)/fonts/noto-sans-arabic.LICENSE
	mkdir -p $(VENDOR)/keyboard/layouts
	cp node_modules/simple-keyboard/build/index.js $(VENDOR)/keyboard/simple-keyboard.js
	cp node_modules/simple-keyboard/build/css/index.css $(VENDOR)/keyboard/simple-keyboard.css
	cp node_modules/simple-keyboard/LICENSE $(VENDOR)/keyboard/simple-keyboard.LICENSE
	cp node_modules/simple-keyboard-layouts/build/layouts/*.js $(VENDOR)/keyboard/layouts/
	cp node_modules/simple-keyboard-layouts/LICENSE $(VENDOR)/keyboard/layouts.LICENSE

translations: $(VENV)/.installed
	$(FLASK) translations compile

# Extract every string of the core and the plugins and update all catalogs.
i18n: $(VENV)/.installed
	$(FLASK) translations update

db: setup
	$(FLASK) db upgrade

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

# System packages the tests need: PostgreSQL for the tests against a real server, and
# Debian's Chromium for the kiosk's browser tests (Playwright drives it; its own browser
# download is not used).
# Debian's espeak-ng makes the board's spoken call-outs, offline.
speech-deps:
	@if ! command -v espeak-ng >/dev/null 2>&1; then \
		echo "installing espeak-ng for the board's spoken call-outs"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq espeak-ng >/dev/null; \
	fi

system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "installing PostgreSQL for the tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql >/dev/null; \
	fi
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing Chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache tests/artifacts
	find translations plugins -name '*.mo' -delete

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
