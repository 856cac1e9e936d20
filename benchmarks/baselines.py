"""What a careful engineer would write by hand for the same answers: the yardsticks.

Each baseline computes what the measured plantrack function computes (the same counts, on the
same database) with one hand-written SQL statement and as little Python as possible, so the
ratio between them is plantrack's overhead. The latest report of a deadline is found the way
that is fastest on each database (measured at national scale): a correlated lookup on the
(deadline_id, reported_on) index per deadline, except that PostgreSQL ranks all the reports of
a whole plan in one pass faster than it looks each deadline's up.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import col

from benchmarks.rawsql import CATEGORY, LATEST_ID, LIVE_PLANS
from tasks.plan.validate import PlanSpec, task_hash
from tasks.record.lookups import plan_calendar
from tasks.record.models import Plan
from tasks.status import CATEGORIES

LATEST_STATUS = LATEST_ID.replace("SELECT r2.id", "SELECT r2.status", 1)

DUE = sa.text(f"""
SELECT a.code, a.parent_code, d.due_on, COUNT(*) AS n
FROM deadline d
JOIN task t ON t.id = d.task_id
JOIN agency a ON a.id = d.agency_id
WHERE t.plan_id = :plan_id AND d.due_on IN :dates AND d.opens_on <= :as_of
  AND COALESCE({LATEST_STATUS}, '') <> 'done'
GROUP BY a.code, a.parent_code, d.due_on
""").bindparams(sa.bindparam("dates", expanding=True, type_=sa.Date),
                sa.bindparam("as_of", type_=sa.Date)).columns(due_on=sa.Date)

_COUNTS = """
SELECT t.kind, {category} AS category, COUNT(*) AS n
FROM deadline d
JOIN task t ON t.id = d.task_id
{latest}
WHERE t.plan_id = :plan_id
GROUP BY t.kind, category
"""
RANKED = """LEFT JOIN (
  SELECT r2.*, ROW_NUMBER() OVER (PARTITION BY r2.deadline_id
           ORDER BY r2.reported_on DESC, r2.recorded_at DESC, r2.id DESC) AS n
  FROM report r2 WHERE r2.reported_on <= :as_of) r ON r.deadline_id = d.id AND r.n = 1"""
CATEGORY_COUNTS = {  # by dialect: the faster of the two ways of finding the latest report
    "sqlite": _COUNTS.format(category=CATEGORY, latest=f"LEFT JOIN report r ON r.id = {LATEST_ID}"),
    "postgresql": _COUNTS.format(category=CATEGORY, latest=RANKED),
}


LIVE = sa.text(f"SELECT p.id FROM plan p WHERE p.id IN {LIVE_PLANS} ORDER BY p.id").bindparams(
    sa.bindparam("as_of", type_=sa.Date))


def _plans(c: Connection, where: Any) -> list[Any]:
    return list(c.execute(sa.select(Plan).where(where).order_by(col(Plan.id))))


def _offsets(plan: Any, as_of: dt.date) -> dict[dt.date, int]:
    """Every calendar day of the plan up to a fortnight ahead → working days from it to `as_of`."""
    cal = plan_calendar(plan)
    days = [plan.period_start + dt.timedelta(days=i)
            for i in range((as_of - plan.period_start).days + 15)]
    working = [d for d in days if cal.is_working_day(d)]
    today = bisect.bisect_left(working, as_of)
    return {d: today - bisect.bisect_left(working, d) for d in days}


def _category(p: dict[str, Any], k: int) -> str | None:
    """What a reminder says k working days after the due day, in the benchmark's plain cadence."""
    if k < 0:
        return "due_soon" if -k in p["before"] else None
    if k == 0:
        return "due_today" if p["on_day"] else None
    return "overdue" if (k - 1) % p["overdue_every"] == 0 else None


def decide_counts(c: Connection, as_of: dt.date) -> dict[str, int]:
    """The day's reminders over every live plan as counts: recipients, escalation recipients,
    items by category (an agency owing items in several plans is one recipient)."""
    items: Counter = Counter()
    reminded, escalated = set(), set()
    live = list(c.execute(LIVE, {"as_of": as_of}).scalars())
    for plan in _plans(c, col(Plan.id).in_(live)):
        if not plan_calendar(plan).is_working_day(as_of):
            continue
        p = plan.settings["reminders"]
        ks = _offsets(plan, as_of)
        escalates = {d for d, k in ks.items() if k >= p["escalate_after"]
                     and (k - p["escalate_after"]) % p["escalate_every"] == 0}
        dates = [d for d, k in ks.items() if _category(p, k) or d in escalates]
        for code, parent, due, n in c.execute(DUE, {"plan_id": plan.id, "dates": dates,
                                                     "as_of": as_of}):
            if cat := _category(p, ks[due]):
                items[cat] += n
                reminded.add(code)
            if parent and due in escalates:
                items["escalated"] += n
                escalated.add(parent)
    return {"reminders": len(reminded), "escalations": len(escalated),
            **{k: items[k] for k in ("due_soon", "due_today", "overdue", "escalated")}}


def category_counts(c: Connection, plan_key: str, as_of: dt.date) -> dict[str, dict[str, int]]:
    """Deadlines of a plan in each status category as of a day, per task kind and in total."""
    plan, = _plans(c, col(Plan.key) == plan_key)
    by_kind: dict[str, dict[str, int]] = {}
    sql = sa.text(CATEGORY_COUNTS[c.dialect.name]).bindparams(sa.bindparam("as_of", type_=sa.Date))
    for kind, category, n in c.execute(sql, {"plan_id": plan.id, "as_of": as_of}):
        by_kind.setdefault(kind, dict.fromkeys(CATEGORIES, 0))[category] = n
    total = {cat: sum(k[cat] for k in by_kind.values()) for cat in CATEGORIES}
    return {"total": total, **dict(sorted(by_kind.items()))}


def load_rows(spec: PlanSpec) -> dict[str, list[dict[str, Any]]]:
    """The rows `tasks.load` writes for a fresh database, with their ids given up front."""
    agencies = {a.code: i for i, a in enumerate(spec.directory.agencies, 1)}
    tasks = {t.spec.key: i for i, t in enumerate(spec.tasks, 1)}
    p = spec.plan
    roles = [(t, {c: "coordinating" for c in t.coordinating} | {c: "lead" for c in t.lead})
             for t in spec.tasks]
    return {
        "agency": [dict(id=agencies[a.code], code=a.code, name_vi=a.name_vi, name_en=a.name_en,
                        level=a.level, parent_code=a.parent,
                        channels=[c.model_dump(exclude_none=True) for c in a.channels])
                   for a in spec.directory.agencies],
        "plan": [dict(id=1, key=p.key, title_vi=p.title_vi, title_en=p.title_en,
                      period_start=p.period.start, period_end=p.period.end,
                      source_file=spec.file, content_hash=spec.content_hash,
                      settings=spec.settings(), loaded_at=dt.datetime.now(dt.UTC))],
        "task": [dict(id=tasks[t.spec.key], plan_id=1, key=t.spec.key, content_hash=task_hash(t),
                      **t.content()) for t in spec.tasks],
        "assignment": [dict(task_id=tasks[t.spec.key], agency_id=agencies[c], role=r)
                       for t, rs in roles for c, r in rs.items()],
        "deadline": [dict(task_id=tasks[d.task_key], agency_id=agencies[d.agency], role=d.role,
                          rule_key=d.rule_key, period=d.period, title_vi=d.title_vi,
                          title_en=d.title_en, opens_on=d.opens_on, nominal_on=d.nominal_on,
                          due_on=d.due_on) for d in spec.deadlines],
    }


def insert_rows(c: Connection, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """One executemany per table, in the caller's transaction."""
    from tasks.record import models

    tables = {"agency": models.Agency, "plan": models.Plan, "task": models.Task,
              "assignment": models.Assignment, "deadline": models.Deadline}
    for name, model in tables.items():
        c.execute(sa.insert(model), rows[name])
    return {name: len(rows[name]) for name in tables}
