"""Sending notices exactly once: queue them in the outbox, claim each just before it is sent,
send it, settle its outcome (see tasks.notices.outbox for the queue, the claim, the lease, the
backoff and the retry window). Messages go out a few at a time — TURN per sending thread — from
as many threads as the sender has (PLANTRACK_SEND_THREADS for Apprise): one transaction settles
the few that came back and claims the next few.

Each message goes through every channel of the recipient, each attempt kept in `delivery`; a
retry sends only to the channels without a successful delivery. When the record fails — locked
past its busy timeout, read-only, full, its server gone — the run stops sending (nothing is
sent that cannot be recorded) and says, for each message, what became of it: `unsent` (still
queued, or claimed and not sent: a later run sends it after the lease) or `unrecorded` (sent,
or tried, and the outcome not written: a later run sends it again after the lease, with the
same key). Neither is ever reported as "already"; both make the run fail.

A message can reach a receiver twice, always with the same key (channels.py): when a process
is killed, or the record fails, after a channel accepted it and before the outcome is written;
when a channel times out or drops the connection after taking it. Nothing else sends twice.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import asdict, dataclass, field
from functools import cache, partial
from itertools import islice
from typing import Any, TypeVar

from tasks.errors import unknown_agency
from tasks.notices.channels import ChannelResult, Outgoing, SecretLookup, Sender, scrub
from tasks.notices.decide import Notice
from tasks.notices.outbox import (
    CHASERS,
    FAILED,
    GIVEN_UP,
    QUEUED,
    SENT,
    Db,
    RecordFailed,
    agencies_of,
    due,
    give_up,
    held_by_others,
    local_time,
    message_key,
    queue_many,
    recorded,
    sessions,
    settle,
    take,
    utc,
    window_start,
)
from tasks.notices.render import notice_of, outgoing, render
from tasks.notices.senders import AppriseSender
from tasks.record.models import Agency, Message, id_of
from tasks.settings import claim_lease, retry_days
from tasks.words.phrase import Phrase, said

# Messages claimed per sending thread in one transaction: fewer transactions (each costs more
# than a message's own writes), a few more messages held by the run at once.
TURN = 4
log = logging.getLogger("plantrack.delivery")
Build = Callable[[Message, dict[str, Agency]], Outgoing]
T = TypeVar("T")

ALREADY, HELD, DRY_RUN = "already", "held", "dry_run"
UNSENT, UNRECORDED = "unsent", "unrecorded"  # the record failed: not sent / not recorded
UNDELIVERED = (FAILED, UNSENT, UNRECORDED, GIVEN_UP)  # what a run reports and fails on


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size`: a flow's dispatch step each."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass
class MessageOutcome:
    key: str  # RECIPIENT:YYYY-MM-DD:kind
    # sent | failed | already (settled by another run) | held (queued or claimed by another run,
    # within its lease) | unsent | unrecorded (the record failed) | given_up | dry_run
    status: str
    subject: str = ""
    attempts: int = 0
    error: str | Phrase = ""  # said in the reader's language: undelivered(lang)
    recovered: bool = False  # a retry of a failed message, or one another run left
    channels: list[ChannelResult] = field(default_factory=list)
    text: str = ""  # the plain-text body, for dry runs
    record_error: str = ""  # why the record failed (unsent, unrecorded)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "error": str(self.error)}


@dataclass
class DispatchReport:
    messages: list[MessageOutcome] = field(default_factory=list)
    record_error: str = ""  # why the record failed, when it did: the run stopped sending

    def count(self, status: str) -> int:
        return sum(m.status == status for m in self.messages)

    def counts(self) -> dict[str, int]:
        """sent, failed, already, dry_run, recovered; then, only when there are any, held
        (another run's, within its lease), unsent and unrecorded (the record failed) and
        given_up."""
        rare = {status: self.count(status) for status in (HELD, UNSENT, UNRECORDED, GIVEN_UP)}
        return {"sent": self.count(SENT), "failed": self.count(FAILED),
                "already": self.count(ALREADY), "dry_run": self.count(DRY_RUN),
                "recovered": sum(m.recovered for m in self.messages),
                **{status: n for status, n in rare.items() if n}}

    def extend(self, other: DispatchReport) -> DispatchReport:
        self.messages += other.messages
        self.record_error = self.record_error or other.record_error
        return self

    def as_json(self) -> dict[str, Any]:
        return {**self.counts(), "record_error": self.record_error,
                "messages": [m.as_json() for m in self.messages]}

    def undelivered(self, lang: str = "en") -> list[str]:
        """A line per message left undelivered — failed, not sent or not recorded because the
        record failed, given up — its key and why (each channel's error, masked as the record
        keeps it), in `lang`: what a run must report, not call a success."""
        return [f"{m.key}: {said(m.error, lang)}" for m in self.messages
                if m.status in UNDELIVERED]


# ── what became of a message when the record failed ──────────────────────────────────────────

def _after_lease(now: dt.datetime, lease: dt.timedelta) -> str:
    return local_time(now + lease)


def not_queued(key: str, reason: str) -> MessageOutcome:
    """A message the record could not even take: nothing of it is kept."""
    day = key.split(":")[1]
    return MessageOutcome(key, UNSENT, error=Phrase(
        "not sent: the record failed ({reason}) before it was queued; `plantrack remind --as-of "
        "{day}` sends it once the record is back", reason=reason, day=day), record_error=reason)


def still_queued(key: str, reason: str, now: dt.datetime, lease: dt.timedelta,
                 subject: str = "") -> MessageOutcome:
    """A message queued by this run and not sent because the record failed."""
    return MessageOutcome(key, UNSENT, subject, error=Phrase(
        "not sent: the record failed ({reason}); it stays queued and a run from {time} sends it",
        reason=reason, time=_after_lease(now, lease)), record_error=reason)


def _unrecorded(key: str, subject: str, attempts: int, results: list[ChannelResult],
                reason: str, now: dt.datetime, lease: dt.timedelta,
                recovered: bool) -> MessageOutcome:
    ok = [r for r in results if r.ok]
    time = _after_lease(now, lease)
    did = (Phrase("sent through {ok} of {n} channel(s)", ok=len(ok), n=len(results)) if ok else
           Phrase("not delivered ({errors})",
                  errors="; ".join(f"{r.channel}: {r.error}" for r in results)))
    again = (Phrase("a run from {time} sends it again — the receiver may get a second copy, with "
                    "the same key", time=time) if ok else
             Phrase("a run from {time} tries again", time=time))
    return MessageOutcome(key, UNRECORDED, subject, attempts, Phrase(
        "{did}, but the outcome could not be recorded: the record failed ({reason}); {again}",
        did=did, reason=reason, again=again), recovered, results, record_error=reason)


def _unsent(m: Send, reason: str, now: dt.datetime, lease: dt.timedelta) -> MessageOutcome:
    """A message not claimed because the record failed: as it was, for a later run."""
    if not m.recovered:
        return still_queued(m.key, reason, now, lease, m.subject)
    return MessageOutcome(m.key, UNSENT, m.subject, m.attempts, Phrase(
        "not sent: the record failed ({reason}); a run from {time} tries it", reason=reason,
        time=_after_lease(now, lease)), True, record_error=reason)


def _settled(m: Send, results: list[ChannelResult], status: str) -> MessageOutcome:
    error = "; ".join(f"{r.channel}: {r.error}" for r in results if not r.ok)
    (log.info if status == SENT else log.warning)(
        "%s %s (attempt %d, %d channel(s))%s", m.key, status, m.attempts + 1, len(results),
        f": {error}" if error else "")
    return MessageOutcome(m.key, status, m.subject, m.attempts + 1, error, m.recovered, results)


# ── claiming, sending and settling, a few messages at a time ─────────────────────────────────

@dataclass(frozen=True)
class Send:
    """A message this run means to take and send: its row as read (id, status, attempts: what
    the claim compares), its key and recipient, what to send — or why it could not be made."""

    mid: int
    key: str
    status: str
    attempts: int
    agency: Agency
    subject: str
    out: Outgoing | None
    problem: str = ""
    recovered: bool = False  # a retry of a failed message, or one another run left


@cache
def _threads(n: int) -> ThreadPoolExecutor:
    """The `n` threads messages are sent from, started once and kept: each keeps its own
    Apprise objects (channels._kept)."""
    return ThreadPoolExecutor(n, thread_name_prefix="plantrack-send")


def _carry(send: Sender, m: Send, done: frozenset[str]) -> list[ChannelResult]:
    """One message through the channels it is still owed, in a sending thread. A broken sender
    fails this message only; SystemExit and KeyboardInterrupt reach the dispatcher."""
    if m.out is None:
        return [ChannelResult("-", False, m.problem)]
    try:
        return send(m.out, m.agency, done)
    except Exception as exc:
        return [ChannelResult("sender", False, scrub(f"{type(exc).__name__}: {exc}"))]


def _turn(db: Db, back: Sequence[tuple[Send, list[ChannelResult]]], wanted: Sequence[Send],
          now: dt.datetime) -> tuple[list[str], dict[int, frozenset[str]]]:
    """One transaction: the outcomes that came back settled, then the next messages claimed."""
    with sessions(db)() as s:
        statuses = settle(s, [(m.mid, m.attempts + 1, results) for m, results in back], now)
        won = take(s, [(m.mid, m.status, m.attempts, m.subject) for m in wanted], now)
    return statuses, won


def _pull(pending: Iterator[Send], n: int) -> tuple[list[Send], Exception | None]:
    """The next `n` messages to claim, made now (rendered), or why they could not be made."""
    try:
        return list(islice(pending, n)), None
    except Exception as exc:
        return [], exc


def _send_all(db: Db, todo: Iterable[Send], now: dt.datetime, send: Sender,
              lease: dt.timedelta, report: DispatchReport) -> dict[int, MessageOutcome]:
    """Claim, send and settle `todo` a few at a time: TURN for each thread the sender has, sent
    as many at once as it has threads. Each turn is one transaction that settles the messages
    that came back and claims the next few, so the run holds only the messages it is sending;
    `todo` is made (rendered) a few at a time too, the next few while the last are being sent.
    When the record fails the run stops: the messages that came back are `unrecorded`, the ones
    it was about to claim `unsent`, the rest left as they are. A message that cannot be made
    stops the run once the ones being sent are settled (the exception is raised; the rest stay
    queued). What became of each message it tried (none for a retry another run took first)."""
    threads = getattr(send, "threads", 1)
    pool, turn = _threads(threads), TURN * threads
    outcomes: dict[int, MessageOutcome] = {}
    back: list[tuple[Send, list[ChannelResult]]] = []
    pending = iter(todo)
    wanted, broken = _pull(pending, turn)
    while back or wanted:
        try:
            statuses, won = recorded(db, partial(_turn, db, back, wanted, now))
        except RecordFailed as exc:
            reason = report.record_error = str(exc)
            for m, results in back:
                outcomes[m.mid] = _unrecorded(m.key, m.subject, m.attempts + 1, results, reason,
                                              now, lease, m.recovered)
                log.error("%s %s", m.key, outcomes[m.mid].error)
            return outcomes | {m.mid: _unsent(m, reason, now, lease) for m in wanted}
        outcomes |= {m.mid: _settled(m, results, status)
                     for (m, results), status in zip(back, statuses, strict=True)}
        outcomes |= {m.mid: MessageOutcome(m.key, ALREADY, m.subject) for m in wanted
                     if m.mid not in won and not m.recovered}  # another run took it over
        going = [(m, pool.submit(copy_context().run, _carry, send, m, won[m.mid]))
                 for m in wanted if m.mid in won]
        wanted, broken = ([], broken) if broken else _pull(pending, turn)
        back = [(m, sending.result()) for m, sending in going]
    if broken:
        raise broken
    return outcomes


# ── queueing, then sending ───────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Queued:
    """What queueing left for this run: each message it queued (key → id), the ones another run
    holds within its lease (key → (status, from when another run may take it)), and the
    record's failure if it could not queue."""

    ids: dict[str, int] = field(default_factory=dict)
    held: dict[str, tuple[str, dt.datetime]] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class Entry:
    """A message to queue and send: its key, recipient, row and how to make it."""

    key: str
    agency: Agency
    row: dict[str, Any]  # day, kind, scope, subject, items (recipient_id added)
    make: Callable[[], Outgoing]


def _queue(db: Db, entries: Sequence[Entry], now: dt.datetime, lease: dt.timedelta) -> Queued:
    rows = {(e.agency.id, e.row["day"], e.row["kind"], e.row.get("scope", "")): e.key
            for e in entries}

    def insert() -> dict[tuple, int]:
        with sessions(db)() as s:
            return queue_many(s, [dict(recipient_id=e.agency.id, **e.row) for e in entries], now)

    try:
        won = recorded(db, insert)
    except RecordFailed as exc:
        return Queued(error=str(exc))
    others = {k: key for k, key in rows.items() if k not in won}
    try:
        held = recorded(db, lambda: held_by_others(db, others, now, lease))
    except RecordFailed:  # the sends that follow meet the failure, and say so
        held = {}
    return Queued({rows[k]: mid for k, mid in won.items()}, held)


def _not_ours(key: str, queued: Queued, subject: str = "") -> MessageOutcome:
    """A message this run did not queue: settled by another run, or held by one."""
    if key in queued.held:
        status, free = queued.held[key]
        return MessageOutcome(key, HELD, subject, error=Phrase(
            "{status} by another run; taken over from {time} if that run has not settled it",
            status=status, time=local_time(free)))
    return MessageOutcome(key, ALREADY, subject)


def _send_queued(db: Db, entries: Sequence[Entry], queued: Queued, now: dt.datetime,
                 send: Sender, lease: dt.timedelta, report: DispatchReport) -> None:
    """Each entry this run queued: made, then claimed, sent and settled (_send_all) — none once
    the record has failed (they stay queued)."""
    todo = () if report.record_error else (
        Send(queued.ids[e.key], e.key, QUEUED, 0, e.agency, out.subject, out)
        for e in entries if e.key in queued.ids for out in [e.make()])
    done = _send_all(db, todo, now, send, lease, report)
    for e in entries:
        mid = queued.ids.get(e.key)
        report.messages.append(
            _not_ours(e.key, queued, e.row.get("subject", "")) if mid is None
            else done[mid] if mid in done
            else still_queued(e.key, report.record_error, now, lease, e.row.get("subject", "")))


def _entries(notices: Sequence[Notice], agencies: dict[str, Agency], lang: str) -> list[Entry]:
    return [Entry(n.key, agencies[n.recipient],
                  dict(day=n.day, kind=n.kind, scope="", subject="",
                       items=[i.as_json() for i in n.items]),
                  partial(outgoing, n, agencies, lang)) for n in notices
            if n.recipient in agencies]


def _agencies(db: Db) -> dict[str, Agency] | str:
    try:
        return recorded(db, lambda: agencies_of(db))
    except RecordFailed as exc:
        return str(exc)


def queue(db: Db, notices: Iterable[Notice], now: dt.datetime,
          lease: dt.timedelta | None = None) -> Queued:
    """Queue every notice in the record, before any is sent (a flow's first dispatch step):
    what the record holds of the day even if the run stops after the first message."""
    agencies = _agencies(db)
    if isinstance(agencies, str):
        return Queued(error=agencies)
    return _queue(db, _entries(list(notices), agencies, "vi"), utc(now),
                  lease or claim_lease())


def send_entries(db: Db, entries: Sequence[Entry], now: dt.datetime, send: Sender,
                 lease: dt.timedelta | None = None) -> DispatchReport:
    """Queue messages other than notices (a digest to each of its recipients) and send each one
    this call queued, as `dispatch` does."""
    now, lease = utc(now), lease or claim_lease()
    queued = _queue(db, entries, now, lease)
    if queued.error:
        return DispatchReport([not_queued(e.key, queued.error) for e in entries], queued.error)
    report = DispatchReport()
    _send_queued(db, entries, queued, now, send, lease, report)
    return report


def agencies_or_failure(db: Db) -> dict[str, Agency] | str:
    """The directory, or why the record could not give it."""
    return _agencies(db)


def dispatch(db: Db, notices: Iterable[Notice], now: dt.datetime, lang: str = "vi",
             dry_run: bool = False, send: Sender | None = None, batch_size: int = 50,
             secret_lookup: SecretLookup | None = None, retry: bool = True,
             lease: dt.timedelta | None = None, queued: Queued | None = None,
             days: Collection[dt.date] = ()) -> DispatchReport:
    """Send each notice exactly once: queue them all (unless `queued` says a step before did),
    then — with `retry`, after retrying what is due of the last PLANTRACK_RETRY_DAYS days and
    of the notices' days (and `days`) — claim, send and settle each. `dry_run` renders only."""
    now, lease = utc(now), lease or claim_lease()
    notices = list(notices)
    agencies = _agencies(db)
    if isinstance(agencies, str):
        return unsent_after(notices, queued or Queued(error=agencies), agencies, now, lease)
    if dry_run:
        return DispatchReport([MessageOutcome(n.key, DRY_RUN, r.subject, text=r.text)
                               for n in notices for r in [render(n, agencies, lang)]])
    send = send or AppriseSender(secret_lookup)
    entries = _entries(notices, agencies, lang)
    queued = queued if queued is not None else _queue(db, entries, now, lease)
    report = DispatchReport([MessageOutcome(n.key, FAILED, error=unknown_agency(n.recipient))
                             for n in notices if n.recipient not in agencies])
    if queued.error:
        report.record_error = queued.error
        report.messages += [not_queued(e.key, queued.error) for e in entries]
        return report
    if retry:
        report.extend(retry_due(db, now, lang, send, lease=lease, batch_size=batch_size,
                                days={n.day for n in notices} | set(days), agencies=agencies,
                                skip=set(queued.ids.values())))
    _send_queued(db, entries, queued, now, send, lease, report)
    return report


def unsent_after(notices: Iterable[Notice], queued: Queued, reason: str, now: dt.datetime,
                 lease: dt.timedelta | None = None) -> DispatchReport:
    """What a flow reports for the notices of the steps it did not run after the record failed:
    queued and left for the next run, or never queued."""
    lease = lease or claim_lease()
    return DispatchReport([still_queued(n.key, reason, utc(now), lease) if n.key in queued.ids
                           else not_queued(n.key, reason) if queued.error
                           else _not_ours(n.key, queued) for n in notices], reason)


def retry_due(db: Db, now: dt.datetime, lang: str = "vi", send: Sender | None = None,
              kinds: Sequence[str] = CHASERS, not_before: dt.date | None = None,
              build: Build | None = None, lease: dt.timedelta | None = None,
              batch_size: int = 50, secret_lookup: SecretLookup | None = None,
              days: Collection[dt.date] = (), agencies: dict[str, Agency] | None = None,
              skip: Collection[int] = ()) -> DispatchReport:
    """Send, once each, the messages of `kinds` that another run may take now — failed and due,
    or queued or claimed past the lease — of a day from `not_before` on (default: the last
    PLANTRACK_RETRY_DAYS days) or of one of `days`; first mark given up the older ones still
    undelivered. `build` makes the message to send from its row; by default a reminder or
    escalation is rendered again from its items."""
    now, lease = utc(now), lease or claim_lease()
    since = not_before if not_before is not None else window_start(now, retry_days())
    send = send or AppriseSender(secret_lookup)
    ags = agencies if agencies is not None else _agencies(db)
    if isinstance(ags, str):
        return DispatchReport(record_error=ags)
    by_id = {a.id: a for a in ags.values()}
    build = build or (lambda m, a: outgoing(notice_of(m, by_id[m.recipient_id].code), a, lang))
    report = DispatchReport()
    try:
        gone = recorded(db, lambda: give_up(db, now, kinds, since, days, lease))
    except RecordFailed as exc:
        return DispatchReport(record_error=str(exc))
    for m, error in gone:
        key = message_key(by_id[m.recipient_id].code, m.day, m.kind, m.scope)
        log.error("%s given up: %s", key, error)
        report.messages.append(MessageOutcome(key, GIVEN_UP, m.subject, m.attempts, error))
    tried = set(skip)
    while not report.record_error:
        try:
            batch = recorded(db, lambda: due(db, now, kinds, since, days, tried, batch_size,
                                             lease))
        except RecordFailed as exc:
            report.record_error = str(exc)
            break
        if not batch:
            break
        tried.update(id_of(m) for m in batch)
        todo = [_again(m, by_id[m.recipient_id], ags, build) for m in batch]
        done = _send_all(db, todo, now, send, lease, report)
        report.messages += [done[m.mid] for m in todo if m.mid in done]
    return report


def _again(m: Message, agency: Agency, agencies: dict[str, Agency], build: Build) -> Send:
    """A message another run may take, made again from its row — or why it cannot be (e.g. a
    digest's files gone: it fails, and is given up in time)."""
    try:
        out: Outgoing | None = build(m, agencies)
        problem = ""
    except Exception as exc:
        out, problem = None, scrub(f"cannot be made again: {type(exc).__name__}: {exc}")
    return Send(id_of(m), message_key(agency.code, m.day, m.kind, m.scope), m.status, m.attempts,
                agency, out.subject if out else m.subject, out, problem, recovered=True)
