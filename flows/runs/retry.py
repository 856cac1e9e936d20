"""`retry-failed`: every ten minutes of the working day, the messages due for another try are
sent — failed ones whose retry time has come, and ones a run left queued or claimed past the
lease, of the last PLANTRACK_RETRY_DAYS days (older ones are given up and named) — so the
backoff runs between the morning runs; and `ended`, how each run that sends ends: Failed,
naming every message it left undelivered and why, the record's failure first.

A sending step never raises for a channel or the record failing: it returns what became of each
message, Failed (`step_ended`) when one is left undelivered. It has no Prefect retries — they
would come back inside the lease and find the step's own messages held — the next run (this
flow, ten minutes later, or any run of any day) finishes what it left.
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
from tasks.notices.outbox import record_failure
from tasks.settings import database_url
from tasks.words import office_lang
from tasks.words.phrase import Phrase

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
    Prefect gives back the value it returned, or raises the exception a Failed state holds —
    the record failing before the run sent anything is one line too."""
    try:
        value = asyncio.run(run)
    except Undelivered as exc:
        return exc.result
    except Exception as exc:
        reason = record_failure(exc)
        if reason is None:
            raise
        return {"record_error": reason, "undelivered": [
            Phrase("nothing sent: the record failed ({reason})", reason=reason).said(
                office_lang())]}
    assert isinstance(value, dict)
    return value


def _summary(report: DispatchReport) -> str:
    """The Failed state's message, in the office's language."""
    lang = office_lang()
    lines = report.undelivered(lang)
    more = [Phrase("… and {n} more (see the run's logs)", n=len(lines) - SHOWN).said(lang)
            ] if len(lines) > SHOWN else []
    head = [Phrase("the record failed: {reason}", reason=report.record_error).said(lang)
            ] if report.record_error else []
    return "\n".join([*head, Phrase("messages undelivered: {n}", n=len(lines)).said(lang),
                      *lines[:SHOWN], *more])


def ended(result: dict[str, Any], report: DispatchReport) -> dict[str, Any] | State:
    """`result` with the run's undelivered lines, or — when a message is still undelivered
    after the run's own tries — a Failed state naming each, after the record's failure if it
    failed (a run that returns normally is Completed whatever it counted). Each line goes to
    the run's logs too."""
    lines = report.undelivered(office_lang())
    result = {**result, "undelivered": lines}
    if report.record_error:
        result["record_error"] = report.record_error
    if not lines:
        return result
    log = get_run_logger()
    if report.record_error:
        log.error(Phrase("the record failed: {reason}", reason=report.record_error).said(
            office_lang()))
    for line in lines:
        log.error(Phrase("undelivered: {line}", line=line).said(office_lang()))
    message = _summary(report)
    return Failed(message=message, data=Undelivered(message, result))


def step_ended(report: DispatchReport) -> DispatchReport | State:
    """What a sending step returns: its report, or a Failed state holding it and naming what it
    left undelivered (the step shows Failed in the UI, with the reason)."""
    if not report.undelivered():
        return report
    return Failed(message=_summary(report), data=report)


async def step_report(state: State) -> DispatchReport:
    """The report of a sending step called with `return_state=True`, Failed or not; the step's
    own exception (a bug) raised again."""
    data = await state.aresult(raise_on_failure=False)
    if isinstance(data, DispatchReport):
        return data
    await state.aresult()  # raises what the step raised
    raise TypeError(f"a sending step returned {type(data).__name__}")


@task(task_run_name="resend due messages")
def resend(at: dt.datetime) -> DispatchReport | State:
    """Each claimed by compare-and-set just before it is sent: two runs at once send each once."""
    return step_ended(resend_due(database_url(), at, secret_lookup=secret_lookup))


def _name() -> str:
    return f"retry-failed {now().astimezone(TZ):%Y-%m-%d %H:%M}"


@flow(name="retry-failed", flow_run_name=_name)
async def retry_failed() -> dict[str, Any] | State:
    """Send each message due for another try: the reminders and escalations of the last
    PLANTRACK_RETRY_DAYS days, and this month's digests (see tasks.digest.send.resend_due)."""
    at = now()
    report = await step_report(resend(at, return_state=True))
    get_run_logger().info("%d messages due for another try: %s", len(report.messages),
                          report.counts())
    return ended({"at": at.isoformat(), **report.counts()}, report)
