"""What people type into cells: read leniently, never guessed."""
from __future__ import annotations

import datetime as dt

import pytest

from tasks.returns.cells import parse_day, parse_number, parse_percent, text


@pytest.mark.parametrize("typed, day", [
    ("25/09/2024", dt.date(2024, 9, 25)), ("5/9/2024", dt.date(2024, 9, 5)),
    ("05-09-2024", dt.date(2024, 9, 5)), ("05.09.2024", dt.date(2024, 9, 5)),
    ("2024-09-25", dt.date(2024, 9, 25)), (dt.datetime(2024, 9, 25, 0, 0), dt.date(2024, 9, 25)),
    (dt.date(2024, 9, 25), dt.date(2024, 9, 25)), (" 25/09/2024 ", dt.date(2024, 9, 25)),
])
def test_days(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed", ["09/25/2024", "31/09/2024", "2024/09/25", "25/09/24",
                                   "hôm qua", 45560])
def test_not_days(typed):
    with pytest.raises(ValueError, match="is not a date"):
        parse_day(typed)


@pytest.mark.parametrize("typed, number", [
    ("4034", 4034), ("4.034", 4034), ("4,034", 4034), ("4 034", 4034), ("12.345.678", 12345678),
    ("72,5", 72.5), ("72.5", 72.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("0,500", 0.5),
    ("85%", 85), ("-3", -3), (4034, 4034), (72.5, 72.5),
])
def test_numbers(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["nhiều", "1.23.4", "%", "", True])
def test_not_numbers(typed):
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(typed)


@pytest.mark.parametrize("typed, pct", [("80", 80), ("80%", 80), ("80 %", 80), (80, 80),
                                        (0.57 * 100, 57), ("140", 140)])
def test_percentages(typed, pct):
    assert parse_percent(typed) == pct


def test_a_fraction_of_a_percent_is_refused():
    with pytest.raises(ValueError, match="'62.5%' is not a whole percentage"):
        parse_percent("62.5%")


def test_text_is_trimmed_and_composed():
    assert text(" ghi chu\u0301 ") == "ghi chú"
    assert text(None) == "" and text(3.0) == "3"
