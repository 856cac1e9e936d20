"""What people type into a cell, read leniently but never guessed at.

Returns come from Excel and from hand-typed CSV files, so a day may be a real date or
"15/09/2024", a percentage "80", "80 %" or a percent-formatted 0.8 (the reader turns that into
"80%"), and a number may use Vietnamese grouping ("4.034") or English ("4,034"). Anything else is
a BadInput (a ValueError) whose message says what was expected.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from tasks.calendar import parse_day as typed_day
from tasks.errors import BadInput
from tasks.words import fmt_date


def text(value: Any) -> str:
    """A cell as trimmed text in NFC (a CSV saved in cp1258 arrives decomposed); '' if empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):  # a datetime too
        return fmt_date(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_day(value: Any) -> dt.date:
    """A real date, or a typed day read as everywhere else (tasks.calendar.parse_day)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return typed_day(text(value))


def parse_number(value: Any) -> float:
    """A number, a trailing % allowed; in text, '.' or ',' followed by exactly three digits
    groups thousands (Vietnamese 4.034 and English 4,034 are both 4034), otherwise it is the
    decimal point (72,5 and 72.5)."""
    if isinstance(value, bool):
        raise BadInput("'{text}' is not a number", text=value)
    if isinstance(value, (int, float)):
        return float(value)
    raw = text(value)
    s = raw.replace(" ", "").replace("\u00a0", "").removesuffix("%")
    if not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", s):
        raise BadInput("'{text}' is not a number", text=raw)
    seps = [c for c in s if c in ".,"]
    if len(set(seps)) == 2:  # 1.234,5 or 1,234.5: the last one is the decimal point
        dec = seps[-1]
        s = s.replace("," if dec == "." else ".", "").replace(dec, ".")
    elif seps:
        sep = seps[0]
        groups = s.lstrip("+-").split(sep)
        if len(groups) > 2 or (len(groups[-1]) == 3 and groups[0] not in ("", "0")):
            if not all(len(g) == 3 for g in groups[1:]):
                raise BadInput("'{text}' is not a number", text=raw)
            s = s.replace(sep, "")
        else:
            s = s.replace(sep, ".")
    return float(s)


def parse_percent(value: Any) -> int:
    """A whole percentage from 80, '80', '80%' or '80 %' (not range-checked here)."""
    number = parse_number(value)
    if abs(number - round(number)) > 1e-6:
        raise BadInput("'{text}' is not a whole percentage", text=text(value))
    return int(round(number))


# Writing text a person typed (a plan's titles, agency names, notes) into a workbook or CSV:
# never as a formula, and without the control characters an .xlsx cannot hold.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # as openpyxl refuses them
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as a formula


def cell_text(value: Any) -> Any:
    """`value` fit for a workbook cell: text without the control characters an .xlsx cannot
    hold (they are removed); anything else as it is. Pair it with `write_cell`, which keeps
    the text from becoming a formula."""
    return _NOT_IN_XLSX.sub("", value) if isinstance(value, str) else value


def write_cell(ws: Any, row: int, column: int, value: Any) -> Any:
    """Set a cell of an openpyxl worksheet to `value` as a person reads it: text is stored as
    text (data type 's'), so "=HYPERLINK(…)" in a title shows as typed and is never a live
    formula; the cell, for styling."""
    cell = ws.cell(row, column)
    cell.value = cell_text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def csv_text(value: Any) -> Any:
    """`value` for a CSV file a spreadsheet may open: text that starts like a formula gets a
    leading apostrophe (OWASP's advice for CSV injection); anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def append_row(ws: Any, values: list[Any]) -> None:
    """`ws.append(values)` with every value put as `write_cell` puts it: for the workbooks that
    are written a row at a time (the digest's)."""
    ws.append([cell_text(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
