"""The outbox: each message claimed in the record before it is sent, and its outcome settled.

A message is the row (recipient, day, kind) of the `message` table. It is inserted — claimed —
before anything is sent (ON CONFLICT DO NOTHING: whoever inserts it owns it). It ends `sent`
when every channel has succeeded, else `failed` with the error and a `next_attempt_at` (5 min ×
2^(n−1), capped at an hour). A later run takes a failed message due for retry, or one left
`claimed` past the lease by a process that died between claim and send, with a compare-and-set
on (status, attempts) — on PostgreSQL after `SELECT … FOR UPDATE SKIP LOCKED` — so exactly one
run wins it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from tasks.notices.channels import ChannelResult
from tasks.record import store
from tasks.record.lookups import agencies_by_code, agency_id
from tasks.record.models import Agency, Delivery, Message

LEASE = dt.timedelta(minutes=10)
BACKOFF, BACKOFF_CAP = dt.timedelta(minutes=5), dt.timedelta(hours=1)
CLAIMED, SENT, FAILED = "claimed", "sent", "failed"
REMINDER, ESCALATION, DIGEST = "reminder", "escalation", "digest"  # the kinds of message
CHASERS = (REMINDER, ESCALATION)  # the kinds that chase deadlines

Db = str | Callable[[], AbstractContextManager[Session]]


def message_key(recipient: str, day: dt.date, kind: str, scope: str = "") -> str:
    """How a message is named in outcomes, logs and tests: RECIPIENT:YYYY-MM-DD:kind, and
    :scope for a message of one plan (a digest)."""
    return f"{recipient}:{day.isoformat()}:{kind}" + (f":{scope}" if scope else "")


def sessions(db: Db) -> Callable[[], AbstractContextManager[Session]]:
    return (lambda: store.session(db)) if isinstance(db, str) else db


def agencies_of(db: Db) -> dict[str, Agency]:
    with sessions(db)() as s:
        return agencies_by_code(s)


def utc(now: dt.datetime) -> dt.datetime:
    """An aware instant in UTC (SQLite keeps the wall time only, so every instant is UTC)."""
    if now.tzinfo is None:
        raise ValueError(f"now: {now} has no time zone")
    return now.astimezone(dt.UTC)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` tries: 5, 10, 20, 40 min, then hourly."""
    return min(BACKOFF * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def claim_many(s: Session, rows: Sequence[dict[str, Any]], now: dt.datetime) -> dict[tuple, int]:
    """Insert messages (recipient_id, day, kind, scope, subject, items) as claimed; the ones this
    call inserted, by (recipient_id, day, kind, scope) → id. A key already present is someone
    else's."""
    now = utc(now)
    if not rows:
        return {}
    inserts: dict[str, Callable[[Any], postgresql.Insert | sqlite.Insert]] = {
        "postgresql": postgresql.insert, "sqlite": sqlite.insert}
    insert = inserts[s.get_bind().dialect.name]
    values = [{"scope": "", **r, "status": CLAIMED, "attempts": 1, "last_error": "",
               "claimed_at": now} for r in rows]
    stmt = (insert(Message).values(values)
            .on_conflict_do_nothing(index_elements=["recipient_id", "day", "kind", "scope"])
            .returning(col(Message.id), col(Message.recipient_id), col(Message.day),
                       col(Message.kind), col(Message.scope)))
    return {(rid, day, kind, scope): mid for mid, rid, day, kind, scope in s.execute(stmt)}


def claim(db: Db, recipient: str, day: dt.date, kind: str, subject: str,
          items: list[dict[str, Any]], now: dt.datetime, scope: str = "") -> int | None:
    """Claim one message (e.g. a plan's monthly digest, scope = the plan's key); its id, or
    None if it is already taken."""
    now = utc(now)
    with sessions(db)() as s:
        rid = agency_id(s, recipient)
        won = claim_many(s, [dict(recipient_id=rid, day=day, kind=kind, scope=scope,
                                  subject=subject, items=items)], now)
    return next(iter(won.values()), None)


def settle(db: Db, message_id: int, attempts: int, results: list[ChannelResult],
           now: dt.datetime) -> str:
    """Keep every channel's outcome and settle the message: sent when no channel is left
    failing, else failed with a retry time. Only the holder of this attempt settles it."""
    now = utc(now)
    ok = all(r.ok for r in results)
    error = "; ".join(f"{r.channel}: {r.error}" for r in results if not r.ok)
    status = SENT if ok else FAILED
    with sessions(db)() as s:
        s.execute(sa.update(Message)
                  .where(col(Message.id) == message_id, col(Message.status) == CLAIMED,
                         col(Message.attempts) == attempts)
                  .values(status=status, last_error=error[:2000], sent_at=now if ok else None,
                          next_attempt_at=None if ok else now + backoff(attempts)))
        if results:
            s.execute(sa.insert(Delivery), [dict(message_id=message_id, channel=r.channel,
                                                 ok=r.ok, error=r.error, at=now) for r in results])
    return status


def done_channels(db: Db, message_id: int) -> frozenset[str]:
    with sessions(db)() as s:
        return frozenset(s.execute(sa.select(col(Delivery.channel)).where(
            col(Delivery.message_id) == message_id, col(Delivery.ok).is_(True))).scalars())


def _rowcount(s: Session, update: sa.Update) -> int:
    """The number of rows an UPDATE matched (Session.execute types its result as a plain
    Result; an UPDATE's is a CursorResult)."""
    result = s.execute(update)
    assert isinstance(result, sa.CursorResult)
    return result.rowcount


def take(db: Db, now: dt.datetime, kinds: Sequence[str], not_before: dt.date | None,
          lease: dt.timedelta, skip: set[int], limit: int) -> list[Message] | None:
    """Of up to `limit` messages due for another try, those won by compare-and-set; None when
    there were none to try (a batch all won by another run is an empty list)."""
    pick = (sa.select(col(Message.id), col(Message.status), col(Message.attempts))
            .where(col(Message.kind).in_(kinds),
                   col(Message.id).not_in(skip) if skip else sa.true(),
                   col(Message.day) >= not_before if not_before else sa.true(),
                   sa.or_(sa.and_(col(Message.status) == FAILED,
                                  col(Message.next_attempt_at) <= now),
                          sa.and_(col(Message.status) == CLAIMED,
                                  col(Message.claimed_at) <= now - lease)))
            .order_by(col(Message.id)).limit(limit).with_for_update(skip_locked=True))

    def cas(s: Session, rows) -> list[int]:
        return [mid for mid, status, attempts in rows if _rowcount(s, (
            sa.update(Message).where(col(Message.id) == mid, col(Message.status) == status,
                                     col(Message.attempts) == attempts)
            .values(status=CLAIMED, attempts=attempts + 1, claimed_at=now))) == 1]

    with sessions(db)() as s:
        rows = s.execute(pick).all()
        # PostgreSQL: rows stay locked until this commits. SQLite: update in a transaction of
        # its own whose first statement is a write, so it waits for the lock, not a snapshot.
        won = cas(s, rows) if s.get_bind().dialect.name == "postgresql" else None
    if not rows:
        return None
    skip.update(mid for mid, _, _ in rows)
    if won is None:
        with sessions(db)() as s:
            won = cas(s, rows)
    with sessions(db)() as s:
        return list(s.execute(sa.select(Message).where(col(Message.id).in_(won))
                              .order_by(col(Message.id))).scalars()) if won else []
