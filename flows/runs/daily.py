"""`daily-run`: every task of the plan as a subflow, then the day's reminders queued and
dispatched — after what is due of the last days' — Failed when a message is left undelivered,
the record's failure first when it failed (the retry-failed flow, or any later run, finishes
what it left)."""
from __future__ import annotations

import datetime as dt
from itertools import chain
from typing import Any

from prefect import State, flow, get_run_logger, tags, task
from prefect.artifacts import acreate_table_artifact
from prefect.runtime import flow_run

from flows.clock import now, today
from flows.runs.artifacts import notices_table
from flows.runs.retry import ended, step_ended, step_report
from flows.runs.tracking import KIND_FLOWS
from flows.setup.prefect_secrets import secret_lookup
from tasks.notices.day import day_off, day_plans, plan_tasks
from tasks.notices.decide import Notice, merge
from tasks.notices.dispatch import (
    DispatchReport,
    Queued,
    batches,
    dispatch,
    queue,
    unsent_after,
)
from tasks.settings import database_url
from tasks.words import ARTIFACT_WORDS, fmt_date, office_lang
from tasks.words.phrase import Phrase


@task(task_run_name="queue {label}")
def queue_day(notices: list[Notice], label: str) -> Queued:
    """Every message of the day into the record before any is sent: what any later run
    finishes if this one stops."""
    return queue(database_url(), notices, now())


@task(task_run_name="dispatch {label}")
def dispatch_batch(notices: list[Notice], queued: Queued, label: str, lang: str,
                   day: dt.date, retry: bool) -> DispatchReport | State:
    """Claim, send and settle one batch, one message at a time (with `retry`, after what is due
    of the last days' and of `day`'s); Failed, with the reason, when one is left undelivered —
    the record failing included. No Prefect retries (see flows.runs.retry)."""
    return step_ended(dispatch(database_url(), notices, now=now(), lang=lang,
                               secret_lookup=secret_lookup, queued=queued, retry=retry,
                               days=[day]))


def _name() -> str:
    return f"daily-run {flow_run.parameters.get('as_of') or today()}"


@flow(name="daily-run", flow_run_name=_name, log_prints=True)
async def daily_run(as_of: dt.date | None = None, plans: list[str] | None = None,
                    lang: str = "vi", batch_size: int = 50) -> dict[str, Any] | State:
    """Track every task of every plan reminded today (or of the plans named) as nested runs,
    then send the day's reminders once: one message per agency, listing every plan. Failed,
    naming them, when messages are left undelivered."""
    log = get_run_logger()
    day = as_of or today()
    every = plan_tasks(database_url(), plans or ())
    if (why := day_off([p.plan for p in every], day)) is not None:
        log.info(Phrase("{day} is a day off ({why}): no reminders", day=day, why=why).said(
            office_lang()))
        return {"day": day.isoformat(), "day_off": True, "notices": 0}
    todo = day_plans(database_url(), plans or (), day)
    decided = []
    # One after another: created all at once, the subflow runs contend for the Prefect server's
    # database (measured: 17–20 s for the shipped plan instead of 6 s).
    for p in todo:
        for t in p.tasks:
            with tags(t.task.kind, f"lead:{min(t.lead, default='-')}", f"plan:{p.plan.key}"):
                decided.append(await KIND_FLOWS[t.task.kind](task_key=t.task.key, as_of=day,
                                                             plan=p.plan.key))
    tasks = [t for p in todo for t in p.tasks]
    notices = merge(chain.from_iterable(decided))
    queued = queue_day(notices, f"{day}")
    report = DispatchReport()
    # Always one step, even with nothing new: it retries what is due of the last days' first.
    for n, batch in enumerate(list(batches(notices, batch_size)) or [[]], start=1):
        if report.record_error:  # the record failed: the rest stays queued for the next run
            report.extend(unsent_after(batch, queued, report.record_error, now()))
            continue
        report.extend(await step_report(dispatch_batch(list(batch), queued, f"{day} {n}", lang, day,
                                                 n == 1, return_state=True)))
    head, rows = notices_table(notices, office_lang())
    await acreate_table_artifact(
        key="daily-run-reminders",
        table=[dict(zip(head, row, strict=True)) for row in rows],
        description=ARTIFACT_WORDS[office_lang()]["day"].format(day=fmt_date(day)))
    log.info(Phrase("{n} messages for {tasks} tasks: {counts}", n=len(notices), tasks=len(tasks),
                    counts=report.counts()).said(office_lang()))
    return ended({"day": day.isoformat(), "day_off": False, "notices": len(notices),
                  **report.counts()}, report)

