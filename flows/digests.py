"""Digests of a run of months written to disk (the demo's six)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

from tasks.digest.compile import compile_digest
from tasks.digest.render import write_digest
from tasks.months import shift_month
from tasks.record.lookups import resolve_plan
from tasks.record.store import session


def write_months(url: str, first: dt.date, last: dt.date, out: Path,
                 lang: str = "vi") -> Iterator[tuple[str, Path]]:
    month, end = f"{first:%Y-%m}", f"{last:%Y-%m}"
    while month <= end:
        with session(url) as s:
            digest = compile_digest(s, resolve_plan(s, None), month)
        write_digest(digest, out / month, lang)
        yield month, out / month
        month = shift_month(month, 1)
