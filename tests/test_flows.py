"""The Prefect layer, for real: flows run under one session-scoped Prefect test harness,
against a real record, delivering to real SMTP and HTTP servers on 127.0.0.1."""
from __future__ import annotations

import asyncio
import datetime as dt
import importlib

import pytest
import sqlalchemy as sa

from tasks.notices.decide import decide, merge
from tasks.record import store
from tasks.record.lookups import resolve_plan
from tasks.record.models import Agency

from conftest import PLAN
from servers import http_server, smtp_server

pytestmark = pytest.mark.flow
PLAN_KEY = "dvk-2024-h2"


@pytest.fixture(scope="session")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def _codes(url: str) -> list[str]:
    with store.session(url) as s:
        return list(s.execute(sa.select(Agency.code)).scalars())


def _env(code: str) -> str:
    return f"PLANTRACK_CH_{code.replace('-', '_')}"


async def _prefect(read):
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return await read(client)


def test_daily_run_tracks_every_task_as_nested_runs_and_sends_each_reminder_once(
        loaded, harness, monkeypatch):
    from flows.runs.daily import daily_run

    day = dt.date(2024, 9, 25)
    with store.session(loaded) as s:
        expected = merge(decide(s, resolve_plan(s, None), day))
    assert expected, "the shipped plan owes something on 25/09/2024"
    with http_server() as hooks:
        for code in _codes(loaded):
            monkeypatch.setenv(_env(code), hooks.url(f"/{code}"))
        result = asyncio.run(daily_run(as_of=day))
        assert result["sent"] == len(expected) and result["failed"] == 0
        got = hooks.inbox.wait_for(len(expected))
        assert sorted(h.path for h in got) == sorted(f"/{n.recipient}" for n in expected)
        again = asyncio.run(daily_run(as_of=day))
        assert (again["sent"], again["already"]) == (0, len(expected))
        assert len(hooks.received()) == len(expected)

    runs = asyncio.run(_prefect(lambda c: c.read_flow_runs()))
    by_name = {r.name: r for r in runs}
    child = by_name["admin-reform 2024-09-25"]
    assert child.parent_task_run_id is not None  # nested under daily-run
    assert {"admin-reform", "lead:SNV"} <= set(child.tags)
    assert "daily-run 2024-09-25" in by_name
    flows_ = {f.name for f in asyncio.run(_prefect(lambda c: c.read_flows()))}
    assert {"leadership", "committee-reinforcement", "administrative-reform", "coordination",
            "inspection", "daily-run"} <= flows_
    keys = {a.key for a in asyncio.run(_prefect(lambda c: c.read_artifacts()))}
    assert {"status-admin-reform", "status-leadership", "daily-run-reminders"} <= keys


def test_daily_run_on_a_holiday_sends_nothing(loaded, harness, monkeypatch):
    from flows.runs.daily import daily_run

    with http_server() as hooks:
        for code in _codes(loaded):
            monkeypatch.setenv(_env(code), hooks.url(f"/{code}"))
        result = asyncio.run(daily_run(as_of=dt.date(2024, 9, 2)))  # Quốc khánh
        assert result == {"day": "2024-09-02", "day_off": True, "notices": 0}
        assert hooks.received() == []


def test_monthly_digest_publishes_artifacts_and_mails_leadership_once(
        loaded, harness, monkeypatch, tmp_path):
    from flows.runs.monthly import monthly_digest

    with smtp_server() as smtp:
        for code in ("BTV-TU", "BDV-TU", "BCD-DVK"):
            monkeypatch.setenv(_env(code), smtp.url(f"{code.lower()}@hoabinh.test"))
        first = asyncio.run(monthly_digest(as_of=dt.date(2024, 10, 1), out=str(tmp_path)))
        (made,) = first["digests"]
        assert (first["month"], made["plan"], made["sent"]["sent"]) == ("2024-09", PLAN_KEY, 3)
        mails = smtp.inbox.wait_for(3)
        assert {m.subject for m in mails} == {"Báo cáo tình hình thực hiện kế hoạch tháng 9/2024"}
        again = asyncio.run(monthly_digest(month="2024-09", as_of=dt.date(2024, 10, 2),
                                           out=str(tmp_path)))
        assert again["digests"][0]["sent"]["already"] == 3 and len(smtp.inbox.items) == 3
    skipped = asyncio.run(monthly_digest(as_of=dt.date(2024, 10, 2), scheduled=True,
                                         send_email=False, out=str(tmp_path)))
    assert skipped == {"month": "2024-09", "digests": []}  # 01/10/2024 was the first working day
    assert (tmp_path / PLAN_KEY / "2024-09" / "digest.xlsx").stat().st_size > 5000
    keys = {a.key for a in asyncio.run(_prefect(lambda c: c.read_artifacts()))}
    key = f"digest-{PLAN_KEY}-2024-09"
    assert {key, f"{key}-agencies", f"{key}-kinds", f"{key}-kpis"} <= keys


def test_sync_plan_loads_the_plan_files(db_url, harness):
    from flows.runs.plan_sync import sync_plan

    changes = asyncio.run(sync_plan(files=[str(PLAN)]))
    assert changes[PLAN.name]["tasks"]["added"] == 13
    again = asyncio.run(sync_plan(files=[str(PLAN)]))
    assert all(v == 0 for c in again[PLAN.name].values() for v in c.values())


def test_deployments_read_like_the_plan(loaded):
    from flows.setup.deployments import all_deployments

    deps = all_deployments()
    by_name = {d.name: d for d in deps}
    admin = by_name[f"{PLAN_KEY}.admin-reform"]  # a task key may repeat across plans
    assert admin.flow_name == "administrative-reform"
    assert admin.parameters["task_key"] == "admin-reform"
    assert {"SNV", "VP-UBND", "admin-reform", f"plan:{PLAN_KEY}"} <= set(admin.tags)
    assert "cắt giảm 30%" in admin.description
    assert len([d for d in deps if d.parameters.get("task_key")]) == 13
    daily = by_name["daily"]
    (sched,) = daily.schedules
    assert sched.schedule.cron == "30 7 * * 1-5"
    assert sched.schedule.timezone == "Asia/Ho_Chi_Minh"
    for d in deps:  # every entrypoint loads the flow it names
        module, _, attr = d.entrypoint.rpartition(".")
        assert getattr(importlib.import_module(module), attr).name == d.flow_name


def test_prefect_yaml_schedules_match_the_served_deployments(loaded):
    """prefect.yaml (for workers) repeats what flows/setup/deployments.py serves: keep them one."""
    import yaml

    from flows.setup.deployments import all_deployments

    from conftest import ROOT

    served = {d.name: d for d in all_deployments()}
    written = {d["name"]: d for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())[
        "deployments"]}
    for name in ("daily", "monthly"):
        (sched,) = served[name].schedules
        assert written[name]["schedules"] == [{"cron": sched.schedule.cron,
                                               "timezone": sched.schedule.timezone}]
        assert written[name]["description"] == served[name].description
        assert written[name]["entrypoint"].replace("/", ".").replace(".py:", ".") == \
            served[name].entrypoint


def test_every_task_kind_has_a_flow_and_a_worker_entrypoint():
    import yaml

    from flows.runs.tracking import FLOW_NAMES, MODULE_VARS
    from tasks.words import KINDS

    from conftest import ROOT

    assert list(FLOW_NAMES) == list(KINDS)
    entrypoints = {d["entrypoint"] for d in yaml.safe_load(
        (ROOT / "prefect.yaml").read_text())["deployments"]}
    assert {f"flows/runs/tracking.py:{v}" for v in MODULE_VARS.values()} <= entrypoints
