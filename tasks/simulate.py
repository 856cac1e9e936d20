"""Replaying a period day by day, as the daily run would have done, with messages written to files.

Each day goes through the same `run_day` (decide → merge → dispatch) as the flows (claims and
outcomes are recorded like real sends, so the digest can count reminders), with one sender
swapped: messages land under `sink/<day>/<RECIPIENT>.<kind>.txt|.html` and in
`sink/messages.jsonl`. One Prefect run per replayed day would cost minutes; this costs seconds.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tasks.notices.day import run_at, run_day
from tasks.notices.outbox import ESCALATION, REMINDER
from tasks.notices.senders import FileSink
from tasks.record import store
from tasks.record.lookups import plan_calendar, resolve_plans


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
           lang: str = "vi") -> list[DayCount]:
    """Every day from `start` to `end` with the clock set to that day's run, over the plans
    named (or every plan live that day); per-day counts."""
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
        day += dt.timedelta(days=1)
    return out
