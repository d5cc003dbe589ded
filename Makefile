# Microreach — the two commands: `make run` and `make test` (README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install install-dev run test lint format bench-recalc clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Installs only when a requirements file changed since the last install (quick when nothing did).
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# A development .env (DEBUG=true and a fresh SECRET_KEY) when none exists; real env vars still win.
.env:
	@$(PYTHON) -c "import secrets; open('.env', 'w').write('DEBUG=true\nSECRET_KEY=' + secrets.token_urlsafe(50) + '\n')"
	@echo "Wrote a development .env (DEBUG=true, a fresh SECRET_KEY)."

# The front-end libraries (SortableJS, served by WhiteNoise; axe-core for the browser tests), pinned in package-lock.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "WARNING: npm is missing: the board works with its stage menus only, and axe tests fail" >&2; fi

install: $(VENV)/.installed .env node_modules/.installed

install-dev: install $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) -m config.devstack --port $(PORT)

test: install-dev
	@bash .ci/ensure-chromium
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .celery staticfiles test-db.sqlite3 node_modules
