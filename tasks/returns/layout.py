"""The layout of a return, shared by the templates sent out and the files read back in.

A return has two kinds of sheet: deadlines (one row per deadline an agency owes) and KPI
figures (one row per KPI or breakdown part). Every row carries the keys that say what it is
about — hidden and locked in the workbook — so a row means the same wherever it sits and a
template never depends on database ids. Headers are matched without case or diacritics, and
the English field names are accepted too, so a hand-typed CSV headed "Tinh trang" or "status"
reads the same as the template.
"""
from __future__ import annotations

from dataclasses import dataclass

from tasks.words import fold

STATUS_CHOICES = ("Hoàn thành", "Đang thực hiện")  # the template's drop-down
MAX_ROWS = 10_000  # rows per sheet; a month's return is a few dozen
HEADER_SCAN = 20  # the header row is looked for in this many rows from the top
OVERDUE_SHEET = "Quá hạn kỳ trước"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    width: int = 12
    key: bool = False  # says what the row is about: hidden and locked in the workbook
    editable: bool = False  # what the agency fills in
    required: bool = False  # a sheet without this column is refused
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    kind: str  # report | kpi
    sheet: str
    marker: str  # the field whose header tells this layout apart
    answer: str  # the column filled in, which tells it apart too when the keys were deleted
    columns: tuple[Column, ...]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)

    def match(self, cells: list[object]) -> dict[str, int] | None:
        """{field: 0-based position} if `cells` is this layout's header row, else None."""
        names = {fold(n): c.field for c in self.columns for n in (c.header, c.field, *c.aliases)}
        found: dict[str, int] = {}
        for i, cell in enumerate(cells):
            field = names.get(fold(str(cell))) if cell is not None else None
            if field and field not in found:
                found[field] = i
        return found if self.marker in found or self.answer in found else None


def _keys(*extra: Column) -> tuple[Column, ...]:
    return (Column("agency", "Mã đơn vị", 14, key=True, required=True, aliases=("agency code",)),
            *extra)


REPORTS = Layout("report", "Nhiệm vụ", "task", "status", _keys(
    Column("task", "Mã nhiệm vụ", 14, key=True, required=True),
    Column("rule", "Mã hạn", 14, key=True, required=True, aliases=("deadline",)),
    Column("period", "Kỳ", 10, key=True, required=True),
    Column("task_title", "Nhiệm vụ", 40),
    Column("title", "Nội dung", 50),
    Column("due_on", "Hạn", 12),
    Column("status", "Tình trạng", 18, editable=True, required=True),
    Column("progress", "% tiến độ", 10, editable=True, aliases=("tien do", "% progress")),
    Column("note", "Ghi chú", 40, editable=True),
    Column("evidence", "Link minh chứng", 30, editable=True,
           aliases=("minh chung", "evidence url", "evidence_url")),
    Column("completed_on", "Ngày hoàn thành", 16, editable=True,
           aliases=("completed", "completed on")),
))

KPIS = Layout("kpi", "Chỉ tiêu", "kpi", "value", _keys(
    Column("kpi", "Mã chỉ tiêu", 16, key=True, required=True),
    Column("part", "Mã phần", 16, key=True, aliases=("breakdown",)),  # blank: the total
    Column("period", "Kỳ", 10, key=True, required=True),
    Column("name", "Chỉ tiêu", 50),
    Column("unit", "Đơn vị tính", 12),
    Column("previous", "Giá trị kỳ trước", 16),
    Column("previous_period", "Kỳ trước", 10),
    Column("value", "Giá trị kỳ này", 16, editable=True, required=True),
))

LAYOUTS = (REPORTS, KPIS)
SHEETS = (REPORTS.sheet, KPIS.sheet, OVERDUE_SHEET)  # the template's sheets
