"""An agency's deadlines as an iCalendar feed (RFC 5545), for Outlook, Google Calendar or a
phone: one all-day event per deadline of every live plan, on its due day.

Each event's UID is the deadline's own (`deadline-ID.PLAN@plantrack`), so a calendar program
that fetches the feed again replaces the event when the plan moves the day or the status
changes, and never shows it twice.
"""
from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event
from sqlmodel import Session

from tasks.web.answers import agency_page
from tasks.words import CATEGORY_LABELS, ROLE_LABELS, WEB_WORDS, check_lang


def uid(deadline_id: int, plan: str) -> str:
    return f"deadline-{deadline_id}.{plan}@plantrack"


def agency_feed(s: Session, code: str, as_of: dt.date, now: dt.datetime, lang: str = "vi"
                ) -> bytes:
    """The feed of the agency's deadlines, open and done, as of `as_of`."""
    check_lang(lang)
    w = WEB_WORDS[lang]
    page = agency_page(s, code, as_of, recent_done=None)
    name = page.agency.name_vi if lang == "vi" else page.agency.name_en
    cal = Calendar()
    cal.add("prodid", "-//plantrack//agency deadlines//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", w["feed_name"].format(agency=name))
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    cal.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    for row in page.open + page.done:
        r = row.status
        title = r.title_vi if lang == "vi" else r.title_en
        done = "✓ " if row.done() else ""
        ev = Event()
        ev.add("uid", uid(r.deadline_id, r.plan))
        ev.add("dtstamp", now.astimezone(dt.UTC))
        ev.add("dtstart", r.due_on)
        ev.add("dtend", r.due_on + dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
        ev.add("summary", f"{done}{title} ({w['period']} {r.period})")
        ev.add("description", "\n".join([
            f"{w['plan']}: {row.plan_title[lang]} ({r.plan})",
            f"{w['task']}: {row.task_title[lang]} ({r.task})",
            f"{w['role']}: {ROLE_LABELS[lang][r.role]}",
            f"{w['status']}: {CATEGORY_LABELS[lang][r.category]}, {r.progress}%"]))
        ev.add("categories", [r.plan, r.task])
        cal.add_component(ev)
    return cal.to_ical()
