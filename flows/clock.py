"""The top layer's clock: flows and commands read today here and pass it down as `as_of`."""
from __future__ import annotations

import datetime as dt

from tasks.calendar import local_date


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today in Vietnam."""
    return local_date(now())
