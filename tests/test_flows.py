"""The Prefect layer, for real: flows run under one session-scoped Prefect test harness,
against a real record, delivering to real SMTP and HTTP servers on 127.0.0.1."""
from __future__ import annotations

import asyncio
import datetime as dt
import importlib

import pytest
import sqlalchemy as sa

from tasks.calendar import TZ
from tasks.notices.channels import env_name
from tasks.notices.decide import decide, merge
from tasks.record import store
from tasks.record.lookups import resolve_plan
from tasks.record.models import Agency, Message

from conftest import PLAN
from digest_plan import RECIPIENTS, digest_to
from prefect_kit import prefect, run_logs, run_named
from servers import http_server, refused_port, smtp_server

pytestmark = pytest.mark.flow
PLAN_KEY = "dvk-2024-h2"


def _codes(url: str) -> list[str]:
    with store.session(url) as s:
        return list(s.execute(sa.select(Agency.code)).scalars())


def _logs(run_id) -> list[str]:
    """Every log line of a flow run (and of its task runs) that reached the Prefect API."""
    return [log.message for log in run_logs(run_id)]


def _last_errors(url: str) -> dict[str, str]:
    with store.session(url) as s:
        return dict(s.execute(sa.select(Agency.code, Message.last_error)
                              .join(Message, Message.recipient_id == Agency.id)
                              .where(Message.status == "failed")).all())


def test_daily_run_tracks_every_task_as_nested_runs_and_sends_each_reminder_once(
        loaded, harness, monkeypatch):
    from flows.runs.daily import daily_run

    day = dt.date(2024, 9, 25)
    with store.session(loaded) as s:
        expected = merge(decide(s, resolve_plan(s, None), day))
    assert expected, "the shipped plan owes something on 25/09/2024"
    with http_server() as hooks:
        for code in _codes(loaded):
            monkeypatch.setenv(env_name(code), hooks.url(f"/{code}"))
        result = asyncio.run(daily_run(as_of=day))
        assert result["sent"] == len(expected) and result["failed"] == 0
        got = hooks.inbox.wait_for(len(expected))
        assert sorted(h.path for h in got) == sorted(f"/{n.recipient}" for n in expected)
        again = asyncio.run(daily_run(as_of=day))
        assert (again["sent"], again["already"]) == (0, len(expected))
        assert len(hooks.received()) == len(expected)

    runs = prefect(lambda c: c.read_flow_runs())
    by_name = {r.name: r for r in runs}
    child = by_name["admin-reform 2024-09-25"]
    assert child.parent_task_run_id is not None  # nested under daily-run
    assert {"admin-reform", "lead:SNV"} <= set(child.tags)
    assert "daily-run 2024-09-25" in by_name
    flows_ = {f.name for f in prefect(lambda c: c.read_flows())}
    assert {"leadership", "committee-reinforcement", "administrative-reform", "coordination",
            "inspection", "daily-run"} <= flows_
    keys = {a.key for a in prefect(lambda c: c.read_artifacts())}
    assert {"status-admin-reform", "status-leadership", "daily-run-reminders"} <= keys


def test_daily_run_on_a_holiday_sends_nothing(loaded, harness, monkeypatch):
    from flows.runs.daily import daily_run

    with http_server() as hooks:
        for code in _codes(loaded):
            monkeypatch.setenv(env_name(code), hooks.url(f"/{code}"))
        result = asyncio.run(daily_run(as_of=dt.date(2024, 9, 2)))  # Quốc khánh
        assert result == {"day": "2024-09-02", "day_off": True, "notices": 0}
        assert hooks.received() == []


# A run's failure and the monthly run's retries are the flows' own logic, not the record's: one
# database is enough (the daily run, and the record's failures, are tried on both).
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_run_leaving_a_reminder_undelivered_fails_and_says_which_remind_exits_1(
        loaded, harness, monkeypatch, cli):
    """No channel for one agency: `remind` exits 1 naming it on stderr; the daily-run is Failed
    in Prefect with the same line (the masked error the record keeps) in its message and logs."""
    from prefect.settings import PREFECT_API_URL

    # Prefect sets up its console logging on the first `from prefect import flow`: here, not
    # inside the command, whose stderr the runner swaps for one it closes afterwards.
    import flows.runs.daily  # noqa: F401

    day = dt.date(2024, 9, 26)
    with store.session(loaded) as s:
        expected = merge(decide(s, resolve_plan(s, None), day))
    unreached = next(n for n in expected if [m.recipient for m in expected].count(n.recipient) == 1)
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())  # remind uses the harness's
    with http_server() as hooks:
        for code in _codes(loaded):
            monkeypatch.setenv(env_name(code), hooks.url(f"/{code}"))
        monkeypatch.delenv(env_name(unreached.recipient))
        out = cli("remind", "--as-of", "2024-09-26")
        assert out.exit_code == 1
        hooks.inbox.wait_for(len(expected) - 1)
    key = f"{unreached.recipient}:2024-09-26:{unreached.kind}"
    line = f"{key}: {_last_errors(loaded)[unreached.recipient]}"
    assert "no channel: set PLANTRACK_CH_" in line
    assert out.stderr.splitlines() == [line]
    assert f"sent={len(expected) - 1} failed=1" in out.stdout

    run = run_named("daily-run 2024-09-26")
    assert run.state.is_failed()
    assert run.state.message == f"số tin chưa gửi được: 1\n{line}"
    assert f"chưa gửi được: {line}" in _logs(run.id)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_monthly_digest_mails_leadership_once_and_a_failed_recipient_is_retried(
        loaded, harness, monkeypatch, tmp_path):
    """On a fake clock: the scheduled run of 01/10 sends September's digest, Failed for the
    recipient whose server refuses; retry-failed sends it at 07:06; the next morning, nothing;
    a run asked for the month writes it again and sends it to nobody twice."""
    from flows.runs import monthly, retry
    from flows.runs.monthly import monthly_digest
    from flows.runs.retry import retry_failed

    seven = dt.datetime(2024, 10, 1, 7, tzinfo=TZ)
    monkeypatch.setattr(monthly, "now", lambda: seven)
    # Three recipients notified directly (the shipped list routes to BDV-TU alone), so that one
    # can fail while the others have it.
    digest_to(loaded)
    with smtp_server() as smtp, refused_port() as dead:
        for code in RECIPIENTS:
            monkeypatch.setenv(env_name(code), smtp.url(f"{code.lower()}@hoabinh.test"))
        monkeypatch.setenv(env_name("MTTQ"), f"mailto://127.0.0.1:{dead}?"
                           "from=digest@plantrack.test&to=mttq@hoabinh.test")
        first = asyncio.run(monthly_digest(as_of=dt.date(2024, 10, 1), scheduled=True,
                                           out=str(tmp_path), return_state=True))
        assert first.is_failed()
        line = f"MTTQ:2024-10-01:digest:{PLAN_KEY}: {_last_errors(loaded)['MTTQ']}"
        assert first.message == f"số tin chưa gửi được: 1\n{line}"
        assert f"mailto://127.0.0.1:{dead}" in line
        assert len(smtp.inbox.wait_for(2)) == 2  # BDV-TU and UBND; MTTQ's server refused

        monkeypatch.setenv(env_name("MTTQ"), smtp.url("mttq@hoabinh.test"))
        monkeypatch.setattr(retry, "now", lambda: seven + dt.timedelta(minutes=6))
        resent = asyncio.run(retry_failed())
        assert (resent["sent"], resent["recovered"], resent["undelivered"]) == (1, 1, [])
        mails = smtp.inbox.wait_for(3)  # the two of 07:00 and MTTQ's of 07:06
        assert {m.subject for m in mails} == {"Báo cáo tình hình thực hiện kế hoạch tháng 9/2024"}
        assert sorted(m.rcpt_tos[0] for m in mails) == [  # each recipient once
            "bdv-tu@hoabinh.test", "mttq@hoabinh.test", "ubnd@hoabinh.test"]
        monkeypatch.setattr(monthly, "now", lambda: seven + dt.timedelta(days=1))
        later = asyncio.run(monthly_digest(as_of=dt.date(2024, 10, 2), scheduled=True,
                                           out=str(tmp_path)))
        assert later == {"month": "2024-09", "digests": [], "undelivered": []}
        asked = asyncio.run(monthly_digest(month="2024-09", out=str(tmp_path)))  # by hand
        # the three recipients' messages are claimed: none sent twice
        assert asked["digests"][0]["sent"]["already"] == 3 and len(smtp.inbox.items) == 3
    assert (tmp_path / PLAN_KEY / "2024-09" / "digest.xlsx").stat().st_size > 5000
    keys = {a.key for a in prefect(lambda c: c.read_artifacts())}
    key = f"digest-{PLAN_KEY}-2024-09"
    assert {key, f"{key}-agencies", f"{key}-kinds", f"{key}-kpis"} <= keys


def test_sync_plan_loads_the_plan_files(db_url, harness):
    from flows.runs.plan_sync import sync_plan

    changes = asyncio.run(sync_plan(files=[str(PLAN)]))
    assert changes[PLAN.name]["tasks"]["added"] == 16
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
    assert len([d for d in deps if d.parameters.get("task_key")]) == 16
    crons = {d.name: (d.flow_name, d.schedules[0].schedule.cron, d.schedules[0].schedule.timezone)
             for d in deps if d.schedules}
    assert crons == {"daily": ("daily-run", "30 7 * * 1-5", "Asia/Ho_Chi_Minh"),
                     "monthly": ("monthly-digest", "0 7 * * 1-5", "Asia/Ho_Chi_Minh"),
                     "retry": ("retry-failed", "*/10 7-17 * * 1-5", "Asia/Ho_Chi_Minh")}
    for d in deps:  # every entrypoint loads the flow it names
        module, _, attr = d.entrypoint.rpartition(".")
        assert getattr(importlib.import_module(module), attr).name == d.flow_name


def test_prefect_yaml_schedules_match_the_served_deployments(loaded):
    """prefect.yaml (for workers) repeats what flows/setup/deployments.py serves: keep them one."""
    import yaml

    from flows.setup.deployments import all_deployments

    from conftest import ROOT

    served = {d.name: d for d in all_deployments() if d.schedules}
    written = {d["name"]: d for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())[
        "deployments"]}
    assert set(served) == {"daily", "monthly", "retry"}
    for name, dep in served.items():
        (sched,) = dep.schedules
        assert written[name]["schedules"] == [{"cron": sched.schedule.cron,
                                               "timezone": sched.schedule.timezone}]
        assert written[name]["description"] == dep.description
        assert written[name]["entrypoint"].replace("/", ".").replace(".py:", ".") == \
            dep.entrypoint
        assert written[name].get("parameters", {}) == {
            k: v for k, v in dep.parameters.items() if v is not None}


def test_every_task_kind_has_a_flow_and_a_worker_entrypoint():
    import yaml

    from flows.runs.tracking import FLOW_NAMES, MODULE_VARS
    from tasks.words import KINDS

    from conftest import ROOT

    assert list(FLOW_NAMES) == list(KINDS)
    entrypoints = {d["entrypoint"] for d in yaml.safe_load(
        (ROOT / "prefect.yaml").read_text())["deployments"]}
    assert {f"flows/runs/tracking.py:{v}" for v in MODULE_VARS.values()} <= entrypoints
