# The two commands a new user needs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup messages demo bench lint clean

$(VENV)/.installed: requirements.txt constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt
	@touch $@

setup: $(VENV)/.installed
	@scripts/ensure-system-packages
	@$(MAKE) --no-print-directory messages
	@mkdir -p var

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages -l zh_Hans --ignore='.venv' -v 0

run: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	@echo
	@echo "  Open http://$(HOST):$(PORT)/   (admin: /admin/, API docs: /api/docs/)"
	@echo "  Logins (password demo-2026 for all):"
	@echo "    window      窗口工作人员 / window staff"
	@echo "    applicant   申请人 / applicant (张伟, also legal representative of a restaurant company)"
	@echo "    inspector   核查人员 / inspector"
	@echo "    supervisor  监管人员 / supervisor"
	@echo "    admin       系统管理员 / administrator"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

# the suite on one process per core (pytest-xdist); `make test PYTEST_WORKERS=0` (or `-n 0` in PYTEST_ARGS or
# PYTEST_ADDOPTS) runs it in one process, as it does when pytest-xdist is not installed
PYTEST_WORKERS ?= auto
test: setup
	@scripts/ensure-system-packages --test || echo "(page tests will be skipped without chromium)"
	$(VENV)/bin/lint-imports --no-cache -q 2>/dev/null || $(VENV)/bin/lint-imports --no-cache
	PYTEST_ADDOPTS="$$($(PY) -c 'import xdist' 2>/dev/null && echo '-n $(PYTEST_WORKERS)') $${PYTEST_ADDOPTS:-}" \
	  $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/lint-imports

# the machine's PostgreSQL unless DATABASE_URL says otherwise (test_bench is made and dropped by each benchmark);
# Redis at 127.0.0.1:6379 for the ones with workers or a broker (BENCH_BROKER_URL)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
bench: setup
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(PY) -m bench

clean:
	rm -rf var .pytest_cache
