"""Replaying September 2024 day by day gives the reminders worked out by hand.

The plan is tests/plans/reminders-september.yaml with the reports of reminder_plan.REPORTS;
the reasoning for each day is in test_reminders.py. 02/09 and 03/09 are National Day, 20/09 a
local day off: no messages on them, and the deadline set for 02/09 is due on 04/09.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import sqlalchemy as sa

from tasks.record import store
from tasks.record.models import Agency, Delivery, Message
from tasks.simulate import replay

from reminder_plan import KEY, D

# day → the messages sent that day, and how many items they list in all
EXPECTED = {
    4: (["SNV.reminder"], 1),  # bao-cao due today (set for 02/09, a holiday)
    5: (["SNV.reminder"], 1),  # 1st working day overdue
    9: (["SNV.reminder"], 1),  # 3rd
    11: (["SNV.reminder", "TINH.escalation"], 2),  # 5th: escalated to TINH, SNV's parent
    12: (["BDV.reminder", "HUYEN.reminder"], 2),  # hang-thang due in 2 working days
    13: (["SNV.reminder"], 1),  # 7th
    16: (["BDV.reminder", "HUYEN.reminder"], 2),  # hang-thang due today
    17: (["HUYEN.reminder", "SNV.reminder"], 3),  # BDV reported done; kiem-tra due in 3
    # 18/09: bao-cao is 10 working days overdue, escalated again only at 25 (every 20): nothing
    19: (["HUYEN.reminder"], 1),  # kiem-tra due in 1 (20/09 is off); bao-cao's 11th: not reminded
    23: (["BDV.escalation", "HUYEN.reminder"], 3),  # hang-thang 4 overdue; kiem-tra due today
    24: (["HUYEN.reminder"], 1),  # kiem-tra 1st overdue; bao-cao's 13th: after the 9th, the 14th
    26: (["HUYEN.reminder"], 2),  # SNV reported done on 25/09: no reminder, no escalation
    30: (["BDV.escalation", "HUYEN.reminder"], 2),  # kiem-tra 5 overdue; hang-thang's 9th: neither
}


def test_september_replays_as_worked_by_hand(rem, tmp_path):
    sink = tmp_path / "out"
    days = replay(rem, [KEY], D(1), D(30), sink)
    assert [d.day for d in days] == [D(n) for n in range(1, 31)]
    off = {d.day.day for d in days if not d.working}
    assert off == {1, 2, 3, 7, 8, 14, 15, 20, 21, 22, 28, 29}
    got = {d.day.day: (sorted(p.name.removesuffix(".txt") for p in (sink / d.day.isoformat())
                              .glob("*.txt")), d.items)
           for d in days if d.reminders or d.escalations}
    assert got == EXPECTED
    for d in days:
        names, _ = EXPECTED.get(d.day.day, ([], 0))
        assert (d.reminders, d.escalations, d.sent, d.already, d.failed) == (
            sum(n.endswith("reminder") for n in names),
            sum(n.endswith("escalation") for n in names), len(names), 0, 0)

    moved = (sink / "2024-09-04" / "SNV.reminder.txt").read_text(encoding="utf-8")
    assert moved.startswith(
        "[Tỉnh ủy Thử nghiệm] Nhắc việc ngày 04/09/2024 — Sở Nội vụ: 1 việc đến hạn hôm nay")
    assert "Hạn: 04/09/2024, hạn chót là hôm nay" in moved
    html = (sink / "2024-09-30" / "BDV.escalation.html").read_text(encoding="utf-8")
    assert "Ban Dân vận Huyện ủy Mai Châu — 1 việc quá hạn" in html
    log = [json.loads(line) for line in (sink / "messages.jsonl").read_text("utf-8").splitlines()]
    assert len(log) == 19 and log[0]["file"] == "2024-09-04/SNV.reminder.txt"

    # recorded like real sends: the digest can count the reminders each deadline got
    with store.session(rem) as s:
        snv = s.execute(sa.select(Agency.id).where(Agency.code == "SNV")).scalar_one()
        rows = s.execute(sa.select(Message)).scalars().all()
        channels = set(s.execute(sa.select(Delivery.channel)).scalars())
    assert len(rows) == 19 and {m.status for m in rows} == {"sent"}
    assert channels == {f"file://{sink}"}
    per_deadline = Counter((i["task"], i["agency"], m.kind) for m in rows for i in m.items)
    # bao-cao: 04/09 (due), 05, 09, 11, 13, 17 (1st, 3rd, 5th, 7th, 9th overdue; the 14th is
    # 25/09, when it is done); escalated on 11/09 only (5th; the next would be the 25th)
    assert per_deadline[("bao-cao", "SNV", "reminder")] == 6
    assert per_deadline[("bao-cao", "SNV", "escalation")] == 1
    assert sum(m.recipient_id == snv for m in rows) == 6

    # replaying again sends nothing new
    again = replay(rem, [KEY], D(1), D(30), sink)
    assert sum(d.sent for d in again) == 0 and sum(d.already for d in again) == 19
    assert len((sink / "messages.jsonl").read_text("utf-8").splitlines()) == 19


def test_a_month_of_the_shipped_plan_replays_without_a_sink(loaded):
    days = replay(loaded, [], dt.date(2024, 7, 1), dt.date(2024, 7, 31), None)
    # No reports. The plan is a draft until it is issued on Tue 23/07: nothing before. 18
    # agencies owe a report due Thu 25/07, 17 recipients (BCD-DVK is reached via BDV-TU):
    # reminded 24, 25, 26 and 30/07 (1 working day before, on the day, 1st and 3rd working day
    # overdue; 3 days before was 22/07, a draft day) = 68. The first escalation (5 working days
    # overdue) is on 01/08. No deadline is due before 25/07 (none is owed before the issue day).
    assert sum(d.reminders for d in days) == 68 and sum(d.escalations for d in days) == 0
    assert sum(d.sent for d in days) == 68 and sum(d.failed for d in days) == 0
    first = next(d for d in days if d.reminders)
    assert (first.day, first.reminders) == (dt.date(2024, 7, 24), 17)
