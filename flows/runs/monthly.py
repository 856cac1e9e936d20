"""`monthly-digest`: the previous month compiled, written, published in the UI, and sent; Failed
when a recipient is left without it (the retry-failed flow tries again)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from prefect import State, flow, get_run_logger, task
from prefect.artifacts import acreate_markdown_artifact, acreate_table_artifact
from prefect.runtime import flow_run

from flows.clock import now, today
from flows.runs.retry import ended, step_ended, step_report
from flows.setup.prefect_secrets import secret_lookup
from tasks.calendar import previous_month
from tasks.digest.month import MonthDigest, due_digests, month_plans, send_month, write_month
from tasks.digest.tables import build_tables
from tasks.notices.dispatch import DispatchReport
from tasks.settings import DIGESTS, database_url
from tasks.web.links import public_chart_links
from tasks.words import ARTIFACT_WORDS, month_label, office_lang
from tasks.words.phrase import Phrase


def _name() -> str:
    p = flow_run.parameters
    return f"monthly-digest {p.get('month') or previous_month(p.get('as_of') or today())}"


@task(task_run_name="send digest {month}")
def send(month: str, made: MonthDigest) -> DispatchReport | State:
    """Queued, then claimed just before it is sent: a second run never sends a month twice;
    Failed, with the reason, when a recipient is left without it. No Prefect retries (see
    flows.runs.retry): the retry-failed flow sends what it left."""
    return step_ended(send_month(database_url(), made, now=now(), secret_lookup=secret_lookup))


@flow(name="monthly-digest", flow_run_name=_name, log_prints=True)
async def monthly_digest(month: str | None = None, as_of: dt.date | None = None,
                         plans: list[str] | None = None, lang: str | None = None,
                         send_email: bool = True, scheduled: bool = False,
                         out: str | None = None) -> dict[str, Any] | State:
    """Compile `month` (default: the one before `as_of`) for each plan live that month (or
    each plan named), in the plan's digest language unless `lang` says otherwise; write the
    files, publish them, send them. Failed, naming them, when a recipient is left without it.

    A scheduled run (each working morning, no `month`) does only the digests still owed to
    someone (tasks.digest.month.due_digests): a missed first working day is caught up.
    """
    log = get_run_logger()
    day = as_of or today()
    if scheduled and month is None:
        month, keys = previous_month(day), due_digests(database_url(), plans or (), day)
        log.info(Phrase("{day}: digests of {month} due and not yet sent: {plans}", day=day,
                        month=month_label(month, office_lang()),
                        plans=", ".join(keys) or Phrase("none")).said(office_lang()))
    else:
        month = month or previous_month(day)
        keys = month_plans(database_url(), plans or (), month)
    digests, report = [], DispatchReport()
    for plan in keys:
        digest, sent = await _one(plan, month, lang, send_email, Path(out) if out else DIGESTS)
        digests.append(digest)
        report.extend(sent)
    return ended({"month": month, "digests": digests}, report)


async def _one(plan: str, month: str, lang: str | None, send_email: bool, out: Path
               ) -> tuple[dict[str, Any], DispatchReport]:
    """One plan's digest of the month: written, published as artifacts, sent."""
    made = write_month(database_url(), plan, month, out, lang, docx=True)  # + the Word report
    key = f"digest-{plan}-{month}"
    await acreate_markdown_artifact(key=key,
                                    markdown=public_chart_links(
                                        made.files["md"].read_text(encoding="utf-8"), plan, month),
                                    description=ARTIFACT_WORDS[made.lang]["month"].format(
                                        month=month_label(month, made.lang),
                                        title=getattr(made.plan, f"title_{made.lang}")))
    tables = build_tables(made.digest, made.lang)  # the report's own tables, in its language
    for name, table in (("agencies", "agencies"), ("kinds", "by_kind"), ("kpis", "kpis")):
        t = tables[table]
        await acreate_table_artifact(
            key=f"{key}-{name}", description=t.title,
            table=[dict(zip([c.header for c in t.columns], cells, strict=True))
                   for cells, _ in t.lines(made.lang)])
    result: dict[str, Any] = {"plan": plan, "month": month, "lang": made.lang,
                              "files": sorted(str(f) for f in made.files.values()),
                              "totals": made.digest.totals}
    if not send_email:
        return result, DispatchReport()
    report = await step_report(send(month, made, return_state=True))
    return {**result, "sent": report.counts()}, report
