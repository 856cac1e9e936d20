"""The Vietnamese working calendar, as pure functions.

Weekends, public holidays (Tết, Hùng Kings, swapped days) and make-up Saturdays come from the
`holidays` package; a plan may add local days off.  A deadline that falls on a day off moves to
the next working day (Bộ luật Dân sự 2015, Điều 148).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_date(instant: dt.datetime) -> dt.date:
    """The calendar day in Vietnam of an aware instant."""
    return instant.astimezone(TZ).date()


@lru_cache(maxsize=64)
def _national(year: int) -> "holidays.HolidayBase":
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
