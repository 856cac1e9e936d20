"""`sync-plan`: validate and load the plan files an office edits (on demand)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import acreate_markdown_artifact

from flows.runs.artifacts import md_table
from tasks.errors import Invalid, PlantrackError
from tasks.plan.load import load_file
from tasks.settings import PLANS
from tasks.words import office_lang


@task(task_run_name="load {path.name}")
def load_one(path: Path) -> dict[str, dict[str, int]]:
    try:
        return load_file(path)
    except PlantrackError as exc:  # what a person fixes: in the run's logs, in their language
        lang = office_lang()
        for line in exc.lines(lang) if isinstance(exc, Invalid) else [exc.said(lang)]:
            get_run_logger().error(line)
        raise


@flow(name="sync-plan", log_prints=True)
async def sync_plan(files: list[str] | None = None) -> dict[str, Any]:
    """Validate and load each plan file in one transaction (all of config/plans by default)."""
    paths = [Path(f) for f in files] if files else sorted(PLANS.glob("*.yaml"))
    changes = {p.name: load_one(p) for p in paths}
    rows = [[name, what, c["added"], c["changed"], c["removed"]]
            for name, ch in changes.items() for what, c in ch.items()]
    await acreate_markdown_artifact(
        key="sync-plan", markdown="# Nạp kế hoạch\n\n" + md_table(
            ["Tệp", "Nội dung", "Thêm", "Sửa", "Xoá"], rows))
    return changes
