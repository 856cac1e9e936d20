"""The board: where every live plan stands today, for the secretariat and the leaders.

By task kind, task and agency with the five status categories and the on-time rate — the
rollups of tasks.status, as the digest and `plantrack status` use them — the overdue list, the
reports that came through the web (who, when), and the monthly digests written so far.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.record.lookups import agencies_by_code, plan_state
from tasks.record.models import Agency, Deadline, Plan, Report, StaffUser, Task, WebReport
from tasks.status import OVERDUE, DeadlineStatus, deadline_statuses, rollup, summary
from tasks.web.answers import live_plans, titles
from tasks.words import KINDS

KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The digest's files (tasks.digest.render.FILES), in the order the board lists them.
DIGEST_FILES = ("digest.html", "digest.xlsx", "digest.md", "digest.json", "status-by-kind.png",
                "agencies-on-time.png", "kpi-trend.png")
RECENT_ANSWERS = 50


@dataclass(frozen=True)
class PlanBoard:
    plan: Plan
    state: str
    totals: dict[str, Any]
    by_kind: list[dict[str, Any]]
    by_task: list[dict[str, Any]]  # with the task's titles
    by_agency: list[dict[str, Any]]


@dataclass(frozen=True)
class WebAnswer:
    at: dt.datetime
    agency: str
    plan: str
    task: str
    period: str
    status: str
    progress: int
    by: str  # the staff member's name, or '' when it came through the agency's link
    client: str
    evidence: str  # the file's name, or ''
    webreport_id: int


@dataclass(frozen=True)
class DigestMonth:
    plan: str
    month: str
    files: list[str]


@dataclass(frozen=True)
class Board:
    as_of: dt.date
    plans: list[PlanBoard]
    overdue: list[DeadlineStatus]  # longest overdue first
    answers: list[WebAnswer]
    digests: list[DigestMonth]
    agencies: dict[str, Agency]


def board(s: Session, as_of: dt.date, digests: Path) -> Board:
    """The board as of a day: every live plan's figures, and the rest."""
    plans = live_plans(s, as_of)
    names = titles(s, plans)
    out, overdue = [], []
    for p in plans:
        rows = deadline_statuses(s, p, as_of)
        by_task = [{**t, "title": names[(p.key, t["task"])]} for t in rollup(rows, "task")]
        by_kind = sorted(rollup(rows, "kind"),  # in the order every table lists kinds
                         key=lambda k: (KINDS.index(k["kind"]) if k["kind"] in KINDS else 99))
        out.append(PlanBoard(p, plan_state(s, p, as_of), summary(rows), by_kind, by_task,
                             rollup(rows, "agency")))
        overdue += [r for r in rows if r.category == OVERDUE]
    overdue.sort(key=lambda r: (-r.days_late, r.plan, r.task, r.agency))
    return Board(as_of, out, overdue, web_answers(s), digest_months(digests),
                 agencies_by_code(s))


def web_answers(s: Session, limit: int = RECENT_ANSWERS) -> list[WebAnswer]:
    """The newest reports that came through the web."""
    q = (sa.select(col(WebReport.at), col(Agency.code), col(Plan.key), col(Task.key),
                   col(Deadline.period), col(Report.status), col(Report.progress),
                   col(StaffUser.name), col(WebReport.client), col(WebReport.evidence_name),
                   col(WebReport.id))
         .join(Report, col(Report.id) == WebReport.report_id)
         .join(Deadline, col(Deadline.id) == Report.deadline_id)
         .join(Task, col(Task.id) == Deadline.task_id)
         .join(Plan, col(Plan.id) == Task.plan_id)
         .join(Agency, col(Agency.id) == Deadline.agency_id)
         .outerjoin(StaffUser, col(StaffUser.id) == WebReport.user_id)
         .order_by(col(WebReport.at).desc(), col(WebReport.id).desc()).limit(limit))
    return [WebAnswer(at if at.tzinfo else at.replace(tzinfo=dt.UTC), code, plan, task, period,
                      status, progress, by or "", client, evidence, wid)
            for at, code, plan, task, period, status, progress, by, client, evidence, wid
            in s.execute(q)]


def digest_months(folder: Path) -> list[DigestMonth]:
    """Each plan's digest folders (`folder`/PLAN/YYYY-MM), newest month first."""
    out = []
    if folder.is_dir():
        for plan_dir in sorted(p for p in folder.iterdir() if p.is_dir() and KEY.match(p.name)):
            for month_dir in sorted((m for m in plan_dir.iterdir()
                                     if m.is_dir() and MONTH.match(m.name)), reverse=True):
                files = [n for n in DIGEST_FILES if (month_dir / n).is_file()]
                if files:
                    out.append(DigestMonth(plan_dir.name, month_dir.name, files))
    return out


def digest_file(folder: Path, plan: str, month: str, name: str) -> Path | None:
    """A digest file the board may serve, or None: the plan, month and name are checked
    against what a digest folder holds, so no other path can be reached."""
    if not (KEY.match(plan) and MONTH.match(month) and name in DIGEST_FILES):
        return None
    path = folder / plan / month / name
    return path if path.is_file() else None
