"""Reading back what the Prefect API kept of a run (the flow tests' session harness is in
conftest.py)."""
from __future__ import annotations

import asyncio
from typing import Any


async def _read(read: Any) -> Any:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return await read(client)


def prefect(read: Any) -> Any:
    """`read(client)` against the current Prefect API."""
    return asyncio.run(_read(read))


def run_named(name: str) -> Any:
    """The newest flow run of that name, as the Prefect API has it."""
    runs = [r for r in prefect(lambda c: c.read_flow_runs()) if r.name == name]
    return max(runs, key=lambda r: r.created)


def run_logs(run_id: Any) -> list[Any]:
    """Every log of a flow run (and of its task runs) that reached the Prefect API, once the
    queued logs are sent."""
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    from flows.setup.server import drain

    drain()
    return prefect(lambda c: c.read_logs(
        log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id]))))
