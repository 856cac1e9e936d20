"""Plain-text tables and the small parsing helpers the command line shares."""
from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, Iterable, NoReturn

import typer


def table(headers: list[str], rows: Iterable[Iterable[Any]]) -> str:
    rows = [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["─" * w for w in widths])] + [line(r) for r in rows])


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def fail(message: str) -> NoReturn:
    """One clear line on stderr and exit status 2: the convention for bad input."""
    typer.echo(f"plantrack: {message}", err=True)
    raise typer.Exit(2)


def parse_date(text: str | None, field: str) -> dt.date | None:
    """A day given as dd/mm/yyyy or yyyy-mm-dd."""
    if text is None:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    fail(f"{field}: '{text}' is not a date (use dd/mm/yyyy or yyyy-mm-dd)")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"
