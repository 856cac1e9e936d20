# Two commands on a fresh machine with only python3: `make demo` and `make test`.
PY      := .venv/bin/python
UV      := .venv/bin/uv
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: demo test lock bench ui clean

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

# The Prefect UI over the demo's (and `plantrack serve`'s) local server state in var/prefect.
ui: .venv/.runtime
	PREFECT_HOME=$(CURDIR)/var/prefect $(PY) -m prefect server start --host 127.0.0.1 --port 4200

bench: .venv/.test
	$(PY) -m benchmarks.run

# Re-pin after changing pyproject.toml (no index addresses are written).
lock: .venv/bin/uv
	$(UV) pip compile --quiet --python-version 3.11 pyproject.toml -o requirements.lock
	$(UV) pip compile --quiet --python-version 3.11 pyproject.toml --extra test -o requirements-test.lock

clean:
	rm -rf .venv var out
