"""Several plans in one record: one message per agency per day across plans, each plan counted,
nothing reminded before a plan is issued or after it is closed, a digest per plan.

The second plan (tests/plans/cchc-2024-h2.yaml) shares the shipped plan's agencies: SNV leads a
monthly report due on the 20th in both, so on 20/09/2024 it owes one item in each plan.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from tasks.notices.channels import env_name
from tasks.notices.day import decide_day, run_day
from tasks.notices.outbox import DIGEST
from tasks.notices.senders import FileSink
from tasks.plan.load import load_file
from tasks.record import store
from tasks.record.appending import close_plan
from tasks.record.lookups import ACTIVE, CLOSED, DRAFT, ENDED, plan_state, resolve_plans
from tasks.record.models import Agency, Message
from tasks.settings import ROOT

from servers import http_server

SECOND = ROOT / "tests" / "plans" / "cchc-2024-h2.yaml"
SHIPPED, OTHER = "dvk-2024-h2", "cchc-2024-h2"
D = dt.date
RUN = dt.datetime(2024, 9, 20, 0, 30, tzinfo=dt.UTC)  # 07:30 in Hòa Bình


@pytest.fixture
def two(loaded) -> str:
    """The shipped plan and the second plan loaded into one record."""
    load_file(SECOND, loaded)
    return loaded


def _plans_of(notice) -> set[str]:
    return {i.plan for i in notice.items}


def test_one_message_per_agency_lists_both_plans_and_neither_is_lost(two, monkeypatch):
    notices = decide_day(two, [], D(2024, 9, 20))
    assert len({(n.recipient, n.kind) for n in notices}) == len(notices)  # one each
    (snv,) = [n for n in notices if n.recipient == "SNV"]
    assert _plans_of(snv) == {SHIPPED, OTHER}
    alone = {n.recipient: n for n in decide_day(two, [SHIPPED], D(2024, 9, 20))}
    other = {n.recipient: n for n in decide_day(two, [OTHER], D(2024, 9, 20))}
    for n in notices:  # every item of either plan, and nothing else
        expected = set(alone[n.recipient].items if n.recipient in alone else ()) | set(
            other[n.recipient].items if n.recipient in other else ())
        assert set(n.items) == expected

    with http_server() as hooks:
        for n in notices:
            monkeypatch.setenv(env_name(n.recipient), hooks.url(f"/{n.recipient}"))
        _, report = run_day(two, [], D(2024, 9, 20), now=RUN)
        assert report.counts()["sent"] == len(notices) and report.counts()["failed"] == 0
        got = hooks.inbox.wait_for(len(notices))
        _, again = run_day(two, [], D(2024, 9, 20), now=RUN)
        assert again.counts()["already"] == len(notices) and len(hooks.received()) == len(got)
    body = json.dumps(hooks.received("/SNV")[0].body, ensure_ascii=False)
    assert "Kế hoạch cải cách hành chính 6 tháng cuối năm 2024" in body
    assert "Phong trào thi đua “Dân vận khéo”" in body


def test_status_counts_both_plans(two, cli):
    both = json.loads(cli("status", "--json", "--as-of", "2024-09-30").stdout)
    one = {k: json.loads(cli("status", "--json", "--as-of", "2024-09-30", "--plan", k).stdout)
           for k in (SHIPPED, OTHER)}
    assert both["plans"] == [SHIPPED, OTHER] and both["plan"] is None
    assert both["totals"]["total"] == sum(d["totals"]["total"] for d in one.values())
    assert {g["plan"]: g["total"] for g in both["by_plan"]} == {
        k: d["totals"]["total"] for k, d in one.items()}
    assert {d["plan"] for d in both["deadlines"]} == {SHIPPED, OTHER}
    table = cli("status", "--as-of", "2024-09-30").stdout
    assert table.count("Tình hình thực hiện kế hoạch ") == 2  # each plan under its title
    assert "Kế hoạch cải cách hành chính 6 tháng cuối năm 2024 đến ngày 30/09/2024" in table


def test_a_command_that_needs_one_plan_names_the_plans_and_exits_2(two, cli):
    result = cli("report", "admin-reform", "--agency", "SNV", "--period", "2024-09",
                 "--status", "done", "--on", "2024-09-18")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"plantrack: có 2 kế hoạch đang thực hiện ({SHIPPED}, "
                                     f"{OTHER}): chọn một kế hoạch bằng --plan MÃ")
    english = cli("--lang", "en", "report", "admin-reform", "--agency", "SNV", "--period",
                  "2024-09", "--status", "done", "--on", "2024-09-18")
    assert english.stderr.strip() == (f"plantrack: 2 plans are active ({SHIPPED}, {OTHER}): "
                                      "name one with --plan KEY")
    named = cli("report", "admin-reform", "--agency", "SNV", "--period", "2024-09",
                "--status", "done", "--on", "2024-09-18", "--plan", OTHER)
    assert named.exit_code == 0, named.stderr


def test_nothing_is_reminded_before_a_plan_is_issued(two):
    with store.session(two) as s:
        shipped = resolve_plans(s, [SHIPPED])[0]
        assert shipped.issued_on == D(2024, 7, 23)
        assert plan_state(s, shipped, D(2024, 7, 22)) == DRAFT
        assert plan_state(s, shipped, D(2024, 7, 23)) == ACTIVE
    before = [i.plan for n in decide_day(two, [], D(2024, 7, 22)) for i in n.items]
    assert SHIPPED not in before
    assert decide_day(two, [SHIPPED], D(2024, 7, 22)) == []


def test_an_ended_plan_still_reminds_and_a_closed_one_never(two, tmp_path):
    late = D(2024, 11, 4)  # the second plan ended on 31/10; its October report is overdue
    with store.session(two) as s:
        assert plan_state(s, resolve_plans(s, [OTHER])[0], late) == ENDED
    owed = [n for n in decide_day(two, [], D(2024, 11, 1)) if OTHER in _plans_of(n)]
    assert owed, "the second plan's unfinished reports are still owed after it ended"
    with store.session(two) as s:
        close_plan(s, OTHER, D(2024, 11, 15), "thay bằng kế hoạch năm 2025")
        assert plan_state(s, resolve_plans(s, [OTHER])[0], D(2024, 11, 15)) == CLOSED
    sink = FileSink(tmp_path)
    for day in (D(2024, 11, 15) + dt.timedelta(days=n) for n in range(30)):
        notices, _ = run_day(two, [], day, now=RUN, send=sink, retry=False)
        assert all(OTHER not in _plans_of(n) for n in notices), day
    with store.session(two) as s:  # reopening is recorded too, and reminders resume
        close_plan(s, OTHER, D(2024, 12, 20), "", closed=False)
    assert any(OTHER in _plans_of(n) for day in (D(2024, 12, 20), D(2024, 12, 23))
               for n in decide_day(two, [], day))


def test_closing_and_reopening_from_the_command_line(two, cli):
    closed = cli("plan", "close", OTHER, "--on", "2024-11-15", "--note", "xong")
    assert closed.exit_code == 0, closed.stderr
    assert closed.stdout.strip() == f"đã đóng kế hoạch {OTHER} từ ngày 15/11/2024: không nhắc việc nữa"
    again = cli("plan", "close", OTHER, "--on", "2024-11-20")
    assert again.exit_code == 2
    assert again.stderr == f"plantrack: kế hoạch '{OTHER}' đã đóng vào ngày 20/11/2024\n"
    states = {p["key"]: p["state"] for p in json.loads(
        cli("plan", "list", "--json", "--as-of", "2024-11-16").stdout)}
    assert states == {SHIPPED: ACTIVE, OTHER: CLOSED}
    # a closed plan stays readable when named
    assert json.loads(cli("status", "--json", "--as-of", "2024-11-16", "--plan", OTHER).stdout)[
        "totals"]["total"] > 0
    assert cli("plan", "reopen", OTHER, "--on", "2024-11-18").exit_code == 0


def test_two_plans_digests_to_the_same_recipient_are_two_messages(two, cli, tmp_path,
                                                                   monkeypatch):
    from servers import smtp_server

    with smtp_server() as smtp:
        # every agency the shipped plan lists has a channel: a wrongly routed copy would arrive
        for code in ("BTV-TU", "BDV-TU", "BCD-DVK"):
            monkeypatch.setenv(env_name(code),
                               smtp.url(f"{code.lower()}@hoabinh.test"))
        out = cli("digest", "--month", "2024-09", "--out", str(tmp_path), "--send", "--json")
        assert out.exit_code == 0, out.stderr
        assert [d["plan"] for d in json.loads(out.stdout)["digests"]] == [SHIPPED, OTHER]
        # the shipped plan's [BTV-TU, BDV-TU, BCD-DVK] routes to BDV-TU alone (BTV-TU is not
        # notified, BCD-DVK is reached via BDV-TU); the second plan's is BDV-TU: 2 messages
        mails = smtp.inbox.wait_for(2)
        again = cli("digest", "--month", "2024-09", "--out", str(tmp_path), "--send", "--json")
        assert again.exit_code == 0 and len(smtp.inbox.items) == len(mails) == 2  # none again
    to_bdv = [m for m in mails if m.rcpt_tos == ["bdv-tu@hoabinh.test"]]
    assert len(to_bdv) == 2  # both, one per plan, to the same recipient: nobody else had one
    with store.session(two) as s:
        sent = sorted(s.execute(sa.select(Agency.code, Message.scope)
                                .join(Message, Message.recipient_id == Agency.id)
                                .where(Message.kind == DIGEST)).all())
    assert sent == [("BDV-TU", OTHER), ("BDV-TU", SHIPPED)]  # one digest message per plan
