"""Where things are and what the environment says: the one place that reads os.environ.

Paths are the project's folders (config/ an office edits, var/ the record and Prefect's state,
out/ what is written for people). Environment variables: PLANTRACK_DATABASE_URL (the record),
PLANTRACK_LANG (the commands' language), and the channel variables the agency directory names.
The daily run's hour and the time zone every calendar decision is made in live here too.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
TEMPLATES = CONFIG / "templates"
PLANS = CONFIG / "plans"
VAR = ROOT / "var"
OUT = ROOT / "out"
DIGESTS = OUT / "digests"
PREFECT_HOME = VAR / "prefect"
DEFAULT_DATABASE_URL = f"sqlite:///{VAR / 'plantrack.db'}"

TIME_ZONE = "Asia/Ho_Chi_Minh"
DAILY_RUN_AT = dt.time(7, 30)  # each working morning, TIME_ZONE
MONTHLY_RUN_AT = dt.time(7, 0)  # the first working day of a month, TIME_ZONE
DAILY_CRON = f"{DAILY_RUN_AT.minute} {DAILY_RUN_AT.hour} * * 1-5"  # days off: skipped in the flow
MONTHLY_CRON = f"{MONTHLY_RUN_AT.minute} {MONTHLY_RUN_AT.hour} 1-10 * *"


def database_url() -> str:
    """The record: PLANTRACK_DATABASE_URL, else var/plantrack.db."""
    return os.environ.get("PLANTRACK_DATABASE_URL") or DEFAULT_DATABASE_URL


def env(name: str) -> str:
    """An environment variable's value ('' when unset): channel URLs, secrets."""
    return os.environ.get(name, "")


def default_lang() -> str | None:
    """PLANTRACK_LANG, if set (checked where it is used)."""
    return os.environ.get("PLANTRACK_LANG") or None
