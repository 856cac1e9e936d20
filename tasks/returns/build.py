"""What each agency owes for a month, as the rows of the return it fills in, and the CSV export.

A month's return lists the deadlines due in that month or labelled with it (monthly reports,
quarterly and one-off deadlines that fall due then, event deadlines); deadlines of earlier
months still overdue on `as_of` go to a separate list, so the month's own list stays exactly
what the plan asks for that month. The KPI rows are those the agency reports, one per
breakdown part, with the agency's latest earlier value beside them.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.calendar import month_bounds
from tasks.kpi import latest_values, plan_kpis
from tasks.record.models import Agency, Plan, Task
from tasks.returns.cells import csv_text
from tasks.returns.layout import KPIS, REPORTS, Layout
from tasks.status import OVERDUE, deadline_statuses
from tasks.words import fmt_date


@dataclass
class Return:
    """One agency's return for one month, before it is written to a file."""

    agency: str
    agency_name: str
    period: str
    plan_title: str
    as_of: dt.date
    owed: list[dict[str, Any]]  # REPORTS rows due this month
    overdue: list[dict[str, Any]]  # REPORTS rows of earlier months, still overdue on as_of
    kpis: list[dict[str, Any]]  # KPIS rows

    @property
    def stem(self) -> str:
        return f"{self.agency}-{self.period}"


def build_returns(s: Session, plan: Plan, period: str, as_of: dt.date,
                  agency: str | None = None) -> list[Return]:
    """The return of one agency, or of every agency that owes something for the month."""
    first, last = month_bounds(period, "period")
    names = dict(s.execute(sa.select(col(Agency.code), col(Agency.name_vi))
                           .order_by(col(Agency.id))).all())
    titles = dict(s.execute(sa.select(col(Task.key), col(Task.title_vi))
                            .where(col(Task.plan_id) == plan.id)).all())
    owed: dict[str, list] = {}
    overdue: dict[str, list] = {}
    for d in deadline_statuses(s, plan, as_of, agency=agency):
        row = {"agency": d.agency, "task": d.task, "rule": d.rule, "period": d.period,
               "task_title": titles[d.task], "title": d.title_vi, "due_on": d.due_on}
        if first <= d.due_on <= last or d.period == period:
            owed.setdefault(d.agency, []).append(row)
        elif d.due_on < first and d.category == OVERDUE:
            overdue.setdefault(d.agency, []).append(row)
    kpis = _kpi_rows(s, plan, period, as_of, agency)
    wanted = [agency] if agency else [c for c in names if c in owed or c in overdue or c in kpis]
    return [Return(code, names[code], period, plan.title_vi, as_of, owed.get(code, []),
                   overdue.get(code, []), kpis.get(code, [])) for code in wanted]


def _kpi_rows(s: Session, plan: Plan, period: str, as_of: dt.date,
              agency: str | None) -> dict[str, list[dict[str, Any]]]:
    kpis = plan_kpis(s, plan)
    before = latest_values(s, plan, as_of, before=period,
                           agencies=[agency] if agency else None)
    previous = {(a, k, p): (per, v) for (a, k, p, per), v in before.items()}
    out: dict[str, list[dict[str, Any]]] = {}
    for kpi in kpis.values():
        parts = [("", kpi.name_vi)] + [(p["key"], f"   – {p['name_vi']}")
                                       for p in kpi.spec.get("breakdown", [])]
        for code in kpi.spec.get("reported_by", []):
            if agency and code != agency:
                continue
            for part, name in parts:
                per, value = previous.get((code, kpi.key, part), (None, None))
                out.setdefault(code, []).append(
                    {"agency": code, "kpi": kpi.key, "part": part, "period": period,
                     "name": name, "unit": kpi.unit, "previous": value, "previous_period": per})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return fmt_date(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else csv_text(value)  # a title is never a formula


def write_csv(ret: Return, path: Path) -> list[Path]:
    """The return as CSV (UTF-8, comma, dd/mm/yyyy): deadlines in `path`, KPI rows beside it
    in NAME.chi-tieu.csv; the same columns and headers as the workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for layout, rows, target in ((REPORTS, ret.owed + ret.overdue, path),
                                 (KPIS, ret.kpis, path.with_suffix(".chi-tieu.csv"))):
        if layout is KPIS and not rows:
            continue
        with target.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([c.header for c in layout.columns])
            w.writerows([_plain(v) for v in cells] for cells in layout_rows(layout, rows))
        written.append(target)
    return written


def layout_rows(layout: Layout, rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows as cell values in the layout's column order."""
    return [[r.get(c.field) for c in layout.columns] for r in rows]
