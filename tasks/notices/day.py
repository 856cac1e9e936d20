"""A day of reminders, the use case every caller shares: the daily flow, `remind`, the replay.

Decide what each task of the plan owes that day, merge it into one notice per recipient and
kind, and dispatch the notices exactly once. The flow runs the steps one by one (a nested run
per task, a task run per batch); `run_day` runs them in one go.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tasks.calendar import TZ
from tasks.notices.channels import SecretLookup, Sender
from tasks.notices.decide import Notice, decide, merge
from tasks.notices.dispatch import DispatchReport, dispatch
from tasks.notices.outbox import Db, sessions
from tasks.notices.render import render
from tasks.record.lookups import (
    TaskOwners,
    agencies_by_code,
    plan_calendar,
    resolve_plan,
    tasks_with_owners,
)
from tasks.record.models import Plan
from tasks.settings import DAILY_RUN_AT
from tasks.status import DeadlineStatus, deadline_statuses


def run_at(day: dt.date) -> dt.datetime:
    """The instant (UTC) of the daily run on `day`."""
    return dt.datetime.combine(day, DAILY_RUN_AT, TZ).astimezone(dt.UTC)


def day_off(plan: Plan, day: dt.date) -> str | None:
    """Why nothing is decided on `day` (the holiday's name, or the weekend), or None on a
    working day of the plan's calendar."""
    cal = plan_calendar(plan)
    if cal.is_working_day(day):
        return None
    return cal.holiday_name(day) or "cuối tuần"


def plan_tasks(db: Db, plan_key: str | None) -> tuple[Plan, list[TaskOwners]]:
    """The plan and its tasks with their owners, in plan order."""
    with sessions(db)() as s:
        plan = resolve_plan(s, plan_key)
        return plan, tasks_with_owners(s, plan)


@dataclass(frozen=True)
class TaskDay:
    """One task's own deadlines as of a day, and the notices it decides."""

    statuses: list[DeadlineStatus]
    notices: list[Notice]


def track_task(db: Db, plan_key: str | None, task_key: str, day: dt.date) -> TaskDay:
    """Where one task's own deadlines (not its subtasks') stand, and who is told what."""
    with sessions(db)() as s:
        plan = resolve_plan(s, plan_key)
        return TaskDay(deadline_statuses(s, plan, day, task=task_key, subtasks=False),
                       decide(s, plan, day, task=task_key))


def decide_day(db: Db, plan_key: str | None, day: dt.date) -> list[Notice]:
    """Every notice of the day, one per recipient and kind."""
    with sessions(db)() as s:
        return merge(decide(s, resolve_plan(s, plan_key), day))


def run_day(db: Db, plan_key: str | None, day: dt.date, now: dt.datetime, lang: str = "vi",
            send: Sender | None = None, secret_lookup: SecretLookup | None = None,
            retry: bool = True) -> tuple[list[Notice], DispatchReport]:
    """Decide, merge and dispatch the day's notices; what was decided and what became of it."""
    notices = decide_day(db, plan_key, day)
    return notices, dispatch(db, notices, now=now, lang=lang, send=send,
                             secret_lookup=secret_lookup, retry=retry)


def preview_day(db: Db, plan_key: str | None, day: dt.date, lang: str) -> dict[str, Any]:
    """The day's messages as they would be sent, with nothing claimed or sent."""
    notices = decide_day(db, plan_key, day)
    with sessions(db)() as s:
        agencies = agencies_by_code(s)
    messages = [(n, render(n, agencies, lang)) for n in notices]
    text = "\n\n".join(f"── {n.recipient} ({n.kind}) ──\n{r.subject}\n\n{r.text}"
                       for n, r in messages)
    return {
        "day": day.isoformat(),
        "messages": [{"recipient": n.recipient, "kind": n.kind, "subject": r.subject,
                      "items": len(n.items), "text": r.text} for n, r in messages],
        "text": text or f"{day:%d/%m/%Y}: no reminders",
    }
