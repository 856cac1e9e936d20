"""The Vietnamese working calendar: properties of its arithmetic, and worked days of 2024–2025."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.calendar import WorkCalendar, local_date, month_bounds, parse_day, shift_month
from tasks.errors import BadInput
from tasks.plan.validate import validate

from conftest import SMALL_PLAN

D = dt.date
NATIONAL = WorkCalendar()
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
steps = st.integers(min_value=1, max_value=60)
quick = settings(max_examples=150, deadline=None)


@quick
@given(days)
def test_roll_forward_lands_on_the_next_working_day_and_is_idempotent(day):
    rolled = NATIONAL.roll_forward(day)
    assert NATIONAL.is_working_day(rolled)
    assert NATIONAL.roll_forward(rolled) == rolled
    assert rolled >= day
    assert not any(NATIONAL.is_working_day(day + dt.timedelta(i)) for i in range((rolled - day).days))
    if NATIONAL.is_working_day(day):
        assert rolled == day


@quick
@given(days, steps)
def test_add_working_days_counts_exactly_n_working_days(day, n):
    later = NATIONAL.add_working_days(day, n)
    assert NATIONAL.is_working_day(later)
    assert NATIONAL.working_days_between(day, later) == n
    assert NATIONAL.working_days_between(later, day) == -n
    earlier = NATIONAL.add_working_days(day, -n)
    assert NATIONAL.is_working_day(earlier) and earlier < day


@quick
@given(days, steps)
def test_add_working_days_is_strictly_monotonic_in_n(day, n):
    assert NATIONAL.add_working_days(day, n) < NATIONAL.add_working_days(day, n + 1)
    assert NATIONAL.add_working_days(day, -n - 1) < NATIONAL.add_working_days(day, -n)
    assert NATIONAL.add_working_days(day, 0) <= NATIONAL.add_working_days(day, 1)


@quick
@given(days, steps)
def test_negative_steps_undo_positive_ones_from_a_working_day(day, n):
    start = NATIONAL.roll_forward(day)
    assert NATIONAL.add_working_days(NATIONAL.add_working_days(start, n), -n) == start
    assert NATIONAL.add_working_days(NATIONAL.add_working_days(start, -n), n) == start


@quick
@given(days, st.sets(st.integers(min_value=0, max_value=90), max_size=12), steps)
def test_extra_days_off_are_respected(day, offsets, n):
    off = {day + dt.timedelta(i) for i in offsets}
    cal = WorkCalendar(off)
    assert not any(cal.is_working_day(d) for d in off)
    rolled, later = cal.roll_forward(day), cal.add_working_days(day, n)
    assert rolled not in off and later not in off
    assert cal.is_working_day(later) and cal.working_days_between(day, later) == n
    # Each extra day off that would otherwise be worked costs exactly one working day.
    lost = sum(1 for d in off if day < d <= later and NATIONAL.is_working_day(d))
    assert NATIONAL.working_days_between(day, later) == n + lost


def test_tet_2024_is_off_from_8_to_14_february():
    tet = [D(2024, 2, d) for d in range(8, 15)]
    assert not any(NATIONAL.is_working_day(d) for d in tet)
    assert NATIONAL.is_working_day(D(2024, 2, 7)) and NATIONAL.is_working_day(D(2024, 2, 15))
    assert NATIONAL.holiday_name(D(2024, 2, 10)) == "Tết Nguyên Đán"
    assert NATIONAL.add_working_days(D(2024, 2, 7), 1) == D(2024, 2, 15)
    assert NATIONAL.roll_forward(D(2024, 2, 8)) == D(2024, 2, 15)


def test_swapped_day_29_april_2024_and_make_up_saturday_4_may():
    assert not NATIONAL.is_working_day(D(2024, 4, 29))  # Monday, swapped for Saturday 04/05
    assert "04/05/2024" in NATIONAL.holiday_name(D(2024, 4, 29))
    assert not NATIONAL.is_working_day(D(2024, 4, 30)) and not NATIONAL.is_working_day(D(2024, 5, 1))
    assert NATIONAL.is_working_day(D(2024, 5, 4))  # a Saturday worked to make up
    assert not NATIONAL.is_working_day(D(2024, 5, 5))
    # From Friday 26/04: the next working days are Thursday 02/05, Friday 03/05, Saturday 04/05.
    assert [NATIONAL.add_working_days(D(2024, 4, 26), n) for n in (1, 2, 3, 4)] == [
        D(2024, 5, 2), D(2024, 5, 3), D(2024, 5, 4), D(2024, 5, 6)]


def test_national_day_2024_and_a_deadline_on_sunday_1_september():
    assert not NATIONAL.is_working_day(D(2024, 9, 2)) and not NATIONAL.is_working_day(D(2024, 9, 3))
    assert NATIONAL.roll_forward(D(2024, 9, 1)) == D(2024, 9, 4)  # Điều 148: next working day
    assert NATIONAL.roll_forward(D(2024, 8, 31)) == D(2024, 9, 4)
    assert NATIONAL.working_days_between(D(2024, 8, 30), D(2024, 9, 6)) == 3
    assert NATIONAL.add_working_days(D(2024, 8, 30), 10) == D(2024, 9, 17)


def test_tet_2025_is_off_from_25_january_to_2_february():
    assert not any(NATIONAL.is_working_day(D(2025, 1, 25) + dt.timedelta(i)) for i in range(9))
    assert NATIONAL.is_working_day(D(2025, 1, 24)) and NATIONAL.is_working_day(D(2025, 2, 3))
    assert NATIONAL.add_working_days(D(2025, 1, 20), 5) == D(2025, 2, 3)


def test_a_local_day_off_moves_the_deadline_to_the_next_working_day():
    cal = WorkCalendar({D(2024, 9, 4)})
    assert cal.roll_forward(D(2024, 9, 1)) == D(2024, 9, 5)
    assert cal.holiday_name(D(2024, 9, 4)) == "Ngày nghỉ của địa phương"


def test_a_plans_local_day_off_moves_its_deadlines(tmp_path):
    """The small plan declares 10/03/2025 a local day off; without it March's report is due that day."""
    def march_report(plan_file) -> tuple[dt.date, dt.date]:
        spec = validate(plan_file)
        (row,) = [d for d in spec.deadlines if d.rule_key == "monthly-report" and d.period == "2025-03"]
        return row.nominal_on, row.due_on

    assert march_report(SMALL_PLAN) == (D(2025, 3, 10), D(2025, 3, 11))
    shutil.copy(SMALL_PLAN.parent / "agencies-small.yaml", tmp_path)
    text = SMALL_PLAN.read_text(encoding="utf-8")
    without = tmp_path / "small.yaml"
    without.write_text(text.replace(
        'days_off:\n  - {date: 2025-03-10, name: "Ngày hội văn hóa các dân tộc huyện Mai Châu"}\n',
        "days_off: []\n"), encoding="utf-8")
    assert "2025-03-10" not in without.read_text(encoding="utf-8")
    assert march_report(without) == (D(2025, 3, 10), D(2025, 3, 10))


@pytest.mark.parametrize(("instant", "day"), [
    (dt.datetime(2024, 6, 30, 16, 59, tzinfo=dt.UTC), D(2024, 6, 30)),
    (dt.datetime(2024, 6, 30, 17, 0, tzinfo=dt.UTC), D(2024, 7, 1)),
])
def test_days_are_counted_in_vietnam(instant, day):
    assert local_date(instant) == day


@pytest.mark.parametrize("typed, day", [
    ("25/09/2024", D(2024, 9, 25)), ("5/9/2024", D(2024, 9, 5)), ("05.09.2024", D(2024, 9, 5)),
    ("2024-09-25", D(2024, 9, 25)), ("2024-9-5", D(2024, 9, 5)), (" 25/09/2024 ", D(2024, 9, 25)),
])
def test_a_typed_day_reads_the_same_everywhere(typed, day):
    assert parse_day(typed) == day


def test_a_day_that_is_not_a_day_says_the_forms():
    with pytest.raises(BadInput, match=r"^'31/02/2024' is not a date "
                                       r"\(use dd/mm/yyyy or yyyy-mm-dd\)$"):
        parse_day("31/02/2024")


def test_months():
    assert month_bounds("2024-02") == (D(2024, 2, 1), D(2024, 2, 29))
    assert (shift_month("2024-12", 1), shift_month("2024-01", -1)) == ("2025-01", "2023-12")
    with pytest.raises(BadInput, match=r"^period: '2024-13' is not a month \(YYYY-MM"):
        month_bounds("2024-13", "period")
