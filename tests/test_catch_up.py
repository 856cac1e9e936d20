"""Digests that catch up, in the core: each working morning the scheduled monthly-digest run sends
every plan's digest of last month that is due and still owed to someone (`due_digests`), once;
a recipient that failed is the retry step's, and only during that month."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tasks.calendar import TZ, previous_month
from tasks.digest.month import due_digests, send_month, write_month
from tasks.digest.send import resend_due
from tasks.notices.channels import env_name
from tasks.notices.dispatch import DispatchReport
from tasks.record import store
from tasks.record.lookups import plan_calendar, resolve_plan
from tasks.record.models import Message

from digest_plan import PLAN_KEY, RECIPIENTS, digest_to
from servers import refused_port, smtp_server

D = dt.date
MIN = dt.timedelta(minutes=1)


def seven(day: dt.date) -> dt.datetime:
    """07:00 in Vietnam on `day`: the scheduled run's hour."""
    return dt.datetime.combine(day, dt.time(7), TZ)


def morning(url: str, day: dt.date, out) -> list[DispatchReport]:
    """What the scheduled monthly-digest run does on `day` (flows/runs/monthly.py), no Prefect."""
    return [send_month(url, write_month(url, plan, previous_month(day), out), seven(day))
            for plan in due_digests(url, (), day)]


def digest_rows(url: str) -> list[tuple[dt.date, str, str]]:
    with store.session(url) as s:
        return sorted(s.execute(sa.select(Message.day, Message.scope, Message.status)
                                .where(Message.kind == "digest")).all())


def test_a_missed_first_working_day_is_caught_up_the_next_once(loaded, monkeypatch, tmp_path):
    # Three recipients notified directly (the shipped list routes to BDV-TU alone), so that
    # "once to each" is seen for several.
    digest_to(loaded)
    with store.session(loaded) as s:
        calendar = plan_calendar(resolve_plan(s, PLAN_KEY))
    assert calendar.roll_forward(D(2024, 10, 1)) == D(2024, 10, 1)  # September's digest day
    with smtp_server() as smtp:
        for code in RECIPIENTS:
            monkeypatch.setenv(env_name(code), smtp.url(f"{code.lower()}@hoabinh.test"))
        # nothing ran on 01/10 (the server was down); 02/10 finds September's digest unsent
        [sent] = morning(loaded, D(2024, 10, 2), tmp_path)
        assert sent.counts()["sent"] == 3  # one to each of the three recipients
        mails = smtp.inbox.wait_for(3)
        assert {m.subject for m in mails} == {"Báo cáo tình hình thực hiện kế hoạch tháng 9/2024"}
        assert sorted(m.rcpt_tos[0] for m in mails) == [  # each once
            "bdv-tu@hoabinh.test", "mttq@hoabinh.test", "ubnd@hoabinh.test"]
        assert morning(loaded, D(2024, 10, 3), tmp_path) == []  # the next morning: nothing
        assert len(smtp.inbox.items) == 3  # still the three of 02/10
    assert digest_rows(loaded) == [(D(2024, 10, 1), PLAN_KEY, "sent")] * 3  # one per recipient
    # October's is due from 01/11 (a Friday), on working mornings: not on Saturday 02/11
    assert due_digests(loaded, (), D(2024, 10, 31)) == []
    assert due_digests(loaded, (), D(2024, 11, 2)) == []
    assert due_digests(loaded, (), D(2024, 11, 4)) == [PLAN_KEY]


def test_a_failed_recipient_is_retried_not_claimed_again_and_only_that_month(
        loaded, monkeypatch, tmp_path):
    digest_to(loaded)  # three recipients notified directly: one fails among the others
    with smtp_server() as smtp, refused_port() as dead:
        for code in RECIPIENTS:
            monkeypatch.setenv(env_name(code), smtp.url(f"{code.lower()}@hoabinh.test"))
        monkeypatch.setenv(env_name("MTTQ"), f"mailto://127.0.0.1:{dead}?"
                           "from=digest@plantrack.test&to=mttq@hoabinh.test")
        [first] = morning(loaded, D(2024, 10, 1), tmp_path)
        assert first.counts()["sent"] == 2  # BDV-TU and UBND; MTTQ's server refuses
        [line] = first.undelivered()
        assert line.startswith(f"MTTQ:2024-10-01:digest:{PLAN_KEY}: mailto://127.0.0.1:{dead}")
        at = seven(D(2024, 10, 1))
        assert resend_due(loaded, at + 4 * MIN).messages == []  # not yet
        again = resend_due(loaded, at + 6 * MIN)  # tried again, still refused
        assert again.counts()["recovered"] == 1 and len(again.undelivered()) == 1
        assert due_digests(loaded, (), D(2024, 10, 2)) == []  # claimed: not the catch-up's
        monkeypatch.setenv(env_name("MTTQ"), smtp.url("mttq@hoabinh.test"))
        # a month later September's digest is no longer chased: it is given up, and said so
        [gone] = resend_due(loaded, seven(D(2024, 11, 1))).messages
        assert (gone.key, gone.status) == (f"MTTQ:2024-10-01:digest:{PLAN_KEY}", "given_up")
        mails = smtp.inbox.wait_for(2)
        assert len(mails) == 2  # only the two of 01/10: MTTQ never got it
        assert sorted(m.rcpt_tos[0] for m in mails) == ["bdv-tu@hoabinh.test", "ubnd@hoabinh.test"]
    assert [r[2] for r in digest_rows(loaded)] == ["given_up", "sent", "sent"]  # MTTQ's, given up
