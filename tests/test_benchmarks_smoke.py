"""The benchmark generator at a tiny scale, so that it (and the baselines) cannot rot unseen."""
import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa

from benchmarks.baselines import category_counts, decide_counts
from benchmarks.generate import PLAN_KEY, PLANS, Scale, generate, report_rows
from benchmarks.probe import notice_counts
from benchmarks.rawsql import agency_status
from tasks.digest.compile import compile_digest
from tasks.notices.day import decide_day
from tasks.record import store
from tasks.record.lookups import resolve_plan, resolve_plans
from tasks.record.models import Agency, Deadline, Plan, Report, Task
from tasks.status import CATEGORIES, plans_statuses

TINY = Scale(provinces=3, communes=12, tasks=6, reports=500)  # 5 central + 3 + 12 = 20


@pytest.fixture
def tiny(db_url, tmp_path) -> tuple[str, dict]:
    return db_url, generate(tmp_path, db_url, TINY, seed=7)


def test_generator_writes_loads_and_reports_the_counts_asked_for(tiny):
    url, counts = tiny
    # the national plan: 6 months × (6 tasks × (1 lead + 3 provinces) + 12 communes × 1 task
    # each); the two others, 2 tasks each: 6 × (2 × 4 + 12 communes of which 4 owe task 0 or 1)
    assert counts == {"plans": 3, "agencies": 20, "tasks": 6 + 2 + 2,
                      "deadlines": 216 + 2 * 6 * (2 * 4 + 4), "plan_deadlines": 216,
                      "reports": 500 + 2 * 167}  # as many reports per deadline: 500 × 72 / 216
    assert TINY.agencies == 20 and TINY.deadlines == 216 and TINY.all_deadlines == 360
    with store.session(url) as s:
        parents = dict(s.execute(sa.select(Agency.code, Agency.parent_code)).all())
        reports = s.execute(sa.select(Report.deadline_id, Report.status, Report.reported_on,
                                      Report.completed_on)).all()
        deadlines = [tuple(r) for r in s.execute(
            sa.select(Deadline.id, Deadline.opens_on, Deadline.due_on).order_by(Deadline.id))]
    assert parents["HN-X001"] == "UBND-HN" and parents["UBND-HN"] == "BDV-TW"
    assert len(reports) == counts["reports"]
    done = [r for r in reports if r.status == "done"]
    assert done and all(r.completed_on <= r.reported_on for r in done)
    reported = {r.deadline_id for r in reports}
    assert 0 < len(reported) < len(deadlines)  # some deadlines are never reported on
    assert list(report_rows(deadlines, 500, 7)) == list(report_rows(deadlines, 500, 7))
    with store.session(url) as s:  # the plans overlap: agencies owe in each (the national
        # plan: all but VPCP, which leads nothing; the others, of 2 tasks: their 2 leads, the
        # provinces and a third of the communes)
        owing = dict(s.execute(sa.select(Plan.key, sa.func.count(sa.distinct(Deadline.agency_id)))
                               .join(Task, Task.plan_id == Plan.id)
                               .join(Deadline, Deadline.task_id == Task.id)
                               .group_by(Plan.key)).all())
    assert owing == {p.key: 19 if p.key == PLAN_KEY else 2 + 3 + 4 for p in PLANS}


def test_baselines_give_plantrack_s_answers(tiny):
    url, _ = tiny
    day = dt.date(2025, 11, 26)
    notices = decide_day(url, (), day)  # every plan, merged: one notice per recipient and kind
    with store.session(url) as s:
        digest = compile_digest(s, resolve_plan(s, PLAN_KEY), "2025-11")
        plans = resolve_plans(s, (), day)
        one = Counter(r.category for r in plans_statuses(s, plans, day, agency="HN-X001"))
    with store.engine(url).connect() as c:
        assert decide_counts(c, day) == notice_counts(notices)
        counts = category_counts(c, PLAN_KEY, dt.date(2025, 11, 30))
    assert counts["total"] == {k: digest.totals[k] for k in CATEGORIES}
    assert notice_counts(notices)["overdue"] > 0
    assert {i.plan for n in notices for i in n.items} == {p.key for p in PLANS}
    assert len(plans) == 3
    # HN-X001, the first commune, coordinates one task of six in the national plan and one of
    # two in each other plan: a deadline a month in each
    assert agency_status(url, "HN-X001", day.isoformat()) == {"total": 18, **{
        c: one[c] for c in CATEGORIES}}
