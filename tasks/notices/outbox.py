"""The outbox: each message queued in the record, claimed just before it is sent, and settled.

A message is the row (recipient, day, kind, scope) of the `message` table. A run first *queues*
every message it means to send (one INSERT … ON CONFLICT DO NOTHING: a key already there is
another run's), then *claims* each just before it is sent — a compare-and-set on (status,
attempts) — sends it and *settles* it: `sent` when every channel has succeeded, else `failed`
with the error and a `next_attempt_at` (5 min × 2^(n−1), capped at an hour). The dispatcher
settles the messages that came back and claims the next few in one transaction (`take` and
`settle` work in the caller's session, one statement for all the messages of a turn), so at any
moment a run holds only the messages it is sending (tasks.notices.dispatch.TURN for each sending
thread): when the record fails mid-run, the rest of the day is still `queued`, in the record,
for the next run.

A message queued or claimed by a run is that run's for the lease (PLANTRACK_LEASE_MINUTES);
after it, any run takes it over — a run that died, or could not write the outcome. A failed
message is taken again once its retry time has come. Any run — of any day — retries what is
due among the messages of the last PLANTRACK_RETRY_DAYS days and of the days it runs for; an
older message still undelivered is marked `given_up`, with the reason, and reported.

Writes that settle an outcome are tried again (WRITE_RETRIES) before the run gives up on the
record; a failure of the record is a RecordFailed, never a traceback in the middle of a batch.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from functools import cache
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from tasks.calendar import TZ, local_date
from tasks.errors import PlantrackError
from tasks.notices.channels import ChannelResult, message_key
from tasks.record import store
from tasks.record.lookups import agencies_by_code
from tasks.record.models import Agency, Delivery, Message
from tasks.settings import claim_lease

__all__ = ["message_key"]  # re-exported: decide and send name messages through the outbox

BACKOFF, BACKOFF_CAP = dt.timedelta(minutes=5), dt.timedelta(hours=1)
QUEUED, CLAIMED, SENT, FAILED, GIVEN_UP = "queued", "claimed", "sent", "failed", "given_up"
REMINDER, ESCALATION, DIGEST = "reminder", "escalation", "digest"  # the kinds of message
CHASERS = (REMINDER, ESCALATION)  # the kinds that chase deadlines
# Waits (seconds) before writing again what failed to be written; each try on SQLite also waits
# up to PLANTRACK_SQLITE_BUSY_TIMEOUT for a lock. Well inside the lease.
WRITE_RETRIES: tuple[float, ...] = (1.0, 4.0, 15.0)

Db = str | Callable[[], AbstractContextManager[Session]]
T = TypeVar("T")
log = logging.getLogger("plantrack.delivery")


class RecordFailed(Exception):
    """The record could not be read or written: its reason, in one line."""


# The record failing, as SQLAlchemy raises it (locked, read-only, full, the server gone, no
# connection left) or as tasks.record.store explains it (a PlantrackError saying what to do).
_RECORD_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError,
                  sa.exc.DisconnectionError, sa.exc.PendingRollbackError, PlantrackError)


def record_failure(exc: BaseException) -> str | None:
    """One line saying why, if `exc` is the record failing (locked, read-only, full, its server
    gone — as the driver says it, or as tasks.record.store explains it); None for anything else
    (a bug is not a failure of the record)."""
    if isinstance(exc, RecordFailed):
        return str(exc)
    if not isinstance(exc, _RECORD_ERRORS):
        return None
    orig = getattr(exc, "orig", None) or exc
    try:
        text = str(orig).strip().splitlines()[0]
    except Exception:  # an error that cannot say itself
        text = ""
    if isinstance(orig, PlantrackError) and text:  # already says what to do
        return text
    return f"{type(orig).__name__}: {text}" if text else type(orig).__name__


def sessions(db: Db) -> Callable[[], AbstractContextManager[Session]]:
    return (lambda: store.session(db)) if isinstance(db, str) else db


def recorded(db: Db, work: Callable[[], T], retries: Sequence[float] | None = None) -> T:
    """`work()` on the record, tried again after each of `retries` (default WRITE_RETRIES)
    seconds while the record fails; RecordFailed (the last reason) when it still does. Between
    tries the record's pooled connections are closed (a SQLite file opened read-only stays so;
    a PostgreSQL connection to a restarted server is dead)."""
    waits = WRITE_RETRIES if retries is None else retries
    for wait in (*waits, None):
        try:
            return work()
        except Exception as exc:
            reason = record_failure(exc)
            if reason is None:
                raise
            if wait is None:
                raise RecordFailed(reason) from exc
            log.warning("the record failed (%s); trying again in %g s", reason, wait)
            if isinstance(db, str):
                try:
                    store.dispose(db)
                except Exception:  # noqa: S110 - the next try says what is wrong
                    pass
            time.sleep(wait)
    raise AssertionError("unreachable")


def agencies_of(db: Db) -> dict[str, Agency]:
    with sessions(db)() as s:
        return agencies_by_code(s)


def utc(now: dt.datetime) -> dt.datetime:
    """An aware instant in UTC (SQLite keeps the wall time only, so every instant is UTC)."""
    if now.tzinfo is None:
        raise ValueError(f"now: {now} has no time zone")
    return now.astimezone(dt.UTC)


def aware(t: dt.datetime) -> dt.datetime:
    """An instant read back from the record (SQLite gives the UTC wall time)."""
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def local_time(t: dt.datetime) -> str:
    """An instant as people read it in the messages of a run: HH:MM DD/MM/YYYY, in Vietnam."""
    return f"{aware(t).astimezone(TZ):%H:%M %d/%m/%Y}"


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` tries: 5, 10, 20, 40 min, then hourly."""
    return min(BACKOFF * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def window_start(now: dt.datetime, days: int) -> dt.date:
    """The first day whose undelivered messages are still retried at `now`."""
    return local_date(now) - dt.timedelta(days=days)


def queue_many(s: Session, rows: Sequence[dict[str, Any]], now: dt.datetime) -> dict[tuple, int]:
    """Insert messages (recipient_id, day, kind, scope, subject, items) as queued — the time of
    queueing in `claimed_at`, 0 attempts; the ones this call inserted, by (recipient_id, day,
    kind, scope) → id. A key already present is someone else's."""
    if not rows:
        return {}
    now = utc(now)
    inserts: dict[str, Callable[[Any], postgresql.Insert | sqlite.Insert]] = {
        "postgresql": postgresql.insert, "sqlite": sqlite.insert}
    insert = inserts[s.get_bind().dialect.name]
    values = [{"scope": "", **r, "status": QUEUED, "attempts": 0, "last_error": "",
               "claimed_at": now} for r in rows]
    # one statement, many rows (SQLAlchemy batches them as multi-row INSERTs itself): compiled
    # once, whatever the number of rows
    stmt = (insert(Message)
            .on_conflict_do_nothing(index_elements=["recipient_id", "day", "kind", "scope"])
            .returning(col(Message.id), col(Message.recipient_id), col(Message.day),
                       col(Message.kind), col(Message.scope)))
    return {(rid, day, kind, scope): mid
            for mid, rid, day, kind, scope in s.connection().execute(stmt, values)
            if mid is not None}  # a primary key: SQLModel types it `int | None`


def _rowcount(s: Session, update: sa.Update, params: Any = None) -> int:
    """The number of rows an UPDATE matched (run as Core, on the session's transaction: the
    ORM's bulk path costs more than the UPDATE itself)."""
    return s.connection().execute(update, params).rowcount


def _bound(name: str, column: Any) -> sa.BindParameter[Any]:
    return sa.bindparam(name, type_=column.type)


@cache
def _claim(n: int) -> sa.Update:
    """The claim's compare-and-set over `n` messages in one statement, built once per `n`: each
    row i whose status and attempts are still as read (b_id<i>, b_status<i>, b_was<i>) becomes
    claimed at b_at, with its subject as sent (b_subject<i>); their ids back.
    The rows are locked first in id order on PostgreSQL (the same for every run: two runs wait
    for each other rather than deadlock)."""
    ids = [_bound(f"b_id{i}", Message.id) for i in range(n)]
    held = (sa.select(col(Message.id)).where(col(Message.id).in_(ids))
            .order_by(col(Message.id)).with_for_update())
    as_read = sa.or_(*(sa.and_(col(Message.id) == ids[i],
                               col(Message.status) == _bound(f"b_status{i}", Message.status),
                               col(Message.attempts) == _bound(f"b_was{i}", Message.attempts))
                       for i in range(n)))
    subject = sa.case(*((col(Message.id) == ids[i], _bound(f"b_subject{i}", Message.subject))
                        for i in range(n)), else_=col(Message.subject))
    return (sa.update(Message).where(col(Message.id).in_(held.scalar_subquery()), as_read)
            .values(status=CLAIMED, attempts=col(Message.attempts) + 1,
                    claimed_at=_bound("b_at", Message.claimed_at), subject=subject)
            .returning(col(Message.id)))


@cache
def _settling() -> tuple[sa.Update, sa.Insert]:
    """Settling's compare-and-set (b_id, b_attempts → b_status, b_error, b_sent, b_next) and the
    deliveries' insert, built once."""
    update = sa.update(Message).where(
        col(Message.id) == _bound("b_id", Message.id), col(Message.status) == CLAIMED,
        col(Message.attempts) == _bound("b_attempts", Message.attempts)).values(
        status=_bound("b_status", Message.status), last_error=_bound("b_error", Message.last_error),
        sent_at=_bound("b_sent", Message.sent_at),
        next_attempt_at=_bound("b_next", Message.next_attempt_at))
    return update, sa.insert(Delivery)


def take(s: Session, wanted: Sequence[tuple[int, str, int, str]], now: dt.datetime
         ) -> dict[int, frozenset[str]]:
    """Claim messages for this run, just before they are sent, each (id, status, attempts,
    subject) a compare-and-set from the status and attempts it was read with, so that of several
    runs exactly one wins it; the message's subject is kept as it is sent. The ones won, each
    with the channels that already have it. One UPDATE claims them all, the transaction's first
    write: on SQLite it waits for the lock, not a snapshot."""
    if not wanted:
        return {}
    rows = sorted(wanted)  # in id order, the same for every run
    params: dict[str, Any] = {"b_at": utc(now)}
    for i, (mid, status, attempts, subject) in enumerate(rows):
        params |= {f"b_id{i}": mid, f"b_status{i}": status, f"b_was{i}": attempts,
                   f"b_subject{i}": subject}
    won = set(s.connection().execute(_claim(len(rows)), params).scalars())
    again = [mid for mid, _, attempts, _ in rows if attempts and mid in won]
    done: dict[int, set[str]] = {}
    if again:
        for mid, channel in s.connection().execute(
                sa.select(col(Delivery.message_id), col(Delivery.channel)).where(
                    col(Delivery.message_id).in_(again), col(Delivery.ok).is_(True))):
            done.setdefault(mid, set()).add(channel)
    return {mid: frozenset(done.get(mid, ())) for mid, _, _, _ in rows if mid in won}


def settle(s: Session, back: Sequence[tuple[int, int, list[ChannelResult]]], now: dt.datetime
           ) -> list[str]:
    """Keep every channel's outcome and settle each message (id, attempts, results): sent when
    no channel is left failing, else failed with a retry time; each one's status. Only the
    holder of an attempt settles it (and writes its deliveries: a write tried again after it
    had in fact been made adds nothing). One UPDATE for all and one INSERT of the deliveries;
    when fewer rows matched than were settled (another run took one over after the lease, or
    it was given up), the rows say which were this run's."""
    if not back:
        return []
    now = utc(now)
    statuses = [SENT if all(r.ok for r in results) else FAILED for _, _, results in back]
    rows = [dict(b_id=mid, b_attempts=attempts, b_status=status,
                 b_error="; ".join(f"{r.channel}: {r.error}" for r in results if not r.ok)[:2000],
                 b_sent=now if status == SENT else None,
                 b_next=None if status == SENT else now + backoff(attempts))
            for (mid, attempts, results), status in zip(back, statuses, strict=True)]
    update, deliveries = _settling()
    mine = {mid for mid, _, _ in back}
    if _rowcount(s, update, rows) != len(rows):
        now_as = {mid: (status, attempts) for mid, status, attempts in s.connection().execute(
            sa.select(col(Message.id), col(Message.status), col(Message.attempts))
            .where(col(Message.id).in_(mine)))}
        mine = {mid for (mid, attempts, _), status in zip(back, statuses, strict=True)
                if now_as.get(mid) == (status, attempts)}
    written = [dict(message_id=mid, channel=r.channel, ok=r.ok, error=r.error, at=now)
               for mid, _, results in back if mid in mine for r in results]
    if written:
        s.connection().execute(deliveries, written)
    return statuses


def _undelivered(now: dt.datetime, lease: dt.timedelta) -> sa.ColumnElement[bool]:
    """Messages another run may take now: failed and due, or queued/claimed past the lease."""
    return sa.or_(sa.and_(col(Message.status) == FAILED, col(Message.next_attempt_at) <= now),
                  sa.and_(col(Message.status).in_((QUEUED, CLAIMED)),
                          col(Message.claimed_at) <= now - lease))


def _days(since: dt.date | None, days: Collection[dt.date]) -> sa.ColumnElement[bool]:
    recent = col(Message.day) >= since if since else sa.true()
    return sa.or_(recent, col(Message.day).in_(list(days))) if days else recent


def due(db: Db, now: dt.datetime, kinds: Sequence[str], since: dt.date | None,
        days: Collection[dt.date], skip: Collection[int], limit: int,
        lease: dt.timedelta | None = None) -> list[Message]:
    """Up to `limit` messages of `kinds` another run may take now — of a day from `since` on, or
    one of `days` — in the order they were made, leaving out `skip`. Each is claimed (take)
    only just before it is sent."""
    now, lease = utc(now), lease or claim_lease()
    with sessions(db)() as s:
        return list(s.execute(
            sa.select(Message).where(col(Message.kind).in_(kinds), _days(since, days),
                                     col(Message.id).not_in(skip) if skip else sa.true(),
                                     _undelivered(now, lease))
            .order_by(col(Message.id)).limit(limit)).scalars())


def give_up(db: Db, now: dt.datetime, kinds: Sequence[str], before: dt.date,
            keep: Collection[dt.date] = (), lease: dt.timedelta | None = None,
            ) -> list[tuple[Message, str]]:
    """Mark `given_up` every message of `kinds` dated before `before` (other than on a day of
    `keep`) that is still undelivered — failed, or queued/claimed past the lease — with its
    reason; a delivery line says it too (what the monthly digest lists as the last error).
    Each with the reason, as given up by this call (a compare-and-set: one run gives it up)."""
    now, lease = utc(now), lease or claim_lease()
    gone: list[tuple[Message, str]] = []
    with sessions(db)() as s:
        rows = list(s.execute(sa.select(Message).where(
            col(Message.kind).in_(kinds), col(Message.day) < before,
            col(Message.day).not_in(list(keep)) if keep else sa.true(),
            sa.or_(col(Message.status) == FAILED,
                   sa.and_(col(Message.status).in_((QUEUED, CLAIMED)),
                           col(Message.claimed_at) <= now - lease)))
            .order_by(col(Message.id))).scalars())
        for m in rows:
            why = m.last_error or {QUEUED: "never sent (the run that queued it stopped)",
                                   CLAIMED: "its outcome was never recorded"}.get(m.status, "")
            today = local_date(now)
            error = (f"given up on {today:%d/%m/%Y}, {(today - m.day).days} days after its day, "
                     f"after {m.attempts} attempt(s): {why}")[:2000]
            if _rowcount(s, sa.update(Message).where(
                    col(Message.id) == m.id, col(Message.status) == m.status,
                    col(Message.attempts) == m.attempts).values(
                    status=GIVEN_UP, last_error=error, next_attempt_at=None)) == 1:
                s.add(Delivery(message_id=m.id, channel="-", ok=False, error=error, at=now))
                gone.append((m, error))
    return gone


def held_by_others(db: Db, keys: dict[tuple, str], now: dt.datetime,
                   lease: dt.timedelta | None = None) -> dict[str, tuple[str, dt.datetime]]:
    """Of the messages named by (recipient_id, day, kind, scope) → key, the ones queued or
    claimed by a run and still within its lease: key → (status, when another run may take it)."""
    if not keys:
        return {}
    now, lease = utc(now), lease or claim_lease()
    out: dict[str, tuple[str, dt.datetime]] = {}
    with sessions(db)() as s:
        for day in {k[1] for k in keys}:
            rows = s.execute(sa.select(col(Message.recipient_id), col(Message.day),
                                       col(Message.kind), col(Message.scope),
                                       col(Message.status), col(Message.claimed_at))
                             .where(col(Message.day) == day,
                                    col(Message.status).in_((QUEUED, CLAIMED)))).all()
            for rid, d, kind, scope, status, at in rows:
                key = keys.get((rid, d, kind, scope))
                if key is not None and aware(at) > now - lease:
                    out[key] = (status, aware(at) + lease)
    return out
