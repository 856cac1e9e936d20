"""Markdown for Prefect artifacts (what the people running it read in the UI)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tasks.status import CATEGORIES, DeadlineStatus, summary
from tasks.words import CATEGORY_LABELS, fmt_whole_pct


def md_table(headers: list[str], rows: Iterable[Iterable[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def status_markdown(task: str, day: dt.date, rows: list[DeadlineStatus], notices) -> str:
    labels = CATEGORY_LABELS["vi"]
    t = summary(rows)
    out = [f"# {task} — tình hình đến ngày {day:%d/%m/%Y}", "",
           md_table(["Tình trạng", "Số hạn"], [[labels[c], t[c]] for c in CATEGORIES]),
           "", f"Tỷ lệ đúng hạn: {fmt_whole_pct(t['on_time_rate'])}"]
    late = [r for r in rows if r.category == "overdue"]
    if late:
        out += ["", "## Quá hạn", md_table(
            ["Cơ quan", "Kỳ", "Hạn", "Trễ (ngày)"],
            [[r.agency, r.period, f"{r.due_on:%d/%m/%Y}", r.days_late] for r in late])]
    if notices:
        out += ["", "## Nhắc việc hôm nay", md_table(
            ["Gửi đến", "Loại", "Số việc"], [[n.recipient, n.kind, len(n.items)] for n in notices])]
    return "\n".join(out)
