# The two commands (CONTRACTS §1): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# SQLite and in-process Celery, whatever the shell exports (a newcomer needs nothing else).
run: export DATABASE_URL =
run: export CELERY_BROKER_URL =
run: export DEBUG = true
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale demo
	@echo "门户地址：http://127.0.0.1:8000/  （API 文档：http://127.0.0.1:8000/api/docs/）"
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Nation-scale benchmark on PostgreSQL (creates and seeds database bench_nation on first run;
# prints medians and ratios against raw-SQL / writer floors, keeps them in
# benchmarks/results/nation.json and regenerates README's tables from that file). Not part of `make test`.
bench: $(STAMP)
	$(PY) benchmarks/bench_nation.py --scale nation
	$(PY) -m benchmarks.report

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
