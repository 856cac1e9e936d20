"""Status as of any day, worked by hand on the shipped plan's administrative-reform deadlines.

Their due days: monthly reports (SNV and VP-UBND) 20/08, 20/09, 21/10, 20/11, 20/12/2024, each
open from the 1st of its month (none for July: the plan was issued on 23/07, after its day); the
quarterly procedure-time report (VP-UBND) 16/09 and 16/12/2024, open from the quarter's first day.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tasks.record import store
from tasks.record.appending import ReportIn, add_report
from tasks.record.lookups import find_deadline, resolve_plan
from tasks.status import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS,
    NOT_DUE,
    OVERDUE,
    classify,
    deadline_statuses,
    rollup,
    summary,
)

D = dt.date


@pytest.fixture
def record(loaded):
    """report(task, agency, period, status, day, …) appends a report made on `day`;
    status(day, task, agency, period) is (category, days late, progress) as of `day`."""
    class Record:
        def report(self, task, agency, period, status, on, progress=None, completed=None, note=""):
            with store.session(loaded) as s:
                d = find_deadline(s, resolve_plan(s, None), task, agency, period)
                add_report(s, d, ReportIn(status, progress, note, reported_on=on,
                                          completed_on=completed), today=on)

        def rows(self, as_of, **filters):
            with store.session(loaded) as s:
                return deadline_statuses(s, resolve_plan(s, None), as_of, **filters)

        def status(self, as_of, task, agency, period):
            (row,) = [r for r in self.rows(as_of, task=task, agency=agency) if r.period == period]
            return row.category, row.days_late, row.progress

    return Record()


@pytest.fixture
def scripted(record):
    """The reports of the worked example, in the order they were made."""
    record.report("admin-reform", "SNV", "2024-08", "done", D(2024, 8, 15), note="đã gửi")
    # A correction: the August report was not complete after all.
    record.report("admin-reform", "SNV", "2024-08", "in_progress", D(2024, 8, 22), 80,
                  note="còn thiếu số liệu")
    record.report("admin-reform", "SNV", "2024-09", "in_progress", D(2024, 9, 5), 30)
    record.report("admin-reform", "SNV", "2024-09", "in_progress", D(2024, 9, 5), 50)  # same day
    record.report("admin-reform", "SNV", "2024-09", "done", D(2024, 9, 18))
    record.report("admin-reform", "VP-UBND", "2024-09", "in_progress", D(2024, 9, 10), 60)
    record.report("admin-reform", "VP-UBND", "2024-09", "done", D(2024, 9, 27),
                  completed=D(2024, 9, 26))
    return record


WORKED = [  # (as of, task, agency, period) → (category, days late, latest progress)
    # not yet due: before the deadline opens
    (D(2024, 9, 30), "admin-reform", "SNV", "2024-10", (NOT_DUE, 0, 0)),
    # in progress within the deadline: open, nothing reported, or an in-progress report
    (D(2024, 10, 1), "admin-reform", "SNV", "2024-10", (IN_PROGRESS, 0, 0)),
    (D(2024, 8, 14), "admin-reform", "SNV", "2024-08", (IN_PROGRESS, 0, 0)),
    (D(2024, 9, 5), "admin-reform", "SNV", "2024-09", (IN_PROGRESS, 0, 50)),  # latest of the day
    (D(2024, 9, 19), "admin-reform", "VP-UBND", "2024-09", (IN_PROGRESS, 0, 60)),
    (D(2024, 9, 20), "admin-reform", "VP-UBND", "2024-09", (IN_PROGRESS, 0, 60)),  # the due day
    # overdue: past the due day and not done; days late count from the due day
    (D(2024, 8, 21), "admin-reform", "VP-UBND", "2024-08", (OVERDUE, 1, 0)),
    (D(2024, 9, 25), "admin-reform", "VP-UBND", "2024-09", (OVERDUE, 5, 60)),
    (D(2024, 9, 26), "admin-reform", "VP-UBND", "2024-09", (OVERDUE, 6, 60)),
    # done on time, and done late by the days between the due day and the day it was done
    (D(2024, 9, 18), "admin-reform", "SNV", "2024-09", (DONE_ON_TIME, 0, 100)),
    (D(2024, 9, 27), "admin-reform", "VP-UBND", "2024-09", (DONE_LATE, 6, 100)),
    (D(2024, 12, 31), "admin-reform", "VP-UBND", "2024-09", (DONE_LATE, 6, 100)),
    # a correction supersedes from its own day on; the day before still reads the first answer
    (D(2024, 8, 16), "admin-reform", "SNV", "2024-08", (DONE_ON_TIME, 0, 100)),
    (D(2024, 8, 21), "admin-reform", "SNV", "2024-08", (DONE_ON_TIME, 0, 100)),
    (D(2024, 8, 22), "admin-reform", "SNV", "2024-08", (OVERDUE, 2, 80)),
    (D(2024, 8, 30), "admin-reform", "SNV", "2024-08", (OVERDUE, 10, 80)),
]


def test_every_category_worked_by_hand(scripted):
    """One database for all the cases (loading the plan per case would be slow)."""
    got = {case[:4]: scripted.status(*case[:4]) for case in WORKED}
    assert got == {case[:4]: case[4] for case in WORKED}


def test_the_latest_report_gives_note_and_dates(scripted):
    (aug,) = [r for r in scripted.rows(D(2024, 8, 30), task="admin-reform", agency="SNV")
              if r.period == "2024-08"]
    assert (aug.note, aug.reported_on, aug.completed_on) == ("còn thiếu số liệu", D(2024, 8, 22), None)
    (sep,) = [r for r in scripted.rows(D(2024, 9, 30), task="admin-reform", agency="VP-UBND")
              if r.period == "2024-09"]
    assert (sep.reported_on, sep.completed_on, sep.due_on) == (D(2024, 9, 27), D(2024, 9, 26),
                                                              D(2024, 9, 20))


def test_rollups_by_task_kind_and_agency(scripted):
    rows = scripted.rows(D(2024, 10, 5), task="admin-reform")  # and its subtask
    assert len(rows) == 12  # 10 monthly (August to December, SNV and VP-UBND) + 2 quarterly

    def counts(on_time, late, in_progress, overdue, not_due):
        return {DONE_ON_TIME: on_time, DONE_LATE: late, IN_PROGRESS: in_progress,
                OVERDUE: overdue, NOT_DUE: not_due}

    assert rollup(rows, "task") == [
        # Progress 80 + 100 + 100 over 10 deadlines; on time 1 of the 4 due (1 + 1 + 2 overdue).
        {"task": "admin-reform", "total": 10, **counts(1, 1, 2, 2, 4), "on_time_rate": 0.25,
         "progress": 28.0},
        {"task": "admin-reform-procedures", "total": 2, **counts(0, 0, 1, 1, 0),
         "on_time_rate": 0.0, "progress": 0.0},
    ]
    assert rollup(rows, "agency") == [
        {"agency": "SNV", "total": 5, **counts(1, 0, 1, 1, 2), "on_time_rate": 0.5,
         "progress": 36.0},  # (80 + 100) / 5
        {"agency": "VP-UBND", "total": 7, **counts(0, 1, 2, 2, 2), "on_time_rate": 0.0,
         "progress": 14.3},  # 100 / 7
    ]
    assert rollup(rows, "kind") == [
        {"kind": "admin-reform", "total": 12, **counts(1, 1, 3, 3, 4), "on_time_rate": 0.2,
         "progress": 23.3}]  # 280 / 12; on time 1 of 5 due
    assert summary(rows) == {"total": 12, **counts(1, 1, 3, 3, 4), "on_time_rate": 0.2}


def test_on_time_rate_is_none_when_nothing_is_due_yet(record):
    rows = record.rows(D(2024, 7, 10), task="commendation")
    assert summary(rows)["on_time_rate"] is None
    assert summary(rows)[IN_PROGRESS] == 1


def test_asking_about_a_past_day_again_gives_the_same_answer(scripted):
    day = D(2024, 9, 20)
    before = scripted.rows(day)
    scripted.report("admin-reform", "VP-UBND", "2024-08", "done", D(2024, 9, 23))
    scripted.report("leadership", "BDV-TU", "2024-09", "done", D(2024, 9, 25))
    scripted.report("admin-reform", "SNV", "2024-09", "in_progress", D(2024, 10, 2), 90)
    assert scripted.rows(day) == before
    # …while the later days do see them.
    # Due 20/08, done 23/09: 34 days late.
    assert scripted.status(D(2024, 9, 30), "admin-reform", "VP-UBND", "2024-08") == (
        DONE_LATE, 34, 100)
    assert scripted.status(D(2024, 10, 2), "admin-reform", "SNV", "2024-09") == (OVERDUE, 12, 90)


@pytest.mark.parametrize(("args", "expected"), [
    ((D(2024, 9, 1), D(2024, 9, 20), D(2024, 8, 31), None, None), (NOT_DUE, 0)),
    ((D(2024, 9, 1), D(2024, 9, 20), D(2024, 9, 1), None, None), (IN_PROGRESS, 0)),
    ((D(2024, 9, 1), D(2024, 9, 20), D(2024, 9, 20), "in_progress", None), (IN_PROGRESS, 0)),
    ((D(2024, 9, 1), D(2024, 9, 20), D(2024, 9, 21), "in_progress", None), (OVERDUE, 1)),
    ((D(2024, 9, 1), D(2024, 9, 20), D(2024, 8, 31), "done", D(2024, 8, 30)), (DONE_ON_TIME, 0)),
    ((D(2024, 9, 1), D(2024, 9, 20), D(2024, 12, 1), "done", D(2024, 9, 20)), (DONE_ON_TIME, 0)),
    ((D(2024, 9, 1), D(2024, 9, 20), D(2024, 12, 1), "done", D(2024, 9, 21)), (DONE_LATE, 1)),
])
def test_classify_rules_at_their_edges(args, expected):
    assert classify(*args) == expected
