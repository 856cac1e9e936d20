"""Filling returns the way an agency does: open the template with openpyxl, type into the cells
under the Vietnamese headers, save. Columns are found by their header text, not by position,
so the tests also hold the template to its headers."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import sqlalchemy as sa

from tasks.record import store
from tasks.record.models import KpiValue, Report

REPORT_KEYS = ("Mã nhiệm vụ", "Mã hạn", "Kỳ")
KPI_KEYS = ("Mã chỉ tiêu", "Mã phần")


def template(cli, tmp_path: Path, agency: str, period: str = "2024-09",
             as_of: str = "2024-09-01") -> Path:
    out = tmp_path / f"{agency}-{period}.xlsx"
    result = cli("template", "--agency", agency, "--period", period, "--out", str(out),
                 "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return out


def _header(ws) -> tuple[int, dict[str, int]]:
    for r, row in enumerate(ws.iter_rows(max_row=20, values_only=True), start=1):
        if "Mã đơn vị" in row:
            return r, {str(v): i + 1 for i, v in enumerate(row) if v is not None}
    raise AssertionError(f"no header row in sheet {ws.title}")


def fill(path: Path, reports: dict[tuple, dict[str, Any]] | None = None,
         kpis: dict[tuple, Any] | None = None, out: Path | None = None) -> Path:
    """Type values into the rows named by (task, rule, period) on the deadline sheets and by
    (kpi, part) on "Chỉ tiêu"; every key must name a row of the template. A (value, format)
    pair also sets the cell's number format, as Excel does when one types "50%"."""
    wb = openpyxl.load_workbook(path)
    todo = {("report", k): v for k, v in (reports or {}).items()}
    todo |= {("kpi", k): {"Giá trị kỳ này": v} for k, v in (kpis or {}).items()}
    for ws in wb.worksheets:
        head, cols = _header(ws)
        kind, keys = ("kpi", KPI_KEYS) if "Mã chỉ tiêu" in cols else ("report", REPORT_KEYS)
        for r in range(head + 1, ws.max_row + 1):
            key = tuple(ws.cell(r, cols[k]).value or None for k in keys)
            for header, value in todo.pop((kind, key), {}).items():
                cell = ws.cell(r, cols[header])
                cell.value, fmt = value if isinstance(value, tuple) else (value, None)
                cell.number_format = fmt or cell.number_format
    assert not todo, f"no such rows in {path.name}: {list(todo)}"
    target = out or path
    wb.save(target)
    return target


def counts(url: str) -> tuple[int, int]:
    """(reports, KPI values) in the record."""
    with store.session(url) as s:
        return (s.execute(sa.select(sa.func.count()).select_from(Report)).scalar(),
                s.execute(sa.select(sa.func.count()).select_from(KpiValue)).scalar())
