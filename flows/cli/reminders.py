"""`plantrack remind`, `simulate`, `serve`: the daily run, its replay, and the schedules."""
from __future__ import annotations

from pathlib import Path

import typer

from flows.cli.app import PLANS, app, guarded, lang
from flows.cli.console import fail, parse_date, print_json, table
from flows.clock import today


@app.command("remind")
def remind(as_of: str | None = typer.Option(None, "--as-of", help="day (default: today)"),
           dry_run: bool = typer.Option(False, "--dry-run",
                                        help="print the messages; send and claim nothing"),
           as_json: bool = typer.Option(False, "--json"),
           plan: list[str] | None = PLANS) -> None:
    """Run `daily-run` once: track every task and send the day's reminders."""
    day = parse_date(as_of, "--as-of") or today()
    if dry_run:
        from tasks.notices.day import preview_day
        from tasks.settings import database_url

        data = guarded(lambda: preview_day(database_url(), plan or [], day, lang()))
        print_json(data) if as_json else typer.echo(data["text"])
        return
    import asyncio

    from flows.setup.server import api_server

    with api_server(announce=lambda m: typer.echo(m, err=True)):
        from flows.runs.daily import daily_run

        result = asyncio.run(daily_run(as_of=day, plans=plan, lang=lang()))
    print_json(result) if as_json else typer.echo(
        " ".join(f"{k}={v}" for k, v in result.items()))


@app.command("simulate")
def simulate(start: str = typer.Option(..., "--from"), end: str = typer.Option(..., "--to"),
             sink: Path | None = typer.Option(None, "--sink", help="write messages here"),
             plan: list[str] | None = PLANS,
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Replay every day of a period through the core, as the daily run would have done."""
    from tasks.settings import database_url
    from tasks.simulate import replay

    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if last < first:
        fail("--to: the period ends before it starts")
    days = guarded(lambda: replay(database_url(), plan or [], first, last, sink, lang()))
    if as_json:
        print_json([d.as_json() for d in days])
        return
    typer.echo(table(["day", "reminders", "escalations", "items"],
                     [[f"{d.day:%d/%m/%Y}", d.reminders, d.escalations, d.items] for d in days
                      if d.reminders or d.escalations]))
    typer.echo(f"{sum(d.reminders for d in days)} reminders, "
               f"{sum(d.escalations for d in days)} escalations over {len(days)} days")


@app.command("serve")
def serve(plan: list[str] | None = PLANS,
          limit: int = typer.Option(4, "--limit", help="flow runs at once")) -> None:
    """Serve every deployment (tasks, daily-run, monthly-digest, sync-plan) from one process."""
    from flows.setup.server import api_server

    with api_server(announce=typer.echo) as url:
        from prefect import serve as prefect_serve

        from flows.setup.deployments import all_deployments

        deployments = guarded(lambda: all_deployments(plan or [], today()))
        typer.echo(f"serving {len(deployments)} deployments on {url} (stop with Ctrl-C)")
        prefect_serve(*deployments, limit=limit, pause_on_shutdown=False)
