"""`monthly-digest`: the previous month compiled, written, published in the UI, and sent."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run

from flows.clock import now, today
from flows.prefect_secrets import secret_lookup
from tasks.digest.compile import compile_digest
from tasks.digest.render import write_digest
from tasks.digest.send import send_digest
from tasks.months import previous_month
from tasks.record.lookups import plan_calendar, resolve_plan
from tasks.record.store import database_url, session
from tasks.settings import ROOT

OUT = ROOT / "out" / "digests"


def _name() -> str:
    p = flow_run.parameters
    return f"monthly-digest {p.get('month') or previous_month(p.get('as_of') or today())}"


@task(retries=2, retry_delay_seconds=[10, 60], task_run_name="send digest {month}")
def send(month: str, plan: Any, digest: Any, files: dict, lang: str) -> dict[str, int]:
    """Claimed before it is sent: a retry or a second run never sends a month twice."""
    return send_digest(database_url(), plan, digest, files, now=now(), lang=lang,
                       secret_lookup=secret_lookup).counts()


@flow(name="monthly-digest", flow_run_name=_name, log_prints=True)
async def monthly_digest(month: str | None = None, as_of: dt.date | None = None,
                         plan: str | None = None, lang: str = "vi", send_email: bool = True,
                         scheduled: bool = False, out: str | None = None) -> dict[str, Any]:
    """Compile `month` (default: the one before `as_of`), write files, publish, send.

    A scheduled run fires early each month and acts only on the first working day.
    """
    log = get_run_logger()
    day = as_of or today()
    with session() as s:
        p = resolve_plan(s, plan)
        first_working = plan_calendar(p).roll_forward(day.replace(day=1))
        if scheduled and day != first_working:
            log.info("not the first working day of the month (%s): nothing to do",
                     f"{first_working:%d/%m/%Y}")
            return {"skipped": True}
        month = month or previous_month(day)
        digest = compile_digest(s, p, month)
    files = write_digest(digest, Path(out or OUT) / month, lang)
    key = f"digest-{month}"
    await create_markdown_artifact(key=key, markdown=files["md"].read_text(encoding="utf-8"),
                                   description=f"Báo cáo tháng {month}")
    for name, rows in (("agencies", digest.agencies), ("kinds", digest.by_kind),
                       ("kpis", digest.kpis)):
        await create_table_artifact(key=f"{key}-{name}", table=rows)
    result: dict[str, Any] = {"month": month, "files": sorted(str(f) for f in files.values()),
                              "totals": digest.totals}
    if send_email:
        result["sent"] = send(month, p, digest, files, lang)
    return result
