"""Sending notices exactly once: claim each in the outbox, send it, settle the outcome.

Each message goes through every channel of the recipient, each attempt kept in `delivery`; a
retry sends only to the channels without a successful delivery (see tasks.notices.outbox for
the claim, the lease and the backoff).

The one gap no store can close: a process killed after a channel accepted the message and
before the outcome was written resends it after the lease (at least once, never silently lost).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from tasks.calendar import local_date
from tasks.errors import unknown_agency
from tasks.notices.channels import ChannelResult, Outgoing, SecretLookup, Sender, scrub
from tasks.notices.decide import Notice
from tasks.notices.outbox import (
    ESCALATION,
    FAILED,
    LEASE,
    REMINDER,
    SENT,
    Db,
    agencies_of,
    claim_many,
    done_channels,
    message_key,
    sessions,
    settle,
    take,
    utc,
)
from tasks.notices.render import notice_of, outgoing, render
from tasks.notices.senders import AppriseSender
from tasks.record.models import Agency, Message, id_of

log = logging.getLogger("plantrack.delivery")
Build = Callable[[Message, dict[str, Agency]], Outgoing]
T = TypeVar("T")


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size`: the unit of claiming and of a flow's
    dispatch step."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass
class MessageOutcome:
    key: str  # RECIPIENT:YYYY-MM-DD:kind
    status: str  # sent | failed | already (someone else's) | dry_run
    subject: str = ""
    attempts: int = 0
    error: str = ""
    recovered: bool = False  # a retry of a failed message or a stale claim
    channels: list[ChannelResult] = field(default_factory=list)
    text: str = ""  # the plain-text body, for dry runs

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DispatchReport:
    messages: list[MessageOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(m.status == status for m in self.messages)

    def counts(self) -> dict[str, int]:
        return {"sent": self.count(SENT), "failed": self.count(FAILED),
                "already": self.count("already"), "dry_run": self.count("dry_run"),
                "recovered": sum(m.recovered for m in self.messages)}

    def extend(self, other: DispatchReport) -> DispatchReport:
        self.messages += other.messages
        return self

    def as_json(self) -> dict[str, Any]:
        return {**self.counts(), "messages": [m.as_json() for m in self.messages]}

    def undelivered(self) -> list[str]:
        """A line per message left failed — its key (recipient, day, kind) and each channel's
        error, masked as the record keeps it: what a run must report, not call a success."""
        return [f"{m.key}: {m.error}" for m in self.messages if m.status == FAILED]


def deliver(db: Db, message_id: int, attempts: int, out: Outgoing, agency: Agency,
            now: dt.datetime, send: Sender, recovered: bool = False) -> MessageOutcome:
    """Send a claimed message (its `attempts` as claimed) to the channels still owed it, and
    record what happened."""
    now = utc(now)
    key = message_key(out.recipient, out.day, out.kind, out.scope)
    done = done_channels(db, message_id) if attempts > 1 else frozenset()
    try:
        results = send(out, agency, done)
    except Exception as exc:  # a broken sender fails this message only; SystemExit propagates
        results = [ChannelResult("sender", False, scrub(f"{type(exc).__name__}: {exc}"))]
    status = settle(db, message_id, attempts, results, now)
    error = "; ".join(f"{r.channel}: {r.error}" for r in results if not r.ok)
    (log.info if status == SENT else log.warning)(
        "%s %s (attempt %d, %d channel(s))%s", key, status, attempts, len(results),
        f": {error}" if error else "")
    return MessageOutcome(key, status, out.subject, attempts, error, recovered, results)


def dispatch(db: Db, notices: Iterable[Notice], now: dt.datetime, lang: str = "vi",
             dry_run: bool = False, send: Sender | None = None, batch_size: int = 50,
             secret_lookup: SecretLookup | None = None, retry: bool = True,
             lease: dt.timedelta = LEASE) -> DispatchReport:
    """Send each notice exactly once (see the module docstring); with `retry`, first resend
    today's failed messages that are due and stale claims. `dry_run` renders only."""
    now = utc(now)
    notices = list(notices)
    agencies = agencies_of(db)
    if dry_run:
        return DispatchReport([MessageOutcome(n.key, "dry_run", r.subject, text=r.text)
                               for n in notices for r in [render(n, agencies, lang)]])
    send = send or AppriseSender(secret_lookup)
    report = retry_due(db, now, lang, send, lease=lease, not_before=local_date(now),
                       batch_size=batch_size) if retry else DispatchReport()
    for batch in batches(notices, batch_size):
        report.extend(_dispatch_batch(db, list(batch), agencies, now, lang, send))
    return report


def _dispatch_batch(db: Db, notices: list[Notice], agencies: dict[str, Agency],
                    now: dt.datetime, lang: str, send: Sender) -> DispatchReport:
    known = [n for n in notices if n.recipient in agencies]
    report = DispatchReport([MessageOutcome(n.key, FAILED, error=unknown_agency(n.recipient))
                             for n in notices if n.recipient not in agencies])
    outs = {n.key: outgoing(n, agencies, lang) for n in known}
    with sessions(db)() as s:
        won = claim_many(s, [dict(recipient_id=agencies[n.recipient].id, day=n.day, kind=n.kind,
                                  subject=outs[n.key].subject,
                                  items=[i.as_json() for i in n.items]) for n in known], now)
    for n in known:
        mid = won.get((agencies[n.recipient].id, n.day, n.kind, ""))
        if mid is None:
            report.messages.append(MessageOutcome(n.key, "already", outs[n.key].subject))
        else:
            report.messages.append(deliver(db, mid, 1, outs[n.key], agencies[n.recipient], now,
                                           send))
    return report


def retry_due(db: Db, now: dt.datetime, lang: str = "vi", send: Sender | None = None,
              kinds: Sequence[str] = (REMINDER, ESCALATION), not_before: dt.date | None = None,
              build: Build | None = None, lease: dt.timedelta = LEASE, batch_size: int = 50,
              secret_lookup: SecretLookup | None = None) -> DispatchReport:
    """Resend failed messages whose retry time has come and recover stale claims, once each.

    `not_before` leaves older days alone (dispatch passes today: yesterday's reminder is
    superseded by today's, and stays visible as failed). `build` makes the message to send
    from its row; by default a reminder or escalation is rendered again from its items.
    """
    now = utc(now)
    send = send or AppriseSender(secret_lookup)
    agencies = agencies_of(db)
    by_id = {a.id: a for a in agencies.values()}
    build = build or (lambda m, ags: outgoing(notice_of(m, by_id[m.recipient_id].code), ags, lang))
    report = DispatchReport()
    skip: set[int] = set()  # messages already tried in this call
    while (batch := take(db, now, kinds, not_before, lease, skip, batch_size)) is not None:
        report.messages += [deliver(db, id_of(m), m.attempts, build(m, agencies),
                                    by_id[m.recipient_id], now, send, recovered=True)
                            for m in batch]
    return report
