"""Appending to the record: agencies' reports and the events that trigger deadlines.

Every check happens before anything is written, so bad input writes nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.errors import BadInput, named
from tasks.record.lookups import CLOSED, agency_id, plan_calendar, plan_state, resolve_plans
from tasks.record.models import Assignment, Deadline, Event, Plan, PlanClosure, Report, Task, id_of
from tasks.words.phrase import Phrase


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
            raise BadInput(named(Phrase("status"), Phrase("unknown status '{status}'",
                                                          status=self.status)))
        progress = self.progress if self.progress is not None else (
            100 if self.status == "done" else 0)
        if not 0 <= progress <= 100:
            raise BadInput(named(Phrase("progress"), Phrase(
                "{progress} is not between 0 and 100", progress=progress)))
        if self.status == "done" and progress != 100:
            raise BadInput(named(Phrase("progress"), Phrase(
                "a done report has progress 100, not {progress}", progress=progress)))
        on = self.reported_on or today
        if on > today:
            raise BadInput(named(Phrase("date"), Phrase("{day} is in the future", day=on)))
        if self.completed_on and self.status != "done":
            raise BadInput(named(Phrase("completed on"),
                                 Phrase("only a done report has a completion date")))
        if self.completed_on and self.completed_on > on:
            raise BadInput(named(Phrase("completed on"), Phrase(
                "{completed} is after the report's date {day}", completed=self.completed_on,
                day=on)))
        if self.evidence_url and not self.evidence_url.startswith(("http://", "https://")):
            raise BadInput(named(Phrase("evidence"), Phrase("'{url}' is not an http(s) link",
                                                            url=self.evidence_url)))
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
        raise BadInput("unknown event kind '{kind}' (known: {known})", kind=kind,
                       known=", ".join(sorted(known)) or Phrase("none"))
    if not plan.period_start <= on <= plan.period_end:
        raise BadInput(named(Phrase("date"), Phrase("{day} is outside the plan's period",
                                                    day=on)))
    aid = agency_id(s, agency)
    if s.execute(sa.select(col(Event.id)).where(
            col(Event.plan_id) == plan.id, col(Event.kind) == kind,
            col(Event.agency_id) == aid, col(Event.occurred_on) == on)).first():
        raise BadInput("event '{kind}' of '{agency}' on {day} is already recorded", kind=kind,
                       agency=agency, day=on)
    cal = plan_calendar(plan)
    tasks = {t.key: t
             for t in s.execute(sa.select(Task).where(col(Task.plan_id) == plan.id)).scalars()}

    roles = dict(s.execute(sa.select(col(Assignment.task_id), col(Assignment.role))
                           .where(col(Assignment.agency_id) == aid)).all())
    wanted = [t for t in plan.settings.get("triggers", [])
              if t["event"] == kind and roles.get(tasks[t["task"]].id) in t["owed_by"]]
    if not wanted:
        raise BadInput("event '{kind}' triggers no deadline for agency '{agency}'", kind=kind,
                       agency=agency)
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
        if closed:
            raise BadInput("plan '{plan}' is already closed on {day}", plan=plan_key, day=on)
        raise BadInput("plan '{plan}' is not closed on {day}", plan=plan_key, day=on)
    row = PlanClosure(plan_id=id_of(plan), closed=closed, on=on, note=note)
    s.add(row)
    s.flush()
    return row
