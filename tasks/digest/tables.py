"""The digest's tables, built once and shared by the Markdown, the HTML email and the workbook.

Cells hold raw values (numbers, fractions, dates) and each column says how to show them, so the
workbook keeps numbers the secretariat can sum while the text formats follow the language:
11.441 and 85,5% in Vietnamese, 11,441 and 85.5% in English, dates as dd/mm/yyyy in both.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tasks.digest.compile import Digest
from tasks.months import month_bounds
from tasks.status import (
    CATEGORIES,
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS,
    NOT_DUE,
    OVERDUE,
)
from tasks.words import CATEGORY_LABELS, KIND_LABELS

CHARTS = {"by_kind": "status-by-kind.png", "agencies": "agencies-on-time.png",
          "kpis": "kpi-trend.png"}  # the chart drawn beside each table
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

TITLES = {  # table key -> (sheet name, heading)
    "vi": {
        "by_kind": ("Theo loại nhiệm vụ", "Tình hình thực hiện theo loại nhiệm vụ"),
        "by_task": ("Theo nhiệm vụ", "Tình hình thực hiện theo nhiệm vụ"),
        "agencies": ("Xếp hạng cơ quan", "Bảng xếp hạng cơ quan, đơn vị"),
        "overdue": ("Quá hạn", "Việc quá hạn chưa hoàn thành"),
        "completed": ("Hoàn thành trong tháng", "Hoàn thành trong tháng"),
        "newly_overdue": ("Mới quá hạn", "Mới quá hạn trong tháng"),
        "coming": ("Hạn tháng tới", "Hạn trong tháng tới"),
        "kpis": ("Chỉ tiêu", "Các chỉ tiêu của phong trào"),
        "delivery": ("Gửi nhắc việc", "Tình hình gửi nhắc việc trong tháng"),
        "failing": ("Tin chưa gửi được", "Tin nhắc việc chưa gửi được"),
    },
    "en": {
        "by_kind": ("By task kind", "Status by task kind"),
        "by_task": ("By task", "Status by task"),
        "agencies": ("Agencies", "Agencies' league table"),
        "overdue": ("Overdue", "Overdue items not yet done"),
        "completed": ("Completed", "Completed during the month"),
        "newly_overdue": ("Newly overdue", "Newly overdue during the month"),
        "coming": ("Next month", "Deadlines next month"),
        "kpis": ("KPIs", "The movement's indicators"),
        "delivery": ("Reminder delivery", "Reminder delivery during the month"),
        "failing": ("Undelivered", "Reminders not yet delivered"),
    },
}

LABELS = {  # column headers and row labels

    "vi": {
        "kind": "Loại nhiệm vụ", "task": "Nhiệm vụ", "total": "Tổng số", "rate": "Tỷ lệ đúng hạn",
        "progress": "Tiến độ bình quân", "all": "Toàn kế hoạch", "rank": "Hạng",
        "agency": "Cơ quan, đơn vị", "item": "Nội dung", "period": "Kỳ", "due": "Hạn",
        "days_late": "Số ngày quá hạn", "item_progress": "Tiến độ", "reminders": "Đã nhắc",
        "escalations": "Đã báo cấp trên", "completed_on": "Ngày hoàn thành",
        "status": "Tình trạng", "owed_by": "Cơ quan phải thực hiện", "done": "Đã xong",
        "kpi": "Chỉ tiêu", "unit": "Đơn vị tính", "baseline": "Mốc 30/06/2024",
        "latest": "Số mới nhất", "change": "Tăng/giảm", "change_pct": "Tăng/giảm (%)",
        "target": "Mục tiêu", "reporting": "Đã báo cáo", "msg_kind": "Loại tin",
        "messages": "Số tin", "sent": "Đã gửi", "failed": "Có lỗi", "failed_attempts": "Lượt lỗi",
        "still_failing": "Chưa gửi được", "day": "Ngày", "recipient": "Nơi nhận",
        "attempts": "Số lần lỗi", "last_error": "Lỗi gần nhất",
        "reminder": "Nhắc việc", "escalation": "Báo cấp trên", "sum": "Cộng",
    },
    "en": {
        "kind": "Task kind", "task": "Task", "total": "Total", "rate": "On-time rate",
        "progress": "Average progress", "all": "Whole plan", "rank": "Rank",
        "agency": "Agency", "item": "Item", "period": "Period", "due": "Due",
        "days_late": "Days late", "item_progress": "Progress", "reminders": "Reminders",
        "escalations": "Escalations", "completed_on": "Completed on", "status": "Status",
        "owed_by": "Owed by", "done": "Done", "kpi": "Indicator", "unit": "Unit",
        "baseline": "Baseline 30/06/2024", "latest": "Latest", "change": "Change",
        "change_pct": "Change (%)", "target": "Target", "reporting": "Reported",
        "msg_kind": "Kind", "messages": "Messages", "sent": "Sent", "failed": "With errors",
        "failed_attempts": "Failed attempts", "still_failing": "Not delivered", "day": "Day",
        "recipient": "Recipient", "attempts": "Failed attempts", "last_error": "Last error",
        "reminder": "Reminder", "escalation": "Escalation", "sum": "Total",
    },
}


def month_label(month: str, lang: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"tháng {m}/{y}" if lang == "vi" else f"{MONTHS_EN[m - 1]} {y}"


def fmt_num(v: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """11.441 / 85,5 in Vietnamese; 11,441 / 85.5 in English; '—' for nothing."""
    if v is None:
        return "—"
    text = f"{v:{'+' if signed else ''},.{0 if float(v).is_integer() else decimals}f}"
    if signed and v == 0:
        text = text.lstrip("+")
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def fmt_pct(v: float | None, lang: str, signed: bool = False) -> str:
    return "—" if v is None else fmt_num(round(v, 1), lang, 1, signed) + "%"


def fmt_date(d: dt.date | str | None) -> str:
    if d is None:
        return ""
    return f"{dt.date.fromisoformat(d) if isinstance(d, str) else d:%d/%m/%Y}"


@dataclass
class Column:
    header: str
    kind: str = "text"  # text | int | num | signed | rate (a fraction) | pct | signed_pct | date


@dataclass
class Table:
    key: str
    sheet: str  # the workbook's sheet name (≤ 31 characters)
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    total: list[Any] | None = None  # a last row, shown bold
    indent: set[int] = field(default_factory=set)  # rows whose first cell is a sub-item

    def cell(self, col: int, value: Any, lang: str) -> str:
        kind = self.columns[col].kind
        if value is None or value == "":
            return "—" if kind != "text" else ""
        if kind in ("int", "num", "signed"):
            return fmt_num(value, lang, signed=kind == "signed")
        if kind == "rate":
            return fmt_pct(value * 100, lang)
        if kind in ("pct", "signed_pct"):
            return fmt_pct(value, lang, signed=kind == "signed_pct")
        if kind == "date":
            return fmt_date(value)
        return str(value)

    def lines(self, lang: str, limit: int | None = None) -> list[tuple[list[str], str]]:
        """Each row's cells as text, with its style: "" | "sub" (a sub-item) | "total";
        at most `limit` rows before the total row."""
        rows = self.rows[:limit]
        out = [([self.cell(i, v, lang) for i, v in enumerate(r)], "sub" if n in self.indent else "")
               for n, r in enumerate(rows)]
        if self.total:
            out.append(([self.cell(i, v, lang) for i, v in enumerate(self.total)], "total"))
        return out

    def hidden(self, limit: int | None) -> int:
        """How many rows `lines(lang, limit)` leaves out."""
        return max(len(self.rows) - limit, 0) if limit is not None else 0


def _cols(lang: str, *spec: tuple[str, str]) -> list[Column]:
    return [Column(LABELS[lang].get(k) or CATEGORY_LABELS[lang][k], kind) for k, kind in spec]


def _status_cols(lang: str, first: str) -> list[Column]:
    cats = CATEGORY_LABELS[lang]
    return ([Column(LABELS[lang][first]), Column(LABELS[lang]["total"], "int")]
            + [Column(cats[c], "int") for c in CATEGORIES]
            + _cols(lang, ("rate", "rate"), ("progress", "pct")))


def _status_row(label: str, g: dict[str, Any]) -> list[Any]:
    return [label, g["total"], *[g[c] for c in CATEGORIES], g["on_time_rate"], g["progress"]]


def build_tables(d: Digest, lang: str = "vi") -> dict[str, Table]:
    """Every table of the digest, in the order the documents show them."""
    L, kinds, name = LABELS[lang], KIND_LABELS[lang], f"name_{lang}"

    def table(key: str, columns: list[Column], rows: list[list[Any]], **kw) -> Table:
        return Table(key, *TITLES[lang][key], columns, rows, **kw)

    item = lambda i: i[f"title_{lang}"]  # noqa: E731
    agency = lambda i: i[f"agency_{lang}"]  # noqa: E731
    t: dict[str, Table] = {}
    t["by_kind"] = table("by_kind", _status_cols(lang, "kind"),
                         [_status_row(kinds.get(g["kind"], g["kind"]), g) for g in d.by_kind],
                         total=_status_row(L["all"], d.totals) if d.totals["total"] else None)
    t["by_task"] = table("by_task", _status_cols(lang, "task"),
                         [_status_row(g[f"title_{lang}"], g) for g in d.by_task],
                         indent={i for i, g in enumerate(d.by_task) if g["parent"]})
    t["agencies"] = table(
        "agencies", _cols(lang, ("rank", "int"), ("agency", "text"), (DONE_ON_TIME, "int"),
                          (DONE_LATE, "int"), (OVERDUE, "int"), ("rate", "rate")),
        [[n, g[name], g[DONE_ON_TIME], g[DONE_LATE], g[OVERDUE], g["on_time_rate"]]
         for n, g in enumerate(d.agencies, 1)])
    t["overdue"] = table(
        "overdue", _cols(lang, ("agency", "text"), ("item", "text"), ("period", "text"),
                         ("due", "date"), ("days_late", "int"), ("item_progress", "pct"),
                         ("reminders", "int"), ("escalations", "int")),
        [[agency(i), item(i), i["period"], i["due_on"], i["days_late"], i["progress"],
          i["reminders"], i["escalations"]] for i in d.overdue])
    t["completed"] = table(
        "completed", _cols(lang, ("agency", "text"), ("item", "text"), ("period", "text"),
                           ("due", "date"), ("completed_on", "date"), ("status", "text")),
        [[agency(i), item(i), i["period"], i["due_on"], i["completed_on"],
          CATEGORY_LABELS[lang][i["category"]]] for i in d.completed])
    t["newly_overdue"] = table(
        "newly_overdue", _cols(lang, ("agency", "text"), ("item", "text"), ("period", "text"),
                               ("due", "date"), ("days_late", "int"), ("item_progress", "pct")),
        [[agency(i), item(i), i["period"], i["due_on"], i["days_late"], i["progress"]]
         for i in d.newly_overdue])
    t["coming"] = table(
        "coming", _cols(lang, ("due", "date"), ("item", "text"), ("period", "text"),
                        ("owed_by", "text"), ("total", "int"), ("done", "int")),
        [[c["due_on"], item(c), c["period"], ", ".join(c["agencies"]), len(c["agencies"]),
          c["done"]] for c in d.coming])
    t["kpis"] = table(
        "kpis", _cols(lang, ("kpi", "text"), ("unit", "text"), ("baseline", "num"),
                      ("latest", "num"), ("change", "signed"), ("change_pct", "signed_pct"),
                      ("target", "num"), ("reporting", "text")),
        [[k[name], k["unit"], k["baseline"], k["value"], k["change"], k["change_pct"],
          k["target"],
          f"{k['reporting']}/{k['expected']}" if k["expected"] else str(k["reporting"])]
         for k in d.kpis],
        indent={i for i, k in enumerate(d.kpis) if k["part"]})
    keys = ("messages", "sent", "failed", "failed_attempts", "still_failing")
    t["delivery"] = table(
        "delivery", [Column(L["msg_kind"])] + [Column(L[k], "int") for k in keys],
        [[L[r["kind"]], *[r[k] for k in keys]] for r in d.delivery["by_kind"]],
        total=[L["sum"], *[d.delivery["total"][k] for k in keys]])
    t["failing"] = table(
        "failing", _cols(lang, ("day", "date"), ("msg_kind", "text"), ("recipient", "text"),
                         ("attempts", "int"), ("last_error", "text")),
        [[f["day"], L[f["kind"]], f[name], f["attempts"], f["last_error"]]
         for f in d.delivery["still_failing"]])
    return t


def headline(d: Digest) -> dict[str, Any]:
    """The few numbers the summary sentence needs, for every template language alike."""
    tot = d.totals
    first, last = month_bounds(d.next_month)
    return {"due": tot[DONE_ON_TIME] + tot[DONE_LATE] + tot[OVERDUE],
            "done": tot[DONE_ON_TIME] + tot[DONE_LATE], "in_progress": tot[IN_PROGRESS],
            "not_due": tot[NOT_DUE], "coming": sum(len(c["agencies"]) for c in d.coming),
            "next_first": first, "next_last": last,
            "failing": len(d.delivery["still_failing"])}
