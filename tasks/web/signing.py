"""Signed tokens, made and checked with itsdangerous (HMAC-SHA256) under PLANTRACK_WEB_SECRET.

Three kinds, each with its own salt so that one can never pass for another:

- an agency's **link**: `CODE.ISSUED.SIGNATURE` (ISSUED in hexadecimal Unix seconds); a page
  link lets the agency read and report, a feed link only reads its calendar;
- a staff **session**: `USER.SID.ISSUED.SIGNATURE`, in an HttpOnly cookie;
- a **form** token: bound to what the form belongs to (a link or a session, and a deadline), it
  carries a random nonce that makes a form sent twice one report.

Nothing here reads the clock: every check takes `now`. Nothing secret is kept in a token: the
agency code and the issue time are readable, only the signature proves them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, Signer

from tasks.errors import PlantrackError
from tasks.settings import web_secret
from tasks.words.phrase import Phrase

MIN_SECRET = 32
SECRET_HINT = Phrase("set PLANTRACK_WEB_SECRET to a random string of 32 characters or more, "
                     "e.g. the output of: python3 -c 'import secrets; "
                     "print(secrets.token_urlsafe(32))'")
PAGE, FEED = "page", "feed"  # the kinds of agency link
TAMPERED, EXPIRED, REVOKED = "tampered", "expired", "revoked"  # why a link is refused
SESSION_AGE = dt.timedelta(hours=12)
FORM_AGE = dt.timedelta(days=1)
CLOCK_SKEW = dt.timedelta(minutes=5)  # a token issued this far in the future still counts


class NotConfigured(PlantrackError):
    """The web app's secret is missing or too short: no link can be made or read."""


class LinkRefused(PlantrackError):
    """A link that does not open the page: tampered, expired or revoked (`reason`)."""

    def __init__(self, reason: str, agency: str | None = None):
        self.reason, self.agency = reason, agency
        super().__init__(f"link {reason}" + (f" (agency {agency})" if agency else ""))


class FormRefused(PlantrackError):
    """A form without a valid token for where it was sent from (CSRF), or too old."""


def secret() -> str:
    """The signing secret; NotConfigured says what to set when it is missing or short."""
    value = web_secret()
    if len(value) < MIN_SECRET:
        raise NotConfigured(SECRET_HINT)
    return value


def _signer(key: str, purpose: str) -> Signer:
    return Signer(key, salt=f"plantrack.{purpose}", sep=".", key_derivation="hmac",
                  digest_method=hashlib.sha256)


def _stamp(t: dt.datetime) -> str:
    return f"{int(t.timestamp()):x}"


def _instant(stamp: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(stamp, 16), dt.UTC)


def _unsign(key: str, purpose: str, token: str) -> list[str] | None:
    """The dot-separated fields of a signed token, or None when the signature is wrong."""
    try:
        return _signer(key, purpose).unsign(token).decode().split(".")
    except (BadSignature, UnicodeDecodeError):
        return None


# ── agencies' links ──────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Link:
    agency: str
    issued: dt.datetime
    kind: str  # page | feed


def link_token(key: str, agency: str, issued: dt.datetime, kind: str = PAGE) -> str:
    """The token of a link for `agency` issued at `issued` (kept to the second)."""
    return _signer(key, kind).sign(f"{agency}.{_stamp(issued)}").decode()


def read_link(key: str, token: str, now: dt.datetime, max_age: dt.timedelta,
              kind: str = PAGE) -> Link:
    """The agency and issue time a link names; LinkRefused when it was not signed with `key`
    for `kind` (TAMPERED) or is older than `max_age` (EXPIRED). Revocation is the record's
    (tasks.web.links)."""
    fields = _unsign(key, kind, token)
    if fields is None or len(fields) != 2:
        raise LinkRefused(TAMPERED)
    agency, stamp = fields
    try:
        issued = _instant(stamp)
    except ValueError:
        raise LinkRefused(TAMPERED) from None
    if issued > now + CLOCK_SKEW:
        raise LinkRefused(TAMPERED, agency)
    if now - issued > max_age:
        raise LinkRefused(EXPIRED, agency)
    return Link(agency, issued, kind)


# ── staff sessions ───────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class StaffSession:
    user_id: int
    sid: str  # random, names this session (forms are bound to it)
    issued: dt.datetime


def session_token(key: str, user_id: int, now: dt.datetime) -> str:
    sid = secrets.token_urlsafe(12)  # letters, digits, - and _: never a dot
    return _signer(key, "session").sign(f"{user_id}.{sid}.{_stamp(now)}").decode()


def read_session(key: str, token: str, now: dt.datetime,
                 max_age: dt.timedelta = SESSION_AGE) -> StaffSession | None:
    """The session a cookie holds, or None when it is forged, malformed or too old."""
    fields = _unsign(key, "session", token) if token else None
    if fields is None or len(fields) != 3 or not fields[0].isdigit():
        return None
    try:
        issued = _instant(fields[2])
    except ValueError:
        return None
    if not now - max_age <= issued <= now + CLOCK_SKEW:
        return None
    return StaffSession(int(fields[0]), fields[1], issued)


# ── forms ────────────────────────────────────────────────────────────────────────────────────

def _binding(bound: str) -> str:
    return hashlib.sha256(bound.encode()).hexdigest()[:24]


def form_token(key: str, bound: str, now: dt.datetime) -> str:
    """A token for one form, bound to `bound` (e.g. the link's token and the deadline's id),
    with a fresh nonce."""
    nonce = secrets.token_urlsafe(16)
    return _signer(key, "form").sign(f"{_binding(bound)}.{nonce}.{_stamp(now)}").decode()


def read_form(key: str, token: str | None, bound: str, now: dt.datetime,
              max_age: dt.timedelta = FORM_AGE) -> str:
    """The nonce of a form's token; FormRefused when it is missing, forged, made for another
    link, session or deadline, or older than `max_age`."""
    fields = _unsign(key, "form", token) if token else None
    if fields is None or len(fields) != 3:
        raise FormRefused("form token missing or invalid")
    binding, nonce, stamp = fields
    if not secrets.compare_digest(binding, _binding(bound)):
        raise FormRefused("form token made for another page")
    try:
        made = _instant(stamp)
    except ValueError:
        raise FormRefused("form token missing or invalid") from None
    if not now - max_age <= made <= now + CLOCK_SKEW:
        raise FormRefused("form token too old")
    return nonce
