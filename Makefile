# Tandem: the two commands a newcomer needs are `make demo` and `make test`.
# Everything installs into .venv with the Python named in .python-version.

PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEV := DEBUG=True
HOST ?= 127.0.0.1:8000

.PHONY: install demo test test-fast test-browser screenshots lint format deploy-check clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Tandem needs Python 3.13 (see .python-version); set PYTHON=/path/to/python3.13")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(DEV) $(BIN)/python manage.py migrate --no-input
	$(DEV) $(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST)/ with a background worker; Ctrl-C stops both."
	@# The worker is started again whenever it exits (a crash, a kill), so
	@# reminders and e-mail never silently stop while the site keeps serving.
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	  while true; do \
	    $(DEV) $(BIN)/python manage.py db_worker --no-reload; \
	    echo "The background worker stopped (exit status $$?); starting it again in 2 s." >&2; sleep 2; \
	  done & \
	  $(DEV) $(BIN)/python manage.py runserver $(HOST)

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL is set.
# Both parts run on every core (pytest-xdist, one test database per worker):
# first the tests without a browser, then the browser journeys, which skip
# with a message when no chromium exists. WORKERS=1 runs one test at a time.
WORKERS ?= auto
test: install
	$(BIN)/pytest -m "not browser" -n $(WORKERS) $(PYTEST_ARGS)
	$(BIN)/pytest -m browser -n $(WORKERS) $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser" -n $(WORKERS) $(PYTEST_ARGS)

test-browser: install
	$(BIN)/pytest -m browser -n $(WORKERS) $(PYTEST_ARGS)

# The README's pictures of the main pages at phone size, into docs/screenshots/.
screenshots: install
	TANDEM_SCREENSHOTS=1 $(BIN)/pytest tandem/home/tests/test_browser_screenshots.py -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) deploy-check

# Production settings must pass Django's deployment checks with no warnings.
deploy-check: install
	@out=$$(DEBUG=False ALLOWED_HOSTS=example.org \
	  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  TANDEM_ENCRYPTION_KEYS=k1:$$($(BIN)/python -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())') \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING 2>&1); status=$$?; \
	  echo "$$out"; test $$status -eq 0 && ! echo "$$out" | grep -q WARNINGS

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
