"""`plantrack db`, `plan`, `agencies`, `tasks`: the record, plan files and what they hold."""
from __future__ import annotations

from pathlib import Path

import typer

from flows.cli.app import PLANS, app, db_app, guarded, lang, plan_app, say
from flows.cli.console import fail, parse_date, print_json, shorten, table
from flows.clock import today
from tasks.words import COMMAND_WORDS, fmt_date


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the record's tables to the newest version."""
    from tasks.record.store import database_url, upgrade

    upgrade()
    typer.echo(say("upgraded", url=_masked(database_url())))


def _masked(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@plan_app.command("check")
def plan_check(files: list[Path]) -> None:
    """Validate plan files; print every problem as FILE:LINE: field: message (exit 2), and
    every warning the same way (exit 0)."""
    from tasks.errors import PlanInvalid
    from tasks.plan.validate import validate

    bad = False
    for f in files:
        try:
            spec = validate(f)
        except PlanInvalid as exc:
            bad = True
            for line in exc.lines(lang()):
                typer.echo(line, err=True)
            continue
        typer.echo(say("check_ok", file=f, tasks=len(spec.tasks), deadlines=len(spec.deadlines),
                       kpis=len(spec.plan.kpis)))
        for w in spec.warnings:  # valid, but likely not what was meant: exit 0
            typer.echo(w.said(lang()), err=True)
    if bad:
        raise typer.Exit(2)


@plan_app.command("load")
def plan_load(file: Path, as_json: bool = typer.Option(False, "--json")) -> None:
    """Validate a plan file, then write it in one transaction and print what changed."""
    from tasks.plan.load import load_file

    changes = guarded(lambda: load_file(file))
    if as_json:
        print_json(changes)
        return
    what = COMMAND_WORDS[lang()]["what"]
    rows = [[what[w], c["added"], c["changed"], c["removed"]] for w, c in changes.items()]
    typer.echo(table(COMMAND_WORDS[lang()]["load_head"], rows))
    if not any(v for c in changes.values() for v in c.values()):
        typer.echo(say("nothing"))


@plan_app.command("list")
def plan_list(as_of: str | None = typer.Option(None, "--as-of"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Every plan in the record with its period and its state on a day (draft, active, ended,
    closed): active and ended plans are the ones reminded."""
    from tasks.record.lookups import plan_state, resolve_plans
    from tasks.record.store import session

    day = parse_date(as_of, "--as-of") or today()

    def run() -> list[dict[str, str | None]]:
        with session() as s:
            return [{"key": p.key, "state": plan_state(s, p, day),
                     "issued_on": p.issued_on.isoformat() if p.issued_on else None,
                     "start": p.period_start.isoformat(), "end": p.period_end.isoformat(),
                     "title_vi": p.title_vi, "title_en": p.title_en}
                    for p in resolve_plans(s)]

    rows = guarded(run)
    if as_json:
        print_json(rows)
        return
    words = COMMAND_WORDS[lang()]
    typer.echo(table(words["plans_head"], [
        [r["key"], words["states"][r["state"]], f"{fmt_date(r['start'])} → {fmt_date(r['end'])}",
         shorten(str(r["title_" + lang()]), 60)] for r in rows]))


def _close(key: str, on: str | None, note: str, closed: bool) -> None:
    from tasks.record.appending import close_plan
    from tasks.record.store import session

    day = parse_date(on, "--on") or today()

    def run() -> None:
        with session() as s:
            close_plan(s, key, day, note, closed)

    guarded(run)
    typer.echo(say("closed" if closed else "reopened", plan=key, on=f"{day:%d/%m/%Y}"))


@plan_app.command("close")
def plan_close(key: str, on: str | None = typer.Option(None, "--on"),
               note: str = typer.Option("", "--note")) -> None:
    """Close a plan: from that day it is never reminded again, and stays readable."""
    _close(key, on, note, True)


@plan_app.command("reopen")
def plan_reopen(key: str, on: str | None = typer.Option(None, "--on"),
                note: str = typer.Option("", "--note")) -> None:
    """Reopen a closed plan: reminders resume from that day."""
    _close(key, on, note, False)


@app.command("agencies")
def agencies(as_json: bool = typer.Option(False, "--json")) -> None:
    """The agency directory in the record."""
    from tasks.record.lookups import NO_PLAN, agencies_by_code
    from tasks.record.store import session
    from tasks.words.phrase import Phrase

    with session() as s:
        rows = list(agencies_by_code(s).values())
    if not rows:
        fail(Phrase(NO_PLAN).said(lang()))
    if as_json:
        print_json([{"code": a.code, "name_vi": a.name_vi, "name_en": a.name_en,
                     "level": a.level, "parent": a.parent_code} for a in rows])
        return
    name = "name_vi" if lang() == "vi" else "name_en"
    typer.echo(table(COMMAND_WORDS[lang()]["agencies_head"],
                     [[a.code, getattr(a, name), a.parent_code or ""] for a in rows]))


@app.command("tasks")
def tasks_cmd(plan: list[str] | None = PLANS,
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Each plan's tasks with their kind and owners (every active plan, or those named)."""
    from tasks.notices.day import plan_tasks
    from tasks.settings import database_url
    from tasks.words import KIND_LABELS

    plans = guarded(plan_tasks, database_url(), plan or [], None if plan else today())
    if as_json:
        print_json([{"plan": p.plan.key, **t.as_json()} for p in plans for t in p.tasks])
        return
    title = "title_vi" if lang() == "vi" else "title_en"
    typer.echo("\n\n".join(
        f"{p.plan.key}: {getattr(p.plan, title)}\n" + table(
            COMMAND_WORDS[lang()]["tasks_head"],
            [[("  " if t.task.parent_key else "") + t.task.key, KIND_LABELS[lang()][t.task.kind],
              ",".join(t.lead), shorten(getattr(t.task, title), 70)] for t in p.tasks])
        for p in plans))
