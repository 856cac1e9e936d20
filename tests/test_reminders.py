"""Reminder decisions, worked by hand on the September plan (tests/plans/reminders-september.yaml).

Working days of September 2024 there: 4 5 6 9 10 11 12 13 16 17 18 19 23 24 25 26 27 30
(02–03/09 National Day, 20/09 a local day off). Deadlines: bao-cao (SNV) set for 02/09, due
04/09; hang-thang (BDV and HUYEN) due 16/09 with before [2], overdue every 3, escalate after 4;
kiem-tra (HUYEN) set for 20/09, due 23/09, with the plan default before [3, 1], every 2, after 5.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tasks.notices.decide import Cadence, decide, merge
from tasks.record import store
from tasks.record.lookups import resolve_plan
from tasks.record.models import Task

from reminder_plan import KEY, D, decided


def brief(ns) -> dict[str, list[tuple]]:
    """{'SNV:reminder': [(task, agency, category, days), …]} — what a reader of each sees."""
    return {f"{n.recipient}:{n.kind}": [(i.task, i.agency, i.category, i.days) for i in n.items]
            for n in ns}


def test_cadence_says_what_the_policy_says():
    c = Cadence.of({"before": [3, 1], "on_day": True, "overdue_every": 2, "escalate_after": 5})
    said = {k: c.reminder(k) for k in range(-4, 8)}
    assert said == {-4: None, -3: "due_soon", -2: None, -1: "due_soon", 0: "due_today",
                    1: "overdue", 2: None, 3: "overdue", 4: None, 5: "overdue", 6: None,
                    7: "overdue"}
    assert [k for k in range(20) if c.escalates(k)] == [5, 10, 15]
    quiet = Cadence.of({"before": [], "on_day": False, "overdue_every": 3, "escalate_after": 2,
                        "escalate_every": 4})
    assert [k for k in range(-3, 9) if quiet.reminder(k)] == [1, 4, 7]
    assert [k for k in range(12) if quiet.escalates(k)] == [2, 6, 10]
    assert Cadence.of({}) == Cadence((3, 1), True, 2, 5, 5)  # the plan defaults


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
    assert brief(decided(rem, D(18))) == {"TINH:escalation": [("bao-cao", "SNV", "overdue", 10)]}
    # HUYEN's hang-thang reaches 4 working days overdue on 23/09 (20/09 is off): its parent BDV
    # hears; BDV's own deadline was reported done on 17/09, so nobody escalates about BDV.
    assert brief(decided(rem, D(23))) == {
        "BDV:escalation": [("hang-thang", "HUYEN", "overdue", 4)],
        "HUYEN:reminder": [("hang-thang", "HUYEN", "overdue", 4),
                           ("kiem-tra", "HUYEN", "due_today", 0)]}
    assert brief(decided(rem, D(30))) == {
        "BDV:escalation": [("hang-thang", "HUYEN", "overdue", 9),
                           ("kiem-tra", "HUYEN", "overdue", 5)],
        "HUYEN:reminder": [("kiem-tra", "HUYEN", "overdue", 5)]}


def test_one_notice_per_agency_most_urgent_first(rem):
    assert brief(decided(rem, D(17))) == {
        "HUYEN:reminder": [("hang-thang", "HUYEN", "overdue", 1),
                           ("kiem-tra", "HUYEN", "due_soon", 3)],
        "SNV:reminder": [("bao-cao", "SNV", "overdue", 9)]}


def test_done_stops_reminders_from_the_day_it_is_reported(rem):
    assert "SNV:reminder" in brief(decided(rem, D(24)))  # reported done only on 25/09
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
