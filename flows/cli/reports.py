"""`plantrack report` and `event record`: appending what agencies say and what happened."""
from __future__ import annotations

import typer

from flows.cli.app import PLAN, app, event_app, guarded, lang, say
from flows.cli.console import fail, parse_date
from flows.clock import today


@app.command("report")
def report(task: str,
           agency: str = typer.Option(..., "--agency"),
           period: str = typer.Option(..., "--period"),
           status_: str = typer.Option(..., "--status"),
           progress: int | None = typer.Option(None, "--progress"),
           note: str = typer.Option("", "--note"),
           evidence: str = typer.Option("", "--evidence"),
           on: str | None = typer.Option(None, "--on"),
           completed: str | None = typer.Option(None, "--completed"),
           rule: str | None = typer.Option(None, "--rule"),
           by: str = typer.Option("", "--by"),
           plan: str | None = PLAN) -> None:
    """Record an agency's report on one deadline (appended; never overwrites)."""
    from tasks.errors import BadInput
    from tasks.record.appending import ReportIn, add_report
    from tasks.record.lookups import find_deadline, resolve_plan
    from tasks.record.store import session
    from tasks.words import REPORT_STATUS_LABELS, fmt_date, parse_status, period_label

    try:
        st = parse_status(status_)
    except BadInput as exc:
        fail(f"--status: {exc.said(lang())}")
    r = ReportIn(st, progress, note, evidence, by, parse_date(on, "--on"),
                 parse_date(completed, "--completed"))

    def run():
        with session() as s:
            p = resolve_plan(s, plan, today())
            return add_report(s, find_deadline(s, p, task, agency, period, rule), r, today())

    row = guarded(run)
    typer.echo(say("report", id=row.id, task=task, agency=agency,
                   period=period_label(period, lang()),
                   status=REPORT_STATUS_LABELS[lang()][row.status], progress=row.progress,
                   on=fmt_date(row.reported_on)))


@event_app.command("record")
def event_record(kind: str, agency: str = typer.Option(..., "--agency"),
                 on: str = typer.Option(..., "--on"), note: str = typer.Option("", "--note"),
                 plan: str | None = PLAN) -> None:
    """Record an event (e.g. personnel-change) and create the deadlines it triggers."""
    from tasks.record.appending import record_event
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session

    day = parse_date(on, "--on")

    def run():
        with session() as s:
            p = resolve_plan(s, plan, day)
            return [(d.rule_key, d.due_on) for d in record_event(s, p, kind, agency, day, note)]

    for rule_key, due in guarded(run):
        typer.echo(say("event", rule=rule_key, agency=agency, due=f"{due:%d/%m/%Y}"))
