"""The `plantrack` application: its options, its language, and the one boundary for errors.

Command groups live in modules of their own (flows/cli/*.py) and register on `app` here.
"""
from __future__ import annotations


import typer

from flows.cli.console import fail

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
def _options(lang: str = typer.Option(None, "--lang",
                                      help="vi (default) or en; or set PLANTRACK_LANG")) -> None:
    from tasks.settings import default_lang

    lang = lang or default_lang()
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
