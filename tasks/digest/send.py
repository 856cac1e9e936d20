"""Sending the monthly digest to the plan's digest recipients, once per month each.

It goes through the reminders' machinery (tasks.notices.dispatch): each recipient's message
(kind "digest", day = the first day of the month after the digest's, i.e. the sending month) is
queued in the record, then claimed just before it is sent; every attempt is kept, and a failed
one (or one a run left queued or claimed past the lease) is tried again by `retry_digests`
(which `send_digest` runs first, and the retry-failed flow every few minutes through
`resend_due`), rebuilt from the files on disk, until the end of the sending month; then it is
given up, and reported. Each carries its key (RECIPIENT:DAY:digest:PLAN) to the receiver.

The email is the digest's HTML with its three charts embedded: Apprise 2.0.1's e-mail plugin
does RFC 2387 inline images when its URL says `inline=yes` — an attachment whose file name an
`<img src="cid:NAME">` references gets `Content-ID: <NAME>` in a multipart/related message —
so e-mail URLs are given that option here; the workbook rides along as a plain attachment.
Other channels get the Markdown text and the same files as attachments.
"""
from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from tasks.calendar import local_date, month_bounds, previous_month
from tasks.digest.compile import Digest
from tasks.digest.render import subject
from tasks.digest.tables import CHARTS
from tasks.notices.channels import Outgoing, SecretLookup, Sender
from tasks.notices.decide import recipient
from tasks.notices.dispatch import (
    DispatchReport,
    Entry,
    agencies_or_failure,
    dispatch,
    not_queued,
    retry_due,
    send_entries,
)
from tasks.notices.outbox import DIGEST, Db, message_key
from tasks.notices.senders import InlineImagesSender
from tasks.record.models import Agency, Message, Plan

ATTACHED = (*CHARTS.values(), "digest.xlsx")


def sending_day(month: str) -> dt.date:
    """The day a month's digest message is filed under: the first of the following month."""
    return month_bounds(month)[1] + dt.timedelta(days=1)


def recipients(plan: Plan, agencies: dict[str, Agency]) -> list[str]:
    """Who the plan's digest goes to (`digest: {recipients: […]}`), as the directory routes
    every message: not to a body never notified, through its standing body to one reached
    `via` another — each once."""
    codes = [recipient(c, agencies[c].notify, agencies[c].via_code)
             for c in plan.settings.get("digest", {}).get("recipients", [])]
    return list(dict.fromkeys(c for c in codes if c))


def outgoing(recipient: str, day: dt.date, subject_line: str, folder: Path,
             plan: str) -> Outgoing:
    """The digest message from the files `write_digest` left in `folder`: the HTML with its
    charts referenced as cid: parts, the Markdown as text, charts and workbook attached."""
    html = (folder / "digest.html").read_text(encoding="utf-8")
    for name in CHARTS.values():
        html = html.replace(f'src="{name}"', f'src="cid:{name}"')
    return Outgoing(recipient, DIGEST, day, subject_line,
                    (folder / "digest.md").read_text(encoding="utf-8"), html,
                    tuple(folder / name for name in ATTACHED), scope=plan)


def _rebuild(m: Message, agencies: dict[str, Agency]) -> Outgoing:
    code = next(a.code for a in agencies.values() if a.id == m.recipient_id)
    return outgoing(code, m.day, m.subject, Path(m.items[0]["folder"]), m.scope)


def retry_digests(db: Db, now: dt.datetime, not_before: dt.date, send: Sender | None = None,
                  secret_lookup: SecretLookup | None = None) -> DispatchReport:
    """Send again the digest messages filed on or after `not_before` that failed and whose
    retry time has come, or that a run left past the lease; give up older ones."""
    return retry_due(db, now, kinds=(DIGEST,), not_before=not_before, build=_rebuild,
                     send=send or InlineImagesSender(secret_lookup))


def resend_due(db: Db, now: dt.datetime, secret_lookup: SecretLookup | None = None
               ) -> DispatchReport:
    """Each message due for another try, once: what the retry-failed flow runs every few
    minutes, so the backoff (5, 10, 20, 40 minutes, then hourly) really runs.

    The reminders and escalations of the last PLANTRACK_RETRY_DAYS days — a dispatch of nothing
    new does only the retries every dispatch does first — and the digests of the month before
    this one, filed on its first day: a digest is chased during the month it is sent in, not
    for ever (tasks.digest.month.due_digests catches up the same month). Older ones still
    undelivered are given up, and reported.
    """
    this_month = sending_day(previous_month(local_date(now)))
    report = dispatch(db, (), now, secret_lookup=secret_lookup)
    if report.record_error:
        return report
    return report.extend(retry_digests(db, now, this_month, secret_lookup=secret_lookup))


def send_digest(db: Db, plan: Plan, digest: Digest, files: dict[str, Path], now: dt.datetime,
                lang: str = "vi", send: Sender | None = None,
                secret_lookup: SecretLookup | None = None) -> DispatchReport:
    """Email the digest written by `write_digest` (the paths it returned) to each of the
    plan's digest recipients that has not had it yet — queued for all of them first, then
    claimed and sent one by one, as reminders are; `db`: a database URL or session factory."""
    send = send or InlineImagesSender(secret_lookup)
    day, line = sending_day(digest.month), subject(digest, lang)
    report = retry_digests(db, now, day, send)
    agencies = agencies_or_failure(db) if not report.record_error else report.record_error
    if isinstance(agencies, str):
        key = message_key("*", day, DIGEST, plan.key)
        return report.extend(DispatchReport([not_queued(key, agencies)], agencies))
    folder = files["html"].parent.resolve()
    item = {"plan": plan.key, "month": digest.month, "lang": lang, "folder": str(folder)}
    entries = [Entry(message_key(code, day, DIGEST, plan.key), agencies[code],
                     dict(day=day, kind=DIGEST, scope=plan.key, subject=line, items=[item]),
                     partial(outgoing, code, day, line, folder, plan.key))
               for code in recipients(plan, agencies)]
    return report.extend(send_entries(db, entries, now, send))
