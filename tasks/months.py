"""Months as "YYYY-MM" labels: their first and last days, and stepping between them."""
from __future__ import annotations

import calendar
import datetime as dt
import re

from tasks.errors import BadInput

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_bounds(month: str, field: str = "month") -> tuple[dt.date, dt.date]:
    """First and last day of a "YYYY-MM" month; BadInput names the field."""
    m = MONTH.match(month or "")
    if not m:
        raise BadInput(f"{field}: '{month}' is not a month (YYYY-MM, e.g. 2024-09)")
    y, mo = int(m.group(1)), int(m.group(2))
    return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])


def shift_month(month: str, n: int) -> str:
    y, m = divmod(int(month[:4]) * 12 + int(month[5:]) - 1 + n, 12)
    return f"{y:04d}-{m + 1:02d}"


def previous_month(today: dt.date) -> str:
    """The month before `today`'s: the one a digest made on `today` covers by default."""
    return shift_month(f"{today:%Y-%m}", -1)
