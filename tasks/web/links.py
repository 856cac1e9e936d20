"""An agency's links: issued, read back against the record, taken back.

Every reminder and escalation carries its recipient's page link, issued as of the message's
day (00:00 in Vietnam), so that a retry sends the very message the first try would have sent.
A link works for PLANTRACK_WEB_LINK_DAYS days (30); the secretariat can take back every link
of an agency issued so far (`plantrack web revoke CODE`, appended to `linkrevocation`). Links
are made only when both PLANTRACK_PUBLIC_URL and PLANTRACK_WEB_SECRET are set, and are never
stored: a message keeps its items and is rendered again at send time.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.calendar import TZ
from tasks.record.lookups import agency_id
from tasks.record.models import Agency, LinkRevocation
from tasks.settings import public_url, web_feed_days, web_link_days, web_secret
from tasks.web.signing import (
    FEED,
    MIN_SECRET,
    PAGE,
    REVOKED,
    TAMPERED,
    Link,
    LinkRefused,
    link_token,
    read_link,
    secret,
)

FEED_FILE = "lich.ics"


def max_age(kind: str = PAGE) -> dt.timedelta:
    return dt.timedelta(days=web_link_days() if kind == PAGE else web_feed_days())


def configured() -> bool:
    """Whether links can be made: the public address and a long enough secret are set."""
    return bool(public_url()) and len(web_secret()) >= MIN_SECRET


def issued_on(day: dt.date) -> dt.datetime:
    """The issue instant of the links in a message of `day`: the day's start in Vietnam."""
    return dt.datetime.combine(day, dt.time(0), TZ).astimezone(dt.UTC)


def page_path(token: str) -> str:
    return f"/a/{token}"


def feed_path(token: str) -> str:
    return f"/feed/{token}/{FEED_FILE}"


def page_url(agency: str, issued: dt.datetime) -> str:
    """The agency's page link issued at `issued` (NotConfigured without a secret)."""
    return public_url() + page_path(link_token(secret(), agency, issued, PAGE))


def feed_url(agency: str, issued: dt.datetime) -> str:
    return public_url() + feed_path(link_token(secret(), agency, issued, FEED))


def link_for_message(agency: str, day: dt.date) -> str:
    """The link a message of `day` to `agency` carries, or '' when links are not configured."""
    return page_url(agency, issued_on(day)) if configured() else ""


def expires(link: Link) -> dt.datetime:
    return link.issued + max_age(link.kind)


def revoked_since(s: Session, code: str) -> dt.datetime | None:
    """When the agency's links were last taken back, if ever."""
    found = s.execute(sa.select(sa.func.max(LinkRevocation.revoked_at))
                      .join(Agency, col(Agency.id) == LinkRevocation.agency_id)
                      .where(col(Agency.code) == code)).scalar()
    return found if found is None or found.tzinfo else found.replace(tzinfo=dt.UTC)


def check(s: Session, token: str, now: dt.datetime, kind: str = PAGE) -> Link:
    """The link a token is, if it opens the page now: signed with the secret for `kind`, not
    older than its age, naming an agency of the record, and issued after the agency's links
    were last taken back; LinkRefused (TAMPERED, EXPIRED or REVOKED) otherwise."""
    link = read_link(secret(), token, now, max_age(kind), kind)
    if s.execute(sa.select(col(Agency.id)).where(col(Agency.code) == link.agency)).first() is None:
        raise LinkRefused(TAMPERED, link.agency)
    since = revoked_since(s, link.agency)
    if since is not None and link.issued <= since:
        raise LinkRefused(REVOKED, link.agency)
    return link


def revoke(s: Session, code: str, now: dt.datetime, note: str = "") -> LinkRevocation:
    """Take back every link of the agency issued until `now` (NotFound for an unknown code)."""
    row = LinkRevocation(agency_id=agency_id(s, code), revoked_at=now.astimezone(dt.UTC),
                         note=note)
    s.add(row)
    s.flush()
    return row


# The monthly digest's files, as the board serves them (for the Prefect artifact's links).

_CHART = re.compile(r"\]\(([a-z0-9-]+\.png)\)")


def digest_file_path(plan: str, month: str, name: str) -> str:
    return f"/board/digests/{quote(plan)}/{quote(month)}/{quote(name)}"


def public_chart_links(markdown: str, plan: str, month: str) -> str:
    """The digest's Markdown with its charts' relative links (`![…](status-by-kind.png)`)
    pointing at the web app's board, when PLANTRACK_PUBLIC_URL is set; else unchanged."""
    base = public_url()
    if not base:
        return markdown
    return _CHART.sub(lambda m: f"]({base}{digest_file_path(plan, month, m.group(1))})",
                      markdown)
