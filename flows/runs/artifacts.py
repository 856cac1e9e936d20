"""Markdown for Prefect artifacts (what the people running it read in the UI)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tasks.status import CATEGORIES, DeadlineStatus, summary
from tasks.words import (
    ARTIFACT_WORDS,
    CATEGORY_LABELS,
    STATUS_WORDS,
    TABLE_LABELS,
    fmt_date,
    fmt_whole_pct,
    period_label,
)


def md_table(headers: list[str], rows: Iterable[Iterable[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def status_markdown(task: str, day: dt.date, rows: list[DeadlineStatus], notices,
                    lang: str) -> str:
    """A task's status for the Prefect UI, in the office's language: names of agencies as the
    record holds them, periods as written (tháng 9/2024)."""
    w, labels, h = ARTIFACT_WORDS[lang], CATEGORY_LABELS[lang], STATUS_WORDS[lang]
    t = summary(rows)
    out = [f"# {w['status_title'].format(task=task, day=fmt_date(day))}", "",
           md_table([h["status"], w["count"]], [[labels[c], t[c]] for c in CATEGORIES]),
           "", f"{h['rate']}: {fmt_whole_pct(t['on_time_rate'], lang)}"]
    late = [r for r in rows if r.category == "overdue"]
    if late:
        out += ["", f"## {w['overdue']}", md_table(
            [h["agency"], h["period"], h["due"], h["late"]],
            [[r.agency, period_label(r.period, lang), fmt_date(r.due_on), r.days_late]
             for r in late])]
    if notices:
        out += ["", f"## {w['today']}", md_table(*notices_table(notices, lang))]
    return "\n".join(out)


def notices_table(notices, lang: str) -> tuple[list[str], list[list[object]]]:
    """(headers, rows) of messages as the Prefect UI shows them: to whom, which kind (in the
    office's words), how many items."""
    w, kinds = ARTIFACT_WORDS[lang], TABLE_LABELS[lang]
    return ([w["to"], w["kind"], w["items"]],
            [[n.recipient, kinds.get(n.kind, n.kind), len(n.items)] for n in notices])
