"""Failures that show and retries that happen, without Prefect: what a run reports as
undelivered (and `digest --send` exiting 1 on it), and the retry step (`resend_due`, which the
retry-failed flow runs every ten minutes) sending a failed message again at its backoff time —
on a fake clock, real servers on 127.0.0.1. The flows' Failed states: tests/test_flows.py."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tasks.digest.send import resend_due
from tasks.notices.channels import env_name
from tasks.notices.day import run_at
from tasks.notices.dispatch import DispatchReport, dispatch
from tasks.record import store
from tasks.record.models import Agency, Message

from digest_plan import RECIPIENTS, digest_to
from reminder_plan import D, decided
from servers import http_server, refused_port, smtp_server

MIN = dt.timedelta(minutes=1)
ENV = "PLANTRACK_TEST_CH_"  # the reminder plan's channel variables


def counts(report: DispatchReport) -> tuple[int, int, int, int]:
    c = report.counts()
    return c["sent"], c["failed"], c["already"], c["recovered"]


def message(url: str, key: str) -> Message:
    """The record's message of a key RECIPIENT:YYYY-MM-DD:kind (a digest's has :scope after)."""
    recipient, day, kind = key.split(":")[:3]
    with store.session(url) as s:
        return s.execute(sa.select(Message).join(Agency, Agency.id == Message.recipient_id).where(
            Agency.code == recipient, Message.day == dt.date.fromisoformat(day),
            Message.kind == kind)).scalar_one()


def test_a_failed_message_is_named_then_resent_at_its_backoff_time_once(rem, monkeypatch):
    morning = run_at(D(11))  # 07:30 in Vietnam
    with smtp_server() as smtp, http_server() as http, refused_port() as dead:
        monkeypatch.setenv(ENV + "SNV", smtp.url("snv@example.org"))
        monkeypatch.setenv(ENV + "TINH", f"json://127.0.0.1:{dead}/tinh")
        first = dispatch(rem, decided(rem, D(11)), now=morning)
        assert counts(first) == (1, 1, 0, 0)
        tinh = message(rem, "TINH:2024-09-11:escalation")
        # the run names the recipient and the error as the record keeps it (masked)
        assert first.undelivered() == [f"TINH:2024-09-11:escalation: {tinh.last_error}"]
        assert tinh.last_error.startswith(f"json://127.0.0.1:{dead}/tinh?")
        assert "Connection error" in tinh.last_error

        monkeypatch.setenv(ENV + "TINH", http.url("/tinh"))  # the server is back
        assert counts(resend_due(rem, morning + 4 * MIN)) == (0, 0, 0, 0)  # 07:34: not yet
        assert http.received() == []
        again = resend_due(rem, morning + 6 * MIN)  # 07:36: past the 5-minute backoff
        assert counts(again) == (1, 0, 0, 1) and again.undelivered() == []
        [hook] = http.inbox.wait_for(1)
        assert hook.body["title"].startswith(
            "[Tỉnh ủy Thử nghiệm] Đề nghị đôn đốc việc quá hạn ngày 11/09/2024")
        for later in (7, 16, 60):  # every later tick: nothing more
            assert counts(resend_due(rem, morning + later * MIN)) == (0, 0, 0, 0)
        assert len(http.inbox.items) == 1 and len(smtp.inbox.items) == 1
        tinh = message(rem, "TINH:2024-09-11:escalation")
        assert (tinh.status, tinh.attempts) == ("sent", 2)


def test_a_message_failing_again_backs_off_and_is_retried_for_3_days(rem, monkeypatch):
    monkeypatch.setenv(ENV + "SNV", "")  # no channel at all: fails on every try
    morning = run_at(D(4))
    assert dispatch(rem, decided(rem, D(4)), now=morning).undelivered() == [
        "SNV:2024-09-04:reminder: env:PLANTRACK_TEST_CH_SNV: no channel: set "
        "PLANTRACK_TEST_CH_SNV to one or more Apprise URLs"]
    tries = [m for m in (6, 10, 16, 26, 36) if resend_due(rem, morning + m * MIN).messages]
    assert tries == [6, 16, 36]  # 5, then 10, then 20 minutes after each try
    retried = resend_due(rem, morning + 80 * MIN)
    assert len(retried.undelivered()) == 1 and retried.count("failed") == 1
    # the next working day, the retry step still tries 04/09's reminder (PLANTRACK_RETRY_DAYS=3)
    assert [m.key for m in resend_due(rem, run_at(D(5)) + 2 * 60 * MIN).messages] == [
        "SNV:2024-09-04:reminder"]
    assert message(rem, "SNV:2024-09-04:reminder").attempts == 6
    # on 08/09 it is given up: named once, by the run that gave it up
    [gone] = resend_due(rem, run_at(D(8))).messages
    assert (gone.key, gone.status) == ("SNV:2024-09-04:reminder", "given_up")
    assert resend_due(rem, run_at(D(8)) + 60 * MIN).messages == []
    assert message(rem, "SNV:2024-09-04:reminder").status == "given_up"


def test_digest_send_exits_1_naming_the_recipient_left_without_it(loaded, cli, monkeypatch,
                                                                  tmp_path):
    digest_to(loaded)  # three recipients notified directly: one left without it among others
    with smtp_server() as smtp, refused_port() as dead:
        for code in RECIPIENTS:
            monkeypatch.setenv(env_name(code), smtp.url(f"{code.lower()}@hoabinh.test"))
        monkeypatch.setenv(env_name("MTTQ"), f"mailto://127.0.0.1:{dead}?"
                           "from=digest@plantrack.test&to=mttq@hoabinh.test")
        out = cli("digest", "--month", "2024-09", "--out", str(tmp_path), "--send", "--json")
        assert out.exit_code == 1
        mails = smtp.inbox.wait_for(2)
        assert len(mails) == 2  # BDV-TU and UBND have it; MTTQ's server refused
        assert sorted(m.rcpt_tos[0] for m in mails) == ["bdv-tu@hoabinh.test", "ubnd@hoabinh.test"]
    key = "MTTQ:2024-10-01:digest:dvk-2024-h2"
    assert out.stderr.splitlines() == [f"{key}: {message(loaded, key).last_error}"]
    assert f"mailto://127.0.0.1:{dead}" in out.stderr


# ── duplicates named: every copy carries the message's key ───────────────────────────────────

def test_a_slow_webhook_is_a_timeout_and_its_second_copy_carries_the_same_key(rem, monkeypatch):
    """The webhook takes the escalation and answers after the read timeout: recorded as a
    timeout (not "connection error"), sent again after the backoff — the receiver gets two
    copies with one Idempotency-Key, and keeps one. The e-mail carries the key too."""
    monkeypatch.setenv("PLANTRACK_SEND_TIMEOUT", "0.3")
    morning = run_at(D(11))
    with smtp_server() as smtp, http_server() as http:
        monkeypatch.setenv(ENV + "SNV", smtp.url("snv@example.org"))
        monkeypatch.setenv(ENV + "TINH", http.url("/tinh"))
        http.slow["/tinh"] = 1.0
        first = dispatch(rem, decided(rem, D(11)), now=morning)
        assert counts(first) == (1, 1, 0, 0)
        tinh = message(rem, "TINH:2024-09-11:escalation")
        assert "timeout: no answer within 0.3 s (the receiver may have it; a retry carries the " \
               "same key TINH:2024-09-11:escalation)" in tinh.last_error
        assert "Connection error" not in tinh.last_error
        [taken] = http.inbox.wait_for(1)
        http.slow.clear()
        assert counts(resend_due(rem, morning + 6 * MIN)) == (1, 0, 0, 1)
        hooks = http.inbox.wait_for(2)
        [mail] = smtp.inbox.wait_for(1)
    assert [h.headers["Idempotency-Key"] for h in hooks] == ["TINH:2024-09-11:escalation"] * 2
    assert [h.headers["X-Plantrack-Message"] for h in hooks] == ["TINH:2024-09-11:escalation"] * 2
    assert len(http.kept()) == 1 and taken.body == hooks[1].body
    assert mail.headers["X-Plantrack-Message"] == ["SNV:2024-09-11:reminder"]
    assert mail.headers["Message-ID"] == ["<plantrack.SNV.2024-09-11.reminder@example.org>"]


def test_an_smtp_server_dropping_the_connection_after_data_gets_the_same_message_id(
        rem, monkeypatch):
    morning = run_at(D(11))
    with smtp_server() as smtp, http_server() as http:
        monkeypatch.setenv(ENV + "SNV", smtp.url("snv@example.org"))
        monkeypatch.setenv(ENV + "TINH", http.url("/tinh"))
        smtp.drop_after_data = True
        assert counts(dispatch(rem, decided(rem, D(11)), now=morning)) == (1, 1, 0, 0)
        snv = message(rem, "SNV:2024-09-11:reminder")
        assert snv.last_error.startswith("mailto://127.0.0.1")
        assert "connection dropped before the answer" in snv.last_error
        assert "a retry carries the same key SNV:2024-09-11:reminder" in snv.last_error
        smtp.drop_after_data = False
        assert counts(resend_due(rem, morning + 6 * MIN)) == (1, 0, 0, 1)
        mails = smtp.inbox.wait_for(2)
    assert [m.message_id for m in mails] == ["<plantrack.SNV.2024-09-11.reminder@example.org>"] * 2
    assert len({m.message_id for m in mails}) == 1  # what a mail system drops duplicates by
