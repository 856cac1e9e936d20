"""Who hears about which deadlines on a day: reminder and escalation decisions, set-based.

Every working day each agency gets at most one reminder listing its deadlines that are due
soon, due today or overdue, and the agency above a late one gets at most one escalation. The
cadence is each task's reminder policy (plan defaults filled in when the plan was loaded):

- ``before``: due_soon on the days exactly N working days before the due day, N in the list;
- ``on_day``: due_today on the due day;
- ``overdue_every``: overdue on the 1st working day after the due day, then every that many
  working days (1st, 1+n, 1+2n … working day overdue);
- ``overdue_thin``: less often as the deadline ages — each step {after: a, every: m} makes the
  gap m working days once the deadline is more than a working days overdue, counted from the
  last reminder before (by default the 1st, 3rd … 9th, then 14th, 19th, then 39th, 59th …);
- ``escalate_after``: escalation to the late agency's parent on the day the deadline is that
  many working days overdue;
- ``escalate_every``: then again every that many working days (20 by default — once a working
  month; never less than 5, once a working week — so that leadership is told again, but not
  daily).

Nothing is decided on a day off. Deadlines whose latest report as of the day says done are
left alone; so are deadlines not yet open. The work is three queries whatever the plan's size:
the tasks, then the deadlines whose due day is one of the few candidate days (the working-day
offsets above, turned into dates through a precomputed index of working days), filtered by
their latest report in the same query.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from tasks.calendar import WorkCalendar
from tasks.notices.outbox import ESCALATION, REMINDER, message_key
from tasks.plan.schema import DEFAULT_POLICY
from tasks.record.lookups import newest_report, plan_calendar
from tasks.record.models import Agency, Deadline, Plan, Task

DUE_SOON, DUE_TODAY, OVERDUE = "due_soon", "due_today", "overdue"
ORDER = {OVERDUE: 0, DUE_TODAY: 1, DUE_SOON: 2}  # most urgent first


@dataclass(frozen=True)
class Item:
    """One deadline in a message: whose, which, when due, and how urgent."""

    deadline_id: int
    task: str
    task_title_vi: str
    task_title_en: str
    title_vi: str
    title_en: str
    agency: str  # the agency that owes it (in an escalation: the late agency)
    period: str
    due_on: dt.date
    category: str  # due_soon | due_today | overdue
    days: int  # working days until due (due_soon) or overdue (overdue); 0 on the day
    role: str = "lead"
    plan: str = ""  # the plan's key and title: a message lists items of every plan, by plan
    plan_title_vi: str = ""
    plan_title_en: str = ""
    plan_sender: str = ""  # the code of the agency the plan's messages come from

    def sort_key(self) -> tuple:
        return (ORDER[self.category], -self.days if self.category == OVERDUE else self.days,
                self.due_on, self.agency, self.task, self.period, self.deadline_id)

    def as_json(self) -> dict[str, Any]:
        """The item as the record keeps it (the fields in order, the due day as ISO text): what
        `dataclasses.asdict` gives, without its deep copy of every value."""
        out = {k: getattr(self, k) for k in _ITEM_FIELDS}
        out["due_on"] = self.due_on.isoformat()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        return cls(**{**data, "due_on": dt.date.fromisoformat(data["due_on"])})


_ITEM_FIELDS = tuple(f.name for f in fields(Item))


@dataclass(frozen=True)
class Notice:
    """One message to one agency on one day: a reminder, or an escalation about others."""

    recipient: str
    kind: str  # reminder | escalation
    day: dt.date
    items: tuple[Item, ...]

    @property
    def key(self) -> str:
        return message_key(self.recipient, self.day, self.kind)

    def count(self, *categories: str) -> int:
        return sum(i.category in categories for i in self.items)


@dataclass(frozen=True)
class Cadence:
    """A task's reminder policy, answering 'what is said k working days after the due day'."""

    before: tuple[int, ...]
    on_day: bool
    overdue_every: int
    overdue_thin: tuple[tuple[int, int], ...]  # (after, every) steps, by `after`
    escalate_after: int
    escalate_every: int

    @classmethod
    def of(cls, policy: dict[str, Any]) -> Cadence:
        """The cadence of a stored policy; what it leaves out is the plan schema's default (a
        task loaded before a field existed has no value for it)."""
        p = {**DEFAULT_POLICY.model_dump(), **{k: v for k, v in policy.items() if v is not None}}
        thin = tuple(sorted((int(s["after"]), int(s["every"])) for s in p["overdue_thin"]))
        return cls(tuple(p["before"]), bool(p["on_day"]), int(p["overdue_every"]), thin,
                   int(p["escalate_after"]), int(p["escalate_every"]))

    def reminder(self, k: int) -> str | None:
        """The category of a reminder k working days after the due day (k < 0: before it)."""
        if k < 0:
            return DUE_SOON if -k in self.before else None
        if k == 0:
            return DUE_TODAY if self.on_day else None
        return OVERDUE if _in_series(k, 1, self.overdue_every, self.overdue_thin) else None

    def escalates(self, k: int) -> bool:
        return _in_series(k, self.escalate_after, self.escalate_every, ())

    def offsets(self, most_overdue: int) -> set[int]:
        """Every k (up to `most_overdue`) on which this cadence says something."""
        return {k for k in range(-max(self.before, default=0), most_overdue + 1)
                if self.reminder(k) or self.escalates(k)}


def _in_series(k: int, first: int, every: int, thin: tuple[tuple[int, int], ...]) -> bool:
    """Whether k is a term of first, first + every, … whose gap becomes m once past a, for each
    step (a, m) of `thin`: the new gap is counted from the last term at or before a."""
    if k < first:
        return False
    last = first
    for after, gap in thin:
        if k <= after:
            break
        if after > last:
            last += (after - last) // every * every
        every = gap
    return (k - last) % every == 0


class WorkingDays:
    """The working days from `first` to a little after `as_of`, so that offsets are indexes.

    rank(d) is the index of the first working day on or after d: a due day that falls on a
    day off counts from the working day it moves to (Điều 148).
    """

    def __init__(self, cal: WorkCalendar, first: dt.date, as_of: dt.date, ahead: int):
        span = (first + dt.timedelta(days=i) for i in range((as_of - first).days + 1))
        days = [d for d in span if cal.is_working_day(d)]
        for _ in range(ahead):
            days.append(cal.add_working_days(days[-1], 1))
        self.first, self.days = first, days

    def rank(self, day: dt.date) -> int:
        return bisect.bisect_left(self.days, day)

    def dates_of(self, index: int) -> list[dt.date]:
        """Every calendar day whose rank is `index` (the working day and the days off before it)."""
        end = self.days[index]
        start = self.days[index - 1] + dt.timedelta(days=1) if index else min(self.first, end)
        return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


Boxes = dict[tuple[str, str], list[Item]]  # (recipient, kind) → its items, as decided


Parent = aliased(Agency)  # the late agency's parent, who hears escalations


def recipient(code: str, notify: bool, via: str | None) -> str | None:
    """Who receives what is meant for an agency: nobody if it is never notified (`notify:
    false`), its standing body if it is reached through one (`via`), else the agency itself.
    The directory's checks make a `via` agency one that is notified and has no `via` itself."""
    return (via or code) if notify else None


def decide(s: Session, plan: Plan, as_of: dt.date, task: str | None = None) -> list[Notice]:
    """The day's notices: one per (recipient, kind), items sorted most urgent first.

    `task` limits the decision to that task's own deadlines (not its subtasks'), as the
    per-task flow does; merging the per-task results gives the same as deciding for all.
    """
    boxes: Boxes = defaultdict(list)
    _decide_into(boxes, s, plan, as_of, task)
    return _notices(boxes, as_of)


def decide_plans(s: Session, plans: Iterable[Plan], as_of: dt.date) -> list[Notice]:
    """The day's notices over several plans, one per (recipient, kind) listing the items of
    every plan: what `merge` of each plan's `decide` gives, each item hashed and sorted once."""
    boxes: Boxes = defaultdict(list)
    for plan in plans:
        _decide_into(boxes, s, plan, as_of)
    return _notices(boxes, as_of)


def _decide_into(boxes: Boxes, s: Session, plan: Plan, as_of: dt.date,
                 task: str | None = None) -> None:
    """Add one plan's items of the day (or of one task's own deadlines) to `boxes`."""
    cal = plan_calendar(plan)
    if not cal.is_working_day(as_of):
        return
    tq = sa.select(col(Task.id), col(Task.key), col(Task.title_vi), col(Task.title_en),
                   col(Task.reminder_policy)).where(col(Task.plan_id) == plan.id)
    if task is not None:
        tq = tq.where(col(Task.key) == task)
    tasks = {tid: (key, tvi, ten, Cadence.of(policy or {}))
             for tid, key, tvi, ten, policy in s.execute(tq)}
    if not tasks:
        return
    cadences = {c for *_, c in tasks.values()}
    first = min(plan.period_start, as_of)
    wd = WorkingDays(cal, first, as_of, max((n for c in cadences for n in c.before), default=0))
    today = wd.rank(as_of)
    ks = set().union(*(c.offsets(today) for c in cadences))
    dates = sorted({d for k in ks if 0 <= today - k < len(wd.days) for d in wd.dates_of(today - k)})
    if not dates:
        return
    q = (sa.select(col(Deadline.id), col(Deadline.task_id), col(Deadline.role),
                   col(Deadline.period), col(Deadline.title_vi), col(Deadline.title_en),
                   col(Deadline.due_on), col(Agency.code), col(Agency.parent_code),
                   col(Agency.notify), col(Agency.via_code), col(Parent.notify),
                   col(Parent.via_code))
         .join(Agency, col(Agency.id) == Deadline.agency_id)
         .outerjoin(Parent, col(Parent.code) == Agency.parent_code)
         .where(col(Deadline.task_id).in_(list(tasks)), col(Deadline.due_on).in_(dates),
                col(Deadline.opens_on) <= as_of,
                sa.func.coalesce(newest_report(as_of, "status"), "") != "done"))
    of_plan = (plan.key, plan.title_vi, plan.title_en,
               (plan.settings.get("sender") or {}).get("agency")
               or plan.settings.get("issued_by", ""))
    for (did, tid, role, period, dvi, den, due, code, parent, notify, via, parent_notify,
         parent_via) in s.connection().execute(q):
        assert did is not None  # a primary key; SQLModel types it `int | None`
        key, tvi, ten, cadence = tasks[tid]
        k = today - wd.rank(due)
        category = cadence.reminder(k)
        # The fields every Item of this deadline shares, bound in this iteration.
        item = partial(Item, did, key, tvi, ten, dvi, den, code, period, due)
        if category and (to := recipient(code, notify, via)):
            boxes[(to, REMINDER)].append(item(category, abs(k), role, *of_plan))
        if (parent and k > 0 and cadence.escalates(k)
                and (to := recipient(parent, parent_notify, parent_via))):
            boxes[(to, ESCALATION)].append(item(OVERDUE, abs(k), role, *of_plan))


def _notices(boxes: Mapping[tuple[str, str], Iterable[Item]], day: dt.date) -> list[Notice]:
    return [Notice(recipient, kind, day, tuple(sorted(set(items), key=Item.sort_key)))
            for (recipient, kind), items in sorted(boxes.items()) if items]


def merge(notices: Iterable[Notice]) -> list[Notice]:
    """One notice per (recipient, kind, day) out of per-task notices; sorted by day, recipient."""
    by_day: dict[dt.date, dict[tuple[str, str], list[Item]]] = defaultdict(
        lambda: defaultdict(list))
    for n in notices:
        by_day[n.day][(n.recipient, n.kind)].extend(n.items)
    return [n for day in sorted(by_day) for n in _notices(by_day[day], day)]
