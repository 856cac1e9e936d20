"""Deployments and schedules: one per plan task under its kind's flow, plus the daily run,
the monthly digest and the on-demand plan sync; `serve` runs them all from one process."""
from __future__ import annotations

import sqlalchemy as sa
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from flows.daily import daily_run
from flows.monthly import monthly_digest
from flows.plan_sync import sync_plan
from flows.tracking import KIND_FLOWS, MODULE_VARS
from tasks.record.lookups import resolve_plan
from tasks.record.models import Agency, Assignment, Task
from tasks.record.store import session

TZ = "Asia/Ho_Chi_Minh"
DAILY_CRON = "30 7 * * 1-5"  # 07:30 on weekdays; days off are skipped inside the flow
MONTHLY_CRON = "0 7 1-10 * *"  # 07:00 early each month; the flow acts on the first working day


def _by_module(flow, entry: str, **kwargs) -> RunnerDeployment:
    """A deployment that loads its flow by module path, pointed at the module-level flow object
    (flows made from one function would otherwise all load as that function)."""
    dep = flow.to_deployment(entrypoint_type=EntrypointType.MODULE_PATH, **kwargs)
    dep.entrypoint = entry
    return dep


def task_deployments(plan: str | None = None) -> list[RunnerDeployment]:
    """One deployment per plan task: name = task key, description = its text, tags = owners."""
    with session() as s:
        p = resolve_plan(s, plan)
        tasks = s.execute(sa.select(Task).where(Task.plan_id == p.id).order_by(Task.position)).scalars().all()
        owners: dict[int, list[str]] = {}
        for task_id, code in s.execute(
                sa.select(Assignment.task_id, Agency.code).join(Agency)
                .order_by(Assignment.role.desc(), Agency.code)):
            owners.setdefault(task_id, []).append(code)
    return [
        _by_module(KIND_FLOWS[t.kind], f"flows.tracking.{MODULE_VARS[t.kind]}",
                   name=t.key, description=f"{t.title_vi}\n\n{t.text_vi}".strip(),
                   tags=[t.kind, *owners.get(t.id, [])],
                   parameters={"task_key": t.key, "plan": p.key})
        for t in tasks
    ]


def all_deployments(plan: str | None = None) -> list[RunnerDeployment]:
    return [
        *task_deployments(plan),
        _by_module(daily_run, "flows.daily.daily_run", name="daily",
                   schedule=Cron(DAILY_CRON, timezone=TZ), parameters={"plan": plan},
                   description="Mỗi sáng ngày làm việc: theo dõi mọi nhiệm vụ và gửi nhắc việc."),
        _by_module(monthly_digest, "flows.monthly.monthly_digest", name="monthly",
                   schedule=Cron(MONTHLY_CRON, timezone=TZ),
                   parameters={"plan": plan, "scheduled": True},
                   description="Báo cáo tháng gửi lãnh đạo, ngày làm việc đầu tiên của tháng."),
        _by_module(sync_plan, "flows.plan_sync.sync_plan", name="on-demand",
                   description="Kiểm tra và nạp các tệp kế hoạch."),
    ]
