"""Scaling out, end to end: a real `prefect server start`, a process work pool, the project's
prefect.yaml deployed, a worker, and a triggered `daily-run` whose reminders reach a real
webhook server. On PostgreSQL when CI provides one (the scaled-out record), else SQLite."""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from test_flows import _codes

from flows.setup import server
from tasks.notices.channels import env_name
from tasks.notices.decide import decide, merge
from tasks.record import store
from tasks.record.lookups import resolve_plan

from conftest import PG, ROOT
from servers import free_port, http_server

pytestmark = pytest.mark.slow


def _prefect(env: dict, *args: str, timeout: float = 120) -> str:
    done = subprocess.run([sys.executable, "-m", "prefect", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


async def _wait_for_run(api: str, run_id: str, timeout: float):
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api) as client:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            run = await client.read_flow_run(run_id)
            if run.state and run.state.is_final():
                return run
            await asyncio.sleep(0.5)
    raise AssertionError(f"flow run {run_id} did not finish in {timeout} s")


@pytest.mark.parametrize("db_url", ["postgresql" if PG else "sqlite"], indirect=True)
def test_worker_runs_the_deployed_daily_run_and_reminders_arrive(loaded, tmp_path):
    record = loaded
    day = dt.date(2024, 9, 25)
    with store.session(record) as s:
        expected = merge(decide(s, resolve_plan(s, None), day))
    proc, api = server.start(port=free_port(), home=str(tmp_path / "prefect"))
    worker = None
    log = open(tmp_path / "worker.log", "w")
    try:
        with http_server() as hooks:
            env = dict(os.environ, PREFECT_API_URL=api, PLANTRACK_DATABASE_URL=record,
                       PLANTRACK_HOME=str(ROOT), PREFECT_HOME=str(tmp_path / "prefect"),
                       PREFECT_WORKER_QUERY_SECONDS="1",  # the worker asks every second, not 10
                       **{env_name(c): hooks.url(f"/{c}") for c in _codes(record)})
            _prefect(env, "work-pool", "create", "plantrack", "--type", "process")
            out = _prefect(env, "--no-prompt", "deploy", "--all")
            assert "daily-run/daily" in out
            worker = subprocess.Popen(
                [sys.executable, "-m", "prefect", "worker", "start", "--pool", "plantrack",
                 "--limit", "2"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            out = _prefect(env, "deployment", "run", "daily-run/daily",
                           "--param", f"as_of={day.isoformat()}")
            run_id = next(line.split()[-1] for line in out.splitlines() if "UUID" in line)
            run = asyncio.run(_wait_for_run(api, run_id, timeout=240))
            assert run.state.is_completed(), (tmp_path / "worker.log").read_text()
            assert run.name == "daily-run 2024-09-25"
            got = hooks.inbox.wait_for(len(expected))  # fails with the worker's log below
            assert sorted(h.path for h in got) == sorted(f"/{n.recipient}" for n in expected)
    finally:
        if worker is not None:
            server.stop(worker)
        server.stop(proc)
