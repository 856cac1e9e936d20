"""`plantrack`: the command line, one module per command group and its views.

Read-only commands never import Prefect: each command imports what it needs when it runs.
"""
from flows.cli import digest, plans, reminders, reports, returns, status, web  # noqa: F401  (register)
from flows.cli.app import LANG, app

__all__ = ["LANG", "app", "main"]


def main() -> None:
    app()
