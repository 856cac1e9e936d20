"""Deployments and schedules: one per plan task under its kind's flow, plus the daily run,
the monthly digest, the retries of failed messages and the on-demand plan sync; `serve` runs
them all from one process."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from flows.runs.daily import daily_run
from flows.runs.monthly import monthly_digest
from flows.runs.plan_sync import sync_plan
from flows.runs.retry import retry_failed
from flows.runs.tracking import KIND_FLOWS, MODULE_VARS
from tasks.notices.day import plan_tasks
from tasks.settings import DAILY_CRON, MONTHLY_CRON, RETRY_CRON, TIME_ZONE, database_url

DAILY_ABOUT = ("Mỗi sáng ngày làm việc (07:30, giờ Việt Nam): theo dõi mọi nhiệm vụ và gửi "
               "nhắc việc.")
MONTHLY_ABOUT = ("Báo cáo tháng gửi lãnh đạo: mỗi sáng ngày làm việc (07:00, giờ Việt Nam), "
                 "gửi báo cáo tháng trước nếu còn người nhận chưa được gửi, từ ngày làm việc "
                 "đầu tiên của tháng.")
RETRY_ABOUT = ("Gửi lại tin nhắn bị lỗi khi đến lượt thử lại (sau 5, 10, 20, 40 phút, rồi mỗi "
               "giờ): mười phút một lần, 07:00–17:50 ngày thường, giờ Việt Nam.")


def _by_module(flow, entry: str, **kwargs) -> RunnerDeployment:
    """A deployment that loads its flow by module path, pointed at the module-level flow object
    (flows made from one function would otherwise all load as that function)."""
    dep = flow.to_deployment(entrypoint_type=EntrypointType.MODULE_PATH, **kwargs)
    dep.entrypoint = entry
    return dep


def task_deployments(plans: Sequence[str] = (), day: dt.date | None = None
                     ) -> list[RunnerDeployment]:
    """One deployment per task of each plan (named, or live on `day`): name = PLAN.TASK (a task
    key may repeat across plans), description = its text, tags = its kind, plan and owners."""
    return [
        _by_module(KIND_FLOWS[t.task.kind], f"flows.runs.tracking.{MODULE_VARS[t.task.kind]}",
                   name=f"{p.plan.key}.{t.task.key}",
                   description=f"{t.task.title_vi}\n\n{t.task.text_vi}".strip(),
                   tags=[t.task.kind, f"plan:{p.plan.key}", *t.lead, *t.coordinating],
                   parameters={"task_key": t.task.key, "plan": p.plan.key})
        for p in plan_tasks(database_url(), plans, day) for t in p.tasks
    ]


def all_deployments(plans: Sequence[str] = (), day: dt.date | None = None
                    ) -> list[RunnerDeployment]:
    """Every deployment `serve` runs: the tasks of the plans named (or live on `day`), and the
    daily run, the monthly digest and the plan sync over the same plans (all live ones, each
    day, when none is named), and the retries of failed messages (whichever plan they are of)."""
    named = list(plans) or None
    return [
        *task_deployments(plans, day),
        _by_module(daily_run, "flows.runs.daily.daily_run", name="daily",
                   schedule=Cron(DAILY_CRON, timezone=TIME_ZONE), parameters={"plans": named},
                   description=DAILY_ABOUT),
        _by_module(monthly_digest, "flows.runs.monthly.monthly_digest", name="monthly",
                   schedule=Cron(MONTHLY_CRON, timezone=TIME_ZONE),
                   parameters={"plans": named, "scheduled": True}, description=MONTHLY_ABOUT),
        _by_module(retry_failed, "flows.runs.retry.retry_failed", name="retry",
                   schedule=Cron(RETRY_CRON, timezone=TIME_ZONE), description=RETRY_ABOUT),
        _by_module(sync_plan, "flows.runs.plan_sync.sync_plan", name="on-demand",
                   description="Kiểm tra và nạp các tệp kế hoạch."),
    ]
