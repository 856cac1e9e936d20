"""Days and months: the Vietnamese working calendar, the days and months people type, as pure
functions.

Weekends, public holidays (Tết, Hùng Kings, swapped days) and make-up Saturdays come from the
`holidays` package; a plan may add local days off.  A deadline that falls on a day off moves to
the next working day (Bộ luật Dân sự 2015, Điều 148).  A month is a "YYYY-MM" label.
"""
from __future__ import annotations

import calendar as pycal
import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tasks.errors import BadInput, named
from tasks.settings import TIME_ZONE
from tasks.words.phrase import Phrase

if TYPE_CHECKING:
    import holidays

TZ = ZoneInfo(TIME_ZONE)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # dd/mm/yyyy, also with - or .
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# The days plantrack works with: every day typed, every month and every plan's period lies
# between these, so no command walks the calendar over centuries.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
_LABEL = re.compile(r"^(\d{4})(?:-(?:Q[1-4]|H[12]))?$")  # 2024, 2024-Q3, 2024-H2


def in_range(day: dt.date, field: Any = None) -> dt.date:
    """`day` if it lies between FIRST_DAY and LAST_DAY; BadInput otherwise."""
    if not FIRST_DAY <= day <= LAST_DAY:
        shown = f"{day.day:02d}/{day.month:02d}/{day.year:04d}"  # %Y writes the year 1 as "1"
        raise BadInput(named(field, Phrase(
            "{day} is not a day plantrack works with (from {first} to {last})",
            day=shown, first=FIRST_DAY, last=LAST_DAY)))
    return day


def parse_day(text: str) -> dt.date:
    """A day typed as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd: the one
    reading of a typed day, for the command line and the returns alike; between FIRST_DAY and
    LAST_DAY."""
    raw = text.strip()
    day, iso = _DAY.match(raw), _ISO.match(raw)
    ymd = (day.group(3), day.group(2), day.group(1)) if day else iso.groups() if iso else None
    if ymd:
        try:
            typed = dt.date(*map(int, ymd))
        except ValueError:
            pass
        else:
            return in_range(typed)
    raise BadInput("'{text}' is not a date (use dd/mm/yyyy or yyyy-mm-dd)", text=raw)


def parse_month(text: str, field: Any = None) -> tuple[int, int]:
    """(year, month) of a "YYYY-MM" month from FIRST_DAY's to LAST_DAY's; BadInput says the
    form, after `field` if given."""
    m = MONTH.match(text or "") if isinstance(text, str) else None
    if not m:
        raise BadInput(named(field, Phrase("'{text}' is not a month (YYYY-MM, e.g. 2024-09)",
                                           text=text)))
    # A month of slack either side: a digest reads the month after the one it covers.
    if not (FIRST_DAY.year - 1, 12) <= (int(m.group(1)), int(m.group(2))) <= (LAST_DAY.year + 1, 1):
        raise BadInput(named(field, Phrase(
            "{text} is not a month plantrack works with (from {first} to {last})",
            text=text, first=f"{FIRST_DAY:%Y-%m}", last=f"{LAST_DAY:%Y-%m}")))
    return int(m.group(1)), int(m.group(2))


def check_period(label: str, field: Any = None) -> str:
    """A deadline's period label as plantrack makes them — a month 2024-09, a quarter 2024-Q3, a
    half-year 2024-H2, a year 2024, or a day 2024-09-30 — else BadInput saying the forms."""
    text = label if isinstance(label, str) else ""
    found = _LABEL.match(text)
    try:
        if MONTH.match(text):
            parse_month(text)
            return text
        if _ISO.match(text) and len(text) == 10:
            in_range(dt.date.fromisoformat(text))
            return text
        if found and FIRST_DAY.year <= int(found.group(1)) <= LAST_DAY.year:
            return text
    except (ValueError, BadInput):
        pass
    raise BadInput(named(field, Phrase(
        "'{label}' is not a period (a month 2024-09, a quarter 2024-Q3, a half-year 2024-H2, "
        "a year 2024 or a day 2024-09-30)", label=label)))


def month_bounds(month: str, field: Any = None) -> tuple[dt.date, dt.date]:
    """First and last day of a "YYYY-MM" month; BadInput names the field."""
    y, m = parse_month(month, field or Phrase("month"))
    return dt.date(y, m, 1), dt.date(y, m, pycal.monthrange(y, m)[1])


def shift_month(month: str, n: int) -> str:
    """The month `n` months after (n < 0: before) `month`."""
    y, m = divmod(int(month[:4]) * 12 + int(month[5:]) - 1 + n, 12)
    return f"{y:04d}-{m + 1:02d}"


def previous_month(today: dt.date) -> str:
    """The month before `today`'s: the one a digest made on `today` covers by default."""
    return shift_month(f"{today:%Y-%m}", -1)


def local_date(instant: dt.datetime) -> dt.date:
    """The calendar day in Vietnam of an aware instant."""
    return instant.astimezone(TZ).date()


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    # Imported here: `holidays` loads every country (~0.4 s), and `plantrack status` never
    # needs it, so its cold start does not pay for it.
    import holidays

    return holidays.country_holidays("VN", years=year, language="vi")


class WorkCalendar:
    """Working days in Vietnam, plus the extra days off a plan declares."""

    def __init__(self, days_off: frozenset[dt.date] | set[dt.date] = frozenset()):
        self.days_off = frozenset(days_off)
        self._cache: dict[dt.date, bool] = {}

    def is_working_day(self, day: dt.date) -> bool:
        hit = self._cache.get(day)
        if hit is None:
            hit = day not in self.days_off and _national(day.year).is_working_day(day)
            self._cache[day] = hit
        return hit

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday on `day` (Vietnamese), if any."""
        if day in self.days_off:
            return "Ngày nghỉ của địa phương"
        return _national(day.year).get(day)

    def roll_forward(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next working day (Điều 148)."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The working day `n` working days after (n > 0) or before (n < 0) `day`.

        With n == 0 it is `day` rolled forward to a working day.
        """
        if n == 0:
            return self.roll_forward(day)
        step = dt.timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            self.is_working_day(start + dt.timedelta(days=i))
            for i in range(1, (end - start).days + 1)
        )
