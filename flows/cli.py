"""`plantrack`: the command line. Read-only commands never import Prefect."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from flows.clock import now, today
from flows.console import fail, parse_date, print_json, shorten, table

app = typer.Typer(help="plantrack: theo dõi thực hiện kế hoạch công tác / work-plan tracking.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="The record's database.", no_args_is_help=True)
plan_app = typer.Typer(help="Plan files: check and load.", no_args_is_help=True)
event_app = typer.Typer(help="Events that trigger deadlines.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(plan_app, name="plan")
app.add_typer(event_app, name="event")

LANG = {"lang": "vi"}

# What the commands say, in both languages (status labels live in tasks/words.py).
SAY = {
    "vi": {"check_ok": "{file}: hợp lệ — {tasks} nhiệm vụ, {deadlines} hạn, {kpis} chỉ tiêu",
           "load_head": ["", "thêm", "sửa", "xóa"], "nothing": "không có thay đổi",
           "what": {"agencies": "cơ quan", "plan": "kế hoạch", "tasks": "nhiệm vụ",
                    "deadlines": "hạn", "kpis": "chỉ tiêu"},
           "agencies_head": ["mã", "tên", "cấp trên"],
           "tasks_head": ["mã", "loại", "chủ trì", "tên nhiệm vụ"],
           "report": "báo cáo #{id}: {task} {agency} kỳ {period} → {status} {progress}% ({on})",
           "event": "hạn {rule} của {agency}: {due}"},
    "en": {"check_ok": "{file}: OK — {tasks} tasks, {deadlines} deadlines, {kpis} KPIs",
           "load_head": ["", "added", "changed", "removed"], "nothing": "nothing changed",
           "what": {"agencies": "agencies", "plan": "plan", "tasks": "tasks",
                    "deadlines": "deadlines", "kpis": "KPIs"},
           "agencies_head": ["code", "name", "parent"],
           "tasks_head": ["key", "kind", "lead", "title"],
           "report": "report #{id}: {task} {agency} period {period} → {status} {progress}% ({on})",
           "event": "deadline {rule} for {agency}: due {due}"},
}


@app.callback()
def _options(lang: str = typer.Option(None, "--lang", envvar="PLANTRACK_LANG",
                                      help="vi (default) or en; or set PLANTRACK_LANG")) -> None:
    if lang:
        if lang not in ("vi", "en"):
            fail(f"--lang: '{lang}' is not vi or en")
        LANG["lang"] = lang


def lang() -> str:
    return LANG["lang"]


def say(key: str, **values) -> str:
    """A line of the command's output in the chosen language."""
    return SAY[lang()][key].format(**values)


def guarded(fn):
    """Run fn(); turn the core's input errors into one line and exit 2."""
    from tasks.errors import BadInput, LoadRefused, NotFound, PlanInvalid

    try:
        return fn()
    except PlanInvalid as exc:
        for p in exc.problems:
            typer.echo(str(p), err=True)
        raise typer.Exit(2)
    except (NotFound, BadInput, LoadRefused) as exc:
        fail(str(exc))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the record's tables to the newest version."""
    from tasks.record.store import database_url, upgrade

    upgrade()
    typer.echo(f"database at newest migration: {_masked(database_url())}")


def _masked(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@plan_app.command("check")
def plan_check(files: list[Path]) -> None:
    """Validate plan files; print every problem as FILE:LINE: field: message (exit 2)."""
    from tasks.errors import PlanInvalid
    from tasks.plan.validate import validate

    bad = False
    for f in files:
        try:
            spec = validate(f)
        except PlanInvalid as exc:
            bad = True
            for p in exc.problems:
                typer.echo(str(p), err=True)
            continue
        typer.echo(say("check_ok", file=f, tasks=len(spec.tasks), deadlines=len(spec.deadlines),
                       kpis=len(spec.plan.kpis)))
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
    what = SAY[lang()]["what"]
    rows = [[what[w], c["added"], c["changed"], c["removed"]] for w, c in changes.items()]
    typer.echo(table(SAY[lang()]["load_head"], rows))
    if not any(v for c in changes.values() for v in c.values()):
        typer.echo(say("nothing"))


@app.command("agencies")
def agencies(as_json: bool = typer.Option(False, "--json")) -> None:
    """The agency directory in the record."""
    import sqlalchemy as sa

    from tasks.record.models import Agency
    from tasks.record.store import session

    with session() as s:
        rows = s.execute(sa.select(Agency).order_by(Agency.id)).scalars().all()
    if as_json:
        print_json([{"code": a.code, "name_vi": a.name_vi, "name_en": a.name_en,
                     "level": a.level, "parent": a.parent_code} for a in rows])
        return
    name = "name_vi" if lang() == "vi" else "name_en"
    typer.echo(table(SAY[lang()]["agencies_head"],
                     [[a.code, getattr(a, name), a.parent_code or ""] for a in rows]))


@app.command("tasks")
def tasks_cmd(plan: Optional[str] = typer.Option(None, help="plan key (default: newest)"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """The plan's tasks with their kind and owners."""
    import sqlalchemy as sa

    from tasks.record.lookups import resolve_plan
    from tasks.record.models import Agency, Assignment, Task
    from tasks.record.store import session
    from tasks.words import KIND_LABELS

    def run():
        with session() as s:
            p = resolve_plan(s, plan)
            ts = s.execute(sa.select(Task).where(Task.plan_id == p.id).order_by(Task.position)).scalars().all()
            owners = s.execute(sa.select(Assignment.task_id, Assignment.role, Agency.code)
                               .join(Agency, Agency.id == Assignment.agency_id)).all()
        return ts, owners

    ts, owners = guarded(run)
    by_task: dict[int, dict[str, list[str]]] = {}
    for task_id, role, code in owners:
        by_task.setdefault(task_id, {"lead": [], "coordinating": []})[role].append(code)
    data = [{"key": t.key, "parent": t.parent_key, "kind": t.kind, "title_vi": t.title_vi,
             "title_en": t.title_en, **by_task.get(t.id, {"lead": [], "coordinating": []})}
            for t in ts]
    if as_json:
        print_json(data)
        return
    title = "title_vi" if lang() == "vi" else "title_en"
    typer.echo(table(SAY[lang()]["tasks_head"],
                     [[("  " if d["parent"] else "") + d["key"], KIND_LABELS[lang()][d["kind"]],
                       ",".join(d["lead"]), shorten(d[title], 70)] for d in data]))


@app.command("status")
def status(as_of: Optional[str] = typer.Option(None, "--as-of", help="day (default: today)"),
           agency: Optional[str] = typer.Option(None, "--agency"),
           task: Optional[str] = typer.Option(None, "--task"),
           plan: Optional[str] = typer.Option(None, "--plan"),
           detail: bool = typer.Option(False, "--detail", help="list every deadline"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Where each deadline stands as of a day, with roll-ups by task kind and agency."""
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session
    from tasks.status import deadline_statuses, rollup, summary

    day = parse_date(as_of, "--as-of") or today()

    def run():
        with session() as s:
            p = resolve_plan(s, plan)
            return p.key, deadline_statuses(s, p, day, agency=agency, task=task)

    plan_key, rows = guarded(run)
    if as_json:
        print_json({"plan": plan_key, "as_of": day.isoformat(),
                    "filters": {"agency": agency, "task": task},
                    "totals": summary(rows), "by_kind": rollup(rows, "kind"),
                    "by_task": rollup(rows, "task"), "by_agency": rollup(rows, "agency"),
                    "deadlines": [r.as_json() for r in rows]})
        return
    from flows.status_view import render_status

    typer.echo(render_status(plan_key, day, rows, lang(), detail or bool(agency or task)))


@app.command("report")
def report(task: str,
           agency: str = typer.Option(..., "--agency"),
           period: str = typer.Option(..., "--period", help='e.g. 2024-09, 2024-Q3, 2024-H2'),
           status_: str = typer.Option(..., "--status", help="hoàn thành | đang thực hiện"),
           progress: Optional[int] = typer.Option(None, "--progress"),
           note: str = typer.Option("", "--note"),
           evidence: str = typer.Option("", "--evidence"),
           on: Optional[str] = typer.Option(None, "--on", help="day of the report (default today)"),
           completed: Optional[str] = typer.Option(None, "--completed",
                                                   help="day the work was done (default --on)"),
           rule: Optional[str] = typer.Option(None, "--rule", help="deadline rule, if several"),
           by: str = typer.Option("", "--by", help="who reports"),
           plan: Optional[str] = typer.Option(None, "--plan")) -> None:
    """Record an agency's report on one deadline (appended; never overwrites)."""
    from tasks.record.appending import ReportIn, add_report
    from tasks.record.lookups import find_deadline, resolve_plan
    from tasks.record.store import session
    from tasks.words import REPORT_STATUS_LABELS, parse_status

    try:
        st = parse_status(status_)
    except ValueError as exc:
        fail(f"--status: {exc}")
    r = ReportIn(st, progress, note, evidence, by, parse_date(on, "--on"),
                 parse_date(completed, "--completed"))

    def run():
        with session() as s:
            p = resolve_plan(s, plan)
            return add_report(s, find_deadline(s, p, task, agency, period, rule), r, today())

    row = guarded(run)
    typer.echo(say("report", id=row.id, task=task, agency=agency, period=period,
                   status=REPORT_STATUS_LABELS[lang()][row.status], progress=row.progress,
                   on=f"{row.reported_on:%d/%m/%Y}"))


@event_app.command("record")
def event_record(kind: str, agency: str = typer.Option(..., "--agency"),
                 on: str = typer.Option(..., "--on"), note: str = typer.Option("", "--note"),
                 plan: Optional[str] = typer.Option(None, "--plan")) -> None:
    """Record an event (e.g. personnel-change) and create the deadlines it triggers."""
    from tasks.record.appending import record_event
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session

    day = parse_date(on, "--on")

    def run():
        with session() as s:
            p = resolve_plan(s, plan)
            return [(d.rule_key, d.due_on) for d in record_event(s, p, kind, agency, day, note)]

    for rule_key, due in guarded(run):
        typer.echo(say("event", rule=rule_key, agency=agency, due=f"{due:%d/%m/%Y}"))


@app.command("remind")
def remind(as_of: Optional[str] = typer.Option(None, "--as-of", help="day (default: today)"),
           dry_run: bool = typer.Option(False, "--dry-run",
                                        help="print the messages; send and claim nothing"),
           as_json: bool = typer.Option(False, "--json"),
           plan: Optional[str] = typer.Option(None, "--plan")) -> None:
    """Run `daily-run` once: track every task and send the day's reminders."""
    day = parse_date(as_of, "--as-of") or today()
    if dry_run:
        from flows.preview import preview

        data = guarded(lambda: preview(plan, day, lang()))
        print_json(data) if as_json else typer.echo(data["text"])
        return
    import asyncio

    from flows.server import api_server

    with api_server(announce=lambda m: typer.echo(m, err=True)):
        from flows.daily import daily_run

        result = asyncio.run(daily_run(as_of=day, plan=plan, lang=lang()))
    print_json(result) if as_json else typer.echo(
        " ".join(f"{k}={v}" for k, v in result.items()))


@app.command("simulate")
def simulate(start: str = typer.Option(..., "--from"), end: str = typer.Option(..., "--to"),
             sink: Optional[Path] = typer.Option(None, "--sink", help="write messages here"),
             plan: Optional[str] = typer.Option(None, "--plan"),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Replay every day of a period through the core, as the daily run would have done."""
    from tasks.record.store import database_url
    from tasks.simulate import replay

    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if last < first:
        fail("--to: the period ends before it starts")
    days = guarded(lambda: replay(database_url(), plan, first, last, sink, lang()))
    if as_json:
        print_json([d.as_json() for d in days])
        return
    typer.echo(table(["day", "reminders", "escalations", "items"],
                     [[f"{d.day:%d/%m/%Y}", d.reminders, d.escalations, d.items] for d in days
                      if d.reminders or d.escalations]))
    typer.echo(f"{sum(d.reminders for d in days)} reminders, "
               f"{sum(d.escalations for d in days)} escalations over {len(days)} days")


@app.command("serve")
def serve(plan: Optional[str] = typer.Option(None, "--plan"),
          limit: int = typer.Option(4, "--limit", help="flow runs at once")) -> None:
    """Serve every deployment (tasks, daily-run, monthly-digest, sync-plan) from one process."""
    from flows.server import api_server

    with api_server(announce=typer.echo) as url:
        from prefect import serve as prefect_serve

        from flows.deployments import all_deployments

        deployments = guarded(lambda: all_deployments(plan))
        typer.echo(f"serving {len(deployments)} deployments on {url} (stop with Ctrl-C)")
        prefect_serve(*deployments, limit=limit, pause_on_shutdown=False)


@app.command("template")
def template(agency: str = typer.Option(..., "--agency", help="agency code, or all"),
             period: str = typer.Option(..., "--period", help="month, YYYY-MM"),
             out: Optional[Path] = typer.Option(
                 None, "--out", help="FILE.xlsx for one agency, a folder for all "
                                     "(default: out/returns/PERIOD/)"),
             as_csv: bool = typer.Option(False, "--csv", help="CSV files instead of workbooks"),
             as_of: Optional[str] = typer.Option(None, "--as-of",
                                                 help="day for the overdue list (default: today)"),
             plan: Optional[str] = typer.Option(None, "--plan")) -> None:
    """Write the return an agency fills in for a month (one per agency with --agency all)."""
    from flows.returns_view import write_returns

    day = parse_date(as_of, "--as-of") or today()
    for line in guarded(lambda: write_returns(plan, agency, period, out, as_csv, day, lang())):
        typer.echo(line)


@app.command("import")
def import_cmd(files: list[Path] = typer.Argument(..., help="returns: .xlsx or .csv files"),
               on: Optional[str] = typer.Option(None, "--on",
                                                help="day the returns are taken in (default: today)"),
               plan: Optional[str] = typer.Option(None, "--plan"),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Take in returns: all rows of all files, or nothing and every problem (exit 2).

    Problems are listed as FILE:SHEET:ROW: column: message."""
    from dataclasses import asdict

    from flows.returns_view import SAY, import_summary
    from tasks.errors import ImportRefused
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session
    from tasks.returns.ingest import import_returns

    day = parse_date(on, "--on") or today()

    def run():
        with session() as s:
            return import_returns(s, resolve_plan(s, plan), files, day)

    try:
        result = guarded(run)
    except ImportRefused as exc:
        for p in exc.problems:
            typer.echo(str(p), err=True)
        fail(SAY[lang()]["refused"].format(n=len(exc.problems),
                                           files=len({p.file for p in exc.problems})))
    if as_json:
        print_json(asdict(result))
        return
    for line in import_summary(result, lang()):
        typer.echo(line)


@app.command("kpi")
def kpi_cmd(period: Optional[str] = typer.Option(
                None, "--period", help="month, YYYY-MM (default: the newest with values)"),
            as_of: Optional[str] = typer.Option(None, "--as-of", help="day (default: today)"),
            detail: bool = typer.Option(False, "--detail", help="each agency's total too"),
            plan: Optional[str] = typer.Option(None, "--plan"),
            as_json: bool = typer.Option(False, "--json")) -> None:
    """KPI figures of a month, rolled up from the reporting agencies to the province."""
    from flows.returns_view import render_kpis
    from tasks.kpi import latest_period, rollup
    from tasks.months import month_bounds
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session

    day = parse_date(as_of, "--as-of") or today()

    def run():
        with session() as s:
            p = resolve_plan(s, plan)
            month = period or latest_period(s, p, day)
            if month is None:
                return []
            month_bounds(month)  # BadInput on a malformed --period
            return rollup(s, p, month, day)

    totals = guarded(run)
    if as_json:
        print_json({"as_of": day.isoformat(), "kpis": [t.as_json() for t in totals]})
        return
    typer.echo(render_kpis(totals, day, lang(), detail))


@app.command("digest")
def digest_cmd(month: Optional[str] = typer.Option(
                   None, "--month", help="YYYY-MM (default: the month before this one)"),
               out: Path = typer.Option(Path("out/digests"), "--out",
                                        help="folder of the digests; each month gets YYYY-MM/"),
               send: bool = typer.Option(False, "--send", help="email it to the plan's digest "
                                         "recipients (each gets a month's digest once)"),
               digest_lang: Optional[str] = typer.Option(
                   None, "--lang", help="vi or en (default: the plan's digest language)"),
               plan: Optional[str] = typer.Option(None, "--plan"),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Compile a month's status digest from the record and write it: Markdown, HTML email,
    workbook, JSON and charts (out/digests/YYYY-MM/); with --send, email it too."""
    from tasks.digest.compile import compile_digest
    from tasks.months import previous_month
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import database_url, session

    if digest_lang not in (None, "vi", "en"):
        fail(f"--lang: '{digest_lang}' is not vi or en")
    words = {"vi": ("đã ghi {n} tệp vào {dir}", "gửi bản tổng hợp: {sent} đã gửi, {failed} lỗi, "
                    "{already} đã gửi trước đó"),
             "en": ("wrote {n} files to {dir}", "digest sent: {sent} sent, {failed} failed, "
                    "{already} sent before")}[lang()]

    def run():
        with session() as s:
            p = resolve_plan(s, plan)
            return p, compile_digest(s, p, month or previous_month(today()))

    p, digest = guarded(run)
    chosen = digest_lang or p.settings.get("digest", {}).get("lang", "vi")
    from tasks.digest.render import write_digest

    files = write_digest(digest, out / digest.month, chosen)
    result = {"month": digest.month, "lang": chosen,
              "files": {name: str(path) for name, path in files.items()}}
    if send:
        from tasks.digest.send import send_digest

        report = send_digest(database_url(), p, digest, files, now(),
                             chosen)
        result["send"] = report.as_json()
    if as_json:
        print_json(result)
    else:
        typer.echo(words[0].format(n=len(files), dir=files["md"].parent))
        for path in files.values():
            typer.echo(f"  {path}")
        if send:
            typer.echo(words[1].format(**report.counts()))
            for m in report.messages:
                if m.status == "failed":
                    typer.echo(f"  {m.key}: {m.error}", err=True)
    if send and report.count("failed"):
        raise typer.Exit(1)


def main() -> None:
    app()
