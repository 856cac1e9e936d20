"""The task-tracking flow: one plan task's deadlines as of a day, and the reminders it decides.

One function, five flows: in the Prefect UI each task kind is a flow of its own
(`leadership`, `committee-reinforcement`, …) so the flow list reads like the plan.
"""
from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.artifacts import acreate_markdown_artifact
from prefect.runtime import flow_run

from flows.clock import today
from flows.runs.artifacts import status_markdown
from tasks.notices.day import track_task as track
from tasks.notices.decide import Notice
from tasks.settings import database_url
from tasks.words import ARTIFACT_WORDS, fmt_date, office_lang

FLOW_NAMES = {
    "leadership": "leadership",
    "committee": "committee-reinforcement",
    "admin-reform": "administrative-reform",
    "coordination": "coordination",
    "inspection": "inspection",
}


def run_name() -> str:
    """Runs are named for what they did: '<task> <day>'."""
    params = flow_run.parameters
    return f"{params['task_key']} {params.get('as_of') or today()}"


async def track_task(task_key: str, as_of: dt.date | None = None,
                     plan: str | None = None) -> list[Notice]:
    """Evaluate one task's own deadlines as of the day; publish its status; return reminders."""
    day = as_of or today()
    done = track(database_url(), plan, task_key, day)
    await acreate_markdown_artifact(
        key=f"status-{task_key}", markdown=status_markdown(task_key, day, done.statuses,
                                                           done.notices, office_lang()),
        description=ARTIFACT_WORDS[office_lang()]["track"].format(task=task_key,
                                                                   day=fmt_date(day)))
    return done.notices


KIND_FLOWS = {
    kind: flow(name=name, flow_run_name=run_name, log_prints=True,
               description=ARTIFACT_WORDS[office_lang()]["track_flow"].format(kind=kind)
               )(track_task)
    for kind, name in FLOW_NAMES.items()
}
# Module-level names, so that deployments and workers can load each flow by its entrypoint.
leadership = KIND_FLOWS["leadership"]
committee_reinforcement = KIND_FLOWS["committee"]
administrative_reform = KIND_FLOWS["admin-reform"]
coordination = KIND_FLOWS["coordination"]
inspection = KIND_FLOWS["inspection"]
MODULE_VARS = {kind: name.replace("-", "_") for kind, name in FLOW_NAMES.items()}
