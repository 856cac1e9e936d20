"""`plantrack remind`, `simulate`, `serve`: the daily run, its replay, and the schedules."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from flows.cli.app import PLANS, app, guarded, lang, say
from flows.cli.console import parse_date, print_json, table, writable
from flows.clock import today
from tasks.words import COMMAND_WORDS, fmt_date

if TYPE_CHECKING:
    from tasks.simulate import DayCount


@app.command("remind")
def remind(as_of: str | None = typer.Option(None, "--as-of"),
           dry_run: bool = typer.Option(False, "--dry-run"),
           as_json: bool = typer.Option(False, "--json"),
           plan: list[str] | None = PLANS) -> None:
    """Run `daily-run` once: track every task and send the day's reminders; exit 1, with a line
    per message on stderr, when any is left undelivered."""
    day = parse_date(as_of, "--as-of") or today()
    if dry_run:
        from tasks.notices.day import preview_day
        from tasks.settings import database_url

        data = guarded(lambda: preview_day(database_url(), plan or [], day, lang()))
        print_json(data) if as_json else typer.echo(data["text"])
        return
    from flows.setup.server import api_server
    from tasks.notices.day import plan_tasks
    from tasks.settings import database_url

    guarded(plan_tasks, database_url(), plan or [])  # a record to remind from, before Prefect
    with api_server(announce=lambda m: typer.echo(m, err=True)):
        from flows.runs.daily import daily_run
        from flows.runs.retry import outcome

        result = outcome(daily_run(as_of=day, plans=plan, lang=lang()))
    print_json(result) if as_json else typer.echo(
        " ".join(f"{k}={v}" for k, v in result.items() if k != "undelivered"))
    for line in result.get("undelivered", []):  # the run ended Failed: say what and exit 1
        typer.echo(line, err=True)
    if result.get("undelivered"):
        raise typer.Exit(1)


@app.command("simulate")
def simulate(start: str = typer.Option(..., "--from"), end: str = typer.Option(..., "--to"),
             sink: Path | None = typer.Option(None, "--sink"),
             record: Path | None = typer.Option(
                 None, "--record"),
             plan: list[str] | None = PLANS,
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Replay every day of a period (at most 366, future days too) as the daily run would have
    done, on a copy of the record: the live record is not written."""
    from tasks.settings import SIMULATION_DATABASE, database_url
    from tasks.simulate import simulate as run
    from tasks.simulate import span

    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if sink is not None:
        writable(sink, "--sink")
    writable(record or SIMULATION_DATABASE, "--record", file=True)
    with _progress(guarded(span, first, last), say("simulate_progress")) as tick:
        sim = guarded(lambda: run(database_url(), record or SIMULATION_DATABASE, plan or [],
                                  first, last, sink, lang(), tick))
    if as_json:
        print_json(sim.as_json())
        return
    days = sim.days
    typer.echo(table(COMMAND_WORDS[lang()]["simulate_head"],
                     [[fmt_date(d.day), d.reminders, d.escalations, d.items] for d in days
                      if d.reminders or d.escalations]))
    typer.echo(say("simulate_totals", reminders=sum(d.reminders for d in days),
                   escalations=sum(d.escalations for d in days), days=len(days)))
    typer.echo(say("simulate_record", record=sim.record, live=sim.copy_of))


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[DayCount], None] | None]:
    """A progress bar of `total` days on stderr when stderr is a terminal; else nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        days = bar.add_task(label, total=total)
        yield lambda d: bar.update(days, advance=1, description=f"{label} {fmt_date(d.day)}")


@app.command("serve")
def serve(plan: list[str] | None = PLANS,
          limit: int = typer.Option(4, "--limit")) -> None:
    """Serve every deployment (tasks, daily-run, monthly-digest, retry-failed, sync-plan) from
    one process."""
    from flows.setup.server import api_server
    from tasks.notices.day import plan_tasks
    from tasks.settings import database_url

    guarded(plan_tasks, database_url(), plan or [])  # a record to serve, before Prefect starts
    with api_server(announce=typer.echo) as url:
        from prefect import serve as prefect_serve

        from flows.setup.deployments import all_deployments

        deployments = guarded(lambda: all_deployments(plan or [], today()))
        typer.echo(f"serving {len(deployments)} deployments on {url} (stop with Ctrl-C)")
        prefect_serve(*deployments, limit=limit, pause_on_shutdown=False)
