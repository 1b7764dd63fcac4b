# Accord — two commands: `make run` serves the app, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# A Python of 3.12 or newer: the first found of python3.13, python3.12, pyenv's, python3.
PYTHON_CANDIDATES := python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) python3
FIND_PYTHON = for p in $(PYTHON_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then echo $$p; break; fi; \
	done

.PHONY: help run test ui-tools lint lint-imports lines format install worker beat web clean bench mutation walkthrough messages compilemessages

# Two test processes (2 cores); PYTEST_ARGS="-n 0" runs them in one.
PYTEST_ARGS ?= -n 2

# Project modules (migrations and demo data files excepted) may not pass this many lines.
MAX_LINES := 400
PROJECT_MODULES = find . \( -path ./.venv -o -path ./var -o -path ./node_modules -o -path '*/migrations' -o -path ./demo/data \) -prune -o -name '*.py' -print

# The scale and load benchmark (not part of `make test`): BENCH_ARGS="--quick" for a small run.
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

# The translation catalogues (issue 16): `make messages` collects every marked string of the
# project into locale/es/LC_MESSAGES/django.po (translations already made are kept) and
# compiles it; `make run` and `make test` compile it (the .mo files are build output, not
# committed). tests/core/test_catalogue.py fails on an untranslated or fuzzy message.
MESSAGES_IGNORE := --ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='staticfiles/*' --ignore='node_modules/*' --ignore='walkthrough/*' --ignore='bench/*'
messages: $(STAMP)
	DEBUG=True $(PY) manage.py makemessages --locale es --extension html,txt,py --add-location file --no-obsolete $(MESSAGES_IGNORE)
	@$(MAKE) --no-print-directory compilemessages

compilemessages: $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { echo "Installing GNU gettext (msgfmt) to compile the translations"; (apt-get update -qq && apt-get install -y -qq gettext) || { echo "ERROR: msgfmt (GNU gettext) is required to compile the translations (apt-get install gettext)." >&2; exit 1; }; }
	DEBUG=True $(PY) manage.py compilemessages --ignore='.venv/*' --ignore='var/*'

help:
	@echo "make run    serve Accord at http://127.0.0.1:8000 with a worker and beat (demo data loaded; PORT=8080 for another port)"
	@echo "make test   run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint   ruff check and format check, import contracts, no module over $(MAX_LINES) lines"
	@echo "make messages   update the Spanish catalogue (locale/es) from the marked strings and compile it"

$(STAMP): pyproject.toml
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then \
	  echo "ERROR: Accord needs Python 3.12 or newer (Django 6.1). Install python3.13 or python3.12 (e.g. with pyenv) and run make again." >&2; exit 1; \
	fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# The browser checks' tools from the npm registry (axe-core, the Nu Html Checker's vnu.jar), at
# the versions pinned in package.json; no lock file, and no install scripts (vnu runs on the
# machine's Java 17).
UI_TOOLS := node_modules/.installed
$(UI_TOOLS): package.json
	@command -v npm >/dev/null 2>&1 || { echo "Installing Debian's npm for the accessibility checks"; (apt-get update -qq && apt-get install -y -qq npm) || { echo "ERROR: the accessibility checks need npm (apt-get install npm)." >&2; exit 1; }; }
	@command -v java >/dev/null 2>&1 || { echo "Installing Java 17 for the Nu Html Checker"; (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless) || { echo "ERROR: the Nu Html Checker needs Java (apt-get install openjdk-17-jre-headless)." >&2; exit 1; }; }
	npm install --no-package-lock --ignore-scripts --no-audit --no-fund --silent
	@touch $(UI_TOOLS)

ui-tools: $(UI_TOOLS)

# `make run PORT=8080` serves on another port; links in e-mails (SITE_URL) follow it.
PORT ?= 8000
RUN_ENV = DEBUG=$${DEBUG:-True} SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

run: $(STAMP) compilemessages
	@mkdir -p var
	@$(RUN_ENV) $(PY) manage.py migrate --noinput
	@$(RUN_ENV) $(PY) manage.py ensure_seal_certificate
	@$(RUN_ENV) $(PY) manage.py seed_demo
	@echo ""
	@echo "  Accord is starting at http://127.0.0.1:$(PORT)"
	@echo "  Log in as owner@demo.test / accord-demo (also manager@, viewer@ and other@demo.test)"
	@echo "  E-mails are written to var/mail/ (one .eml file each: open it with a mail client)"
	@echo ""
	@$(RUN_ENV) ACCORD_PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start

test: $(STAMP) $(UI_TOOLS) compilemessages
	@if [ ! -x /usr/bin/chromium ] && [ -z "$$CHROMIUM_PATH" ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && apt-get install -y -qq chromium) || { echo "ERROR: chromium is required for browser tests (apt-get install chromium)." >&2; exit 1; }; \
	fi
	@if [ ! -x /usr/bin/pdfsig ]; then \
	  echo "Installing poppler-utils (pdfsig reads the seal as an outside reader)"; \
	  (apt-get update -qq && apt-get install -y -qq poppler-utils) || echo "WARNING: pdfsig is missing; its test will be skipped." >&2; \
	fi
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	@$(MAKE) --no-print-directory lines

# import-linter's contracts in pyproject.toml: app layers, no cycles, services never import tasks.
lint-imports: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache

# Fails when a project module passes $(MAX_LINES) lines (tests/test_house_plan.py checks it too).
lines:
	@long="$$($(PROJECT_MODULES) | xargs wc -l | awk '$$2 != "total" && $$1 > $(MAX_LINES)')"; \
	if [ -n "$$long" ]; then echo "Modules over $(MAX_LINES) lines:"; echo "$$long"; exit 1; fi; \
	echo "No module over $(MAX_LINES) lines."

# Mutation testing of the modules that hold a promise (not part of `make test`; 20 to 30
# minutes). One child process, the fast unit tests chosen in [tool.mutmut], SQLite in memory,
# no Redis. Fails when a mutant survives that README.md's "Mutation testing" does not list.
mutation: $(STAMP)
	rm -rf mutants
	DATABASE_URL=sqlite:///$(CURDIR)/var/mutation.sqlite3 MIGRATION_DATABASE_URL= REDIS_URL= \
	  $(VENV)/bin/mutmut run --max-children 1
	@results="$$($(VENV)/bin/mutmut results)" || exit 1; \
	listed="$$(grep -o '`[a-z_.]*__mutmut_[0-9]*`' README.md | tr -d '`')"; \
	unlisted="$$(sed -n 's/^ *\([^ :]*\): .*/\1/p' <<<"$$results" | grep -vxF -e "$${listed:-^}" || true)"; \
	echo "$$results"; \
	if [ -n "$$unlisted" ]; then \
	  echo "Mutants not killed and not listed as equivalent in README.md (Mutation testing):"; \
	  echo "$$unlisted"; exit 1; \
	fi; \
	echo "Every mutant is killed but the equivalent ones README.md lists."

# The recorded demo the guide embeds (built into var/walkthrough, never committed).
walkthrough: $(STAMP)
	@command -v ffmpeg >/dev/null 2>&1 || { echo "Installing Debian's ffmpeg for the walkthrough video"; (apt-get update -qq && apt-get install -y -qq ffmpeg) || { echo "ERROR: make walkthrough needs ffmpeg (apt-get install ffmpeg)." >&2; exit 1; }; }
	$(PY) walkthrough/record.py

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var staticfiles
