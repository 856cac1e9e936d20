"""Where things are and what the environment says: the one place that reads os.environ.

Paths are the project's folders (config/ an office edits, var/ the record and Prefect's state,
out/ what is written for people). Environment variables: PLANTRACK_DATABASE_URL (the record),
PLANTRACK_LANG (the commands' language), the channel variables the agency directory names, and
the web app's PLANTRACK_WEB_* and PLANTRACK_PUBLIC_URL.
The runs' hours and the time zone every calendar decision is made in live here too.
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
SIMULATION_DATABASE = VAR / "simulate.db"  # `simulate`'s own record, a copy made on each run

TIME_ZONE = "Asia/Ho_Chi_Minh"
DAILY_RUN_AT = dt.time(7, 30)  # each working morning, TIME_ZONE
MONTHLY_RUN_AT = dt.time(7, 0)  # each working morning: last month's digest, once due, TIME_ZONE
DAILY_CRON = f"{DAILY_RUN_AT.minute} {DAILY_RUN_AT.hour} * * 1-5"  # days off: skipped in the flow
MONTHLY_CRON = f"{MONTHLY_RUN_AT.minute} {MONTHLY_RUN_AT.hour} * * 1-5"  # a missed day caught up
RETRY_CRON = "*/10 7-17 * * 1-5"  # failed messages resent once due: 07:00–17:50, TIME_ZONE


def database_url() -> str:
    """The record: PLANTRACK_DATABASE_URL, else var/plantrack.db."""
    return os.environ.get("PLANTRACK_DATABASE_URL") or DEFAULT_DATABASE_URL


def env(name: str) -> str:
    """An environment variable's value ('' when unset): channel URLs, secrets."""
    return os.environ.get(name, "")


# The web app (flows/web): its signing secret, its public address, how long links last, the
# largest evidence file, and where evidence files are kept (outside any web root).
EVIDENCE = VAR / "evidence"


def web_secret() -> str:
    """PLANTRACK_WEB_SECRET: the key links, sessions and forms are signed with ('' when unset:
    no link is made)."""
    return os.environ.get("PLANTRACK_WEB_SECRET", "")


def public_url() -> str:
    """PLANTRACK_PUBLIC_URL: where people reach the web app (https://…), without a trailing
    slash; '' when unset (reminders then carry no link)."""
    return os.environ.get("PLANTRACK_PUBLIC_URL", "").strip().rstrip("/")


def web_link_days() -> int:
    """PLANTRACK_WEB_LINK_DAYS: how long an agency's link works after it is issued (30)."""
    return int(_positive("PLANTRACK_WEB_LINK_DAYS", 30))


def web_feed_days() -> int:
    """PLANTRACK_WEB_FEED_DAYS: how long a calendar feed's link works (365: a calendar program
    subscribes once)."""
    return int(_positive("PLANTRACK_WEB_FEED_DAYS", 365))


def web_max_upload() -> int:
    """PLANTRACK_WEB_MAX_UPLOAD_MB: the largest evidence file, in bytes (10 MB)."""
    return int(_positive("PLANTRACK_WEB_MAX_UPLOAD_MB", 10) * 1024 * 1024)


def evidence_dir() -> Path:
    """PLANTRACK_EVIDENCE_DIR, else var/evidence: evidence files, each named by its SHA-256."""
    return Path(os.environ.get("PLANTRACK_EVIDENCE_DIR") or EVIDENCE)


def default_lang() -> str | None:
    """PLANTRACK_LANG, if set (checked where it is used)."""
    return os.environ.get("PLANTRACK_LANG") or None


# Delivery (tasks/notices): how long a claim is held, how long a channel is waited for, how long
# an undelivered message of a past day is retried, how long SQLite waits for a lock.
def _positive(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        number = float(value) if value else default
    except ValueError:
        number = -1
    if not number > 0:
        from tasks.errors import BadInput

        raise BadInput("{name}={value}: give a positive number (default {default})", name=name,
                       value=repr(value), default=f"{default:g}")
    return number


def claim_lease() -> dt.timedelta:
    """PLANTRACK_LEASE_MINUTES: how long a message claimed (or queued) by a run stays that run's
    before any other run takes it over (10). Longer than the longest send: every channel's
    PLANTRACK_SEND_TIMEOUT, and the outcome's write retries."""
    return dt.timedelta(minutes=_positive("PLANTRACK_LEASE_MINUTES", 10))


def send_timeout() -> float:
    """PLANTRACK_SEND_TIMEOUT: seconds a channel is waited for an answer (30) — Apprise's read
    timeout (`rto`), and an SMTP server's timeout, unless the URL sets its own (`rto=`, `cto=`)."""
    return _positive("PLANTRACK_SEND_TIMEOUT", 30)


def send_threads() -> int:
    """PLANTRACK_SEND_THREADS: how many messages are sent at once, each from a thread of its own
    (4): a run claims a few for each (tasks.notices.dispatch.TURN) before their outcomes are
    recorded, so a record that fails mid-run leaves at most that many sent and not recorded."""
    return max(1, int(_positive("PLANTRACK_SEND_THREADS", 4)))


def http_proxied(scheme: str) -> bool:
    """Whether the environment names a proxy for `scheme` (http_proxy, HTTPS_PROXY, all_proxy…)
    that requests and Apprise would use: webhooks are then left to them."""
    return any(os.environ.get(f"{name}_proxy") or os.environ.get(f"{name.upper()}_PROXY")
               for name in (scheme, "all"))


def ca_bundle() -> str:
    """The certificates a webhook's server is checked against, as requests finds them:
    REQUESTS_CA_BUNDLE, else CURL_CA_BUNDLE, else certifi's."""
    import certifi

    return (os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            or certifi.where())


def retry_days() -> int:
    """PLANTRACK_RETRY_DAYS: a message still undelivered is retried by every run until this many
    days after its own day (3: a Friday's through Monday), then given up and reported."""
    return int(_positive("PLANTRACK_RETRY_DAYS", 3))


def sqlite_busy_timeout() -> float:
    """PLANTRACK_SQLITE_BUSY_TIMEOUT: seconds a SQLite connection waits for a lock another holds
    before the write fails (30)."""
    return _positive("PLANTRACK_SQLITE_BUSY_TIMEOUT", 30)


# Limits on what is read (issue 14): every file plantrack reads is bounded before it is read,
# so no input can take unbounded time or memory. Returns keep theirs in tasks/returns (20 MB a
# file, 100 MB unpacked, 10,000 rows a sheet).
MAX_PLAN_BYTES = 10_000_000  # a plan file, and its agency directory (the national one: 0.7 MB)
MAX_YAML_DEPTH = 40  # nesting of mappings and lists (a plan nests about 10 deep)
MAX_ALIAS_VALUES = 100_000  # values that YAML aliases (*name, <<: *name) may add in all
MAX_PLAN_YEARS = 10  # a plan's period
MAX_DEADLINES = 500_000  # deadlines a plan may make (the national benchmark makes 105,300)
