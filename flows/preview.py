"""`remind --dry-run`: the day's messages as they would be sent, with nothing claimed or sent."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from tasks.notices.decide import decide
from tasks.notices.render import render
from tasks.record.lookups import resolve_plan
from tasks.record.models import Agency
from tasks.record.store import session


def preview(plan: str | None, day: dt.date, lang: str) -> dict[str, Any]:
    with session() as s:
        p = resolve_plan(s, plan)
        notices = decide(s, p, day)
        agencies = {a.code: a for a in s.execute(sa.select(Agency)).scalars()}
    messages = [(n, render(n, agencies, lang)) for n in notices]
    text = "\n\n".join(f"── {n.recipient} ({n.kind}) ──\n{r.subject}\n\n{r.text}" for n, r in messages)
    return {
        "day": day.isoformat(),
        "messages": [{"recipient": n.recipient, "kind": n.kind, "subject": r.subject,
                      "items": len(n.items), "text": r.text} for n, r in messages],
        "text": text or f"{day:%d/%m/%Y}: no reminders",
    }
