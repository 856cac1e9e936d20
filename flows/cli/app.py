"""The `plantrack` application: its options, its language, and the one boundary for errors.

Command groups live in modules of their own (flows/cli/*.py) and register on `app` here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import typer
from typer._click.core import Command, Context
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from flows.cli.console import fail
from tasks.words import COMMAND_WORDS


class Guarded(TyperGroup):
    """The one boundary for errors: every command (and command group) runs through `guarded`,
    so anything the core raises for a person to fix — an empty record included — is one line
    and exit 2, whichever command met it. What is typed on the command line is checked here
    first: no control character gets into the record or a file."""

    def main(self, args=None, *rest, **kwargs):
        """Speak the language asked for before anything is printed, help pages included."""
        import sys

        words = list(sys.argv[1:] if args is None else args)
        speak(self, _asked_lang(words))
        return super().main(words, *rest, **kwargs)

    def invoke(self, ctx):
        rest = getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", [])
        for arg in [*rest, *ctx.args]:  # the command line after the group's own options
            if bad := _control(arg):
                from tasks.errors import char_name, visible

                fail(said("control_arg", arg=visible(arg), char=char_name(bad)))
        return guarded(super().invoke, ctx)


def _asked_lang(words: list[str]) -> str:
    """The language of `plantrack --lang X …` (only before the command: `digest --lang` names the
    report's language), else PLANTRACK_LANG's, else Vietnamese; one plantrack does not speak
    is left for `_options` to refuse."""
    from tasks.settings import default_lang
    from tasks.words import LANGS

    asked = None
    for i, word in enumerate(words):
        if not word.startswith("-"):
            break
        if word == "--lang" and i + 1 < len(words):
            asked = words[i + 1]
        elif word.startswith("--lang="):
            asked = word.partition("=")[2]
    asked = asked or default_lang()
    return asked if asked in LANGS else "vi"


class _Formatter(HelpFormatter):
    """Click's help formatter, with 'Usage:' in the language being spoken."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix or _screen("usage") + " ")


class _Context(Context):
    formatter_class = _Formatter


def _screen(key: str) -> str:
    from tasks.words import SCREEN_WORDS

    return SCREEN_WORDS[lang()][key]


def speak(root: Command, chosen: str) -> None:
    """Say everything in `chosen` from now on: the commands' output and errors (`lang()`), and
    every help text of the command tree, from the catalog (tasks.words HELP_WORDS)."""
    from typer import rich_utils

    from tasks.words import HELP_WORDS

    LANG["lang"] = chosen
    helps = HELP_WORDS[chosen]
    rich_utils.OPTIONS_PANEL_TITLE = _screen("options")
    rich_utils.COMMANDS_PANEL_TITLE = _screen("commands")
    rich_utils.ARGUMENTS_PANEL_TITLE = _screen("arguments")
    rich_utils.REQUIRED_LONG_STRING = _screen("required")
    for path, cmd in _tree(root, ()):
        cmd.context_class = _Context
        cmd.help, cmd.short_help = helps[" ".join(path)], None
        cmd.options_metavar = _screen("options_metavar")
        if hasattr(cmd, "subcommand_metavar"):
            cmd.subcommand_metavar = _screen("subcommand_metavar")
        help_option = cmd.get_help_option(_Context(cmd))
        if help_option is not None:
            help_option.help, help_option.metavar = helps["--help"], ""
        for param in cmd.params:
            if param.param_type_name == "argument":
                name = str(param.name).upper()
                param.metavar = _screen(name)
                param.display_type_rich = _no_type  # type: ignore[attr-defined]
            else:  # a flag shows no value; an option's help says what its value is
                name = param.opts[0]
                param.metavar = "" if getattr(param, "is_flag", False) else _screen("value")
            param.help = helps[" ".join((*path, name))]  # type: ignore[attr-defined]


def _no_type(ctx: Context) -> str:
    """An argument's type, as its help page shows it: nothing (its help says what it is; Typer
    would print a Python type)."""
    return ""


def _tree(cmd: Command, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Command]]:
    """Every command of the tree under `cmd`, with its path of names."""
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _tree(sub, (*path, name))


def _control(text: str) -> str | None:
    """The first control character in `text` (a tab and a line break are allowed), if any."""
    import unicodedata

    return next((c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n"), None)


app = typer.Typer(no_args_is_help=True, add_completion=False, cls=Guarded)
db_app = typer.Typer(no_args_is_help=True)
plan_app = typer.Typer(no_args_is_help=True)
event_app = typer.Typer(no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(plan_app, name="plan")
app.add_typer(event_app, name="event")

T = TypeVar("T")
LANG = {"lang": "vi"}

# Every help text a command, option or argument shows is in tasks/words (HELP, by language):
# `speak` puts it in place before the command line is read.


@app.callback()
def _options(lang: str | None = typer.Option(None, "--lang")) -> None:
    """Refuse a language plantrack does not speak (`speak` has set the one it does)."""
    from tasks.settings import default_lang
    from tasks.words import check_lang

    chosen = lang or default_lang()
    if chosen:
        guarded(lambda: check_lang(chosen, "--lang" if lang else "PLANTRACK_LANG"))


# Commands that work over many plans take --plan as often as needed; by default, every plan
# active that day. Commands that need one plan take it once, and say which exist when several
# are.
PLANS = typer.Option(None, "--plan")
PLAN = typer.Option(None, "--plan")


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
        for problem in exc.lines(lang()):
            typer.echo(problem, err=True)
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

    from tasks.errors import PlantrackError

    if isinstance(exc, PlantrackError):
        return exc.said(lang())
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


def _plain_usage(message: str) -> str:
    """A usage error in the language spoken, in words, not pydantic's (tasks.words USAGE)."""
    import re

    from tasks.words import USAGE_WORDS

    for theirs, ours in USAGE_WORDS[lang()]:
        message = re.sub(theirs, ours, message, count=1)
    return message


def _environment_errnos() -> frozenset[int]:
    import errno

    names = ("EACCES", "EPERM", "ENOENT", "ENOTDIR", "EISDIR", "ENOSPC", "EROFS", "EDQUOT",
             "ENAMETOOLONG", "ELOOP", "EEXIST", "ETXTBSY", "EFBIG", "EMFILE", "ENFILE")
    return frozenset(getattr(errno, n) for n in names if hasattr(errno, n))


_ENVIRONMENT_ERRNOS = _environment_errnos()
