"""`make demo`: the shipped plan lived through July–December 2024 on the embedded defaults.

Loads the plan into a fresh SQLite file (var/demo.db), scripts the agencies' reports
(config/demo/script.yaml: some on time, some late, some never), replays every day to
30/12/2024 writing what would have been sent to out/reminders/, then runs one real `daily-run`
for 31/12/2024 and the December `monthly-digest` through a local Prefect server, delivering to
a webhook sink on 127.0.0.1 (out/delivered/), and writes the six monthly digests to out/digests/.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import time

import yaml

from tasks.settings import ROOT

DB = ROOT / "var" / "demo.db"
OUT = ROOT / "out"
PLAN = ROOT / "config" / "plans" / "dvk-2024-h2.yaml"
SCRIPT = ROOT / "config" / "demo" / "script.yaml"


def say(msg: str) -> None:
    print(f"[demo] {msg}", flush=True)


def fresh_database() -> str:
    for p in DB.parent.glob(DB.name + "*"):
        p.unlink()
    url = f"sqlite:///{DB}"
    os.environ["PLANTRACK_DATABASE_URL"] = url
    return url


def script_reports(url: str, script: dict) -> int:
    """Append the scripted reports and events; returns the number of reports."""
    import sqlalchemy as sa

    from tasks.record.appending import ReportIn, add_report, record_event
    from tasks.record.lookups import resolve_plan
    from tasks.record.models import Agency, Deadline
    from tasks.record.store import session

    end = script["end"]
    late, never, stop = script["late"], set(script["never"]), script["stop_reporting"]
    with session(url) as s:
        plan = resolve_plan(s, None)
        for e in script["events"]:
            record_event(s, plan, e["kind"], e["agency"], e["date"])
        rows = s.execute(sa.select(Deadline, Agency.code).join(Agency)).all()
        n = 0
        for d, code in rows:
            if code in never:
                continue
            done_on = d.due_on + dt.timedelta(days=late.get(code, -script["on_time_days_before"]))
            done_on = max(done_on, d.opens_on)
            midway = d.opens_on + (d.due_on - d.opens_on) / 2
            for status, on, progress in (("in_progress", midway, script["progress_midway"]),
                                         ("done", done_on, 100)):
                if on > end or (code in stop and on >= stop[code]) or (status != "done" and on >= done_on):
                    continue
                add_report(s, d, ReportIn(status, progress, reported_by=code, reported_on=on,
                                          completed_on=on if status == "done" else None,
                                          source="demo"), today=end)
                n += 1
    return n


def script_kpis(url: str, script: dict) -> int:
    """Monthly KPI returns from the districts (models growing ~1.5 % a month) and the
    procedure-time index from the People's Committee's office; checked by the plan's rules."""
    import sqlalchemy as sa

    from tasks.kpi import check_value, plan_kpis, rule_breaks
    from tasks.record.lookups import resolve_plan
    from tasks.record.models import Agency, KpiValue
    from tasks.record.store import session

    with session(url) as s:
        plan = resolve_plan(s, None)
        kpis = plan_kpis(s, plan)
        ids = dict(s.execute(sa.select(Agency.code, Agency.id)).all())
        rows = []
        months = [f"2024-{m:02d}" for m in range(script["start"].month, script["end"].month + 1)]
        districts = kpis["models"].spec["reported_by"]
        weights = [i + 5 for i in range(len(districts))]
        for n, period in enumerate(months, start=1):
            on = dt.date(2024, int(period[5:]), 25)
            for code, w in zip(districts, weights):
                share, growth = w / sum(weights), 1 + 0.015 * n
                named = {p["key"]: round(p["baseline"] * share * growth)
                         for p in kpis["models-named"].spec["breakdown"]}
                values = {("models", ""): round(11441 * share * growth),
                          ("models-named", ""): sum(named.values()),
                          ("models-replicated", ""): round(132 * share * (1 + 0.06 * n)),
                          **{("models-named", k): v for k, v in named.items()}}
                rows += [(code, period, on, k, part, v) for (k, part), v in values.items()]
                if broken := rule_breaks(kpis, values):
                    raise ValueError(f"demo KPI values of {code} break the plan's rules: {broken}")
            rows.append(("VP-UBND", period, on, "procedure-time", "", 100 - 4.5 * n))
        for code, period, on, key, part, value in rows:
            check_value(kpis[key], code, part, period, value)
        s.add_all(KpiValue(kpi_id=kpis[key].id, agency_id=ids[code], period=period, part=part,
                           value=value, reported_on=on, source="demo")
                  for code, period, on, key, part, value in rows)
    return len(rows)


def main() -> None:
    started = time.monotonic()
    script = yaml.safe_load(SCRIPT.read_text(encoding="utf-8"))
    url = fresh_database()
    shutil.rmtree(OUT, ignore_errors=True)
    from tasks.plan.load import load_file

    changes = load_file(PLAN, url)
    say(f"plan loaded into {DB.relative_to(ROOT)}: {changes['tasks']['added']} tasks, "
        f"{changes['deadlines']['added']} deadlines")
    say(f"{script_reports(url, script)} scripted reports and {script_kpis(url, script)} KPI "
        f"values from {SCRIPT.relative_to(ROOT)}")

    from tasks.simulate import replay

    last = script["end"]
    t = time.monotonic()
    days = replay(url, None, script["start"], last - dt.timedelta(days=1), OUT / "reminders")
    say(f"replayed {len(days)} days in {time.monotonic() - t:.1f} s: "
        f"{sum(d.reminders for d in days)} reminders, {sum(d.escalations for d in days)} "
        f"escalations written to out/reminders/")

    from flows.server import api_server
    from flows.sink import webhook_sink

    with webhook_sink(OUT / "delivered") as sink_url, api_server(announce=say) as api:
        for code in agency_codes(url):
            os.environ[f"PLANTRACK_CH_{code.replace('-', '_')}"] = f"json://{sink_url}/{code}"
        from flows.daily import daily_run
        from flows.monthly import monthly_digest

        result = asyncio.run(daily_run(as_of=last))
        say(f"daily-run {last:%d/%m/%Y} through Prefect at {api}: {result}")
        digest = asyncio.run(monthly_digest(month=f"{last:%Y-%m}", as_of=last + dt.timedelta(days=1)))
        say(f"monthly-digest {last:%m/%Y}: {digest}")

    from flows.digests import write_months

    for month, folder in write_months(url, script["start"], last, OUT / "digests"):
        say(f"digest {month}: {folder.relative_to(ROOT)}")

    from flows.cli import app

    say("status as of 31/12/2024:")
    app(["status", "--as-of", f"{last}"], standalone_mode=False)
    say(f"done in {time.monotonic() - started:.0f} s. See the runs in the Prefect UI: "
        "`make ui`, then open http://127.0.0.1:4200")


def agency_codes(url: str) -> list[str]:
    import sqlalchemy as sa

    from tasks.record.models import Agency
    from tasks.record.store import session

    with session(url) as s:
        return list(s.execute(sa.select(Agency.code)).scalars())


if __name__ == "__main__":
    main()
