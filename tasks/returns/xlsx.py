"""The return as an Excel workbook an agency fills in and sends back.

Sheet 1 lists the month's deadlines, sheet 2 ("Chỉ tiêu") the KPI figures, and a third sheet
the deadlines of earlier months still overdue, if any. Key columns are hidden and every sheet
is protected without a password, so only the cells to fill in can be typed into; status is a
drop-down of the Vietnamese words, % progress a whole number 0–100, dates show dd/mm/yyyy.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tasks.returns.build import Return, layout_rows
from tasks.returns.cells import write_cell
from tasks.returns.layout import KPIS, OVERDUE_SHEET, REPORTS, STATUS_CHOICES, Layout

HEADER_ROW = 5
DATE_FORMAT = "DD/MM/YYYY"
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")

GUIDE = {
    "report": "Chọn Tình trạng (Hoàn thành / Đang thực hiện); ghi % tiến độ (0–100), ghi chú, "
              "link minh chứng; ngày hoàn thành theo dạng dd/mm/yyyy. Dòng để trống là chưa "
              "báo cáo.",
    "kpi": "Ghi giá trị kỳ này cho từng chỉ tiêu (số, không âm); các lĩnh vực cộng lại phải "
           "bằng tổng. Dòng để trống là chưa báo cáo.",
}


def _validations(ws: Worksheet, layout: Layout, first: int, last: int) -> None:
    def col(field: str) -> str:
        i = [c.field for c in layout.columns].index(field) + 1
        return f"{get_column_letter(i)}{first}:{get_column_letter(i)}{last}"

    rules = []
    if layout is KPIS:
        rules.append((DataValidation(type="decimal", operator="greaterThanOrEqual",
                                     formula1="0", error="Giá trị là một số không âm."), "value"))
    else:
        rules.append((DataValidation(type="list", formula1=f'"{",".join(STATUS_CHOICES)}"',
                                     error="Chọn Hoàn thành hoặc Đang thực hiện."), "status"))
        rules.append((DataValidation(type="whole", operator="between", formula1="0",
                                     formula2="100", error="% tiến độ là số nguyên từ 0 đến 100."),
                      "progress"))
    for dv, field in rules:
        dv.allow_blank = True
        dv.showErrorMessage = True
        dv.errorTitle = "Giá trị không hợp lệ"
        dv.add(col(field))
        ws.add_data_validation(dv)


def _sheet(ws: Worksheet, layout: Layout, title: str, ret: Return, rows: list) -> None:
    visible = next(i for i, c in enumerate(layout.columns, start=1) if not c.key)
    for r, text in enumerate((title, f"Đơn vị: {ret.agency_name} ({ret.agency})",
                              f"Kế hoạch: {ret.plan_title}", GUIDE[layout.kind]), start=1):
        write_cell(ws, r, visible, text).font = Font(bold=r == 1, size=14 if r == 1 else 11,
                                                     italic=r == 4)
    for i, c in enumerate(layout.columns, start=1):
        cell = write_cell(ws, HEADER_ROW, i, c.header)
        cell.font, cell.fill = Font(bold=True), _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width, dim.hidden = c.width, c.key
    for r, values in enumerate(layout_rows(layout, rows), start=HEADER_ROW + 1):
        for i, (c, value) in enumerate(zip(layout.columns, values, strict=True), start=1):
            cell = write_cell(ws, r, i, value)  # a title is text, never a formula
            cell.alignment = Alignment(wrap_text=c.field in ("task_title", "title", "name"),
                                       vertical="top")
            if c.field in ("due_on", "completed_on"):
                cell.number_format = DATE_FORMAT
            if c.editable:
                cell.protection, cell.fill = Protection(locked=False), _INPUT_FILL
    if rows:
        _validations(ws, layout, HEADER_ROW + 1, HEADER_ROW + len(rows))
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, visible).coordinate
    ws.protection.sheet = True  # no password: it guards against slips, not people
    ws.protection.formatColumns = ws.protection.formatRows = False  # widths may change


def write_workbook(ret: Return, path: Path) -> Path:
    month = f"{ret.period[5:]}/{ret.period[:4]}"
    wb = Workbook()
    first = wb.active  # the sheet a new workbook starts with
    assert isinstance(first, Worksheet)  # openpyxl types it as maybe a chart sheet, or none
    _sheet(first, REPORTS, f"BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ — THÁNG {month}", ret,
           ret.owed)
    first.title = REPORTS.sheet
    _sheet(wb.create_sheet(KPIS.sheet), KPIS, f"SỐ LIỆU CHỈ TIÊU — THÁNG {month}", ret, ret.kpis)
    if ret.overdue:
        _sheet(wb.create_sheet(OVERDUE_SHEET), REPORTS,
               f"NHIỆM VỤ CÁC KỲ TRƯỚC CÒN QUÁ HẠN (đến ngày {ret.as_of:%d/%m/%Y})", ret,
               ret.overdue)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
