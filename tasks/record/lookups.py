"""Questions the whole core asks the record: which plan, which agency, which task, which report.

Each is answered here once, so that a rule such as "an unknown agency code is NotFound" or
"the newest report wins" has one home.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from tasks.calendar import WorkCalendar
from tasks.errors import BadInput, NotFound, unknown_agency
from tasks.record.models import Agency, Assignment, Deadline, Plan, PlanClosure, Report, Task, id_of

DRAFT, ACTIVE, ENDED, CLOSED = "draft", "active", "ended", "closed"
NO_PLAN = "no plan loaded yet: run `plantrack plan load FILE`"


def plan_state(s: Session, plan: Plan, day: dt.date) -> str:
    """A plan's state on `day`: draft before it is issued, active in its period, ended after it
    (its unfinished deadlines still owed), closed from the day the secretariat closed it."""
    last = s.execute(sa.select(col(PlanClosure.closed))
                     .where(col(PlanClosure.plan_id) == plan.id, col(PlanClosure.on) <= day)
                     .order_by(col(PlanClosure.on).desc(), col(PlanClosure.id).desc())
                     .limit(1)).scalar()
    if last:
        return CLOSED
    if day < (plan.issued_on or plan.period_start):
        return DRAFT
    return ENDED if day > plan.period_end else ACTIVE


def is_live(s: Session, plan: Plan, day: dt.date) -> bool:
    """Whether a plan is reminded on `day`: issued and not closed (after its period its
    unfinished deadlines are still owed)."""
    return plan_state(s, plan, day) in (ACTIVE, ENDED)


def resolve_plans(s: Session, keys: Sequence[str] = (), day: dt.date | None = None
                  ) -> list[Plan]:
    """The plans named (any state: a closed plan stays readable), or else every plan that is
    live on `day` — active or ended, not draft or closed — in the order they were loaded."""
    plans = list(s.execute(sa.select(Plan).order_by(col(Plan.id))).scalars())
    if not plans:
        raise NotFound(NO_PLAN)
    if keys:
        by_key = {p.key: p for p in plans}
        if missing := [k for k in keys if k not in by_key]:
            raise NotFound("no plan '{key}' in the record (there are: {keys})",
                           key=missing[0], keys=", ".join(by_key))
        return [by_key[k] for k in dict.fromkeys(keys)]
    return plans if day is None else [p for p in plans if is_live(s, p, day)]


def resolve_plan(s: Session, plan_key: str | None, day: dt.date | None = None) -> Plan:
    """The one plan a command needs: the one named, else the only live one on `day` (or the
    only one loaded); BadInput names the plans to choose from when there are several."""
    if plan_key:
        return resolve_plans(s, [plan_key])[0]
    plans = resolve_plans(s, (), day)
    if len(plans) > 1:
        raise BadInput("{n} plans are active ({keys}): name one with --plan KEY", n=len(plans),
                       keys=", ".join(p.key for p in plans))
    if not plans:
        every = resolve_plans(s)
        if len(every) == 1:
            return every[0]
        raise BadInput("no plan is active on {day} ({keys}): name one with --plan KEY",
                       day=day, keys=", ".join(p.key for p in every))
    return plans[0]


def plan_calendar(plan: Plan) -> WorkCalendar:
    """The working calendar of a plan: Vietnam's, less the plan's own days off."""
    return WorkCalendar({dt.date.fromisoformat(d["date"])
                         for d in plan.settings.get("days_off", [])})


def agency_id(s: Session, code: str) -> int:
    """The id of an agency code; NotFound for a code the directory does not have."""
    found = s.execute(sa.select(col(Agency.id)).where(col(Agency.code) == code)).scalar()
    if found is None:
        raise NotFound(unknown_agency(code))
    return found


def agencies_by_code(s: Session) -> dict[str, Agency]:
    return {a.code: a for a in s.execute(sa.select(Agency).order_by(col(Agency.id))).scalars()}


@dataclass
class TaskOwners:
    """A task of a plan with its owners: lead and coordinating agency codes."""

    task: Task
    lead: list[str] = field(default_factory=list)
    coordinating: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        t = self.task
        return {"key": t.key, "parent": t.parent_key, "kind": t.kind, "title_vi": t.title_vi,
                "title_en": t.title_en, "lead": self.lead, "coordinating": self.coordinating}


def tasks_with_owners(s: Session, plan: Plan) -> list[TaskOwners]:
    """The plan's tasks in plan order, each with its lead and coordinating agencies by code."""
    tasks = s.execute(sa.select(Task).where(col(Task.plan_id) == plan.id)
                      .order_by(col(Task.position))).scalars().all()
    out = {id_of(t): TaskOwners(t) for t in tasks}
    for task_id, role, code in s.execute(
            sa.select(col(Assignment.task_id), col(Assignment.role), col(Agency.code))
            .join(Agency, col(Agency.id) == Assignment.agency_id)
            .where(col(Assignment.task_id).in_(list(out))).order_by(col(Agency.code))):
        getattr(out[task_id], "lead" if role == "lead" else "coordinating").append(code)
    return list(out.values())


def task_keys(s: Session, plan: Plan) -> set[str]:
    """The keys of a plan's tasks."""
    return set(s.execute(sa.select(col(Task.key)).where(col(Task.plan_id) == plan.id)).scalars())


def task_keys_under(s: Session, plan_id: int, key: str) -> list[str]:
    """A task and all its subtasks."""
    parents: dict[str, str | None] = dict(s.execute(
        sa.select(col(Task.key), col(Task.parent_key)).where(col(Task.plan_id) == plan_id)).all())
    if key not in parents:
        raise NotFound("unknown task '{task}'", task=key)
    out = []
    for k in parents:
        cur: str | None = k
        while cur is not None and cur != key:
            cur = parents.get(cur)
        if cur == key:
            out.append(k)
    return out


def find_deadline(s: Session, plan: Plan, task: str, agency: str, period: str,
                  rule: str | None = None) -> Deadline:
    """The one deadline of a task for an agency in a period (name the rule when there are
    several)."""
    task_id = s.execute(sa.select(col(Task.id))
                        .where(col(Task.plan_id) == plan.id, col(Task.key) == task)).scalar()
    if task_id is None:
        raise NotFound("unknown task '{task}'", task=task)
    q = sa.select(Deadline).where(col(Deadline.task_id) == task_id,
                                  col(Deadline.agency_id) == agency_id(s, agency),
                                  col(Deadline.period) == period)
    if rule:
        q = q.where(col(Deadline.rule_key) == rule)
    found = s.execute(q).scalars().all()
    if not found:
        raise NotFound("no deadline of task '{task}' for agency '{agency}' in period '{period}'",
                       task=task, agency=agency, period=period)
    if len(found) > 1:
        raise BadInput("task '{task}' has {n} deadlines for '{agency}' in '{period}': name one "
                       "with --rule ({rules})", task=task, n=len(found), agency=agency,
                       period=period, rules=", ".join(d.rule_key for d in found))
    return found[0]


def report_order(r: type[Report] = Report) -> tuple[Any, ...]:
    """Reports from oldest to newest: by `reported_on`, then `recorded_at`, then id — the one
    ordering that says which report is a deadline's latest."""
    return col(r.reported_on), col(r.recorded_at), col(r.id)


def _newest(what: Any, r: Any, as_of: dt.date) -> sa.Select:
    """`what` of the newest report `r` made on or before `as_of` of the deadline in the
    enclosing query: one probe of the (deadline_id, reported_on) index per deadline, where
    ranking all reports sorts a million rows on SQLite; newest as `report_order` says."""
    return (sa.select(what).where(col(r.deadline_id) == Deadline.id, col(r.reported_on) <= as_of)
            .order_by(*(c.desc() for c in report_order(r))).limit(1).correlate(Deadline))


def newest_report(as_of: dt.date, column: str = "id") -> sa.ScalarSelect:
    """The id (or `column`) of the newest report made on or before `as_of` of the deadline in
    the enclosing query."""
    r = aliased(Report)
    return _newest(getattr(r, column), r, as_of).scalar_subquery()


def newest_reports(s: Session, as_of: dt.date) -> tuple[Any, Any]:
    """The newest report made on or before `as_of` of each deadline in the enclosing query, as
    (a report table, the clause to outer-join it on): on PostgreSQL a LATERAL subquery — joined
    on the id `newest_report` looks up, PostgreSQL hashes every report of every plan, twice as
    slow at national scale; on SQLite, which has no LATERAL, the report of that id."""
    if s.get_bind().dialect.name == "postgresql":
        return _newest(Report, Report, as_of).lateral("newest"), sa.true()
    table = sa.inspect(Report).local_table
    return table, table.c.id == newest_report(as_of)
