# 红蓝榜 — two commands do all the set-up:  make run   /   make test
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv lint clean bench ldap

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 ($(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# Optional LDAP / AD sign-in: needs libldap2-dev libsasl2-dev gcc (python-ldap is compiled).
ldap: venv
	$(PY) -m pip install --quiet -r requirements-ldap.txt

run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks (BENCHMARKS.md) on the local PostgreSQL: BENCH_DATABASE_URL or DATABASE_URL, else
# postgres://postgres@127.0.0.1:5432/baiyin_bench. The generator drops and rebuilds that database
# (its name must contain "bench"). `make bench N=5000` runs one size.
bench: venv
	$(PY) -m bench.run $(if $(N),--sizes $(N),)

# Lint, format and type checks (the type checker on every services and selectors module), and the
# import direction between apps (pyproject.toml; ARCHITECTURE.md).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) var/db.sqlite3 staticfiles
