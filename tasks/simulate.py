"""Replaying a period day by day, as the daily run would have done, with messages written to files.

Each day goes through the same `decide` → `merge` → `dispatch` path as the flows (claims and
outcomes are recorded like real sends, so the digest can count reminders), with one sender
swapped: messages land under `sink/<day>/<RECIPIENT>.<kind>.txt|.html` and in
`sink/messages.jsonl`. One Prefect run per replayed day would cost minutes; this costs seconds.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tasks.record import store
from tasks.calendar import TZ
from tasks.notices.channels import ChannelResult, Outgoing
from tasks.notices.dispatch import dispatch
from tasks.record.models import Agency
from tasks.record.appending import plan_calendar
from tasks.notices.decide import ESCALATION, REMINDER, decide, merge
from tasks.status import resolve_plan

RUN_AT = dt.time(7, 30)  # the daily run's hour, Asia/Ho_Chi_Minh


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


class FileSink:
    """A sender that writes each message to files instead of the agency's channels."""

    def __init__(self, root: Path | None):
        self.root = Path(root) if root else None
        self.channel = f"file://{self.root}" if self.root else "replay://"

    def __call__(self, out: Outgoing, agency: Agency, done: frozenset[str]) -> list[ChannelResult]:
        if self.root is not None and self.channel not in done:
            folder = self.root / out.day.isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{out.recipient}.{out.kind}"
            (folder / f"{name}.txt").write_text(f"{out.subject}\n\n{out.text}", encoding="utf-8")
            (folder / f"{name}.html").write_text(out.html, encoding="utf-8")
            with (self.root / "messages.jsonl").open("a", encoding="utf-8") as log:
                log.write(json.dumps({"day": out.day.isoformat(), "recipient": out.recipient,
                                      "kind": out.kind, "subject": out.subject,
                                      "file": f"{out.day.isoformat()}/{name}.txt"},
                                     ensure_ascii=False) + "\n")
        return [ChannelResult(self.channel, True)]


def run_at(day: dt.date) -> dt.datetime:
    """The instant (UTC) of the daily run on `day`."""
    return dt.datetime.combine(day, RUN_AT, TZ).astimezone(dt.timezone.utc)


def replay(url: str, plan_key: str | None, start: dt.date, end: dt.date, sink: Path | None,
           lang: str = "vi") -> list[DayCount]:
    """Every day from `start` to `end` with the clock set to that day's run; per-day counts."""
    sender = FileSink(sink)
    with store.session(url) as s:
        plan = resolve_plan(s, plan_key)
    cal = plan_calendar(plan)
    out = []
    day = start
    while day <= end:
        with store.session(url) as s:
            notices = merge(decide(s, plan, day))
        report = dispatch(url, notices, now=run_at(day), lang=lang, send=sender, retry=False)
        c = report.counts()
        out.append(DayCount(day, cal.is_working_day(day),
                            sum(n.kind == REMINDER for n in notices),
                            sum(n.kind == ESCALATION for n in notices),
                            sum(len(n.items) for n in notices), c["sent"], c["already"],
                            c["failed"]))
        day += dt.timedelta(days=1)
    return out
