"""Status of every deadline as of any day, computed from the append-only reports.

Nothing here is stored: the latest report made on or before `as_of` decides, so the same
question asked later about a past day gives the same answer. A national plan has 100,000
deadlines: their rows are slotted and share one string per distinct title or code, and a
comparison with another day asks for the categories alone (`deadline_categories`), so that the
national digest peaks at 150 MB rather than 360–420.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.errors import NotFound
from tasks.record.lookups import agency_id, newest_reports, task_keys, task_keys_under
from tasks.record.models import Agency, Deadline, Plan, Task, id_of

DONE_ON_TIME, DONE_LATE, IN_PROGRESS, OVERDUE, NOT_DUE = (
    "done_on_time", "done_late", "in_progress", "overdue", "not_due")
CATEGORIES = (DONE_ON_TIME, DONE_LATE, IN_PROGRESS, OVERDUE, NOT_DUE)


@dataclass(frozen=True, slots=True)
class DeadlineStatus:
    deadline_id: int
    task: str
    kind: str
    agency: str
    role: str
    rule: str
    period: str
    title_vi: str
    title_en: str
    opens_on: dt.date
    due_on: dt.date
    category: str
    days_late: int
    progress: int
    reported_on: dt.date | None
    completed_on: dt.date | None
    note: str
    plan: str = ""  # the plan's key

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v)
                for k, v in asdict(self).items()}


def classify(opens_on: dt.date, due_on: dt.date, as_of: dt.date, status: str | None,
             completed_on: dt.date | None) -> tuple[str, int]:
    """(category, days late) of one deadline; `status` is the latest report's, if any."""
    if status == "done":
        assert completed_on is not None, "a done deadline has a completion day"
        late = (completed_on - due_on).days
        return (DONE_LATE, late) if late > 0 else (DONE_ON_TIME, 0)
    if as_of > due_on:
        return OVERDUE, (as_of - due_on).days
    return (IN_PROGRESS if as_of >= opens_on else NOT_DUE), 0


def _with_newest(s: Session, plan: Plan, as_of: dt.date, *columns: Any,
                 report: tuple[str, ...]) -> sa.Select:
    """`columns`, then the `report` columns of each deadline's newest report made on or before
    `as_of` (None when there is none), over the plan's deadlines joined to their task and
    agency."""
    r, on = newest_reports(s, as_of)
    return (sa.select(*columns, *(r.c[name] for name in report))
            .select_from(Deadline)
            .join(Task, col(Task.id) == Deadline.task_id)
            .join(Agency, col(Agency.id) == Deadline.agency_id)
            .outerjoin(r, on)
            .where(col(Task.plan_id) == plan.id))


def deadline_statuses(s: Session, plan: Plan, as_of: dt.date, agency: str | None = None,
                      task: str | None = None, subtasks: bool = True) -> list[DeadlineStatus]:
    """Every deadline of the plan (optionally of one agency, or of one task and, unless
    subtasks=False, its subtasks)."""
    where = []
    if agency:
        agency_id(s, agency)  # NotFound for an unknown code
        where.append(col(Agency.code) == agency)
    if task:
        keys = task_keys_under(s, id_of(plan), task)  # NotFound for an unknown task
        where.append(col(Task.key).in_(keys if subtasks else [task]))
    q = (_with_newest(s, plan, as_of, col(Deadline.id), col(Task.key), col(Task.kind),
                      col(Agency.code), col(Deadline.role), col(Deadline.rule_key),
                      col(Deadline.period), col(Deadline.title_vi), col(Deadline.title_en),
                      col(Deadline.opens_on), col(Deadline.due_on),
                      report=("status", "progress", "reported_on", "completed_on", "note"))
         .where(*where)
         .order_by(col(Deadline.due_on), col(Task.position), col(Agency.code), col(Deadline.id)))
    out = []
    for did, *text, opens, due, status, progress, reported_on, completed_on, note in (
            s.connection().execute(q, execution_options={"yield_per": 2000})):
        assert did is not None  # a primary key; SQLModel types it `int | None`
        # one string object for each distinct code or title, not one per deadline
        tkey, kind, code, role, rule, period, tvi, ten = map(sys.intern, text)
        completed = completed_on or reported_on
        category, late = classify(opens, due, as_of, status, completed)
        out.append(DeadlineStatus(
            did, tkey, kind, code, role, rule, period, tvi, ten, opens, due, category, late,
            100 if status == "done" else (progress or 0), reported_on,
            completed if status == "done" else None, note or "", plan.key))
    return out


def deadline_categories(s: Session, plan: Plan, as_of: dt.date) -> dict[int, str]:
    """The category alone of every deadline of the plan, by deadline id: what comparing two
    days needs, without holding every deadline's status twice."""
    q = _with_newest(s, plan, as_of, col(Deadline.id), col(Deadline.opens_on),
                     col(Deadline.due_on), report=("status", "reported_on", "completed_on"))
    return {did: classify(opens, due, as_of, status, completed_on or reported_on)[0]
            for did, opens, due, status, reported_on, completed_on
            in s.connection().execute(q, execution_options={"yield_per": 5000})}


def plans_statuses(s: Session, plans: list[Plan], as_of: dt.date, agency: str | None = None,
                   task: str | None = None) -> list[DeadlineStatus]:
    """Every deadline of several plans, plan by plan; `task` is looked for in each plan that
    has it (NotFound when none has)."""
    if task:
        plans = [p for p in plans if task in task_keys(s, p)]
        if not plans:
            raise NotFound("unknown task '{task}'", task=task)
    return [r for p in plans for r in deadline_statuses(s, p, as_of, agency, task)]


def on_time_rate(counts: Counter) -> float | None:
    """Done on time ÷ deadlines already due (done, either way, or overdue)."""
    due = counts[DONE_ON_TIME] + counts[DONE_LATE] + counts[OVERDUE]
    return round(counts[DONE_ON_TIME] / due, 4) if due else None


def rollup(rows: Iterable[DeadlineStatus], by: str) -> list[dict[str, Any]]:
    """Counts per status category, on-time rate and mean progress, grouped by task, kind or
    agency, in the order of the group's key."""
    groups: dict[str, Counter] = defaultdict(Counter)
    progress: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        key = getattr(r, by)
        groups[key][r.category] += 1
        progress[key].append(r.progress)
    return [
        {by: key, "total": sum(c.values()), **{cat: c[cat] for cat in CATEGORIES},
         "on_time_rate": on_time_rate(c),
         "progress": round(sum(progress[key]) / len(progress[key]), 1)}
        for key, c in sorted(groups.items())
    ]


def summary(rows: list[DeadlineStatus]) -> dict[str, Any]:
    c = Counter(r.category for r in rows)
    return {"total": len(rows), **{cat: c[cat] for cat in CATEGORIES},
            "on_time_rate": on_time_rate(c)}
