"""`retry-failed`: every ten minutes of the working day, the failed messages whose retry time
has come are sent again, so the backoff runs between the morning runs; and `ended`, how each
run that sends ends: Failed, naming every message it left undelivered.
"""
from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Coroutine
from typing import Any

from prefect import State, flow, get_run_logger, task
from prefect.states import Failed

from flows.clock import now
from flows.setup.prefect_secrets import secret_lookup
from tasks.calendar import TZ
from tasks.digest.send import resend_due
from tasks.notices.dispatch import DispatchReport
from tasks.settings import database_url

SHOWN = 20  # undelivered messages named in a run's state message; its logs name them all


class Undelivered(Exception):
    """What a run called in-process raises when it ended Failed: its message, and what it did
    (with the lines under "undelivered")."""

    def __init__(self, message: str, result: dict[str, Any]):
        super().__init__(message, result)
        self.message, self.result = message, result

    def __str__(self) -> str:
        return self.message


def outcome(run: Coroutine[Any, Any, dict[str, Any] | State]) -> dict[str, Any]:
    """What a run called in-process did, Failed or not (its "undelivered" lines say which):
    Prefect gives back the value it returned, or raises the exception a Failed state holds."""
    try:
        value = asyncio.run(run)
    except Undelivered as exc:
        return exc.result
    assert isinstance(value, dict)
    return value


def ended(result: dict[str, Any], report: DispatchReport) -> dict[str, Any] | State:
    """`result` with the run's undelivered lines, or — when a message is still undelivered
    after the run's own tries — a Failed state naming each (a run that returns normally is
    Completed whatever it counted). Each line goes to the run's logs too."""
    lines = report.undelivered()
    result = {**result, "undelivered": lines}
    if not lines:
        return result
    log = get_run_logger()
    for line in lines:
        log.error("undelivered %s", line)
    more = [f"… and {len(lines) - SHOWN} more (see the run's logs)"] if len(lines) > SHOWN else []
    message = "\n".join([f"{len(lines)} message{'s' * (len(lines) > 1)} undelivered:",
                         *lines[:SHOWN], *more])
    return Failed(message=message, data=Undelivered(message, result))


@task(retries=2, retry_delay_seconds=[5, 30], task_run_name="resend due messages")
def resend(at: dt.datetime) -> DispatchReport:
    """Claimed by compare-and-set: a retry of this step, or two runs at once, send each once."""
    return resend_due(database_url(), at, secret_lookup=secret_lookup)


def _name() -> str:
    return f"retry-failed {now().astimezone(TZ):%Y-%m-%d %H:%M}"


@flow(name="retry-failed", flow_run_name=_name)
async def retry_failed() -> dict[str, Any] | State:
    """Send again each failed message whose next attempt is due: today's reminders and
    escalations, and this month's digests (see tasks.digest.send.resend_due)."""
    at = now()
    report = resend(at)
    get_run_logger().info("%d messages due for another try: %s", len(report.messages),
                          report.counts())
    return ended({"at": at.isoformat(), **report.counts()}, report)
