"""A day of reminders, the use case every caller shares: the daily flow, `remind`, the replay.

Decide what each task of every live plan owes that day, merge it into one notice per recipient
and kind — an agency owing items in three plans gets one message — and dispatch the notices
exactly once. The flow runs the steps one by one (a nested run
per task, a task run per batch); `run_day` runs them in one go.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tasks.calendar import TZ
from tasks.notices.channels import SecretLookup, Sender
from tasks.notices.decide import Notice, decide, decide_plans
from tasks.notices.dispatch import DispatchReport, dispatch
from tasks.notices.outbox import Db, sessions
from tasks.notices.render import render
from tasks.record.lookups import (
    TaskOwners,
    agencies_by_code,
    is_live,
    plan_calendar,
    resolve_plan,
    resolve_plans,
    tasks_with_owners,
)
from tasks.record.models import Plan
from tasks.settings import DAILY_RUN_AT
from tasks.status import DeadlineStatus, deadline_statuses
from tasks.words import TABLE_LABELS
from tasks.words.phrase import Phrase


def run_at(day: dt.date) -> dt.datetime:
    """The instant (UTC) of the daily run on `day`."""
    return dt.datetime.combine(day, DAILY_RUN_AT, TZ).astimezone(dt.UTC)


def day_off(plans: Sequence[Plan], day: dt.date) -> str | None:
    """Why nothing is decided on `day` for any of the plans (the holiday's name, or the
    weekend), or None when it is a working day of at least one plan's calendar."""
    cals = [plan_calendar(p) for p in plans]
    if not cals or any(cal.is_working_day(day) for cal in cals):
        return None
    return cals[0].holiday_name(day) or "cuối tuần"


@dataclass(frozen=True)
class PlanTasks:
    """A plan with its tasks and their owners, in plan order."""

    plan: Plan
    tasks: list[TaskOwners]


def plan_tasks(db: Db, keys: Sequence[str] = (), day: dt.date | None = None
               ) -> list[PlanTasks]:
    """The plans named (or every plan) with their tasks; with `day`, only the plans live that
    day (issued and not closed)."""
    with sessions(db)() as s:
        plans = resolve_plans(s, keys, day)
        if day is not None:
            plans = [p for p in plans if is_live(s, p, day)]
        return [PlanTasks(p, tasks_with_owners(s, p)) for p in plans]


def day_plans(db: Db, keys: Sequence[str], day: dt.date) -> list[PlanTasks]:
    """The plans reminded on `day`: live, and `day` a working day of their calendar."""
    return [p for p in plan_tasks(db, keys, day) if plan_calendar(p.plan).is_working_day(day)]


@dataclass(frozen=True)
class TaskDay:
    """One task's own deadlines as of a day, and the notices it decides."""

    statuses: list[DeadlineStatus]
    notices: list[Notice]


def track_task(db: Db, plan_key: str | None, task_key: str, day: dt.date) -> TaskDay:
    """Where one task's own deadlines (not its subtasks') stand, and who is told what (nothing
    when the plan is not reminded that day)."""
    with sessions(db)() as s:
        plan = resolve_plan(s, plan_key, day)
        return TaskDay(deadline_statuses(s, plan, day, task=task_key, subtasks=False),
                       decide(s, plan, day, task=task_key) if is_live(s, plan, day) else [])


def decide_day(db: Db, keys: Sequence[str], day: dt.date) -> list[Notice]:
    """Every notice of the day over the plans reminded that day (the named ones, or all): one
    per recipient and kind, listing the items of every plan."""
    with sessions(db)() as s:
        plans = [p for p in resolve_plans(s, keys, day) if is_live(s, p, day)]
        return decide_plans(s, plans, day)


def run_day(db: Db, keys: Sequence[str], day: dt.date, now: dt.datetime, lang: str = "vi",
            send: Sender | None = None, secret_lookup: SecretLookup | None = None,
            retry: bool = True) -> tuple[list[Notice], DispatchReport]:
    """Decide, merge and dispatch the day's notices; what was decided and what became of it."""
    notices = decide_day(db, keys, day)
    return notices, dispatch(db, notices, now=now, lang=lang, send=send,
                             secret_lookup=secret_lookup, retry=retry)


def preview_day(db: Db, keys: Sequence[str], day: dt.date, lang: str) -> dict[str, Any]:
    """The day's messages as they would be sent, with nothing claimed or sent."""
    notices = decide_day(db, keys, day)
    with sessions(db)() as s:
        agencies = agencies_by_code(s)
    messages = [(n, render(n, agencies, lang)) for n in notices]
    kinds = TABLE_LABELS[lang]  # "Nhắc việc", "Báo cấp trên"
    text = "\n\n".join(
        f"── {n.recipient} ({kinds.get(n.kind, n.kind)}) ──\n{r.subject}\n\n{r.text}"
        for n, r in messages)
    return {
        "day": day.isoformat(),
        "messages": [{"recipient": n.recipient, "kind": n.kind, "subject": r.subject,
                      "items": len(n.items), "text": r.text} for n, r in messages],
        "text": text or Phrase("{day}: no reminders", day=day).said(lang),
    }
