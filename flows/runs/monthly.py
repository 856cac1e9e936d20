"""`monthly-digest`: the previous month compiled, written, published in the UI, and sent."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import acreate_markdown_artifact, acreate_table_artifact
from prefect.runtime import flow_run

from flows.clock import now, today
from flows.setup.prefect_secrets import secret_lookup
from tasks.calendar import previous_month
from tasks.digest.month import (
    MonthDigest,
    first_working_day,
    month_plans,
    send_month,
    write_month,
)
from tasks.settings import DIGESTS, database_url


def _name() -> str:
    p = flow_run.parameters
    return f"monthly-digest {p.get('month') or previous_month(p.get('as_of') or today())}"


@task(retries=2, retry_delay_seconds=[10, 60], task_run_name="send digest {month}")
def send(month: str, made: MonthDigest) -> dict[str, int]:
    """Claimed before it is sent: a retry or a second run never sends a month twice."""
    return send_month(database_url(), made, now=now(), secret_lookup=secret_lookup).counts()


@flow(name="monthly-digest", flow_run_name=_name, log_prints=True)
async def monthly_digest(month: str | None = None, as_of: dt.date | None = None,
                         plans: list[str] | None = None, lang: str | None = None,
                         send_email: bool = True, scheduled: bool = False,
                         out: str | None = None) -> dict[str, Any]:
    """Compile `month` (default: the one before `as_of`) for each plan live that month (or
    each plan named), in the plan's digest language unless `lang` says otherwise; write the
    files, publish them, send them.

    A scheduled run fires early each month and acts only on a plan's first working day.
    """
    log = get_run_logger()
    day = as_of or today()
    month = month or previous_month(day)
    digests = []
    for plan in month_plans(database_url(), plans or (), month):
        first_working = first_working_day(database_url(), plan, day)
        if scheduled and day != first_working:
            log.info("%s: not the first working day of the month (%s): nothing to do", plan,
                     f"{first_working:%d/%m/%Y}")
            continue
        digests.append(await _one(plan, month, lang, send_email, Path(out) if out else DIGESTS))
    return {"month": month, "digests": digests}


async def _one(plan: str, month: str, lang: str | None, send_email: bool, out: Path
               ) -> dict[str, Any]:
    """One plan's digest of the month: written, published as artifacts, sent."""
    made = write_month(database_url(), plan, month, out, lang)
    key = f"digest-{plan}-{month}"
    await acreate_markdown_artifact(key=key,
                                    markdown=made.files["md"].read_text(encoding="utf-8"),
                                    description=f"Báo cáo tháng {month}: {made.plan.title_vi}")
    for name, rows in (("agencies", made.digest.agencies), ("kinds", made.digest.by_kind),
                       ("kpis", made.digest.kpis)):
        await acreate_table_artifact(key=f"{key}-{name}", table=rows)
    result: dict[str, Any] = {"plan": plan, "month": month, "lang": made.lang,
                              "files": sorted(str(f) for f in made.files.values()),
                              "totals": made.digest.totals}
    if send_email:
        result["sent"] = send(month, made)
    return result
