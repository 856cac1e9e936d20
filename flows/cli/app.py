"""The `plantrack` application: its options, its language, and the one boundary for errors.

Command groups live in modules of their own (flows/cli/*.py) and register on `app` here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperGroup

from flows.cli.console import fail
from tasks.words import COMMAND_WORDS


class Guarded(TyperGroup):
    """The one boundary for errors: every command (and command group) runs through `guarded`,
    so anything the core raises for a person to fix — an empty record included — is one line
    and exit 2, whichever command met it."""

    def invoke(self, ctx):
        return guarded(super().invoke, ctx)


app = typer.Typer(help="plantrack: theo dõi thực hiện kế hoạch công tác / work-plan tracking.",
                  no_args_is_help=True, add_completion=False, cls=Guarded)
db_app = typer.Typer(help="The record's database.", no_args_is_help=True)
plan_app = typer.Typer(help="Plan files: check and load.", no_args_is_help=True)
event_app = typer.Typer(help="Events that trigger deadlines.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(plan_app, name="plan")
app.add_typer(event_app, name="event")

T = TypeVar("T")
LANG = {"lang": "vi"}

# What the commands say, in both languages (status labels live in tasks/words.py).


@app.callback()
def _options(lang: str | None = typer.Option(
        None, "--lang", help="vi (default) or en; or set PLANTRACK_LANG")) -> None:
    from tasks.settings import default_lang
    from tasks.words import check_lang

    chosen = lang or default_lang()
    if chosen:
        guarded(lambda: check_lang(chosen, "--lang"))
        LANG["lang"] = chosen


# Commands that work over many plans take --plan as often as needed; by default, every plan
# active that day. Commands that need one plan take it once, and say which exist when several
# are.
PLANS = typer.Option(None, "--plan",
                     help="plan key; repeat for several (default: every active plan)")
PLAN = typer.Option(None, "--plan", help="plan key (needed when several plans are active)")


def lang() -> str:
    return LANG["lang"]


def say(key: str, **values) -> str:
    """A line of the command's output in the chosen language."""
    return COMMAND_WORDS[lang()][key].format(**values)


def guarded(fn: Callable[..., T], *args: Any) -> T:
    """Run fn(*args); turn what the core raises for something a person can fix (tasks.errors) into
    one line — a line per problem for an invalid plan — and exit 2. Refused returns are left to
    `import`, which sums them up. `Guarded` runs every command through it; a command calls it
    itself only to fail before doing anything else (e.g. before starting a Prefect server)."""
    from tasks.errors import ImportRefused, PlanInvalid, PlantrackError

    try:
        return fn(*args)
    except PlanInvalid as exc:
        for p in exc.problems:
            typer.echo(str(p), err=True)
        raise typer.Exit(2) from None
    except ImportRefused:
        raise
    except PlantrackError as exc:
        fail(str(exc))
