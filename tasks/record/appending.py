"""Appending to the record: agencies' reports and the events that trigger deadlines.

Every check happens before anything is written, so bad input writes nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.errors import BadInput
from tasks.record.lookups import CLOSED, agency_id, plan_calendar, plan_state, resolve_plans
from tasks.record.models import Assignment, Deadline, Event, Plan, PlanClosure, Report, Task, id_of


@dataclass
class ReportIn:
    status: str  # done | in_progress
    progress: int | None = None
    note: str = ""
    evidence_url: str = ""
    reported_by: str = ""
    reported_on: dt.date | None = None
    completed_on: dt.date | None = None
    source: str = "cli"
    source_key: str | None = None

    def checked(self, today: dt.date) -> ReportIn:
        """This report with defaults filled in; BadInput on the first broken rule."""
        if self.status not in ("done", "in_progress"):
            raise BadInput(f"status: unknown status '{self.status}'")
        progress = self.progress if self.progress is not None else (
            100 if self.status == "done" else 0)
        if not 0 <= progress <= 100:
            raise BadInput(f"progress: {progress} is not between 0 and 100")
        if self.status == "done" and progress != 100:
            raise BadInput(f"progress: a done report has progress 100, not {progress}")
        on = self.reported_on or today
        if on > today:
            raise BadInput(f"date: {on:%d/%m/%Y} is in the future")
        if self.completed_on and self.status != "done":
            raise BadInput("completed on: only a done report has a completion date")
        if self.completed_on and self.completed_on > on:
            raise BadInput(f"completed on: {self.completed_on:%d/%m/%Y} is after the report's "
                           f"date {on:%d/%m/%Y}")
        if self.evidence_url and not self.evidence_url.startswith(("http://", "https://")):
            raise BadInput(f"evidence: '{self.evidence_url}' is not an http(s) link")
        return ReportIn(self.status, progress, self.note, self.evidence_url, self.reported_by,
                        on, self.completed_on, self.source, self.source_key)


def add_report(s: Session, deadline: Deadline, report: ReportIn, today: dt.date) -> Report:
    r = report.checked(today)
    assert r.progress is not None and r.reported_on is not None  # filled in by checked()
    row = Report(deadline_id=id_of(deadline), status=r.status, progress=r.progress, note=r.note,
                 evidence_url=r.evidence_url, reported_by=r.reported_by,
                 reported_on=r.reported_on, completed_on=r.completed_on, source=r.source,
                 source_key=r.source_key)
    s.add(row)
    s.flush()
    return row


def record_event(s: Session, plan: Plan, kind: str, agency: str, on: dt.date,
                 note: str = "") -> list[Deadline]:
    """Record an event and create the deadlines it triggers for the agency concerned."""
    known = {e["key"] for e in plan.settings.get("events", [])}
    if kind not in known:
        raise BadInput(f"unknown event kind '{kind}' (known: {', '.join(sorted(known)) or 'none'})")
    if not plan.period_start <= on <= plan.period_end:
        raise BadInput(f"date: {on:%d/%m/%Y} is outside the plan's period")
    aid = agency_id(s, agency)
    if s.execute(sa.select(col(Event.id)).where(
            col(Event.plan_id) == plan.id, col(Event.kind) == kind,
            col(Event.agency_id) == aid, col(Event.occurred_on) == on)).first():
        raise BadInput(f"event '{kind}' of '{agency}' on {on:%d/%m/%Y} is already recorded")
    cal = plan_calendar(plan)
    tasks = {t.key: t
             for t in s.execute(sa.select(Task).where(col(Task.plan_id) == plan.id)).scalars()}

    roles = dict(s.execute(sa.select(col(Assignment.task_id), col(Assignment.role))
                           .where(col(Assignment.agency_id) == aid)).all())
    wanted = [t for t in plan.settings.get("triggers", [])
              if t["event"] == kind and roles.get(tasks[t["task"]].id) in t["owed_by"]]
    if not wanted:
        raise BadInput(f"event '{kind}' triggers no deadline for agency '{agency}'")
    event = Event(plan_id=id_of(plan), kind=kind, agency_id=aid, occurred_on=on, note=note)
    s.add(event)
    s.flush()
    made = []
    for t in wanted:
        due = cal.add_working_days(on, t["within"])
        made.append(Deadline(task_id=tasks[t["task"]].id, agency_id=aid,
                             role=roles[tasks[t["task"]].id], rule_key=t["rule"],
                             period=on.isoformat(), title_vi=t["title_vi"], title_en=t["title_en"],
                             opens_on=on, nominal_on=due, due_on=due, event_id=event.id))
    s.add_all(made)
    s.flush()
    return made


def close_plan(s: Session, plan_key: str, on: dt.date, note: str, closed: bool = True
               ) -> PlanClosure:
    """Record the secretariat closing (or reopening) a plan from `on`: appended, never erased."""
    plan = resolve_plans(s, [plan_key])[0]
    state = plan_state(s, plan, on)
    if closed == (state == CLOSED):
        raise BadInput(f"plan '{plan_key}' is {'already closed' if closed else 'not closed'} "
                       f"on {on:%d/%m/%Y}")
    row = PlanClosure(plan_id=id_of(plan), closed=closed, on=on, note=note)
    s.add(row)
    s.flush()
    return row
