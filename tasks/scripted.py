"""The demo's agencies, scripted: their reports and KPI returns as config/demo/script.yaml says.

Some agencies report on time, some late, some stop, some never; districts send monthly KPI
returns that grow ~1.5 % a month, checked by the plan's own rules. Only the demo uses this.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from tasks.kpi import check_value, plan_kpis, rule_breaks
from tasks.record.appending import ReportIn, add_report, record_event
from tasks.record.lookups import resolve_plan
from tasks.record.models import Agency, Deadline, KpiValue, id_of
from tasks.record.store import session


def script_reports(url: str, script: dict[str, Any]) -> int:
    """Append the scripted reports and events; returns the number of reports."""
    end = script["end"]
    late, never, stop = script["late"], set(script["never"]), script["stop_reporting"]
    with session(url) as s:
        plan = resolve_plan(s, None)
        for e in script["events"]:
            record_event(s, plan, e["kind"], e["agency"], e["date"])
        rows = s.execute(sa.select(Deadline, col(Agency.code)).join(Agency)).all()
        n = 0
        for d, code in rows:
            if code in never:
                continue
            done_on = d.due_on + dt.timedelta(days=late.get(code, -script["on_time_days_before"]))
            done_on = max(done_on, d.opens_on)
            midway = d.opens_on + (d.due_on - d.opens_on) / 2
            for status, on, progress in (("in_progress", midway, script["progress_midway"]),
                                         ("done", done_on, 100)):
                if (on > end or (code in stop and on >= stop[code])
                        or (status != "done" and on >= done_on)):
                    continue
                add_report(s, d, ReportIn(status, progress, reported_by=code, reported_on=on,
                                          completed_on=on if status == "done" else None,
                                          source="demo"), today=end)
                n += 1
    return n


def script_kpis(url: str, script: dict[str, Any]) -> int:
    """Monthly KPI returns from the districts (models growing ~1.5 % a month) and the
    procedure-time cut (% of the statutory time limit) from the People's Committee's office;
    checked by the plan's rules."""
    with session(url) as s:
        plan = resolve_plan(s, None)
        kpis = plan_kpis(s, plan)
        ids: dict[str, int] = dict(s.execute(sa.select(col(Agency.code), col(Agency.id))).all())
        rows = []
        months = [f"2024-{m:02d}" for m in range(script["start"].month, script["end"].month + 1)]
        districts = kpis["models"].spec["reported_by"]
        weights = [i + 5 for i in range(len(districts))]
        for n, period in enumerate(months, start=1):
            on = dt.date(2024, int(period[5:]), 25)
            for code, w in zip(districts, weights, strict=True):
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
            rows.append(("VP-UBND", period, on, "procedure-time", "", 8 + 4.5 * n))
        for code, period, _on, key, part, value in rows:
            check_value(kpis[key], code, part, period, value)
        s.add_all(KpiValue(kpi_id=id_of(kpis[key]), agency_id=ids[code], period=period, part=part,
                           value=value, reported_on=on, source="demo")
                  for code, period, on, key, part, value in rows)
    return len(rows)
