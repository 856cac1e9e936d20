"""An agency's page and its answers: what it owes across every live plan, most urgent first,
and a report sent from the page, appended exactly as `plantrack report` appends one.

The status of each deadline is tasks.status's (no second set of rules). A report from the web
goes through tasks.record.appending (`ReportIn.checked`, `add_report`: the same validation and
the same messages), is marked `source="web"` with the form's nonce as its `source_key` — so a
form sent twice is one report — and gets a `webreport` row saying where it came from: the
link's agency (or the staff member), the time, the client's address and the evidence file.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.calendar import parse_day
from tasks.errors import BadInput, NotFound, PlantrackError, named, unknown_agency
from tasks.record.appending import ReportIn, add_report
from tasks.record.lookups import agency_id, is_live, resolve_plans
from tasks.record.models import Agency, Deadline, Plan, Report, Task, WebReport, id_of
from tasks.status import DONE_LATE, DONE_ON_TIME, DeadlineStatus, plans_statuses
from tasks.web.evidence import Evidence
from tasks.words import parse_status
from tasks.words.phrase import Phrase

DONE = (DONE_ON_TIME, DONE_LATE)
RECENT_DONE = 20  # done deadlines shown under the open ones, newest first


class Forbidden(PlantrackError):
    """A deadline that is not the agency's: a link never reads or writes another's."""


@dataclass(frozen=True)
class EvidenceFile:
    id: int  # the webreport row
    name: str
    size: int


@dataclass(frozen=True)
class Row:
    """One deadline as the page shows it: its status, its plan and task, files sent for it."""

    status: DeadlineStatus
    plan_title: dict[str, str]  # by language
    task_title: dict[str, str]
    files: list[EvidenceFile] = field(default_factory=list)

    def done(self) -> bool:
        return self.status.category in DONE


@dataclass(frozen=True)
class AgencyPage:
    agency: Agency
    as_of: dt.date
    open: list[Row]  # not done: overdue, in progress, not yet open — by due day
    done: list[Row]  # done, most recently reported first


def titles(s: Session, plans: list[Plan]) -> dict[tuple[str, str], dict[str, str]]:
    """The title of each (plan key, task key) by language, and of each plan under (key, '')."""
    out = {(p.key, ""): {"vi": p.title_vi, "en": p.title_en} for p in plans}
    rows = s.execute(sa.select(col(Plan.key), col(Task.key), col(Task.title_vi),
                               col(Task.title_en)).join(Plan, col(Plan.id) == Task.plan_id)
                     .where(col(Plan.id).in_([id_of(p) for p in plans])))
    for plan, task, vi, en in rows:
        out[(plan, task)] = {"vi": vi, "en": en}
    return out


def live_plans(s: Session, as_of: dt.date) -> list[Plan]:
    """The plans live on `as_of` (none when nothing is loaded)."""
    try:
        return resolve_plans(s, (), as_of)
    except NotFound:
        return []


def agency_page(s: Session, code: str, as_of: dt.date, recent_done: int | None = RECENT_DONE
                ) -> AgencyPage:
    """What the agency owes across every plan live on `as_of`, and (the `recent_done` newest,
    or all) what it has done."""
    agency = s.execute(sa.select(Agency).where(col(Agency.code) == code)).scalar()
    if agency is None:
        raise NotFound(unknown_agency(code))
    plans = live_plans(s, as_of)
    statuses = plans_statuses(s, plans, as_of, agency=code) if plans else []
    names = titles(s, plans)
    files: dict[int, list[EvidenceFile]] = defaultdict(list)
    for wid, did, name, size in s.execute(
            sa.select(col(WebReport.id), col(Report.deadline_id), col(WebReport.evidence_name),
                      col(WebReport.evidence_size))
            .join(Report, col(Report.id) == WebReport.report_id)
            .where(col(WebReport.agency_id) == agency.id, col(WebReport.evidence_sha256) != "")
            .order_by(col(WebReport.id))):
        files[did].append(EvidenceFile(wid, name, size))
    rows = [Row(r, names[(r.plan, "")], names[(r.plan, r.task)], files.get(r.deadline_id, []))
            for r in statuses]
    open_ = sorted((r for r in rows if not r.done()),
                   key=lambda r: (r.status.due_on, r.status.plan, r.status.task, r.status.period))
    done = sorted((r for r in rows if r.done()),
                  key=lambda r: (r.status.reported_on or as_of, r.status.deadline_id),
                  reverse=True)[:recent_done]
    return AgencyPage(agency, as_of, open_, done)


def report_from_form(form: Mapping[str, str], reported_by: str = "") -> ReportIn:
    """A report from the page's form fields (status, progress, completed_on, note,
    evidence_url, reported_by); BadInput names the field, as the command line does."""
    try:
        status = parse_status(form.get("status", ""))
    except BadInput as exc:
        raise BadInput(named(Phrase("status"), exc.phrase)) from None
    raw = form.get("progress", "").strip().rstrip("%").strip()
    try:
        progress = int(raw) if raw else None
    except ValueError:
        raise BadInput(named(Phrase("progress"), Phrase("'{text}' is not a whole number",
                                                        text=raw))) from None
    completed = form.get("completed_on", "").strip()
    try:
        completed_on = parse_day(completed) if completed else None
    except BadInput as exc:
        raise BadInput(named(Phrase("completed on"), exc)) from None
    return ReportIn(status, progress, note=form.get("note", "").strip()[:2000],
                    evidence_url=form.get("evidence_url", "").strip()[:1000],
                    reported_by=form.get("reported_by", "").strip()[:200] or reported_by,
                    completed_on=completed_on)


def deadline_of(s: Session, code: str, deadline_id: int, as_of: dt.date) -> Deadline:
    """The deadline if the agency owes it in a plan live on `as_of`; Forbidden when it is
    another agency's (or none), BadInput when its plan is not open for reports."""
    d = s.get(Deadline, deadline_id)
    if d is None or d.agency_id != agency_id(s, code):
        raise Forbidden("deadline #{id} is not one of {code}'s", id=deadline_id, code=code)
    plan = s.execute(sa.select(Plan).join(Task, col(Task.plan_id) == Plan.id)
                     .where(col(Task.id) == d.task_id)).scalar_one()
    if not is_live(s, plan, as_of):
        raise BadInput("plan '{plan}' takes no reports on {day}", plan=plan.key, day=as_of)
    return d


def source_key(nonce: str) -> str:
    return f"web:{nonce}"


def already(s: Session, nonce: str) -> Report | None:
    """The report a form with this nonce already made, if any."""
    return s.execute(sa.select(Report).where(col(Report.source_key) == source_key(nonce))
                     ).scalar()


@dataclass(frozen=True)
class Submitted:
    report: Report
    new: bool  # False: this form had already been sent; nothing was added


def submit(s: Session, code: str, deadline_id: int, report: ReportIn, as_of: dt.date,
           nonce: str, client: str, now: dt.datetime, user_id: int | None = None,
           evidence: Evidence | None = None) -> Submitted:
    """Append the agency's report on one of its deadlines, once per form (`nonce`)."""
    d = deadline_of(s, code, deadline_id, as_of)
    if (old := already(s, nonce)) is not None:
        if old.deadline_id != d.id:
            raise Forbidden("this form was made for another deadline")
        return Submitted(old, False)
    row = add_report(s, d, replace(report, source="web", source_key=source_key(nonce)), as_of)
    e = evidence or Evidence("", "", "", 0)
    s.add(WebReport(report_id=id_of(row), agency_id=d.agency_id, user_id=user_id,
                    client=client[:100], at=now.astimezone(dt.UTC), evidence_sha256=e.sha256,
                    evidence_name=e.name, evidence_type=e.content_type, evidence_size=e.size))
    s.flush()
    return Submitted(row, True)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    name: str
    content_type: str


def evidence_file(s: Session, webreport_id: int, code: str | None = None) -> StoredFile:
    """An evidence file by its webreport row: for an agency's link only its own (Forbidden
    otherwise); for staff (`code` None) any."""
    row = s.get(WebReport, webreport_id)
    if row is None or not row.evidence_sha256:
        raise NotFound("no evidence file #{id}", id=webreport_id)
    if code is not None and row.agency_id != agency_id(s, code):
        raise Forbidden("evidence file #{id} is not one of {code}'s", id=webreport_id, code=code)
    return StoredFile(row.evidence_sha256, row.evidence_name, row.evidence_type)


@dataclass(frozen=True)
class Recorded:
    id: int
    task: str
    period: str
    status: str
    progress: int


def recorded(s: Session, report_id: int, code: str) -> Recorded | None:
    """A report on one of the agency's deadlines, to say what was recorded; None for any
    other."""
    row = s.execute(
        sa.select(col(Report.id), col(Task.key), col(Deadline.period), col(Report.status),
                  col(Report.progress))
        .join(Deadline, col(Deadline.id) == Report.deadline_id)
        .join(Task, col(Task.id) == Deadline.task_id)
        .join(Agency, col(Agency.id) == Deadline.agency_id)
        .where(col(Report.id) == report_id, col(Agency.code) == code)).first()
    return Recorded(*row) if row else None
