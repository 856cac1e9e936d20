"""Plain-text tables and the small parsing helpers the command line shares."""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn, overload

import typer

from tasks.calendar import parse_day
from tasks.errors import BadInput


def table(headers: list[str], rows: Iterable[Iterable[Any]]) -> str:
    texts = [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in texts]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:  # cells beyond the headers are left out
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

    return "\n".join([line(headers), line(["─" * w for w in widths])] + [line(r) for r in texts])


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def fail(message: str) -> NoReturn:
    """One clear line on stderr and exit status 2: the convention for bad input."""
    typer.echo(f"plantrack: {message}", err=True)
    raise typer.Exit(2)


@overload
def parse_date(text: str, field: str) -> dt.date: ...


@overload
def parse_date(text: str | None, field: str) -> dt.date | None: ...


def parse_date(text: str | None, field: str) -> dt.date | None:
    """A day as the core reads one (tasks.calendar.parse_day); a bad one fails naming `field`."""
    if text is None:
        return None
    try:
        return parse_day(text)
    except BadInput as exc:
        fail(f"{field}: {exc}")


def writable(path: Path, option: str, file: bool = False) -> Path:
    """`path` if it can be written — a file (`file`) or a folder, with the folders it needs — as
    checked before anything is recorded or written; else one line naming `option`, exit 2.
    Nothing is created."""
    from tasks.errors import CannotWrite
    from tasks.record.store import writable_folder

    try:
        if file and path.is_dir():
            raise CannotWrite("not_a_file", path=path)
        writable_folder(path.parent if file else path)
    except CannotWrite as exc:
        from flows.cli.app import lang

        fail(f"{option}: {exc.said(lang())}")
    return path


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
