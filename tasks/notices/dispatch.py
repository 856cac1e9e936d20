"""Rendering notices and sending each exactly once: claim in the record, send, record the outcome.

A message is the row (recipient, day, kind) of the `message` table. It is inserted — claimed —
before anything is sent (ON CONFLICT DO NOTHING: whoever inserts it owns it), then sent through
every channel of the recipient, each attempt kept in `delivery`. It ends `sent` when every
channel has succeeded, else `failed` with the error and a `next_attempt_at` (5 min × 2^(n−1),
capped at an hour). A later run takes a failed message due for retry, or one left `claimed` past
the lease by a process that died between claim and send, with a compare-and-set on
(status, attempts) — on PostgreSQL after `SELECT … FOR UPDATE SKIP LOCKED` — so exactly one run
wins it; a retry sends only to the channels without a successful delivery.

The one gap no store can close: a process killed after a channel accepted the message and
before the outcome was written resends it after the lease (at least once, never silently lost).
"""
from __future__ import annotations

import datetime as dt
import logging
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from tasks import settings
from tasks.record import store
from tasks.calendar import local_date
from tasks.notices.channels import AppriseSender, ChannelResult, Outgoing, Sender, SecretLookup, scrub
from tasks.record.models import Agency, Delivery, Message
from tasks.notices.decide import DUE_SOON, DUE_TODAY, ESCALATION, OVERDUE, REMINDER, Item, Notice
from tasks.words import ROLE_LABELS

TEMPLATES = settings.TEMPLATES
LEASE = dt.timedelta(minutes=10)
BACKOFF, BACKOFF_CAP = dt.timedelta(minutes=5), dt.timedelta(hours=1)
CLAIMED, SENT, FAILED = "claimed", "sent", "failed"
log = logging.getLogger("plantrack.delivery")

Db = str | Callable[[], AbstractContextManager[Session]]
Build = Callable[[Message, dict[str, Agency]], Outgoing]


# ── rendering ────────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=4)
def environment(folder: str = str(TEMPLATES)):
    """Jinja2 templates of config/templates: HTML autoescaped, dates dd/mm/yyyy."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined,
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["d"] = lambda day: f"{day:%d/%m/%Y}"
    return env


def _name(agencies: dict[str, Agency], code: str, lang: str) -> str:
    a = agencies.get(code)
    return (a.name_vi if lang == "vi" else a.name_en) if a else code


def render(notice: Notice, agencies: dict[str, Agency], lang: str = "vi") -> Rendered:
    """Subject, plain text and HTML of a notice, from `<kind>.<lang>.{subject,txt,html}.j2`."""
    env = environment()
    groups = [(cat, [i for i in notice.items if i.category == cat])
              for cat in (OVERDUE, DUE_TODAY, DUE_SOON)]
    ctx = dict(
        lang=lang, notice=notice, day=notice.day, kind=notice.kind, items=notice.items,
        recipient=notice.recipient, recipient_name=_name(agencies, notice.recipient, lang),
        groups=[(cat, items) for cat, items in groups if items],
        due=notice.count(DUE_SOON, DUE_TODAY), overdue=notice.count(OVERDUE),
        late_agencies=sorted({i.agency for i in notice.items}),
        name=lambda code: _name(agencies, code, lang), role=ROLE_LABELS[lang])
    part = lambda ext: env.get_template(f"{notice.kind}.{lang}.{ext}.j2").render(ctx)  # noqa: E731
    return Rendered(" ".join(part("subject").split()), part("txt"), part("html"))


def outgoing(notice: Notice, agencies: dict[str, Agency], lang: str = "vi") -> Outgoing:
    r = render(notice, agencies, lang)
    return Outgoing(notice.recipient, notice.kind, notice.day, r.subject, r.text, r.html)


def notice_of(message: Message, recipient: str) -> Notice:
    """The notice a stored reminder or escalation was made from (to render it again)."""
    return Notice(recipient, message.kind, message.day,
                  tuple(Item.from_json(i) for i in message.items))


# ── outcomes ─────────────────────────────────────────────────────────────────────────────────

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

    def extend(self, other: "DispatchReport") -> "DispatchReport":
        self.messages += other.messages
        return self

    def as_json(self) -> dict[str, Any]:
        return {**self.counts(), "messages": [m.as_json() for m in self.messages]}


# ── the record ───────────────────────────────────────────────────────────────────────────────

def _sessions(db: Db) -> Callable[[], AbstractContextManager[Session]]:
    return (lambda: store.session(db)) if isinstance(db, str) else db


def agencies_by_code(db: Db) -> dict[str, Agency]:
    with _sessions(db)() as s:
        return {a.code: a for a in s.execute(sa.select(Agency)).scalars()}


def utc(now: dt.datetime) -> dt.datetime:
    """An aware instant in UTC (SQLite keeps the wall time only, so every instant is UTC)."""
    if now.tzinfo is None:
        raise ValueError(f"now: {now} has no time zone")
    return now.astimezone(dt.timezone.utc)


def _key(recipient: str, day: dt.date, kind: str) -> str:
    return f"{recipient}:{day.isoformat()}:{kind}"


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` tries: 5, 10, 20, 40 min, then hourly."""
    return min(BACKOFF * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def claim_many(s: Session, rows: Sequence[dict[str, Any]], now: dt.datetime) -> dict[tuple, int]:
    """Insert messages (recipient_id, day, kind, subject, items) as claimed; the ones this call
    inserted, by (recipient_id, day, kind) → id. A key already present is someone else's."""
    now = utc(now)
    if not rows:
        return {}
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[s.get_bind().dialect.name]
    values = [dict(r, status=CLAIMED, attempts=1, last_error="", claimed_at=now) for r in rows]
    stmt = (insert(Message).values(values)
            .on_conflict_do_nothing(index_elements=["recipient_id", "day", "kind"])
            .returning(Message.id, Message.recipient_id, Message.day, Message.kind))
    return {(rid, day, kind): mid for mid, rid, day, kind in s.execute(stmt)}


def claim(db: Db, recipient: str, day: dt.date, kind: str, subject: str,
          items: list[dict[str, Any]], now: dt.datetime) -> int | None:
    """Claim one message (e.g. the monthly digest); its id, or None if it is already taken."""
    now = utc(now)
    with _sessions(db)() as s:
        rid = s.execute(sa.select(Agency.id).where(Agency.code == recipient)).scalar_one()
        won = claim_many(s, [dict(recipient_id=rid, day=day, kind=kind, subject=subject,
                                  items=items)], now)
    return next(iter(won.values()), None)


def record(db: Db, message_id: int, attempts: int, results: list[ChannelResult],
           now: dt.datetime) -> str:
    """Keep every channel's outcome and settle the message: sent when no channel is left
    failing, else failed with a retry time. Only the holder of this attempt settles it."""
    now = utc(now)
    ok = all(r.ok for r in results)
    error = "; ".join(f"{r.channel}: {r.error}" for r in results if not r.ok)
    status = SENT if ok else FAILED
    with _sessions(db)() as s:
        s.execute(sa.update(Message)
                  .where(Message.id == message_id, Message.status == CLAIMED,
                         Message.attempts == attempts)
                  .values(status=status, last_error=error[:2000], sent_at=now if ok else None,
                          next_attempt_at=None if ok else now + backoff(attempts)))
        if results:
            s.execute(sa.insert(Delivery), [dict(message_id=message_id, channel=r.channel,
                                                 ok=r.ok, error=r.error, at=now) for r in results])
    return status


def _done_channels(db: Db, message_id: int) -> frozenset[str]:
    with _sessions(db)() as s:
        return frozenset(s.execute(sa.select(Delivery.channel).where(
            Delivery.message_id == message_id, Delivery.ok.is_(True))).scalars())


def deliver(db: Db, message_id: int, attempts: int, out: Outgoing, agency: Agency,
            now: dt.datetime, send: Sender, recovered: bool = False) -> MessageOutcome:
    """Send a claimed message (its `attempts` as claimed) to the channels still owed it, and
    record what happened."""
    now = utc(now)
    key = _key(out.recipient, out.day, out.kind)
    done = _done_channels(db, message_id) if attempts > 1 else frozenset()
    try:
        results = send(out, agency, done)
    except Exception as exc:  # a broken sender fails this message only; SystemExit propagates
        results = [ChannelResult("sender", False, scrub(f"{type(exc).__name__}: {exc}"))]
    status = record(db, message_id, attempts, results, now)
    error = "; ".join(f"{r.channel}: {r.error}" for r in results if not r.ok)
    (log.info if status == SENT else log.warning)(
        "%s %s (attempt %d, %d channel(s))%s", key, status, attempts, len(results),
        f": {error}" if error else "")
    return MessageOutcome(key, status, out.subject, attempts, error, recovered, results)


# ── dispatching ──────────────────────────────────────────────────────────────────────────────

def dispatch(db: Db, notices: Iterable[Notice], now: dt.datetime, lang: str = "vi",
             dry_run: bool = False, send: Sender | None = None, batch_size: int = 50,
             secret_lookup: SecretLookup | None = None, retry: bool = True,
             lease: dt.timedelta = LEASE) -> DispatchReport:
    """Send each notice exactly once (see the module docstring); with `retry`, first resend
    today's failed messages that are due and stale claims. `dry_run` renders only."""
    now = utc(now)
    notices = list(notices)
    agencies = agencies_by_code(db)
    if dry_run:
        return DispatchReport([MessageOutcome(n.key, "dry_run", r.subject, text=r.text)
                               for n in notices for r in [render(n, agencies, lang)]])
    send = send or AppriseSender(secret_lookup)
    report = retry_due(db, now, lang, send, lease=lease, not_before=local_date(now),
                       batch_size=batch_size) if retry else DispatchReport()
    for i in range(0, len(notices), batch_size):
        report.extend(_dispatch_batch(db, notices[i:i + batch_size], agencies, now, lang, send))
    return report


def _dispatch_batch(db: Db, notices: list[Notice], agencies: dict[str, Agency],
                    now: dt.datetime, lang: str, send: Sender) -> DispatchReport:
    known = [n for n in notices if n.recipient in agencies]
    report = DispatchReport([MessageOutcome(n.key, FAILED, error=f"unknown agency '{n.recipient}'")
                             for n in notices if n.recipient not in agencies])
    outs = {n.key: outgoing(n, agencies, lang) for n in known}
    with _sessions(db)() as s:
        won = claim_many(s, [dict(recipient_id=agencies[n.recipient].id, day=n.day, kind=n.kind,
                                  subject=outs[n.key].subject,
                                  items=[i.as_json() for i in n.items]) for n in known], now)
    for n in known:
        mid = won.get((agencies[n.recipient].id, n.day, n.kind))
        if mid is None:
            report.messages.append(MessageOutcome(n.key, "already", outs[n.key].subject))
        else:
            report.messages.append(deliver(db, mid, 1, outs[n.key], agencies[n.recipient], now,
                                           send))
    return report


def _take(db: Db, now: dt.datetime, kinds: Sequence[str], not_before: dt.date | None,
          lease: dt.timedelta, skip: set[int], limit: int) -> list[Message] | None:
    """Of up to `limit` messages due for another try, those won by compare-and-set; None when
    there were none to try (a batch all won by another run is an empty list)."""
    pick = (sa.select(Message.id, Message.status, Message.attempts)
            .where(Message.kind.in_(kinds), Message.id.not_in(skip) if skip else sa.true(),
                   Message.day >= not_before if not_before else sa.true(),
                   sa.or_(sa.and_(Message.status == FAILED, Message.next_attempt_at <= now),
                          sa.and_(Message.status == CLAIMED, Message.claimed_at <= now - lease)))
            .order_by(Message.id).limit(limit).with_for_update(skip_locked=True))

    def cas(s: Session, rows) -> list[int]:
        return [mid for mid, status, attempts in rows if s.execute(
            sa.update(Message).where(Message.id == mid, Message.status == status,
                                     Message.attempts == attempts)
            .values(status=CLAIMED, attempts=attempts + 1, claimed_at=now)).rowcount == 1]

    with _sessions(db)() as s:
        rows = s.execute(pick).all()
        # PostgreSQL: rows stay locked until this commits. SQLite: update in a transaction of
        # its own whose first statement is a write, so it waits for the lock, not a snapshot.
        won = cas(s, rows) if s.get_bind().dialect.name == "postgresql" else None
    if not rows:
        return None
    skip.update(mid for mid, _, _ in rows)
    if won is None:
        with _sessions(db)() as s:
            won = cas(s, rows)
    with _sessions(db)() as s:
        return list(s.execute(sa.select(Message).where(Message.id.in_(won))
                              .order_by(Message.id)).scalars()) if won else []


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
    agencies = agencies_by_code(db)
    by_id = {a.id: a for a in agencies.values()}
    build = build or (lambda m, ags: outgoing(notice_of(m, by_id[m.recipient_id].code), ags, lang))
    report, skip = DispatchReport(), set()
    while (batch := _take(db, now, kinds, not_before, lease, skip, batch_size)) is not None:
        report.messages += [deliver(db, m.id, m.attempts, build(m, agencies),
                                    by_id[m.recipient_id], now, send, recovered=True)
                            for m in batch]
    return report
