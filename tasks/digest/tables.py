"""The digest's tables, built once and shared by the Markdown, the HTML email and the workbook.

Cells hold raw values (numbers, fractions, dates) and each column says how to show them, so the
workbook keeps numbers the secretariat can sum while the text follows the language (the words
and formats of tasks.words): 11.441 and 85,5% in Vietnamese, 11,441 and 85.5% in English,
dates as dd/mm/yyyy in both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tasks.calendar import month_bounds
from tasks.digest.compile import Digest
from tasks.status import (
    CATEGORIES,
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS,
    NOT_DUE,
    OVERDUE,
)
from tasks.words import (
    CATEGORY_LABELS,
    KIND_LABELS,
    TABLE_LABELS,
    TABLE_TITLES,
    fmt_date,
    fmt_num,
    fmt_pct,
    period_label,
)

CHARTS = {"by_kind": "status-by-kind.png", "agencies": "agencies-on-time.png",
          "kpis": "kpi-trend.png"}  # the chart drawn beside each table


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


def _cols(lang: str, *spec: tuple[str, str], day: str = "") -> list[Column]:
    return [Column((TABLE_LABELS[lang].get(k) or CATEGORY_LABELS[lang][k]).format(day=day), kind)
            for k, kind in spec]


def _status_cols(lang: str, first: str) -> list[Column]:
    cats = CATEGORY_LABELS[lang]
    return ([Column(TABLE_LABELS[lang][first]), Column(TABLE_LABELS[lang]["total"], "int")]
            + [Column(cats[c], "int") for c in CATEGORIES]
            + _cols(lang, ("rate", "rate"), ("progress", "pct")))


def _status_row(label: str, g: dict[str, Any]) -> list[Any]:
    return [label, g["total"], *[g[c] for c in CATEGORIES], g["on_time_rate"], g["progress"]]


AGENCY_COLUMNS = (("rank", "int"), ("agency", "text"), ("due_count", "int"),
                  (DONE_ON_TIME, "int"), (DONE_LATE, "int"), (OVERDUE, "int"), ("rate", "rate"))


def _agency_row(rank: int, g: dict[str, Any], name: str) -> list[Any]:
    return [rank, g[name], g[DONE_ON_TIME] + g[DONE_LATE] + g[OVERDUE], g[DONE_ON_TIME],
            g[DONE_LATE], g[OVERDUE], g["on_time_rate"]]


def peer_tables(d: Digest, lang: str = "vi") -> list[tuple[str, Table]]:
    """The agencies compared within each group of peers: one table per group, ranked in it."""
    name = f"name_{lang}"
    return [(grp[name], Table("agencies", TABLE_TITLES[lang]["agencies"][0], grp[name],
                              _cols(lang, *AGENCY_COLUMNS),
                              [_agency_row(n, g, name) for n, g in enumerate(grp["agencies"], 1)]))
            for grp in d.peer_groups]


def build_tables(d: Digest, lang: str = "vi") -> dict[str, Table]:
    """Every table of the digest, in the order the documents show them."""
    L, kinds, name = TABLE_LABELS[lang], KIND_LABELS[lang], f"name_{lang}"

    def table(key: str, columns: list[Column], rows: list[list[Any]], **kw) -> Table:
        return Table(key, *TABLE_TITLES[lang][key], columns, rows, **kw)

    item = lambda i: i[f"title_{lang}"]  # noqa: E731
    agency = lambda i: i[f"agency_{lang}"]  # noqa: E731
    period = lambda i: period_label(i["period"], lang)  # noqa: E731
    t: dict[str, Table] = {}
    t["by_kind"] = table("by_kind", _status_cols(lang, "kind"),
                         [_status_row(kinds.get(g["kind"], g["kind"]), g) for g in d.by_kind],
                         total=_status_row(L["all"], d.totals) if d.totals["total"] else None)
    own = {g["task"]: g for g in d.by_task}
    task_rows: list[list[Any]] = []
    subs: set[int] = set()
    for top in d.tasks:  # each task with its subtasks' figures, then each subtask's own
        task_rows.append(_status_row(top[f"title_{lang}"], top))
        for sub in top["subtasks"]:
            subs.add(len(task_rows))
            task_rows.append(_status_row(sub[f"title_{lang}"], own[sub["task"]]))
    t["by_task"] = table("by_task", _status_cols(lang, "task"), task_rows, indent=subs)
    t["agencies"] = table(
        "agencies", _cols(lang, ("group", "text"), *AGENCY_COLUMNS),
        [[grp[name], *_agency_row(n, g, name)]
         for grp in d.peer_groups for n, g in enumerate(grp["agencies"], 1)])
    t["overdue"] = table(
        "overdue", _cols(lang, ("agency", "text"), ("item", "text"), ("period", "text"),
                         ("due", "date"), ("working_days_late", "int"), ("item_progress", "pct"),
                         ("reminders", "int"), ("escalations", "int")),
        [[agency(i), item(i), period(i), i["due_on"], i["working_days_late"], i["progress"],
          i["reminders"], i["escalations"]] for i in d.overdue])
    t["completed"] = table(
        "completed", _cols(lang, ("agency", "text"), ("item", "text"), ("period", "text"),
                           ("due", "date"), ("completed_on", "date"), ("status", "text")),
        [[agency(i), item(i), period(i), i["due_on"], i["completed_on"],
          CATEGORY_LABELS[lang][i["category"]]] for i in d.completed])
    t["newly_overdue"] = table(
        "newly_overdue", _cols(lang, ("agency", "text"), ("item", "text"), ("period", "text"),
                               ("due", "date"), ("working_days_late", "int"),
                               ("item_progress", "pct")),
        [[agency(i), item(i), period(i), i["due_on"], i["working_days_late"], i["progress"]]
         for i in d.newly_overdue])
    t["coming"] = table(
        "coming", _cols(lang, ("due", "date"), ("item", "text"), ("period", "text"),
                        ("owed_by", "text"), ("total", "int"), ("done", "int")),
        [[c["due_on"], item(c), period(c), "; ".join(c[f"agencies_{lang}"]),
          len(c["agencies"]), c["done"]] for c in d.coming])
    t["kpis"] = table(
        "kpis", _cols(lang, ("kpi", "text"), ("unit", "text"), ("baseline", "num"),
                      ("latest", "num"), ("change", "signed"), ("change_pct", "signed_pct"),
                      ("target", "num"), ("reporting", "text"),
                      day=fmt_date(d.profile.get("baseline_on"))),
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
