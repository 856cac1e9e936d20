"""The shape of the files an office edits (plan files and the agency directory).

These are non-table models: SQLModel table models skip validation, so input is validated here
and only then written to the record.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from tasks.calendar import parse_month
from tasks.errors import BadInput
from tasks.words import Kind, Lang
from tasks.words.phrase import Phrase

Role = Literal["lead", "coordinating"]
KEY = r"^[a-z0-9][a-z0-9-]*$"


def _month(text: str) -> str:
    parse_month(text)  # BadInput, a ValueError, says what a month looks like
    return text


Month = Annotated[str, AfterValidator(_month)]  # "YYYY-MM"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Channel(Strict):
    """A notification channel given by reference, never a literal secret."""

    env: str | None = Field(None, pattern=r"^[A-Z][A-Z0-9_]*$")
    secret: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*$")

    @model_validator(mode="after")
    def _one(self):
        if (self.env is None) == (self.secret is None):
            raise BadInput("give exactly one of env (a variable name) or secret (a block name)")
        return self


class AgencyIn(Strict):
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    name_vi: str
    name_en: str
    level: Literal["province", "district"] = "province"
    parent: str | None = None  # who hears escalations about this agency's late deadlines
    notify: bool = True  # false: never sent anything automatically (e.g. the Standing Committee)
    via: str | None = None  # a body without staff of its own is reached through this agency
    channels: list[Channel] = []


class DirectoryIn(Strict):
    agencies: list[AgencyIn]


WORKING_WEEK = 5  # working days: a parent is told about a late deadline at most this often


class Thin(Strict):
    """One step of `overdue_thin`: once a deadline is more than `after` working days overdue,
    its reminders come `every` working days apart (counted from the last one before)."""

    after: int = Field(ge=1)
    every: int = Field(ge=1)


class Policy(Strict):
    """When reminders go out; every field may be left to the plan's default."""

    before: list[int] | None = None  # working days before the due day
    on_day: bool | None = None
    overdue_every: int | None = Field(None, ge=1)  # working days between overdue reminders
    overdue_thin: list[Thin] | None = None  # the gap grows as the deadline ages ([]: never)
    escalate_after: int | None = Field(None, ge=1)  # working days overdue before escalation
    escalate_every: int | None = None  # working days between escalations, WORKING_WEEK or more

    @field_validator("escalate_every")
    @classmethod
    def _at_most_weekly(cls, n: int | None) -> int | None:
        if n is not None and n < WORKING_WEEK:
            raise BadInput("must be {most} or more: a parent is told about a late deadline at "
                           "most once a working week", most=WORKING_WEEK)
        return n

    @model_validator(mode="after")
    def _positive(self):
        if self.before and any(n < 1 for n in self.before):
            raise BadInput("before: working days must be 1 or more")
        steps = [s.after for s in self.overdue_thin or []]
        if steps != sorted(set(steps)):
            raise BadInput("overdue_thin: give the steps in order, each `after` larger than "
                           "the one before")
        return self


# What an office keeps: before the due day 3 and 1 working days ahead and on the day; overdue on
# the 1st, 3rd, 5th, 7th and 9th working day, then once a working week (14th, 19th), then once a
# working month (39th, 59th …); the parent hears at 5 working days overdue, then once a working
# month (25th, 45th …).
DEFAULT_POLICY = Policy(before=[3, 1], on_day=True, overdue_every=2,
                        overdue_thin=[Thin(after=10, every=5), Thin(after=20, every=20)],
                        escalate_after=5, escalate_every=20)


class Monthly(Strict):
    day: int = Field(ge=1, le=31)  # clamped to the month's last day
    start: Month | None = None  # first month
    end: Month | None = None  # last month


class Quarterly(Strict):
    month: int = Field(3, ge=1, le=3)  # month of the quarter
    day: int = Field(ge=1, le=31)


class Trigger(Strict):
    event: str = Field(pattern=KEY)
    within_working_days: int = Field(ge=1)


class Document(Strict):
    number: str
    date: dt.date
    issuer: str
    title_vi: str = ""


class DeadlineRule(Strict):
    key: str = Field(pattern=KEY)
    title_vi: str
    title_en: str
    owed_by: list[Role] = ["lead"]
    date: dt.date | None = None  # a one-off deadline
    period: str | None = None  # label of a one-off deadline, e.g. "2024-H2"
    opens: dt.date | None = None  # for a one-off: when work on it starts
    monthly: Monthly | None = None
    quarterly: Quarterly | None = None
    triggered_by: Trigger | None = None
    # No `reminders` here: the policy is the task's (subtasks inherit it), kept on its row.

    @model_validator(mode="after")
    def _one_recurrence(self):
        given = [n for n in ("date", "monthly", "quarterly", "triggered_by") if getattr(self, n)]
        if len(given) != 1:
            raise BadInput(
                "bad recurrence: give exactly one of date, monthly, quarterly, triggered_by"
                "{got}", got=Phrase(" (got {given})", given=", ".join(given)) if given else "")
        return self


class TaskIn(Strict):
    key: str = Field(pattern=KEY)
    kind: Kind | None = None  # subtasks inherit their parent's
    parent: str | None = None
    title_vi: str
    title_en: str
    text_vi: str = ""
    documents: list[Document] = []
    lead: list[str] | None = None  # subtasks inherit lead and coordinating
    coordinating: list[str] | None = None
    deadlines: list[DeadlineRule] = []
    reminders: Policy | None = None
    subtasks: list[TaskIn] = []


class KpiPart(Strict):
    key: str = Field(pattern=KEY)
    name_vi: str
    name_en: str
    baseline: float | None = None


class Baseline(Strict):
    value: float
    as_of: dt.date


class Target(Strict):
    value: float | None = None
    change_pct: float | None = None  # e.g. -30 for "cut by 30 %"
    text_vi: str = ""


class KpiIn(Strict):
    key: str = Field(pattern=KEY)
    name_vi: str
    name_en: str
    unit: str
    baseline: Baseline | None = None
    target: Target | None = None
    breakdown: list[KpiPart] = []
    parts_sum_to_total: bool = False  # the breakdown must add up to the value
    at_most: str | None = None  # the value may not exceed this other KPI's (same period)
    reported_by: list[str] = []


class EventKind(Strict):
    key: str = Field(pattern=KEY)
    name_vi: str
    name_en: str


class DayOff(Strict):
    date: dt.date
    name: str


class Period(Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise BadInput("end is before start")
        return self


class Digest(Strict):
    recipients: list[str] = []
    lang: Lang = "vi"


class Sender(Strict):
    """Who a plan's messages and its monthly report come from, and how the report's header
    names it: `layout` party (Hướng dẫn 36-HD/VPTW) or state (Nghị định 30/2020/NĐ-CP)."""

    agency: str | None = None  # its code in the directory (default: the plan's issued_by)
    name_vi: str = ""  # as the report's text names it (default: its name in the directory)
    name_en: str = ""
    role_vi: str = ""  # what it acts as for this plan, e.g. the steering committee's standing body
    layout: Literal["party", "state"] = "state"
    above_vi: str = ""  # the header's first line, the body above it: "TỈNH ỦY HÒA BÌNH"
    header_vi: str = ""  # its own line in the header: "BAN DÂN VẬN" (default: name_vi in capitals)
    symbol: str = ""  # its abbreviation in the document number: 214-BC/BDVTU, 214/BC-SNV
    archive_vi: str = ""  # the last line of "Nơi nhận" (default: the layout's)


class Movement(Strict):
    name_vi: str  # as a sentence names it: phong trào thi đua “Dân vận khéo”
    name_en: str = ""


class Signer(Strict):
    on_behalf_vi: str = ""  # "T/M BAN THƯỜNG VỤ", "K/T TRƯỞNG BAN", "KT. GIÁM ĐỐC" (or none)
    title_vi: str  # "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "GIÁM ĐỐC"
    name: str = ""


class PeerGroup(Strict):
    """Agencies the digest compares with one another (never all in one league)."""

    name_vi: str
    name_en: str
    agencies: list[str] = []
    level: Literal["province", "district"] | None = None  # and every agency of that level not
    # named in another group


class PlanIn(Strict):
    key: str = Field(pattern=KEY)
    title_vi: str
    title_en: str
    issued_by: str
    issued_on: dt.date | None = None
    source: str = ""
    directory: str = "../agencies.yaml"  # the agency directory, relative to the plan file
    period: Period
    days_off: list[DayOff] = []
    reminders: Policy = DEFAULT_POLICY
    digest: Digest = Digest()
    events: list[EventKind] = []
    tasks: list[TaskIn]
    kpis: list[KpiIn] = []
    # What the messages and the monthly report say of the plan (none of it is written in code)
    sender: Sender | None = None
    movement: Movement | None = None
    baseline_on: dt.date | None = None  # the KPIs' baseline day (default: their earliest)
    place: str = ""  # where the report is signed: "Hòa Bình"
    signer: Signer | None = None
    peers: list[PeerGroup] = []  # default: agencies compared within their directory level

    def report_settings(self, directory: DirectoryIn | None = None) -> dict[str, object]:
        """The fields above as the record keeps them (in the plan's settings), with the
        sender's defaults filled in from the plan and the directory."""
        sender = self.sender or Sender()
        code = sender.agency or self.issued_by
        known = {a.code: a for a in directory.agencies} if directory else {}
        baseline = self.baseline_on or min((k.baseline.as_of for k in self.kpis if k.baseline),
                                           default=None)
        return {
            "sender": sender.model_dump(mode="json") | {
                "agency": code,
                "name_vi": sender.name_vi or (known[code].name_vi if code in known else ""),
                "name_en": sender.name_en or (known[code].name_en if code in known else "")},
            "movement": self.movement.model_dump(mode="json") if self.movement else None,
            "baseline_on": baseline.isoformat() if baseline else None,
            "place": self.place,
            "signer": self.signer.model_dump(mode="json") if self.signer else None,
            "peers": [g.model_dump(mode="json") for g in self.peers]}
