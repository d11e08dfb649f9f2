# Schoolplein. Quick start: `make demo` (runs the demo school) and `make test` (the whole suite).
PY := .venv/bin/python
PYTEST := .venv/bin/pytest
MANAGE := $(PY) manage.py

.PHONY: bootstrap demo stack test test-pg test-stack lint format messages bench run worker

bootstrap:
	@scripts/bootstrap

demo: bootstrap
	@scripts/demo

# The production shape on 127.0.0.1 (nginx, two gunicorn, PostgreSQL, Redis + RQ, S3, an SMTP sink),
# from the files in deploy/. STACK_PORT picks nginx's port (default 8080). Ctrl-C stops everything.
stack:
	@scripts/bootstrap --stack
	$(PY) -m stack

test:
	@scripts/bootstrap --browser
	$(PYTEST) -n 2 -p no:cacheprovider $(ARGS)

# The stack tests (marker "stack"): the production shape started for real, driven through nginx.
test-stack:
	@scripts/bootstrap --stack
	$(PYTEST) -p no:cacheprovider -m stack $(ARGS)

# The same suite against PostgreSQL (DATABASE_URL, default: the local service, database "test").
test-pg:
	@scripts/bootstrap --browser
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PYTEST) -n 2 -p no:cacheprovider $(ARGS)

lint: bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: bootstrap
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Re-extract and compile the Dutch translations of every app.
messages: bootstrap
	@for app in core accounts schools media posts conversations absences notifications consent moderation roster privacy forms translation conferences demo; do \
	  (cd $$app && ../$(PY) ../manage.py makemessages -l nl --no-obsolete -i 'tests/*' >/dev/null); done
	$(MANAGE) compilemessages -v0 --ignore=.venv

bench: bootstrap
	$(PY) -m bench

run: bootstrap
	$(MANAGE) migrate -v0 && $(MANAGE) createcachetable && $(MANAGE) runserver 127.0.0.1:8000

worker: bootstrap
	$(MANAGE) db_worker
