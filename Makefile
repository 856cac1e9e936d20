# Two commands on a fresh machine with only python3: `make demo` and `make test`.
PY      := .venv/bin/python
UV      := .venv/bin/uv
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: demo test test-fast check lock bench ui clean

.venv/bin/uv:
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

.venv/.runtime: requirements.lock pyproject.toml | .venv/bin/uv
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -r requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	touch $@

.venv/.test: requirements-test.lock .venv/.runtime
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -r requirements-test.lock
	touch $@

demo: .venv/.runtime
	$(PY) -m flows.demo

test: .venv/.test
	$(PY) -m pytest -q

# The core tests alone, on SQLite: no Prefect flows, no end-to-end scale-out, no PostgreSQL.
test-fast: .venv/.test
	env -u PLANTRACK_TEST_PG_URL $(PY) -m pytest -q -m "not flow and not slow"

# Lint and types (configured in pyproject.toml); .ci/run runs it before the tests.
check: .venv/.test
	$(PY) -m ruff check tasks flows tests benchmarks
	$(PY) -m mypy

# The Prefect UI over the demo's (and `plantrack serve`'s) local server state in var/prefect,
# on http://127.0.0.1:$(PORT) (`make ui PORT=4300`; the default is flows/setup/server.py's).
PORT ?= 4200
ui: .venv/.runtime
	PREFECT_HOME=$(CURDIR)/var/prefect $(PY) -m prefect server start --host 127.0.0.1 --port $(PORT)

bench: .venv/.test
	$(PY) -m benchmarks.run

# Re-pin after changing pyproject.toml (no index addresses are written).
lock: .venv/bin/uv
	$(UV) pip compile --quiet --python-version 3.11 pyproject.toml -o requirements.lock
	$(UV) pip compile --quiet --python-version 3.11 pyproject.toml --extra test -o requirements-test.lock

clean:
	rm -rf .venv var out
