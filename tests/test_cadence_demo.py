"""The shipped plan's half-year as `make demo` replays it: how often any one deadline is told.

The demo's agencies (config/demo/script.yaml) report on time except a few; BDV-MAICHAU and
TINHDOAN never report at all, so their July reports (due Thu 25/07/2024) stay overdue to the
end: on 30/12/2024 they are 110 working days overdue (26–31/07: 4, Aug 22, Sep 19 — 2 and 3/09
off —, Oct 23, Nov 21, 1–30/12: 21). They are the most told deadlines of the replay.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa
import yaml

from tasks.record import store
from tasks.record.models import Agency, Deadline, Message, Task
from tasks.scripted import script_reports
from tasks.simulate import replay

from conftest import ROOT


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the demo's own record
def test_no_deadline_is_reminded_more_than_15_times_or_escalated_more_than_6(loaded):
    script_reports(loaded, yaml.safe_load((ROOT / "config" / "demo" / "script.yaml")
                                          .read_text(encoding="utf-8")))
    replay(loaded, [], dt.date(2024, 7, 1), dt.date(2024, 12, 30), None)
    with store.session(loaded) as s:
        messages = s.execute(sa.select(Message.kind, Message.items, Agency.code)
                             .join(Agency, Agency.id == Message.recipient_id)).all()
        july = dict(s.execute(
            sa.select(Agency.code, Deadline.id).join(Task).join(Agency, Agency.id == Deadline.agency_id)
            .where(Deadline.period == "2024-07", Task.key.in_(["leadership", "coordination"]),
                   Agency.code.in_(["BDV-MAICHAU", "TINHDOAN"]))).all())
    told = Counter((i["deadline_id"], kind) for kind, items, _ in messages for i in items)
    reminded = Counter({d: n for (d, kind), n in told.items() if kind == "reminder"})
    escalated = Counter({d: n for (d, kind), n in told.items() if kind == "escalation"})

    assert max(reminded.values()) <= 15
    assert max(escalated.values()) <= 6
    # The July reports never done: 24/07 (1 working day before; 22/07, 3 before, is before the
    # plan was issued on 23/07), 25/07 (the day), then the 1st, 3rd, 5th, 7th, 9th, 14th, 19th,
    # 39th, 59th, 79th and 99th working day overdue = 13 reminders; escalated at 5, 25, 45, 65,
    # 85 and 105 working days overdue = 6. No deadline is told more.
    for code in ("BDV-MAICHAU", "TINHDOAN"):
        assert (reminded[july[code]], escalated[july[code]]) == (13, 6), code
    assert max(reminded.values()) == 13 and max(escalated.values()) == 6
    # Nobody mails the Standing Committee; the steering committee is reached via BDV-TU. Who is
    # ever 5 working days late: BDV-LACSON (9 days late), BDV-MAICHAU and TINHDOAN (never),
    # BDV-YENTHUY and HCCB (silent from 01/10 and 15/11) — all under BDV-TU (VP-UBND, HND and
    # BDV-DABAC, 3, 2 and 6 calendar days late, are done before their 5th working day late).
    recipients = {code for *_, code in messages}
    assert "BTV-TU" not in recipients and "BCD-DVK" not in recipients
    assert {code for kind, _, code in messages if kind == "escalation"} == {"BDV-TU"}
