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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tasks.errors import BadInput
from tasks.settings import TIME_ZONE

if TYPE_CHECKING:
    import holidays

TZ = ZoneInfo(TIME_ZONE)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # dd/mm/yyyy, also with - or .
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_day(text: str) -> dt.date:
    """A day typed as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd: the one
    reading of a typed day, for the command line and the returns alike."""
    raw = text.strip()
    day, iso = _DAY.match(raw), _ISO.match(raw)
    ymd = (day.group(3), day.group(2), day.group(1)) if day else iso.groups() if iso else None
    if ymd:
        try:
            return dt.date(*map(int, ymd))
        except ValueError:
            pass
    raise BadInput(f"'{raw}' is not a date (use dd/mm/yyyy or yyyy-mm-dd)")


def parse_month(text: str, field: str | None = None) -> tuple[int, int]:
    """(year, month) of a "YYYY-MM" month; BadInput says the form, after `field` if given."""
    m = MONTH.match(text or "")
    if not m:
        raise BadInput(f"{field + ': ' if field else ''}'{text}' is not a month "
                       "(YYYY-MM, e.g. 2024-09)")
    return int(m.group(1)), int(m.group(2))


def month_bounds(month: str, field: str = "month") -> tuple[dt.date, dt.date]:
    """First and last day of a "YYYY-MM" month; BadInput names the field."""
    y, m = parse_month(month, field)
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
