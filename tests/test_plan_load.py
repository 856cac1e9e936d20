"""`plantrack plan load`: what it writes, what it refuses, and how plans expand into deadlines."""
from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from sqlmodel import SQLModel

from tasks.plan.load import load_file
from tasks.plan.schema import DeadlineRule
from tasks.plan.validate import occurrences, task_hash, validate
from tasks.record import store
from tasks.record.appending import ReportIn, add_report, record_event
from tasks.record.lookups import find_deadline, resolve_plan
from tasks.record.models import Agency, Deadline, Event, Kpi, Plan, Task

from conftest import PLAN, ROOT, SMALL_PLAN

D = dt.date


def row_counts(url: str) -> dict[str, int]:
    with store.engine(url).connect() as c:
        return {t.name: c.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables}


def edited_plan(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the shipped plan with edits, next to a copy of its agency directory."""
    shutil.copy(ROOT / "config" / "agencies.yaml", tmp_path / "agencies.yaml")
    (tmp_path / "plans").mkdir(exist_ok=True)
    text = PLAN.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "plans" / PLAN.name
    path.write_text(text, encoding="utf-8")
    return path


def table_rows(output: str) -> dict[str, list[int]]:
    """{'tasks': [added, changed, removed], …} from the printed table."""
    return {cells[0]: [int(c) for c in cells[1:]] for cells in
            (line.split() for line in output.splitlines()[2:])
            if len(cells) == 4 and all(c.isdigit() for c in cells[1:])}


ADMIN_MONTHLY = "        monthly: {day: 20, start: 2024-08}\n"
COMMENDATION = PLAN.read_text(encoding="utf-8").split("    subtasks:\n      - key: commendation")[1] \
    .split("\nkpis:")[0]


def test_load_prints_what_changed_and_loading_twice_changes_nothing(db_url, cli):
    first = cli("--lang", "en", "plan", "load", str(PLAN))
    assert first.exit_code == 0, first.stderr
    assert table_rows(first.stdout) == {"agencies": [22, 0, 0], "plan": [1, 0, 0],
                                        "tasks": [16, 0, 0], "deadlines": [190, 0, 0],
                                        "KPIs": [4, 0, 0]}
    counts = row_counts(db_url)
    again = cli("plan", "load", str(PLAN))
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0].split() == ["thêm", "sửa", "xóa"]
    assert again.stdout.splitlines()[-1] == "không có thay đổi"
    assert all(n == [0, 0, 0] for n in table_rows(again.stdout).values())
    assert row_counts(db_url) == counts


@pytest.mark.parametrize("fresh", [True, False], ids=["empty", "loaded"])
def test_a_file_that_fails_validation_writes_nothing(db_url, cli, tmp_path, fresh):
    if not fresh:
        load_file(PLAN, db_url)
    before = row_counts(db_url)
    broken = edited_plan(tmp_path, (ADMIN_MONTHLY, ADMIN_MONTHLY.replace("day: 20", "day: 22")),
                         ("\n    lead: [SNV]\n", "\n    lead: [SNV-X]\n"))
    result = cli("plan", "load", str(broken))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "tasks[2].lead[0]: không có cơ quan 'SNV-X' trong danh mục" in result.stderr
    assert row_counts(db_url) == before
    assert before["deadline"] == (0 if fresh else 190)


def _due(url: str, task: str, agency: str) -> dict[str, tuple[int, dt.date, dt.date]]:
    with store.session(url) as s:
        rows = s.execute(sa.select(Deadline.period, Deadline.id, Deadline.nominal_on, Deadline.due_on)
                         .join(Task, Task.id == Deadline.task_id)
                         .join(Agency, Agency.id == Deadline.agency_id)
                         .where(Task.key == task, Agency.code == agency)).all()
    return {period: (i, nominal, due) for period, i, nominal, due in rows}


def test_changing_a_deadline_day_updates_due_dates_in_place(loaded, tmp_path):
    before = _due(loaded, "admin-reform", "SNV")
    assert {p: due for p, (_, _, due) in before.items()} == {  # none for July: see the plan
        "2024-08": D(2024, 8, 20), "2024-09": D(2024, 9, 20), "2024-10": D(2024, 10, 21),
        "2024-11": D(2024, 11, 20), "2024-12": D(2024, 12, 20)}
    with store.session(loaded) as s:
        plan = resolve_plan(s, None)
        report = add_report(s, find_deadline(s, plan, "admin-reform", "SNV", "2024-09"),
                            ReportIn("in_progress", 40, reported_on=D(2024, 9, 10)), D(2024, 9, 10))
    changes = load_file(edited_plan(tmp_path, (ADMIN_MONTHLY, ADMIN_MONTHLY.replace("day: 20", "day: 22"))),
                        loaded)
    assert changes["deadlines"] == {"added": 0, "changed": 10, "removed": 0}  # 5 months × 2
    assert changes["tasks"] == {"added": 0, "changed": 0, "removed": 0}
    assert changes["plan"]["changed"] == 1
    after = _due(loaded, "admin-reform", "SNV")
    assert {p: due for p, (_, _, due) in after.items()} == {
        "2024-08": D(2024, 8, 22), "2024-09": D(2024, 9, 23), "2024-10": D(2024, 10, 22),
        "2024-11": D(2024, 11, 22), "2024-12": D(2024, 12, 23)}
    assert after["2024-09"][1] == D(2024, 9, 22)  # nominal Sunday, due Monday
    assert {p: i for p, (i, _, _) in after.items()} == {p: i for p, (i, _, _) in before.items()}
    assert report.deadline_id == after["2024-09"][0]  # the report still points at its deadline


def test_removing_a_task_that_has_reports_is_refused(loaded, cli, tmp_path):
    with store.session(loaded) as s:
        plan = resolve_plan(s, None)
        add_report(s, find_deadline(s, plan, "commendation", "SNV", "2024-H2"),
                   ReportIn("done", reported_on=D(2024, 12, 2)), D(2024, 12, 2))
        plan_hash = plan.content_hash
    before = row_counts(loaded)
    without = edited_plan(tmp_path, ("    subtasks:\n      - key: commendation" + COMMENDATION, ""))
    result = cli("plan", "load", str(without))
    assert result.exit_code == 2
    assert result.stderr == "plantrack: không xóa các nhiệm vụ đã có báo cáo: commendation\n"
    assert row_counts(loaded) == before
    with store.session(loaded) as s:
        assert resolve_plan(s, None).content_hash == plan_hash
        assert s.execute(sa.select(Task.id).where(Task.key == "commendation")).first()


def test_removing_a_task_without_reports_removes_it_and_its_deadlines(loaded, tmp_path):
    without = edited_plan(tmp_path, ("    subtasks:\n      - key: commendation" + COMMENDATION, ""))
    changes = load_file(without, loaded)
    assert changes["tasks"] == {"added": 0, "changed": 0, "removed": 1}
    assert changes["deadlines"] == {"added": 0, "changed": 0, "removed": 1}
    assert row_counts(loaded)["deadline"] == 189


def test_a_monthly_deadline_on_day_31_clamps_to_the_months_last_day():
    rule = DeadlineRule(key="r", title_vi="r", title_en="r", monthly={"day": 31})
    assert [nominal for _, _, nominal in occurrences(rule, D(2024, 1, 1), D(2024, 6, 30))] == [
        D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31),
        D(2024, 6, 30)]


def test_the_shipped_plans_expansion():
    spec = validate(PLAN)
    assert [t.spec.key for t in spec.tasks] == [
        "leadership", "committee", "committee-reinforce", "committee-review", "admin-reform",
        "admin-reform-procedures", "committee-models", "models-review", "friendly-government",
        "models-in-fields", "coordination", "coordination-social-models",
        "coordination-petitions", "coordination-guidance", "inspection", "commendation"]
    assert len(spec.deadlines) == 190
    per_agency = Counter(d.agency for d in spec.deadlines)
    districts = [a.code for a in spec.directory.agencies if a.code.startswith("BDV-") and a.code != "BDV-TU"]
    # Each district: 6 monthly reports (leadership), the six-month review, 2 quarterly model
    # reviews, the "friendly government" report and the report on the movement in new rural
    # areas, towns, poverty reduction and disaster prevention.
    assert {c: per_agency[c] for c in districts} == {c: 11 for c in districts}
    assert len(districts) == 10
    # SNV and VP-UBND owe no July admin-reform report (the plan came after its day): 6 and 7.
    # The Front and the organisations owe the petitions report; the Front the guidance too.
    assert {c: per_agency[c] for c in ("BDV-TU", "BCD-DVK", "SNV", "VP-UBND", "UBND", "MTTQ",
                                       "HLHPN", "HND", "TINHDOAN", "LDLD", "HCCB")} == {
        "BDV-TU": 8, "BCD-DVK": 9, "SNV": 6, "VP-UBND": 7, "UBND": 1, "MTTQ": 9,
        "HLHPN": 8, "HND": 8, "TINHDOAN": 8, "LDLD": 8, "HCCB": 8}

    def dues(task, agency, rule):
        return [(d.period, d.nominal_on, d.due_on) for d in spec.deadlines
                if (d.task_key, d.agency, d.rule_key) == (task, agency, rule)]

    # July's, set for Sat 20/07 (due Mon 22/07), came before the plan was issued on 23/07.
    assert dues("admin-reform", "SNV", "monthly-report")[:3] == [
        ("2024-08", D(2024, 8, 20), D(2024, 8, 20)),
        ("2024-09", D(2024, 9, 20), D(2024, 9, 20)),
        ("2024-10", D(2024, 10, 20), D(2024, 10, 21))]  # Sunday → Monday
    assert dues("committee-review", "BDV-MAICHAU", "six-month-review") == [
        ("2024-H2", D(2024, 12, 15), D(2024, 12, 16))]  # Sunday → Monday
    assert dues("admin-reform-procedures", "VP-UBND", "procedure-time") == [
        ("2024-Q3", D(2024, 9, 15), D(2024, 9, 16)), ("2024-Q4", D(2024, 12, 15), D(2024, 12, 16))]
    assert dues("friendly-government", "UBND", "replication-done") == [
        ("2024-H2", D(2024, 11, 30), D(2024, 12, 2))]
    assert dues("leadership", "BDV-TU", "monthly-report")[1] == ("2024-08", D(2024, 8, 25), D(2024, 8, 26))
    assert dues("inspection", "BDV-TU", "inspection-round") == [
        ("2024-Q3", D(2024, 9, 20), D(2024, 9, 20)), ("2024-Q4", D(2024, 12, 20), D(2024, 12, 20))]
    review = next(d for d in spec.deadlines if d.rule_key == "six-month-review")
    assert review.opens_on == D(2024, 11, 15)
    assert [k.key for k in spec.plan.kpis] == ["models", "models-named", "models-replicated",
                                               "procedure-time"]


def test_the_small_plan_loads_beside_the_shipped_one(loaded):
    changes = load_file(SMALL_PLAN, loaded)
    assert changes["tasks"]["added"] == 3 and changes["deadlines"]["added"] == 12
    assert changes["agencies"]["added"] == 6
    with store.session(loaded) as s:
        plan = resolve_plan(s, "mc-2025-q1")
        rows = s.execute(
            sa.select(Task.key, Agency.code, Deadline.role, Deadline.rule_key, Deadline.period,
                      Deadline.opens_on, Deadline.nominal_on, Deadline.due_on)
            .join(Task, Task.id == Deadline.task_id).join(Agency, Agency.id == Deadline.agency_id)
            .where(Task.plan_id == plan.id)
            .order_by(Deadline.due_on, Task.key, Agency.code)).all()
        kpi = s.execute(sa.select(Kpi).where(Kpi.plan_id == plan.id)).scalar_one()
        policy = s.execute(sa.select(Task.reminder_policy).where(
            Task.plan_id == plan.id, Task.key == "one-stop-survey")).scalar_one()
        assert s.execute(sa.select(sa.func.count()).select_from(Plan)).scalar_one() == 2
    jan, feb, mar = "2025-01", "2025-02", "2025-03"
    assert [tuple(r) for r in rows] == [
        ("one-stop", "PNV-MC", "lead", "monthly-report", jan, D(2025, 1, 1), D(2025, 1, 10), D(2025, 1, 10)),
        # 31/01 and 01/02 fall in Tết (25/01–02/02/2025): due the Monday after.
        ("grassroots", "XA-CHIENGCHAU", "coordinating", "commune-report", jan, D(2025, 1, 1), D(2025, 1, 31), D(2025, 2, 3)),
        ("grassroots", "XA-VANMAI", "coordinating", "commune-report", jan, D(2025, 1, 1), D(2025, 1, 31), D(2025, 2, 3)),
        ("one-stop-survey", "PNV-MC", "lead", "survey", feb, D(2025, 1, 15), D(2025, 2, 1), D(2025, 2, 3)),
        ("one-stop", "PNV-MC", "lead", "monthly-report", feb, D(2025, 2, 1), D(2025, 2, 10), D(2025, 2, 10)),
        # Day 31 clamps to 28/02.
        ("grassroots", "XA-CHIENGCHAU", "coordinating", "commune-report", feb, D(2025, 2, 1), D(2025, 2, 28), D(2025, 2, 28)),
        ("grassroots", "XA-VANMAI", "coordinating", "commune-report", feb, D(2025, 2, 1), D(2025, 2, 28), D(2025, 2, 28)),
        # 10/03/2025 is the district's own day off.
        ("one-stop", "PNV-MC", "lead", "monthly-report", mar, D(2025, 3, 1), D(2025, 3, 10), D(2025, 3, 11)),
        ("one-stop", "PNV-MC", "lead", "quarter-report", "2025-Q1", D(2025, 1, 1), D(2025, 3, 25), D(2025, 3, 25)),
        ("one-stop", "VP-MC", "coordinating", "quarter-report", "2025-Q1", D(2025, 1, 1), D(2025, 3, 25), D(2025, 3, 25)),
        ("grassroots", "XA-CHIENGCHAU", "coordinating", "commune-report", mar, D(2025, 3, 1), D(2025, 3, 31), D(2025, 3, 31)),
        ("grassroots", "XA-VANMAI", "coordinating", "commune-report", mar, D(2025, 3, 1), D(2025, 3, 31), D(2025, 3, 31)),
    ]
    assert kpi.unit == "hồ sơ" and kpi.spec["baseline"] == {"value": 1200.0, "as_of": "2024-12-31"}
    assert [(p["key"], p["baseline"]) for p in kpi.spec["breakdown"]] == [("online", 700.0),
                                                                          ("in-person", 500.0)]
    assert policy == {"before": [1], "on_day": False, "overdue_every": 3, "escalate_after": 2,
                      # not in the small plan: the schema's defaults
                      "overdue_thin": [{"after": 10, "every": 5}, {"after": 20, "every": 20}],
                      "escalate_every": 20}
    # The triggered deadline: 5 working days after Monday 20/01/2025 crosses Tết.
    with store.session(loaded) as s:
        made = record_event(s, resolve_plan(s, "mc-2025-q1"), "staff-change", "MTTQ-MC", D(2025, 1, 20))
        assert [(d.rule_key, d.period, d.due_on) for d in made] == [
            ("focal-official", "2025-01-20", D(2025, 2, 3))]


def _issued_on(url: str) -> dt.date | None:
    with store.session(url) as s:
        return resolve_plan(s, None).issued_on


def test_the_plans_issue_day_is_stored_and_a_reload_updates_it(loaded, tmp_path):
    assert _issued_on(loaded) == D(2024, 7, 23)
    earlier = edited_plan(tmp_path, ("issued_on: 2024-07-23", "issued_on: 2024-07-19"))
    changes = load_file(earlier, loaded)
    assert changes["plan"] == {"added": 0, "changed": 1, "removed": 0}
    assert all(changes[w] == {"added": 0, "changed": 0, "removed": 0}
               for w in ("agencies", "tasks", "deadlines", "kpis"))
    assert _issued_on(loaded) == D(2024, 7, 19)
    # A record whose day differs from its unchanged file (say, loaded before the day was kept)
    # is brought in line by loading the same file again.
    with store.session(loaded) as s:
        s.execute(sa.update(Plan).values(issued_on=None))
    assert load_file(earlier, loaded)["plan"]["changed"] == 1
    assert _issued_on(loaded) == D(2024, 7, 19)


def with_named_parents(tmp_path: Path, parents_last: bool = False) -> Path:
    """The shipped plan with every subtask written at the top level, naming its parent with
    `parent:` instead of being nested under `subtasks:`: right after its parent (the same order
    of tasks), or with the parents last."""
    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))

    def unnest(tasks: list[dict], parent: str | None = None) -> list[dict]:
        out = []
        for task in tasks:
            below = unnest(task.pop("subtasks", []), task["key"])
            named = [task | ({"parent": parent} if parent else {})]
            out += below + named if parents_last else named + below
        return out

    data["tasks"] = unnest(data["tasks"])
    data["directory"] = str(ROOT / "config" / "agencies.yaml")
    path = tmp_path / ("parents-last.yaml" if parents_last else PLAN.name)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_task_naming_its_parent_inherits_as_a_nested_one(tmp_path):
    def inherited(spec):
        return {t.spec.key: (t.kind, t.parent, t.lead, t.coordinating, t.policy)
                for t in spec.tasks}

    nested, named = validate(PLAN), validate(with_named_parents(tmp_path))
    assert not any(t.spec.parent for t in nested.tasks)  # the shipped plan only nests
    assert [(t.spec.key, t.position, task_hash(t)) for t in named.tasks] == [
        (t.spec.key, t.position, task_hash(t)) for t in nested.tasks]
    assert inherited(validate(with_named_parents(tmp_path, parents_last=True))) \
        == inherited(nested)
    reinforce = inherited(named)["committee-reinforce"]
    assert reinforce[:3] == ("committee", "committee", ["BCD-DVK"]) and len(reinforce[3]) == 10
    assert reinforce[4]["before"] == [2] and reinforce[4]["escalate_after"] == 3


def test_both_ways_of_naming_a_parent_load_to_the_same_record(loaded, tmp_path):
    changes = load_file(with_named_parents(tmp_path), loaded)
    assert changes["plan"]["changed"] == 1  # another file: its hash differs
    assert all(changes[w] == {"added": 0, "changed": 0, "removed": 0}
               for w in ("agencies", "tasks", "deadlines", "kpis"))


def test_a_reload_moves_event_triggered_deadlines(loaded, tmp_path):
    def due() -> dt.date:
        with store.session(loaded) as s:
            return s.execute(sa.select(Deadline.due_on).where(Deadline.id == made)).scalar_one()

    with store.session(loaded) as s:
        (deadline,) = record_event(s, resolve_plan(s, None), "personnel-change", "BDV-MAICHAU",
                                   D(2024, 10, 7))
        made = deadline.id
    assert due() == D(2024, 10, 21)  # 10 working days after Mon 07/10: 8–11, 14–18, 21/10
    day_off = ("days_off: []\n", 'days_off:\n  - {date: 2024-10-16, name: "Nghỉ bù"}\n')
    changes = load_file(edited_plan(tmp_path, day_off), loaded)
    # Only the triggered deadline moves: no dated one falls on 16/10.
    assert changes["deadlines"] == {"added": 0, "changed": 1, "removed": 0}
    assert due() == D(2024, 10, 22)  # 16/10 is no longer a working day: one day later
    within = ("within_working_days: 10}", "within_working_days: 8}")
    changes = load_file(edited_plan(tmp_path, day_off, within), loaded)
    assert changes["deadlines"] == {"added": 0, "changed": 1, "removed": 0}
    assert due() == D(2024, 10, 18)  # 8 working days: 8–11, 14, 15, 17, 18/10
    assert load_file(edited_plan(tmp_path, day_off, within), loaded)["deadlines"]["changed"] == 0
    with store.session(loaded) as s:
        row = s.get(Deadline, made)
        assert (row.nominal_on, row.period) == (D(2024, 10, 18), "2024-10-07")
        assert s.get(Event, row.event_id).occurred_on == D(2024, 10, 7)
