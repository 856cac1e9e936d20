"""The hand-worked reminder plan (tests/plans/reminders-september.yaml), with reports; the `rem`
fixture (conftest) gives a database holding both."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from tasks.notices.decide import Notice, decide
from tasks.plan.load import load
from tasks.plan.validate import validate
from tasks.record import store
from tasks.record.appending import ReportIn, add_report
from tasks.record.lookups import find_deadline, resolve_plan

PLAN = Path(__file__).parent / "plans" / "reminders-september.yaml"
KEY = "rem-2024-09"
# Who reports what (and when) in the scripted month: BDV is done on time, HUYEN only says it
# is working on it, SNV finishes three weeks late.
REPORTS = [("hang-thang", "BDV", "done", dt.date(2024, 9, 17)),
           ("hang-thang", "HUYEN", "in_progress", dt.date(2024, 9, 18)),
           ("bao-cao", "SNV", "done", dt.date(2024, 9, 25))]


def D(day: int) -> dt.date:
    return dt.date(2024, 9, day)


def decided(url: str, day: dt.date, key: str = KEY, task: str | None = None) -> list[Notice]:
    """The notices of `day`, as the daily run decides them."""
    with store.session(url) as s:
        return decide(s, resolve_plan(s, key), day, task=task)


def add_reports(url: str, reports=REPORTS) -> None:
    with store.session(url) as s:
        plan = resolve_plan(s, KEY)
        for task, agency, status, on in reports:
            add_report(s, find_deadline(s, plan, task, agency, "2024-09"),
                       ReportIn(status, reported_on=on), today=on)


def load_scripted(url: str) -> None:
    """The September plan and its scripted reports, into a migrated database (the template of
    the `rem` fixture in conftest)."""
    with store.session(url) as s:
        load(s, validate(PLAN))
    add_reports(url)
