"""Delivery end to end with real servers: SMTP (aiosmtpd) and HTTP webhooks on 127.0.0.1.

Each test dispatches the hand-worked September notices (see test_reminders.py) and reads what
the servers received back; the record is checked for what was claimed, sent and failed.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tasks.digest.compile import compile_digest
from tasks.errors import NoChannel
from tasks.notices.channels import (
    ChannelResult,
    Outgoing,
    _kept,
    mask_paths,
    masked,
    redact,
    resolve_urls,
    scrub,
    send_url,
    split_urls,
)
from tasks.notices.day import run_at
from tasks.notices.decide import Item, Notice, merge
from tasks.notices.dispatch import Entry, dispatch, retry_due, send_entries
from tasks.notices.outbox import queue_many, settle, take
from tasks.notices.render import render
from tasks.notices.senders import AppriseSender
from tasks.record import store
from tasks.record.lookups import resolve_plan
from tasks.record.models import Agency, Delivery, Message

from racer import env_secrets, race
from reminder_plan import D, decided
from servers import http_server, refused_port, smtp_server

MIN = dt.timedelta(minutes=1)
ENV = "PLANTRACK_TEST_CH_"


def aware(t: dt.datetime) -> dt.datetime:
    """SQLite gives back the UTC wall time; PostgreSQL an aware instant."""
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def messages(url: str) -> dict[str, Message]:
    with store.session(url) as s:
        codes = dict(s.execute(sa.select(Agency.id, Agency.code)).all())
        return {f"{codes[m.recipient_id]}:{m.day}:{m.kind}": m
                for m in s.execute(sa.select(Message)).scalars()}


def deliveries(url: str) -> list[Delivery]:
    with store.session(url) as s:
        return list(s.execute(sa.select(Delivery).order_by(Delivery.id)).scalars())


def agencies(url: str) -> dict[str, Agency]:
    with store.session(url) as s:
        return {a.code: a for a in s.execute(sa.select(Agency)).scalars()}


def counts(report) -> tuple[int, int, int, int]:
    c = report.counts()
    return c["sent"], c["failed"], c["already"], c["recovered"]


def test_reminder_and_escalation_are_read_back_from_smtp_and_webhook(rem, monkeypatch):
    with smtp_server() as smtp, http_server() as http:
        monkeypatch.setenv(ENV + "SNV", smtp.url("snv@example.org", login="plantrack:pw-123456"))
        monkeypatch.setenv(ENV + "TINH", f"{http.url('/tinh')}, {smtp.url('tinh@example.org')}")
        report = dispatch(rem, decided(rem, D(11)), now=run_at(D(11)))
        assert counts(report) == (2, 0, 0, 0)
        mails = {m.rcpt_tos[0]: m for m in smtp.inbox.wait_for(2)}
        [hook] = http.inbox.wait_for(1)

        snv = mails["snv@example.org"]
        assert snv.mail_from == "plantrack@example.org"
        assert snv.subject == ("[Tỉnh ủy Thử nghiệm] Nhắc việc ngày 11/09/2024 — Sở Nội vụ: "
                               "1 việc quá hạn")
        assert "Kính gửi: Sở Nội vụ" in snv.text
        assert "Nộp báo cáo sơ kết — tháng 9/2024" in snv.text
        assert "Hạn: 04/09/2024, đã quá hạn 5 ngày làm việc" in snv.text
        assert "<strong>Nộp báo cáo sơ kết</strong>" in snv.html
        assert "<strong>04/09/2024</strong>, đã quá hạn 5 ngày làm việc" in snv.html
        assert smtp.logins == [("plantrack", "pw-123456")]

        subject = ("[Tỉnh ủy Thử nghiệm] Đề nghị đôn đốc việc quá hạn ngày 11/09/2024 — Tỉnh ủy "
                   "Thử nghiệm: 1 việc quá hạn của 1 cơ quan, đơn vị")
        assert mails["tinh@example.org"].subject == hook.body["title"] == subject
        assert hook.path == "/tinh"
        assert "Sở Nội vụ — 1 việc quá hạn" in hook.body["message"]
        assert "Nộp báo cáo sơ kết" in hook.body["message"]

        rows = messages(rem)
        assert {k: (m.status, m.attempts) for k, m in rows.items()} == {
            "SNV:2024-09-11:reminder": ("sent", 1), "TINH:2024-09-11:escalation": ("sent", 1)}
        assert rows["SNV:2024-09-11:reminder"].subject == snv.subject
        assert [i["deadline_id"] for i in rows["TINH:2024-09-11:escalation"].items] == [
            i["deadline_id"] for i in rows["SNV:2024-09-11:reminder"].items]
        assert sorted(d.channel.split(":")[0] for d in deliveries(rem)) == ["json", "mailto", "mailto"]
        assert all(d.ok and "pw-123456" not in d.channel for d in deliveries(rem))

        # the same run again, later that day: nothing new is sent
        again = dispatch(rem, decided(rem, D(11)), now=run_at(D(11)) + 60 * MIN)
        assert counts(again) == (0, 0, 2, 0)
        assert len(smtp.inbox.items) == 2 and len(http.inbox.items) == 1
        assert len(deliveries(rem)) == 3


def test_a_channel_answering_500_is_retried_alone_later(rem, monkeypatch):
    monkeypatch.setenv("PLANTRACK_TEST_SECRET_HUYEN_WEBHOOK", "")
    with smtp_server() as smtp, http_server() as http:
        http.status["/huyen"] = 500
        monkeypatch.setenv(ENV + "SNV", smtp.url("snv@example.org"))
        monkeypatch.setenv(ENV + "HUYEN", http.url("/huyen"))
        monkeypatch.setenv("PLANTRACK_TEST_SECRET_HUYEN_WEBHOOK", http.url("/huyen-2"))
        now = run_at(D(17))
        first = dispatch(rem, decided(rem, D(17)), now=now, secret_lookup=env_secrets)
        assert counts(first) == (1, 1, 0, 0)
        smtp.inbox.wait_for(1)
        assert [h.path for h in http.received()] == ["/huyen-2"]  # the other channel got it
        huyen = messages(rem)["HUYEN:2024-09-17:reminder"]
        assert (huyen.status, huyen.attempts) == ("failed", 1)
        assert aware(huyen.next_attempt_at) == now + 5 * MIN
        assert huyen.last_error.startswith("json://127.0.0.1") and "500" in huyen.last_error

        # not yet due: nothing happens
        assert counts(retry_due(rem, now + 2 * MIN, secret_lookup=env_secrets)) == (0, 0, 0, 0)
        http.status["/huyen"] = 200
        later = dispatch(rem, decided(rem, D(17)), now=now + 6 * MIN, secret_lookup=env_secrets)
        assert counts(later) == (1, 0, 2, 1)
        assert sorted(h.path for h in http.received()) == ["/huyen", "/huyen-2"]  # one each
        assert len(smtp.inbox.items) == 1
        huyen = messages(rem)["HUYEN:2024-09-17:reminder"]
        assert (huyen.status, huyen.attempts, huyen.next_attempt_at) == ("sent", 2, None)
        assert [(d.channel.split("/")[3].split("?")[0], d.ok) for d in deliveries(rem)
                if d.message_id == huyen.id] == [("huyen", False), ("huyen-2", True), ("huyen", True)]
        assert counts(dispatch(rem, decided(rem, D(17)), now=now + 60 * MIN,
                               secret_lookup=env_secrets)) == (0, 0, 2, 0)


def test_a_refused_connection_fails_that_recipient_only_and_is_retried(rem, monkeypatch):
    with smtp_server() as smtp, http_server() as http, refused_port() as dead:
        monkeypatch.setenv(ENV + "SNV", smtp.url("snv@example.org"))
        monkeypatch.setenv(ENV + "TINH", f"json://127.0.0.1:{dead}/tinh")
        now = run_at(D(11))
        assert counts(dispatch(rem, decided(rem, D(11)), now=now)) == (1, 1, 0, 0)
        assert [m.rcpt_tos for m in smtp.inbox.wait_for(1)] == [["snv@example.org"]]
        tinh = messages(rem)["TINH:2024-09-11:escalation"]
        assert tinh.status == "failed" and "connection" in tinh.last_error.lower()

        monkeypatch.setenv(ENV + "TINH", http.url("/tinh"))
        assert counts(retry_due(rem, now + 4 * MIN)) == (0, 0, 0, 0)
        assert counts(retry_due(rem, now + 5 * MIN)) == (1, 0, 0, 1)
        [hook] = http.inbox.wait_for(1)
        assert hook.body["title"].startswith(
            "[Tỉnh ủy Thử nghiệm] Đề nghị đôn đốc việc quá hạn ngày 11/09/2024")
        assert counts(retry_due(rem, now + 90 * MIN)) == (0, 0, 0, 0)
        assert len(http.inbox.items) == 1 and len(smtp.inbox.items) == 1


def test_backoff_doubles_then_later_runs_retry_a_past_day_until_it_is_given_up(rem, monkeypatch):
    monkeypatch.setenv(ENV + "SNV", "")
    now = run_at(D(4))
    dispatch(rem, decided(rem, D(4)), now=now)
    waits = []
    for _ in range(5):
        m = messages(rem)["SNV:2024-09-04:reminder"]
        waits.append((aware(m.next_attempt_at) - now) // MIN)
        now = aware(m.next_attempt_at)
        retry_due(rem, now)
    assert waits == [5, 10, 20, 40, 60]
    assert m.last_error == "env:PLANTRACK_TEST_CH_SNV: no channel: set PLANTRACK_TEST_CH_SNV " \
                           "to one or more Apprise URLs"
    # the next day's run tries 04/09's reminder again (within PLANTRACK_RETRY_DAYS, 3) …
    assert counts(dispatch(rem, decided(rem, D(5)), now=run_at(D(5)))) == (0, 2, 0, 1)
    assert messages(rem)["SNV:2024-09-04:reminder"].attempts == 7
    # … and the first run after 07/09 gives it up, says so, and the record keeps why
    later = dispatch(rem, decided(rem, D(9)), now=run_at(D(9)))
    assert later.count("given_up") == 2  # 04/09's, and 05/09's (which failed too)
    [line] = [u for u in later.undelivered() if u.startswith("SNV:2024-09-04:reminder")]
    assert "given up on 09/09/2024, 5 days after its day, after 7 attempt(s): env:" in line
    gone = messages(rem)["SNV:2024-09-04:reminder"]
    assert (gone.status, gone.attempts, gone.next_attempt_at) == ("given_up", 7, None)
    assert [d.error for d in deliveries(rem) if d.message_id == gone.id][-1] == gone.last_error
    assert "SNV:2024-09-04:reminder" not in " ".join(
        retry_due(rem, run_at(D(9)) + 60 * MIN).undelivered())  # reported once
    # … and in September's digest, with the reason (never an empty error)
    with store.session(rem) as s:
        digest = compile_digest(s, resolve_plan(s, "rem-2024-09"), "2024-09")
    failing = {(f["recipient"], f["day"]): f for f in digest.delivery["still_failing"]}
    assert failing[("SNV", D(4))]["last_error"] == gone.last_error


@pytest.mark.parametrize("crash", [SystemExit, KeyboardInterrupt])
def test_a_crash_between_claim_and_send_is_recovered_once(rem, monkeypatch, crash):
    def dies(out, agency, done):
        raise crash("killed after the claim")

    with http_server() as http:
        for code in ("SNV", "HUYEN"):
            monkeypatch.setenv(ENV + code, http.url(f"/{code}"))
        monkeypatch.setenv("PLANTRACK_TEST_SECRET_HUYEN_WEBHOOK", http.url("/HUYEN-2"))
        now, notices = run_at(D(17)), decided(rem, D(17))
        with pytest.raises(crash):
            dispatch(rem, notices, now=now, send=dies)
        # the few being sent (one turn: both) are claimed; none went out
        assert sorted(m.status for m in messages(rem).values()) == ["claimed", "claimed"]

        # a run within the lease leaves both to their (maybe still living) holder, and says so
        within = dispatch(rem, notices, now=now + 5 * MIN, secret_lookup=env_secrets)
        assert counts(within) == (0, 0, 0, 0) and within.count("held") == 2
        assert all("taken over from 07:40 17/09/2024" in str(m.error) for m in within.messages)
        assert http.inbox.items == []
        # after the lease, the next run takes it over and sends it
        assert counts(dispatch(rem, notices, now=now + 11 * MIN, secret_lookup=env_secrets)) == (
            2, 0, 2, 2)
        assert sorted(h.path for h in http.inbox.wait_for(3)) == ["/HUYEN", "/HUYEN-2", "/SNV"]
        assert {k: (m.status, m.attempts) for k, m in messages(rem).items()} == {
            "HUYEN:2024-09-17:reminder": ("sent", 2), "SNV:2024-09-17:reminder": ("sent", 2)}
        assert counts(dispatch(rem, notices, now=now + 30 * MIN, secret_lookup=env_secrets)) == (
            0, 0, 2, 0)
        assert len(http.inbox.items) == 3


def test_a_run_that_lost_a_claim_settles_only_the_messages_still_its_own(rem):
    """Run A claims two messages in one turn; past the lease, run B takes the first over; A's
    settling (one statement for both) writes the outcome and deliveries of the second only."""
    now, ok = run_at(D(17)), [ChannelResult("json://****", True)]
    ids = agencies(rem)
    with store.session(rem) as s:
        queued = queue_many(s, [dict(recipient_id=ids[code].id, day=D(17), kind="reminder",
                                     subject="", items=[]) for code in ("SNV", "TINH")], now)
    first, second = sorted(queued.values())
    with store.session(rem) as s:
        assert set(take(s, [(first, "queued", 0, "a"), (second, "queued", 0, "b")], now)) == {
            first, second}
    with store.session(rem) as s:  # run B, after the lease
        assert set(take(s, [(first, "claimed", 1, "a")], now + 11 * MIN)) == {first}
    with store.session(rem) as s:  # run A, its sends back
        assert settle(s, [(first, 1, ok), (second, 1, ok)], now + 12 * MIN) == ["sent", "sent"]
    rows = {m.id: (m.status, m.attempts, m.subject) for m in messages(rem).values()}
    assert rows == {first: ("claimed", 2, "a"), second: ("sent", 1, "b")}
    assert [d.message_id for d in deliveries(rem)] == [second]


def test_concurrent_runs_deliver_each_message_once(rem, monkeypatch):
    """Two processes dispatch the whole month at once, then two retry the failures at once."""
    notices = merge(n for day in range(1, 31) for n in decided(rem, D(day)))
    # 19: see test_replay.py for the day-by-day list (the thinned cadence drops 18/09's second
    # escalation and SNV's reminders of 19 and 24/09, its 11th and 13th working days overdue)
    assert len(notices) == 19
    bdv = sum(n.recipient == "BDV" for n in notices)
    expected = {(f"/{n.recipient}", n.day) for n in notices}
    expected |= {("/HUYEN-2", n.day) for n in notices if n.recipient == "HUYEN"}
    ctx = multiprocessing.get_context("spawn")
    barrier, fixed, results = ctx.Barrier(2), ctx.Event(), ctx.Queue()
    with http_server() as http:
        for code in ("TINH", "BDV", "SNV", "HUYEN"):
            monkeypatch.setenv(ENV + code, http.url(f"/{code}"))
        monkeypatch.setenv("PLANTRACK_TEST_SECRET_HUYEN_WEBHOOK", http.url("/HUYEN-2"))
        http.status["/BDV"] = 500  # BDV's messages fail at first and are retried
        now = run_at(D(30))
        procs = [ctx.Process(target=race, args=(rem, notices, now, now + 6 * MIN, barrier, fixed,
                                                results)) for _ in range(2)]
        for p in procs:
            p.start()
        first = [results.get(timeout=120) for _ in procs]
        http.status["/BDV"] = 200
        fixed.set()
        second = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=30)
            assert p.exitcode == 0

        assert sum(r["sent"] for r in first) == len(notices) - bdv
        assert sum(r["failed"] for r in first) == bdv
        # each process queued what the other had not: the other's it saw held, or already sent
        assert sum(r["already"] + r.get("held", 0) for r in first) == len(notices)
        assert sum(r["sent"] for r in second) == bdv and sum(r["failed"] for r in second) == 0
        got = [(h.path, dt.datetime.strptime(h.body["title"].split("ngày ")[1][:10],
                                             "%d/%m/%Y").date()) for h in http.received()]
        assert len(got) == len(expected) and set(got) == expected
        assert {m.status for m in messages(rem).values()} == {"sent"}


SECRETS = ["pw-Xy7-mail", "tok-Qz9-header", "tok-Wv3-param", "tok-Rr5-bearer",
           "Pq8sLm2nTk4vWx6zYb9c", "pw-Hj3-login"]


def test_secrets_stay_out_of_the_record_the_report_and_the_logs(rem, monkeypatch, caplog, capfd):
    """Planted in every form a channel can hold them — an SMTP password, custom header values,
    a payload parameter, a bearer token, a webhook token in the path — sent through channels
    that succeed, refuse, answer 500 and time out, with every logger at DEBUG (pytest also
    listens on Apprise's own logger, which passes nothing on): no secret in the record, the
    report, any log line or anything printed."""
    secrets = SECRETS
    caplog.set_level(logging.DEBUG)
    masked("json://127.0.0.1/")  # Apprise's logger set up; then someone listens on it too
    apprise_log = logging.getLogger("apprise")
    monkeypatch.setattr(apprise_log, "handlers", [*apprise_log.handlers, caplog.handler])
    logging.getLogger("urllib3").setLevel(logging.DEBUG)  # plantrack sets it back to WARNING
    monkeypatch.setenv("PLANTRACK_SEND_TIMEOUT", "0.3")
    with smtp_server() as smtp, http_server() as http, refused_port() as dead:
        http.status["/err"] = 500
        http.slow[f"/slow/{secrets[4]}"] = 0.6
        monkeypatch.setenv(ENV + "SNV", " ".join([
            f"mailto://plantrack:{secrets[0]}@127.0.0.1:{dead}?from=a@example.org&to=b@example.org",
            http.url("/snv", f"+X-Token={secrets[1]}&-token={secrets[2]}"),
            f"json://127.0.0.1:{dead}/x?+Authorization=Bearer%20{secrets[3]}"
            f"&-sig={secrets[2]}&:via=apprise",
            http.url(f"/hooks/{secrets[4]}"), http.url(f"/err/{secrets[4]}x"),
            http.url(f"/slow/{secrets[4]}")]))
        monkeypatch.setenv(ENV + "TINH", smtp.url("tinh@example.org", login=f"u:{secrets[5]}"))
        report = dispatch(rem, decided(rem, D(11)), now=run_at(D(11)))
        assert counts(report) == (1, 1, 0, 0)
        hooks = http.inbox.wait_for(3)
        assert {h.headers.get("X-Token") for h in hooks} >= {secrets[1]}  # the secrets were used …
        assert {h.path for h in hooks} >= {f"/hooks/{secrets[4]}"}
        assert smtp.logins == [("u", secrets[5])]
    with store.session(rem) as s:
        record = [r._asdict() for t in (Message, Delivery) for r in s.execute(sa.select(t.__table__))]
    out, err = capfd.readouterr()
    text = "\n".join([json.dumps(record, default=str), json.dumps(report.as_json(), default=str),
                      caplog.text, out, err, *report.undelivered()])
    assert "Connection" in text and "snv" in text and "timeout: no answer" in text  # … errors kept
    # Apprise's own lines were there, scrubbed: the exception behind a send it made (a payload
    # extra: Apprise posts it), naming the URL's query; its other DEBUG lines are not kept
    assert "url: /x?sig=****" in caplog.text and "JSON POST URL" not in caplog.text
    assert "/hooks/****" in text and "Bearer%20****" not in text
    for secret in secrets:
        assert secret not in text  # … but no secret


def test_no_channel_is_a_clear_failure(rem, monkeypatch):
    monkeypatch.delenv(ENV + "SNV", raising=False)
    monkeypatch.delenv(ENV + "HUYEN", raising=False)
    with pytest.raises(NoChannel, match="no channel: set PLANTRACK_TEST_CH_SNV"):
        resolve_urls(agencies(rem)["SNV"])
    with pytest.raises(NoChannel, match=r"no channel: set PLANTRACK_TEST_CH_HUYEN .*; no channel: "
                                        r"secret block 'huyen-webhook' could not be read \(KeyError\)"):
        resolve_urls(agencies(rem)["HUYEN"], secret_lookup={}.__getitem__)
    report = dispatch(rem, decided(rem, D(4)), now=run_at(D(4)))
    assert counts(report) == (0, 1, 0, 0)
    [d] = deliveries(rem)
    assert (d.channel, d.ok) == ("env:PLANTRACK_TEST_CH_SNV", False)
    assert "no channel: set PLANTRACK_TEST_CH_SNV" in report.messages[0].error


def test_dry_run_renders_without_claiming(rem):
    report = dispatch(rem, decided(rem, D(23)), now=run_at(D(23)), dry_run=True)
    assert report.counts()["dry_run"] == 2
    assert [m.subject for m in report.messages] == [
        "[Tỉnh ủy Thử nghiệm] Đề nghị đôn đốc việc quá hạn ngày 23/09/2024 — Ban Dân vận Tỉnh ủy: "
        "1 việc quá hạn của 1 cơ quan, đơn vị",
        "[Tỉnh ủy Thử nghiệm] Nhắc việc ngày 23/09/2024 — Ban Dân vận Huyện ủy Mai Châu: "
        "1 việc quá hạn, 1 việc đến hạn hôm nay"]
    assert "Ban Dân vận Huyện ủy Mai Châu — 1 việc quá hạn" in report.messages[0].text
    assert messages(rem) == {}


AGENCIES = {a.code: a for a in [
    Agency(code="TINH", name_vi="Tỉnh ủy Thử nghiệm", name_en="Test Provincial Party Committee"),
    Agency(code="HUYEN", name_vi="Ban Dân vận <Huyện> & Xã", name_en="District <Mass> & Co",
           parent_code="TINH")]}


def _item(category: str, days: int) -> Item:
    return Item(7, "kiem-tra", "Kiểm tra mô hình", "Inspect the models", "Hoàn thành đợt kiểm tra",
                "Finish the inspection round", "HUYEN", "2024-09", D(23), category, days)


def test_messages_in_english_and_html_escaped():
    reminder = Notice("HUYEN", "reminder", D(23), (_item("overdue", 4), _item("due_today", 0)))
    en = render(reminder, AGENCIES, "en")
    assert en.subject == ("Reminder for 23/09/2024 — District <Mass> & Co: "
                          "1 overdue, 1 due today")
    assert "Due: 23/09/2024, due today" in en.text and "overdue by 4 working days" in en.text
    escalation = Notice("TINH", "escalation", D(30), (_item("overdue", 5),))
    assert render(escalation, AGENCIES, "en").subject.endswith(": 1 overdue at 1 agency")
    vi = render(escalation, AGENCIES)
    assert "Ban Dân vận <Huyện> & Xã — 1 việc quá hạn" in vi.text
    assert "Ban Dân vận &lt;Huyện&gt; &amp; Xã — 1 việc" in vi.html and "<Huyện>" not in vi.html
    assert "<strong>23/09/2024</strong>, đã quá hạn 5 ngày làm việc" in vi.html


def test_a_digest_goes_out_with_its_workbook(rem, monkeypatch, tmp_path):
    """The pieces the monthly digest reuses: queue any message, send attachments, record."""
    book = tmp_path / "bao-cao-thang-09-2024.xlsx"
    book.write_bytes(b"PK\x03\x04 a workbook")
    now = run_at(D(30))
    out = Outgoing("TINH", "digest", D(30), "Báo cáo tháng 9/2024", "Xem tệp đính kèm.",
                   "<p>Xem tệp đính kèm.</p>", (book,))
    entry = Entry(out.key, agencies(rem)["TINH"],
                  dict(day=D(30), kind="digest", subject=out.subject, items=[]), lambda: out)
    with smtp_server() as smtp:
        monkeypatch.setenv(ENV + "TINH", smtp.url("tinh@example.org"))
        [outcome] = send_entries(rem, [entry], now, AppriseSender()).messages
        assert (outcome.key, outcome.status) == ("TINH:2024-09-30:digest", "sent")
        [mail] = smtp.inbox.wait_for(1)
        [again] = send_entries(rem, [entry], now, AppriseSender()).messages
        assert again.status == "already" and len(smtp.inbox.items) == 1
    assert mail.subject == "Báo cáo tháng 9/2024"
    assert mail.attachments == {book.name: book.read_bytes()}
    assert messages(rem)["TINH:2024-09-30:digest"].status == "sent"


def test_masking_and_splitting_urls():
    url = "mailto://me:pw-Xy7@127.0.0.1:25?from=a@example.org&to=b@example.org,c@example.org"
    assert split_urls(f"{url}, json://h/p\n ntfy://ntfy.sh/topic") == [
        url, "json://h/p", "ntfy://ntfy.sh/topic"]
    assert "pw-Xy7" not in masked(url) and "me:****@127.0.0.1" in masked(url)
    hook = "json://h:8/p?+X-Api-Key=k-Abc123&-sig=s-Def456"
    assert "k-Abc123" not in masked(hook) and "s-Def456" not in masked(hook)
    assert redact(f"POST {hook} failed: k-Abc123", hook) == \
        "POST json://h:8/p?+X-Api-Key=****&-sig=**** failed: ****"
    assert masked("nonsense://x") == "nonsense://****"


KNOWN = {  # the token positions of the services an office uses, and any opaque path segment
    "tgram://123456789:AAHk9QzTqLwX3v7bN2mR8sYd4FjPcE6uGiO/-1001234567890": ["AAHk9QzTqLwX3v7bN2mR8sYd4FjPcE6uGiO"],
    "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#chung": ["A1BRTD4JD", "TIiajkdnlazkcOXrIdevi7FQ"],
    "discord://1234567890123456789/AbCdEfGh-IjKlMnOpQrStUvWxYz0123456789abcdefGHIJKL": [
        "AbCdEfGh-IjKlMnOpQrStUvWxYz0123456789abcdefGHIJKL"],
    "workflows://prod-12.westus.logic.azure.com:443/a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6/"
    "Qw3rTy6uIoP9aSdFgHjKlZxCvBnM1234567890ab": ["Qw3rTy6uIoP9aSdFgHjKlZxCvBnM1234567890ab"],
    "json://intranet.example.gov.vn/hooks/k7Hq2Zp9Lm4Xw8Rt6Vy3": ["k7Hq2Zp9Lm4Xw8Rt6Vy3"],
    "json://intranet.example.gov.vn/api/v2/notify?+X-Api-Key=abcDEF123456&token=zz99yy88": [
        "abcDEF123456", "zz99yy88"],
    "ntfy://user:ntfy-pass-77@ntfy.example.gov.vn/snv-nhac-viec": ["ntfy-pass-77"],
}


@pytest.mark.parametrize("url", list(KNOWN))
def test_tokens_are_masked_in_labels_free_text_and_request_lines(url):
    label = masked(url)
    text = scrub(f"failed: POST {url} (see {url})")
    line = mask_paths(f"http://host:80 \"POST {urlsplit(url).path} HTTP/1.1\" 200 0")
    for secret in KNOWN[url]:
        assert secret not in label and secret not in text, label
        if secret in urlsplit(url).path:
            assert secret not in line
    assert url.startswith(label.split("://")[0])  # the service is still named
    assert masked(url) == label  # stable: a retry finds the channels already done


def test_two_webhooks_on_one_host_keep_two_labels():
    one, two = (masked(f"json://h/hooks/{t}") for t in ("k7Hq2Zp9Lm4Xw8Rt6Vy3", "p1Wq9Zk3Lx7Mn2Bv5Cz8"))
    assert one != two and one.startswith("json://h/hooks/****")
    assert masked("json://h/hooks/snv") .startswith("json://h/hooks/snv?")  # a word is not a token


def test_each_thread_keeps_one_apprise_object_per_url_and_each_message_its_own_key():
    """Sent from two threads at once through one URL: two Apprise objects in all, each message
    received with its own key."""
    outs = [Outgoing(f"A{n}", "reminder", D(3), f"key A{n}:2024-09-03:reminder", "x", "<p>x</p>")
            for n in range(12)]
    with http_server() as http:
        url = http.url("/kept")
        _kept.cache_clear()
        with ThreadPoolExecutor(2) as pool:
            assert all(r.ok for r in pool.map(lambda o: send_url(o, url), outs))
        hooks = http.inbox.wait_for(12)
    assert _kept.cache_info().misses <= 2
    assert sorted(h.headers["Idempotency-Key"] for h in hooks) == sorted(o.key for o in outs)
    assert all(h.body["title"] == f"key {h.headers['Idempotency-Key']}" for h in hooks)
