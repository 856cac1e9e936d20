"""The benchmark generator at a tiny scale, so that it (and the baselines) cannot rot unseen."""
import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa

from benchmarks.baselines import category_counts, decide_counts
from benchmarks.generate import Scale, generate, report_rows
from benchmarks.probe import notice_counts
from benchmarks.rawsql import agency_status
from tasks.digest.compile import compile_digest
from tasks.notices.decide import decide
from tasks.record import store
from tasks.record.lookups import resolve_plan
from tasks.record.models import Agency, Deadline, Report
from tasks.status import CATEGORIES, deadline_statuses

TINY = Scale(provinces=3, communes=12, tasks=6, reports=500)  # 5 central + 3 + 12 = 20


@pytest.fixture
def tiny(db_url, tmp_path) -> tuple[str, dict]:
    return db_url, generate(tmp_path, db_url, TINY, seed=7)


def test_generator_writes_loads_and_reports_the_counts_asked_for(tiny):
    url, counts = tiny
    # 6 months × (6 tasks × (1 lead + 3 provinces) + 12 communes × 1 task each)
    assert counts == {"agencies": 20, "tasks": 6, "deadlines": 6 * (6 * 4 + 12), "reports": 500}
    assert TINY.agencies == 20 and TINY.deadlines == 216
    with store.session(url) as s:
        parents = dict(s.execute(sa.select(Agency.code, Agency.parent_code)).all())
        reports = s.execute(sa.select(Report.deadline_id, Report.status, Report.reported_on,
                                      Report.completed_on)).all()
        deadlines = [tuple(r) for r in s.execute(
            sa.select(Deadline.id, Deadline.opens_on, Deadline.due_on).order_by(Deadline.id))]
    assert parents["HN-X001"] == "UBND-HN" and parents["UBND-HN"] == "BDV-TW"
    assert len(reports) == 500
    done = [r for r in reports if r.status == "done"]
    assert done and all(r.completed_on <= r.reported_on for r in done)
    reported = {r.deadline_id for r in reports}
    assert 0 < len(reported) < len(deadlines)  # some deadlines are never reported on
    assert list(report_rows(deadlines, 500, 7)) == list(report_rows(deadlines, 500, 7))


def test_baselines_give_plantrack_s_answers(tiny):
    url, _ = tiny
    day = dt.date(2025, 11, 26)
    with store.session(url) as s:
        plan = resolve_plan(s, None)
        notices = decide(s, plan, day)
        digest = compile_digest(s, plan, "2025-11")
        one = Counter(r.category for r in deadline_statuses(s, plan, day, agency="HN-X001"))
    with store.engine(url).connect() as c:
        assert decide_counts(c, day) == notice_counts(notices)
        counts = category_counts(c, dt.date(2025, 11, 30))
    assert counts["total"] == {k: digest.totals[k] for k in CATEGORIES}
    assert notice_counts(notices)["overdue"] > 0
    # HN-X001, the first commune, coordinates one task of six: a deadline a month
    assert agency_status(url, "HN-X001", day.isoformat()) == {"total": 6, **{
        c: one[c] for c in CATEGORIES}}
