# The two commands: `make run` and `make test`. Each sets up everything it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2

.PHONY: run test lint bench install messages gettext-deps browser-deps clean worker beat

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) messages

## The translations (locale/*/LC_MESSAGES/django.po) compiled to .mo, which git does not keep.
messages: $(STAMP) gettext-deps
	SECRET_KEY=build-only $(PY) manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules --verbosity 0

## Debian's gettext compiles the catalogues (msgfmt) and extracts their strings (makemessages).
gettext-deps:
	@command -v msgfmt >/dev/null 2>&1 || \
		{ echo "Installing Debian's gettext for the translations"; \
		  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null) || \
		  sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null'; }

## make run: install, migrate, seed the demo once, serve the app with a Celery worker and beat.
run: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo --accounts 1000 --if-empty
	DEBUG=1 $(PY) scripts/devserver.py

## Debian's Chromium drives the browser tests (Playwright's own download cannot work offline).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
		{ echo "Installing Debian's chromium for the browser tests"; \
		  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		  sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'; }

# lint-imports checks the layer contracts (pyproject.toml): one line when all hold, its whole
# report (and a failure) when one breaks.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@report=$$($(VENV)/bin/lint-imports --no-logo 2>&1) && echo "lint-imports: every import contract kept" || \
		{ echo "$$report"; exit 1; }
	$(PY) manage.py makemigrations --check --dry-run --settings=rms.settings_test

## make test: lint, migrations check, the whole suite (uses DATABASE_URL / REDIS_URL when set).
test: install browser-deps lint
	# Groups (xdist_group) keep the real-worker tests on one xdist worker; collection order is kept
	# (no reorder by group size) so pytest-django's order holds: transactional tests, which empty the
	# database, run after the others.
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder

## make bench: search and limit benchmarks on PostgreSQL (see bench/README.md).
bench: $(STAMP)
	$(PY) bench/run.py

worker: $(STAMP)
	$(VENV)/bin/celery -A rms worker -l info -Q celery,notifications,maintenance

beat: $(STAMP)
	$(VENV)/bin/celery -A rms beat -l info

clean:
	rm -rf var/ $(VENV)
