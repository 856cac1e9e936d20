"""The record, as SQLModel tables.

Reports, events, KPI values, messages and deliveries are appended, never updated in place
(messages move from claimed to sent/failed, the one exception, and keep every attempt in
`delivery`). Every instant is timezone-aware UTC; every `*_on` column is a calendar day in
Asia/Ho_Chi_Minh. Constraints are named so that Alembic can migrate SQLite in batch mode.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Row(Protocol):
    id: int | None


def id_of(row: _Row) -> int:
    """The id of a row that is in the database. SQLModel types ids `int | None` because a new
    row has none until it is flushed; after that it always has one."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id: it was not flushed")
    return row.id


def _json() -> Any:
    return Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


def _instant(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), **kw)


class Agency(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=False)
    name_vi: str
    name_en: str
    level: str = "province"  # province | district
    parent_code: str | None = None  # who is escalated to
    notify: bool = True  # False: never sent anything automatically (e.g. the Standing Committee)
    via_code: str | None = None  # a body without staff of its own is reached through this one
    channels: list[dict[str, str]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )


class Plan(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    title_vi: str
    title_en: str
    period_start: dt.date
    period_end: dt.date
    source_file: str
    content_hash: str
    settings: dict[str, Any] = _json()  # reminder policy, days off, digest recipients, lang
    issued_on: dt.date | None = None  # before this day the plan is a draft: nothing is reminded
    loaded_at: dt.datetime = _instant()


class PlanClosure(SQLModel, table=True):
    """The secretariat closing a plan (closed=True) or reopening it, from a day on; appended,
    so that a plan's state on any day can be replayed."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    closed: bool
    on: dt.date
    note: str = ""
    recorded_at: dt.datetime = _instant()


class Task(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("plan_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    key: str
    parent_key: str | None = None
    position: int = 0
    kind: str  # leadership | committee | admin-reform | coordination | inspection
    title_vi: str
    title_en: str
    text_vi: str = Field(sa_type=sa.Text)
    documents: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    reminder_policy: dict[str, Any] = _json()
    content_hash: str


class Assignment(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("task_id", "agency_id"),)
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    role: str  # lead | coordinating


class Event(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("plan_id", "kind", "agency_id", "occurred_on"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    kind: str
    agency_id: int = Field(foreign_key="agency.id")
    occurred_on: dt.date
    note: str = ""
    recorded_at: dt.datetime = _instant()


class Deadline(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("task_id", "agency_id", "rule_key", "period"),
        sa.Index("ix_deadline_due_on_agency_id", "due_on", "agency_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    role: str  # the role that owes it: lead | coordinating
    rule_key: str
    period: str  # "2024-09", "2024-Q3", "2024-H2", or the event's day
    title_vi: str
    title_en: str
    opens_on: dt.date  # before this day it is "chưa đến hạn"
    nominal_on: dt.date  # the date the plan set
    due_on: dt.date  # moved to a working day (Điều 148)
    event_id: int | None = Field(default=None, foreign_key="event.id")


class Report(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_report_deadline_id_reported_on", "deadline_id", "reported_on"),)
    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id")
    status: str  # done | in_progress
    progress: int = 0
    note: str = ""
    evidence_url: str = ""
    reported_by: str = ""
    reported_on: dt.date  # the day the report was made: it counts from this day on
    completed_on: dt.date | None = None  # for done: the day the work was finished
    recorded_at: dt.datetime = _instant()
    source: str = ""  # "cli", or the file:sheet:row it was imported from
    source_key: str | None = Field(default=None, unique=True)  # makes re-imports no-ops


class Kpi(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("plan_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    key: str
    name_vi: str
    name_en: str
    unit: str
    spec: dict[str, Any] = _json()  # baseline, target, breakdown, reported_by, rules


class KpiValue(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_kpivalue_kpi_id_period", "kpi_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = Field(foreign_key="kpi.id")
    agency_id: int = Field(foreign_key="agency.id")
    period: str
    part: str = ""  # a breakdown item (e.g. "economy"), "" for the total
    value: float
    reported_on: dt.date
    recorded_at: dt.datetime = _instant()
    source: str = ""
    source_key: str | None = Field(default=None, unique=True)


class Message(SQLModel, table=True):
    """One message to one recipient on one day of one kind (and scope), claimed before it is
    sent. A reminder or escalation covers every plan (scope ""); a digest is one plan's."""

    __table_args__ = (sa.UniqueConstraint("recipient_id", "day", "kind", "scope"),)
    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="agency.id")
    day: dt.date
    kind: str  # reminder | escalation | digest
    scope: str = ""  # "" for reminders and escalations; the plan's key for a digest
    status: str = "claimed"  # claimed | sent | failed
    attempts: int = 0
    subject: str = ""
    items: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    last_error: str = ""
    claimed_at: dt.datetime = _instant()
    sent_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    next_attempt_at: dt.datetime | None = Field(
        default=None, sa_type=sa.DateTime(timezone=True)
    )


class Delivery(SQLModel, table=True):
    """One attempt to send a message through one channel (URL masked)."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", index=True)
    channel: str
    ok: bool
    error: str = ""
    at: dt.datetime = _instant()


# The web app (flows/web, rules in tasks/web): who may sign in, links taken back, and where a
# report that came through the web came from.


class StaffUser(SQLModel, table=True):
    """A person of the secretariat or the leadership who signs in to the board; the password
    is kept only as a salted scrypt hash."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    role: str  # secretariat | leader
    password_hash: str
    created_at: dt.datetime = _instant()


class LinkRevocation(SQLModel, table=True):
    """The secretariat taking back an agency's links: every link of the agency issued before
    `revoked_at` stops working. Appended; the newest counts."""

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    revoked_at: dt.datetime = _instant()
    note: str = ""


class WebReport(SQLModel, table=True):
    """Where a report made through the web came from: the agency whose link (or the staff
    member who) sent it, when, from which address, and the evidence file sent with it, kept
    under var/evidence/<sha256>."""

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", unique=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)  # the link's agency
    user_id: int | None = Field(default=None, foreign_key="staffuser.id")  # staff, not a link
    client: str = ""  # the client's address
    at: dt.datetime = _instant()
    evidence_sha256: str = ""
    evidence_name: str = ""
    evidence_type: str = ""  # the content type found in the file's bytes
    evidence_size: int = 0
