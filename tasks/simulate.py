"""Replaying a period day by day, as the daily run would have done, with messages written to files.

Each day goes through the same `run_day` (decide → merge → dispatch) as the flows (claims and
outcomes are recorded like real sends, so the digest can count reminders), with one sender
swapped: messages land under `sink/<day>/<RECIPIENT>.<kind>.txt|.html` and in
`sink/messages.jsonl`. One Prefect run per replayed day would cost minutes; this costs seconds.

`replay` records those claims in the record it is given. `simulate` (`plantrack simulate`)
gives it a record of its own: a copy of the live record, made afresh on each run, so the live
record is only read — a real `remind` afterwards still sends — and any period of at most
MAX_DAYS days, future days included, can be replayed. (The demo replays into its own record,
var/demo.db, so that its digests count the reminders.)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tasks.errors import BadInput
from tasks.notices.day import run_at, run_day
from tasks.notices.outbox import ESCALATION, REMINDER
from tasks.notices.senders import FileSink
from tasks.record import store
from tasks.record.lookups import plan_calendar, resolve_plans

MAX_DAYS = 366  # a year, leap day included


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    working: bool
    reminders: int
    escalations: int
    items: int
    sent: int = 0
    already: int = 0
    failed: int = 0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat()}


def replay(url: str, keys: Sequence[str], start: dt.date, end: dt.date, sink: Path | None,
           lang: str = "vi", on_day: Callable[[DayCount], object] | None = None
           ) -> list[DayCount]:
    """Every day from `start` to `end` with the clock set to that day's run, over the plans
    named (or every plan live that day), recorded in the record at `url`; per-day counts, each
    also handed to `on_day` as soon as its day is done."""
    sender = FileSink(sink)
    with store.session(url) as s:
        cals = [plan_calendar(p) for p in resolve_plans(s, keys)]
    out = []
    day = start
    while day <= end:
        notices, report = run_day(url, keys, day, now=run_at(day), lang=lang, send=sender,
                                  retry=False)
        c = report.counts()
        out.append(DayCount(day, any(cal.is_working_day(day) for cal in cals),
                            sum(n.kind == REMINDER for n in notices),
                            sum(n.kind == ESCALATION for n in notices),
                            sum(len(n.items) for n in notices), c["sent"], c["already"],
                            c["failed"]))
        if on_day is not None:
            on_day(out[-1])
        day += dt.timedelta(days=1)
    return out


@dataclass(frozen=True)
class Simulation:
    """A replay on a copy of the live record: the copy's URL, the live record's, the days."""

    record: str
    copy_of: str
    days: list[DayCount]

    def as_json(self) -> dict[str, Any]:
        return {"record": self.record, "copy_of": self.copy_of,
                "days": [d.as_json() for d in self.days]}


def span(start: dt.date, end: dt.date) -> int:
    """How many days `simulate` replays from `start` to `end`, both included; BadInput for a
    period that ends before it starts or is longer than MAX_DAYS."""
    days = (end - start).days + 1
    if days < 1:
        raise BadInput("the period ends ({end}) before it starts ({start})", end=end, start=start)
    if days > MAX_DAYS:
        raise BadInput("the period {start}–{end} is {days} days long; simulate replays at most "
                       "{most} days at a time", start=start, end=end, days=days, most=MAX_DAYS)
    return days


def simulate(live: str, record: Path, keys: Sequence[str], start: dt.date, end: dt.date,
             sink: Path | None, lang: str = "vi",
             on_day: Callable[[DayCount], object] | None = None) -> Simulation:
    """Replay `start`…`end` on a fresh copy of the live record (the SQLite file at `live`) in
    the file `record`, replaced; the live record is only read. BadInput for a period `span`
    refuses, for `record` naming the live record's own file, and for a live record that is not
    a SQLite file (there is nothing here to copy it with)."""
    span(start, end)
    live_file = store.sqlite_file(live)
    if live_file is None:
        raise BadInput("simulate works on a copy of the record and copies only a SQLite file, "
                       "not {url}: point PLANTRACK_DATABASE_URL at a SQLite record for this "
                       "command", url=store.shown(live))
    if record.resolve() == live_file.resolve():
        raise BadInput("{record} is the live record, the one `remind` sends from: simulate "
                       "writes only into a copy of it; name another file", record=record)
    with store.session(live) as s:  # an empty record or an unknown plan is said of the live one
        resolve_plans(s, keys)
    copy = store.copy_sqlite(live, record)
    try:
        return Simulation(copy, store.shown(live),
                          replay(copy, keys, start, end, sink, lang, on_day))
    finally:
        store.dispose(copy)
