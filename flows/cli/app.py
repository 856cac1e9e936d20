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
    and exit 2, whichever command met it. What is typed on the command line is checked here
    first: no control character gets into the record or a file."""

    def invoke(self, ctx):
        from tasks.settings import default_lang

        chosen = ctx.params.get("lang") or default_lang()
        if chosen in ("vi", "en"):  # said in the language asked for (checked by _options)
            LANG["lang"] = chosen
        rest = getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", [])
        for arg in [*rest, *ctx.args]:  # the command line after the group's own options
            if bad := _control(arg):
                from tasks.errors import char_name, visible

                fail(said("control_arg", arg=visible(arg), char=char_name(bad)))
        return guarded(super().invoke, ctx)


def _control(text: str) -> str | None:
    """The first control character in `text` (a tab and a line break are allowed), if any."""
    import unicodedata

    return next((c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n"), None)


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


def said(key: str, **values) -> str:
    """A line of the error boundary in the chosen language (tasks.words.FAILURE_WORDS)."""
    from tasks.words import FAILURE_WORDS

    return FAILURE_WORDS[lang()][key].format(**values)


def guarded(fn: Callable[..., T], *args: Any) -> T:
    """Run fn(*args); turn what is not a bug into one line on stderr — a line per problem for an
    invalid plan — and exit 2: what the core raises for a person to fix (tasks.errors), a record
    that cannot be opened, a server that cannot be reached, a place that cannot be written, a
    mistyped command line. Refused returns are left to `import`, which sums them up. Anything
    else is a bug and keeps its traceback; PLANTRACK_DEBUG=1 prints the traceback of every
    error. `Guarded` runs every command through it; a command calls it itself only to fail
    before doing anything else (e.g. before starting a Prefect server)."""
    from tasks.errors import ImportRefused, PlanInvalid

    try:
        return fn(*args)
    except PlanInvalid as exc:
        _debug()
        for p in exc.problems:
            typer.echo(str(p), err=True)
        raise typer.Exit(2) from None
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 — sorted below: a bug is raised again as it was
        line = _not_a_bug(exc)
        if line is None:
            raise
        _debug()
        fail(line)


def _debug() -> None:
    """With PLANTRACK_DEBUG=1, the traceback of the error being handled, on stderr."""
    import os

    if os.environ.get("PLANTRACK_DEBUG", "") not in ("", "0"):
        import traceback

        typer.echo(traceback.format_exc().rstrip(), err=True)


def _not_a_bug(exc: Exception) -> str | None:
    """The line that says what is wrong and what to do, for an error that is not a bug; None
    for a bug."""
    import sys

    from tasks.errors import PlantrackError, Unavailable

    if isinstance(exc, Unavailable):
        return exc.said(lang())
    if isinstance(exc, PlantrackError):
        return str(exc)
    kinds = {k.__name__ for k in type(exc).__mro__}  # click's, as typer bundles it
    if "UsageError" in kinds and "NoArgsIsHelpError" not in kinds:  # a mistyped option
        ctx = getattr(exc, "ctx", None)
        path = ctx.command_path.split(" ")[1:] if ctx else []
        return said("usage", message=_plain_usage(exc.format_message()),  # type: ignore
                    command=" ".join(["plantrack", *path]))
    if isinstance(exc, OSError) and exc.errno in _ENVIRONMENT_ERRNOS:
        return said("os_error", path=exc.filename or "?",
                   reason=(exc.strerror or str(exc)).lower())
    if "sqlalchemy" in sys.modules:  # a driver error the record's engine did not explain
        from sqlalchemy.exc import DBAPIError

        from tasks.record.store import explain
        from tasks.settings import database_url

        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        failure = explain(orig, database_url()) if orig is not None else None
        if failure is not None:
            return failure.said(lang())
    return None


# Typer converts option values with pydantic: its words for a value that is not a number.
_PYDANTIC_USAGE = (("Input should be a valid integer", "expected a whole number"),
                   ("Input should be a valid number", "expected a number"),
                   ("Input should be a valid boolean", "expected true or false"),
                   ("Input should be", "expected"))


def _plain_usage(message: str) -> str:
    """A usage error in words, not pydantic's."""
    import re

    for theirs, ours in _PYDANTIC_USAGE:
        if theirs in message:
            return re.sub(re.escape(theirs) + r"[^.(]*", ours, message, count=1)
    return message


def _environment_errnos() -> frozenset[int]:
    import errno

    names = ("EACCES", "EPERM", "ENOENT", "ENOTDIR", "EISDIR", "ENOSPC", "EROFS", "EDQUOT",
             "ENAMETOOLONG", "ELOOP", "EEXIST", "ETXTBSY", "EFBIG", "EMFILE", "ENFILE")
    return frozenset(getattr(errno, n) for n in names if hasattr(errno, n))


_ENVIRONMENT_ERRNOS = _environment_errnos()
