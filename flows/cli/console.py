"""Tables a person reads in a terminal (Rich) and the small parsing helpers the command line
shares."""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn, overload

import typer

from tasks.calendar import parse_day
from tasks.errors import BadInput, named


def table(headers: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A table a person reads in a terminal: at most 100 columns wide (narrower on a narrow
    terminal), long cells wrapped within their column, numbers and percentages to the right."""
    import io
    import re
    import shutil

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    texts = [["" if v is None else str(v) for v in r][:len(headers)] for r in rows]
    number = re.compile(r"^[-+]?[\d.,]+%?$|^—$|^$")
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1),
                 collapse_padding=True)
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    columns = [[h, *(r[i] for r in texts if i < len(r))] for i, h in enumerate(headers)]
    tight = sum(max(map(len, c)) + 2 for c in columns) > width  # else nothing needs wrapping
    for h, *cells in columns:
        if cells and all(number.match(c) for c in cells):  # when tight, a figure's header wraps
            grid.add_column(Text(h), justify="right", max_width=10 if tight else None)
        else:
            grid.add_column(Text(h), overflow="fold")
    for r in texts:
        grid.add_row(*map(Text, r))
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(grid)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").splitlines())


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
        from flows.cli.app import lang

        fail(named(field, exc).said(lang()))


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
