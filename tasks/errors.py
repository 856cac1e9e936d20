"""Every exception the core raises for something that is not a bug.

Each is a `PlantrackError`: bad input, a name the record does not have, a refused change, a
channel with nothing to send through. The command line turns any of them into one line and
exit 2; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def unknown_agency(code: str) -> str:
    """How every part of plantrack says that a code is not in the agency directory."""
    return f"unknown agency '{code}'"


class PlantrackError(Exception):
    """Something a person can fix: the message says what is wrong and what to do."""


class NotFound(PlantrackError):
    """A plan, task or agency that the record does not have."""


class EmptyRecord(NotFound):
    """A record with no tables (a fresh file, a database nobody migrated) or no file at all;
    the message says what to run."""


class BadInput(PlantrackError, ValueError):
    """Input that names nothing in the record or breaks a rule; nothing was written."""


class LoadRefused(PlantrackError):
    """A plan change that would lose reports; nothing was written."""


class Invalid(PlantrackError):
    """Every problem found in some files, each printed on a line of its own."""

    def __init__(self, problems: Sequence[Any], summary: str | None = None):
        self.problems = list(problems)
        super().__init__(summary or "\n".join(map(str, self.problems)))


class PlanInvalid(Invalid):
    """A plan file (or its agency directory) that does not validate: its problems in file
    order (the plan file, then its directory) and line order."""

    def __init__(self, problems: Sequence[Any]):
        files = {f: i for i, f in enumerate(dict.fromkeys(p.file for p in problems))}
        super().__init__(sorted(problems, key=lambda p: (files[p.file], p.line)))


class ImportRefused(Invalid):
    """Returns that were not imported; `problems` lists every one found."""

    def __init__(self, problems: Sequence[Any]):
        super().__init__(problems, f"{len(problems)} problem(s); nothing imported")


class NoChannel(PlantrackError):
    """An agency with no usable channel; the message names what to set."""


class TooManyRows(PlantrackError):
    """A return with more rows than any agency's return can have."""
