"""The status table as a person reads it, in Vietnamese or English."""
from __future__ import annotations

import datetime as dt

from flows.console import pct, table
from tasks.plan.schema import KINDS
from tasks.status import CATEGORIES, DeadlineStatus, rollup, summary
from tasks.words import CATEGORY_LABELS, KIND_LABELS, ROLE_LABELS

HEAD = {
    "vi": {"title": "Tình hình thực hiện kế hoạch {plan} đến ngày {day}",
           "kind": "Loại nhiệm vụ", "agency": "Cơ quan", "total": "Tổng", "rate": "Tỷ lệ đúng hạn",
           "due": "Hạn", "task": "Nhiệm vụ", "role": "Vai trò", "period": "Kỳ",
           "status": "Tình trạng", "late": "Trễ (ngày)", "progress": "Tiến độ",
           "all": "Toàn kế hoạch", "none": "Không có hạn nào."},
    "en": {"title": "Status of plan {plan} as of {day}",
           "kind": "Task kind", "agency": "Agency", "total": "Total", "rate": "On-time rate",
           "due": "Due", "task": "Task", "role": "Role", "period": "Period",
           "status": "Status", "late": "Days late", "progress": "Progress",
           "all": "Whole plan", "none": "No deadlines."},
}


def _rollup_table(rows: list[DeadlineStatus], by: str, lang: str) -> str:
    h, cats = HEAD[lang], CATEGORY_LABELS[lang]
    order = (lambda g: (KINDS.index(g[by]), g[by])) if by == "kind" else (lambda g: g[by])
    groups = sorted(rollup(rows, by), key=order)  # kinds in the plan's order, agencies by code
    label = (lambda k: KIND_LABELS[lang].get(k, k)) if by == "kind" else (lambda k: k)
    body = [[label(g[by]), g["total"], *[g[c] for c in CATEGORIES], pct(g["on_time_rate"])]
            for g in groups]
    t = summary(rows)
    body.append([h["all"], t["total"], *[t[c] for c in CATEGORIES], pct(t["on_time_rate"])])
    return table([h[by], h["total"], *[cats[c] for c in CATEGORIES], h["rate"]], body)


def render_status(plan: str, day: dt.date, rows: list[DeadlineStatus], lang: str,
                  detail: bool) -> str:
    h = HEAD[lang]
    out = [h["title"].format(plan=plan, day=f"{day:%d/%m/%Y}"), ""]
    if not rows:
        return "\n".join(out + [h["none"]])
    out += [_rollup_table(rows, "kind", lang), "", _rollup_table(rows, "agency", lang)]
    if detail:
        cats, roles = CATEGORY_LABELS[lang], ROLE_LABELS[lang]
        out += ["", table(
            [h["due"], h["task"], h["agency"], h["role"], h["period"], h["status"], h["late"],
             h["progress"]],
            [[f"{r.due_on:%d/%m/%Y}", r.task, r.agency, roles[r.role], r.period, cats[r.category],
              r.days_late or "", f"{r.progress}%"] for r in rows])]
    return "\n".join(out)
