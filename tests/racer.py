"""A worker process for the concurrency tests, kept light so that spawning it is quick."""
from __future__ import annotations

import datetime as dt
import os

from tasks.notices.channels import masked
from tasks.notices.dispatch import dispatch, retry_due


def env_secrets(name: str) -> str:
    """Stands in for the flows' Prefect Secret loader (picklable, for worker processes)."""
    return os.environ["PLANTRACK_TEST_SECRET_" + name.replace("-", "_").upper()]


def race(url: str, notices, now: dt.datetime, retry_at: dt.datetime, barrier, fixed,
         results) -> None:
    """One of two processes doing the same work at the same instant: dispatch the notices,
    then (once the failing channel is fixed) retry the failures."""
    masked("json://127.0.0.1/")  # load Apprise's plugins before the start, so both really race
    barrier.wait(timeout=60)
    results.put(dispatch(url, notices, now=now, secret_lookup=env_secrets, batch_size=7).counts())
    fixed.wait(timeout=60)
    barrier.wait(timeout=60)
    results.put(retry_due(url, retry_at, secret_lookup=env_secrets, not_before=notices[0].day,
                          batch_size=5).counts())
