"""Reminder decisions, worked by hand on the September plan (tests/plans/reminders-september.yaml).

Working days of September 2024 there: 4 5 6 9 10 11 12 13 16 17 18 19 23 24 25 26 27 30
(02–03/09 National Day, 20/09 a local day off). Deadlines: bao-cao (SNV) set for 02/09, due
04/09; hang-thang (BDV and HUYEN) due 16/09 with before [2], overdue every 3, escalate after 4;
kiem-tra (HUYEN) set for 20/09, due 23/09, with the plan default before [3, 1], every 2, after 5.
Every task keeps the schema's defaults for the rest: overdue reminders thin after the 10th working
day overdue (every 5, counted from the last one before), escalations come again only 20 working
days later — so within September each deadline is escalated once. The cadence alone, k by k, is
tested in test_cadence.py.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tasks.notices.decide import decide, merge
from tasks.record import store
from tasks.record.lookups import resolve_plan
from tasks.record.models import Task

from reminder_plan import KEY, D, decided


def brief(ns) -> dict[str, list[tuple]]:
    """{'SNV:reminder': [(task, agency, category, days), …]} — what a reader of each sees."""
    return {f"{n.recipient}:{n.kind}": [(i.task, i.agency, i.category, i.days) for i in n.items]
            for n in ns}


def test_moved_deadline_is_due_on_the_next_working_day(rem):
    assert decided(rem, D(2)) == decided(rem, D(3)) == []  # National Day: nothing at all
    [n] = decided(rem, D(4))
    assert (n.key, n.recipient, n.kind) == ("SNV:2024-09-04:reminder", "SNV", "reminder")
    [item] = n.items
    assert (item.task, item.title_vi, item.due_on, item.category, item.days, item.role) == (
        "bao-cao", "Nộp báo cáo sơ kết", D(4), "due_today", 0, "lead")
    assert brief(decided(rem, D(5))) == {"SNV:reminder": [("bao-cao", "SNV", "overdue", 1)]}
    assert decided(rem, D(6)) == []  # every 2 working days: 1st, 3rd, 5th … day overdue


def test_escalation_goes_to_the_parent_and_names_the_late_agency(rem):
    assert brief(decided(rem, D(11))) == {
        "SNV:reminder": [("bao-cao", "SNV", "overdue", 5)],
        "TINH:escalation": [("bao-cao", "SNV", "overdue", 5)]}
    # 18/09: bao-cao is 10 working days overdue; escalated at 5, it is escalated again only at
    # 25 (escalate_every 20), and SNV's reminders go 9th, then 14th: nothing at all that day.
    assert decided(rem, D(18)) == []
    # HUYEN's hang-thang reaches 4 working days overdue on 23/09 (20/09 is off): its parent BDV
    # hears; BDV's own deadline was reported done on 17/09, so nobody escalates about BDV.
    assert brief(decided(rem, D(23))) == {
        "BDV:escalation": [("hang-thang", "HUYEN", "overdue", 4)],
        "HUYEN:reminder": [("hang-thang", "HUYEN", "overdue", 4),
                           ("kiem-tra", "HUYEN", "due_today", 0)]}
    # 30/09: kiem-tra is 5 working days overdue (23 = 0, 24, 25, 26, 27, 30): reminded and
    # escalated; hang-thang is 9 (reminded 1, 4, 7, 10; escalated 4, then 24): neither.
    assert brief(decided(rem, D(30))) == {
        "BDV:escalation": [("kiem-tra", "HUYEN", "overdue", 5)],
        "HUYEN:reminder": [("kiem-tra", "HUYEN", "overdue", 5)]}


def test_one_notice_per_agency_most_urgent_first(rem):
    assert brief(decided(rem, D(17))) == {
        "HUYEN:reminder": [("hang-thang", "HUYEN", "overdue", 1),
                           ("kiem-tra", "HUYEN", "due_soon", 3)],
        "SNV:reminder": [("bao-cao", "SNV", "overdue", 9)]}


def test_done_stops_reminders_from_the_day_it_is_reported(rem):
    # SNV's bao-cao is reminded on 17/09 (9th working day overdue) and would be again on 25/09
    # (the 14th: 9 + 5), the day SNV reports it done: from that day nothing more.
    assert "SNV:reminder" in brief(decided(rem, D(17)))
    for day in (25, 26, 27, 30):
        assert not any(k.startswith(("SNV:", "TINH:")) for k in brief(decided(rem, D(day))))
    assert "BDV:reminder" in brief(decided(rem, D(16)))
    assert "BDV:reminder" not in brief(decided(rem, D(17)))
    # in progress is not done: HUYEN keeps hearing about hang-thang after reporting on 18/09
    assert ("hang-thang", "HUYEN", "overdue", 7) in brief(decided(rem, D(26)))["HUYEN:reminder"]


def test_nothing_on_days_off(rem):
    for day in (1, 2, 3, 7, 8, 14, 15, 20, 21, 22, 28, 29):
        assert decided(rem, D(day)) == [], day


def test_per_task_decisions_merge_into_the_whole(rem, loaded):
    """The per-task flows' notices, merged, are the day's notices (both plans, many days)."""
    for url, key, days in [(rem, KEY, [D(d) for d in range(1, 31)]),
                           (loaded, "dvk-2024-h2", [dt.date(2024, 7, 26), D(25), D(26),
                                                     dt.date(2024, 12, 17)])]:
        with store.session(url) as s:
            plan = resolve_plan(s, key)
            tasks = s.execute(sa.select(Task.key).where(Task.plan_id == plan.id)).scalars().all()
            for day in days:
                whole = decide(s, plan, day)
                parts = [n for t in tasks for n in decide(s, plan, day, task=t)]
                assert merge(parts) == whole, day
                assert len({n.key for n in whole}) == len(whole)
                assert all(n.items for n in whole)


def test_task_filter_keeps_a_tasks_own_deadlines(rem):
    assert brief(decided(rem, D(17), task="kiem-tra")) == {
        "HUYEN:reminder": [("kiem-tra", "HUYEN", "due_soon", 3)]}
    assert brief(decided(rem, D(17), task="hang-thang")) == {  # not its subtask kiem-tra
        "HUYEN:reminder": [("hang-thang", "HUYEN", "overdue", 1)]}
