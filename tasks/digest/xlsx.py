"""The digest's tables as an Excel workbook for the secretariat, who edit and forward it.

One sheet per table, numbers kept as numbers (rates as percentages, dates as dates), a styled
and frozen header row with a filter. The file is byte-identical when regenerated: its
properties and every zip entry carry the digest's own date, not the time it was written.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from tasks.digest.compile import Digest
from tasks.digest.tables import Table, build_tables, headline
from tasks.digest.zipstamp import fixed_zip
from tasks.returns.cells import append_row
from tasks.status import CATEGORIES
from tasks.words import CATEGORY_LABELS, SUMMARY_LABELS, TABLE_LABELS, month_label

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TOTAL_FILL = PatternFill("solid", fgColor="E3EBF3")
FORMATS = {"int": "#,##0", "signed": "+#,##0;-#,##0;0", "rate": "0.0%", "pct": "0.0%",
           "signed_pct": "+0.0%;-0.0%;0.0%", "date": "DD/MM/YYYY"}


def _value(kind: str, v: Any) -> Any:
    """What the cell holds: percentages as fractions so that Excel shows them as %."""
    if v is None or v == "":
        return None
    return v / 100 if kind in ("pct", "signed_pct") else v


def _format(kind: str, v: Any) -> str | None:
    if kind == "num":
        return "#,##0" if float(v).is_integer() else "#,##0.0"
    return FORMATS.get(kind)


def _active(wb: Workbook) -> Worksheet:
    """The sheet a new workbook starts with (openpyxl types it as maybe a chart sheet, or none)."""
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def _header(ws: Worksheet, headers: list[str]) -> None:
    append_row(ws, headers)
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = "A2"


def _widths(ws: Worksheet, texts: list[list[str]]) -> None:
    """Each column as wide as its longest cell (headers wrap), within 8–60 characters."""
    for i in range(len(texts[0])):
        longest = max(len(r[i]) for r in texts[1:]) if len(texts) > 1 else 0
        header = max(len(w) for w in texts[0][i].split())
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(longest, header, 8) + 2, 60)


def _sheet(wb: Workbook, t: Table, lang: str) -> None:
    ws = wb.create_sheet(t.sheet)
    _header(ws, [c.header for c in t.columns])
    rows = [(r, "sub" if n in t.indent else "") for n, r in enumerate(t.rows)]
    rows += [(t.total, "total")] if t.total else []
    for r, style in rows:
        append_row(ws, [_value(c.kind, v) for c, v in zip(t.columns, r, strict=True)])
        for c, v, cell in zip(t.columns, r, ws[ws.max_row], strict=True):
            if cell.value is not None and _format(c.kind, v):
                cell.number_format = _format(c.kind, v)
            cell.alignment = Alignment(vertical="top", wrap_text=c.kind == "text",
                                       indent=1 if style == "sub" and cell.column == 1 else 0)
            if style == "total":
                cell.font, cell.fill = Font(bold=True), TOTAL_FILL
    if t.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(t.columns))}{len(t.rows) + 1}"
    _widths(ws, [[c.header for c in t.columns]] + [cells for cells, _ in t.lines(lang)])


def _summary(wb: Workbook, d: Digest, lang: str) -> None:
    s, L = SUMMARY_LABELS[lang], TABLE_LABELS[lang]
    ws = _active(wb)
    ws.title = s["sheet"]
    h = headline(d)
    rows: list[tuple[str, Any, str | None]] = [
        (s["plan"], d.title_vi if lang == "vi" else d.title_en, None),
        (s["month"], month_label(d.month, lang), None), (s["as_of"], d.as_of, FORMATS["date"]),
        (L["total"], d.totals["total"], FORMATS["int"]),
        *[(CATEGORY_LABELS[lang][c], d.totals[c], FORMATS["int"]) for c in CATEGORIES],
        (L["rate"], d.totals["on_time_rate"], FORMATS["rate"]),
        (s["completed"], len(d.completed), FORMATS["int"]),
        (s["newly_overdue"], len(d.newly_overdue), FORMATS["int"]),
        (s["coming"], h["coming"], FORMATS["int"]),
        (s["sent"], d.delivery["total"]["sent"], FORMATS["int"]),
        (s["failing"], h["failing"], FORMATS["int"])]
    _header(ws, [s["item"], s["value"]])
    for label, value, fmt in rows:
        append_row(ws, [label, value])
        if fmt:
            ws.cell(ws.max_row, 2).number_format = fmt
        ws.cell(ws.max_row, 2).alignment = Alignment(horizontal="left", wrap_text=True)
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 80


def workbook(d: Digest, lang: str = "vi") -> Workbook:
    wb = Workbook()
    _summary(wb, d, lang)
    for t in build_tables(d, lang).values():
        _sheet(wb, t, lang)
    stamp = dt.datetime.combine(d.as_of, dt.time())
    p = wb.properties
    p.creator, p.lastModifiedBy, p.language = "plantrack", "plantrack", lang
    p.title = f"{d.plan} {d.month}"
    p.created = p.modified = stamp
    return wb


def write_workbook(d: Digest, path: Path, lang: str = "vi") -> Path:
    """Save the workbook without openpyxl's own save, which stamps the current time."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook(d, lang), archive).write_data()
    path.write_bytes(fixed_zip(raw.getvalue(), d.as_of))
    return path
