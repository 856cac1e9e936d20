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

# The web app over the demo's record (run `make demo` first) on http://127.0.0.1:8080, as of
# the demo's last day; links are signed with PLANTRACK_WEB_SECRET, else the demo's var/web-secret.
.PHONY: web
web: .venv/.runtime var/web-secret
	@test -f var/demo.db || { echo "make web: run \`make demo\` first (it writes var/demo.db)"; exit 2; }
	PLANTRACK_DATABASE_URL=sqlite:///$(CURDIR)/var/demo.db .venv/bin/plantrack db upgrade
	PLANTRACK_DATABASE_URL=sqlite:///$(CURDIR)/var/demo.db \
	PLANTRACK_PUBLIC_URL=$${PLANTRACK_PUBLIC_URL:-http://127.0.0.1:8080} \
	PLANTRACK_WEB_SECRET=$${PLANTRACK_WEB_SECRET:-$$(cat var/web-secret)} \
	.venv/bin/plantrack web --host 127.0.0.1 --port 8080 --as-of 2024-12-31

var/web-secret:
	@mkdir -p var && umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > $@

bench: .venv/.test
	$(PY) -m benchmarks.run

# Re-pin after changing pyproject.toml (no index addresses are written).
lock: .venv/bin/uv
	$(UV) pip compile --quiet --python-version 3.11 pyproject.toml -o requirements.lock
	$(UV) pip compile --quiet --python-version 3.11 pyproject.toml --extra test -o requirements-test.lock

clean:
	rm -rf .venv var out
