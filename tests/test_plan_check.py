"""`plantrack plan check` on broken copies of the shipped plan: every problem as
FILE:LINE: path.to.field: message, with the right line, and exit status 2."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import PLAN, ROOT, SMALL_PLAN

MONTHLY_20 = "        monthly: {day: 20, start: 2024-08}\n"  # admin-reform
MONTHLY_25 = "        monthly: {day: 25}\n\n  # ¶2"  # leadership


@pytest.fixture
def broken(tmp_path):
    """Write the shipped plan with some edits, next to a copy of its agency directory."""
    shutil.copy(ROOT / "config" / "agencies.yaml", tmp_path / "agencies.yaml")
    (tmp_path / "plans").mkdir()

    def write(*edits: tuple[str, str], text: str | None = None) -> Path:
        text = text if text is not None else PLAN.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"edit is not unique: {old!r}"
            text = text.replace(old, new)
        path = tmp_path / "plans" / "broken.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """The 1-based line of the first line containing `needle` (after the line containing `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if after in ln) if after else 0
    return next(i for i, ln in enumerate(lines) if i >= start and needle in ln) + 1


def check(cli, path: Path) -> list[str]:
    """The problems, in English: these tests are about where each is found and what it says."""
    result = cli("--lang", "en", "plan", "check", str(path))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return result.stderr.splitlines()


def test_the_shipped_and_the_small_plan_pass(cli):
    result = cli("plan", "check", str(PLAN), str(SMALL_PLAN))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{PLAN}: hợp lệ — 16 nhiệm vụ, 190 hạn, 4 chỉ tiêu",
        f"{SMALL_PLAN}: hợp lệ — 3 nhiệm vụ, 12 hạn, 1 chỉ tiêu",
    ]


JULY_BACK = (MONTHLY_20, MONTHLY_20.replace(", start: 2024-08", ""))  # July's due Mon 22/07


def test_a_deadline_due_before_the_plan_was_issued_is_a_warning(db_url, cli, broken):
    from tasks.plan.load import load_file

    f = broken(JULY_BACK)
    line = line_of(f, "- key: monthly-report", after="- key: admin-reform")
    result = cli("plan", "check", str(f))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{f}: hợp lệ — 16 nhiệm vụ, 192 hạn, 4 chỉ tiêu\n"
    # One line for the rule, not one for each of its two agencies (SNV and VP-UBND).
    assert result.stderr.splitlines() == [  # said in Vietnamese by default
        f"{f}:{line}: tasks[2].deadlines[0]: lưu ý: đến hạn ngày 22/07/2024, trước ngày ban hành "
        "kế hoạch (23/07/2024): hạn này sẽ không được nhắc"]
    english = cli("--lang", "en", "plan", "check", str(f))
    assert english.stderr.splitlines() == [
        f"{f}:{line}: tasks[2].deadlines[0]: warning: due 22/07/2024, before the plan was "
        "issued (23/07/2024): it is never reminded"]
    assert load_file(f, db_url)["deadlines"]["added"] == 192  # valid: it loads


def test_every_rule_with_deadlines_before_the_issue_day_is_warned_about_once(broken):
    from tasks.plan.validate import validate

    f = broken(JULY_BACK, ("issued_on: 2024-07-23", "issued_on: 2024-08-27"))
    line = {task: line_of(f, "- key: monthly-report", after=f"- key: {task}")
            for task in ("leadership", "committee", "admin-reform", "coordination")}
    issued = "before the plan was issued (27/08/2024)"
    # The 25th reports of July and August (25/08 is a Sunday: due Monday 26/08), the 20th's of
    # July and August (20/08); nothing else is due by 26/08.
    assert [str(w) for w in validate(f).warnings] == [
        f"{f}:{line['leadership']}: tasks[0].deadlines[0]: warning: due 25/07/2024 and "
        f"26/08/2024, {issued}: they are never reminded",
        f"{f}:{line['committee']}: tasks[1].deadlines[0]: warning: due 25/07/2024 and "
        f"26/08/2024, {issued}: they are never reminded",
        f"{f}:{line['admin-reform']}: tasks[2].deadlines[0]: warning: due 22/07/2024 and "
        f"20/08/2024, {issued}: they are never reminded",
        f"{f}:{line['coordination']}: tasks[4].deadlines[0]: warning: due 25/07/2024 and "
        f"26/08/2024, {issued}: they are never reminded",
    ]


def test_the_shipped_plan_has_nothing_due_before_it_was_issued():
    from tasks.plan.validate import validate

    spec = validate(PLAN)
    assert spec.plan.issued_on is not None and spec.warnings == []
    assert min(d.due_on for d in spec.deadlines) > spec.plan.issued_on


ADMIN_OWNERS = "    lead: [SNV]\n    coordinating: [VP-UBND]\n"


@pytest.mark.parametrize(("edit", "written", "path", "agency", "how"), [
    ((ADMIN_OWNERS, ADMIN_OWNERS.replace("[VP-UBND]", "[VP-UBND, SNV]")),
     "coordinating: [VP-UBND, SNV]", "tasks[2].coordinating[1]", "SNV",
     "as both lead and coordinating"),
    ((ADMIN_OWNERS, ADMIN_OWNERS.replace("[SNV]", "[SNV, SNV]")),
     "lead: [SNV, SNV]", "tasks[2].lead[1]", "SNV", "twice as lead"),
    # A subtask's own lead, already one of the coordinating agencies it inherits.
    (("      - key: coordination-social-models\n",
      "      - key: coordination-social-models\n        lead: [HND]\n"),
     "lead: [HND]", "tasks[4].subtasks[0].lead[0]", "HND", "as both lead and coordinating"),
], ids=["lead-and-coordinating", "twice-in-lead", "inherited"])
def test_an_agency_is_listed_at_most_once_per_task(db_url, cli, broken, edit, written, path,
                                                   agency, how):
    f = broken(edit)
    expected = [f"{f}:{line_of(f, written)}: {path}: agency '{agency}' is listed {how}: "
                "an agency is listed at most once per task"]
    assert check(cli, f) == expected
    loaded = cli("--lang", "en", "plan", "load", str(f))  # refused as check refuses, no traceback
    assert (loaded.exit_code, loaded.stderr.splitlines()) == (2, expected)


def test_unknown_agency(cli, broken):
    f = broken(("\n    lead: [SNV]\n", "\n    lead: [SNV-X]\n"))
    assert check(cli, f) == [
        f"{f}:{line_of(f, 'lead: [SNV-X]')}: tasks[2].lead[0]: unknown agency 'SNV-X'"]


def test_unknown_agency_in_an_anchor_is_reported_for_each_use_at_the_anchor(cli, broken):
    f = broken(("BDV-LUONGSON]", "BDV-NOWHERE]"))
    line = line_of(f, "BDV-NOWHERE]")
    # *districts is the coordinating list of 4 tasks (subtasks inherit it) and 3 KPIs' reporters.
    assert check(cli, f) == [f"{f}:{line}: {where}[9]: unknown agency 'BDV-NOWHERE'" for where in (
        "tasks[0].coordinating", "tasks[1].coordinating", "tasks[3].coordinating",
        "tasks[3].subtasks[1].coordinating", "kpis[0].reported_by", "kpis[1].reported_by",
        "kpis[2].reported_by")]


def test_duplicate_yaml_mapping_key(cli, broken):
    f = broken(("    kind: leadership\n", "    kind: leadership\n    kind: committee\n"))
    assert check(cli, f) == [f"{f}:{line_of(f, 'kind: committee')}: tasks[0].kind: duplicate key 'kind'"]


def test_duplicate_task_key(cli, broken):
    f = broken(("  - key: inspection\n", "  - key: leadership\n"))
    line = line_of(f, "- key: leadership", after="¶6")
    assert check(cli, f) == [f"{f}:{line}: tasks[5].key: duplicate task key 'leadership'"]


def test_date_outside_the_plans_period(cli, broken):
    f = broken(("            date: 2024-11-30\n", "            date: 2025-01-30\n"))
    assert check(cli, f) == [
        f"{f}:{line_of(f, 'date: 2025-01-30')}: tasks[3].subtasks[1].deadlines[0].date: "
        "date 30/01/2025 is outside the plan's period (01/07/2024–31/12/2024)"]


def test_a_date_that_is_not_a_date(cli, broken):
    f = broken(("            date: 2024-12-15\n", "            date: 2024-12-32\n"))
    assert check(cli, f) == [
        f"{f}:{line_of(f, 'date: 2024-12-32')}: tasks[1].subtasks[1].deadlines[0].date: "
        "'2024-12-32' is not a date (YYYY-MM-DD, e.g. 2024-09-30)"]


@pytest.mark.parametrize(("edit", "message"), [
    ((MONTHLY_20, ""),
     "bad recurrence: give exactly one of date, monthly, quarterly, triggered_by"),
    ((MONTHLY_20, MONTHLY_20 + "        date: 2024-09-20\n"),
     "bad recurrence: give exactly one of date, monthly, quarterly, triggered_by "
     "(got date, monthly)"),
])
def test_bad_recurrence_none_or_two(cli, broken, edit, message):
    f = broken(edit)
    line = line_of(f, "- key: monthly-report", after="- key: admin-reform")
    assert check(cli, f) == [f"{f}:{line}: tasks[2].deadlines[0]: {message}"]


def test_bad_recurrence_day_32(cli, broken):
    f = broken((MONTHLY_25, MONTHLY_25.replace("25", "32")))
    assert check(cli, f) == [
        f"{f}:{line_of(f, 'monthly: {day: 32}')}: tasks[0].deadlines[0].monthly.day: "
        "bad recurrence: must be 31 or less, not 32"]


def test_bad_recurrence_with_no_occurrence_in_the_period(cli, broken):
    f = broken((MONTHLY_20, MONTHLY_20.replace("start: 2024-08", "start: 2025-01")))
    assert check(cli, f) == [
        f"{f}:{line_of(f, 'start: 2025-01')}: tasks[2].deadlines[0].monthly: "
        "bad recurrence: no occurrence within the plan's period"]


def test_a_recurrence_month_that_is_not_a_month(broken):
    from tasks.errors import PlanInvalid
    from tasks.plan.validate import validate

    f = broken((MONTHLY_20, MONTHLY_20.replace("start: 2024-08", "end: 2024-13")))
    with pytest.raises(PlanInvalid) as refused:
        validate(f)
    assert [str(p) for p in refused.value.problems] == [
        f"{f}:{line_of(f, 'end: 2024-13')}: tasks[2].deadlines[0].monthly.end: "
        "bad recurrence: '2024-13' is not a month (YYYY-MM, e.g. 2024-09)"]


def test_cycle_in_task_nesting_through_parent(cli, broken):
    f = broken(("    kind: leadership\n", "    kind: leadership\n    parent: inspection\n"),
               ("    kind: inspection\n", "    kind: inspection\n    parent: leadership\n"))
    assert check(cli, f) == [
        f"{f}:{line_of(f, 'parent: inspection')}: tasks[0].parent: "
        "cycle in task nesting: leadership is its own ancestor",
        f"{f}:{line_of(f, 'parent: leadership')}: tasks[5].parent: "
        "cycle in task nesting: inspection is its own ancestor",
    ]


def test_a_task_that_is_its_own_parent(cli, broken):
    f = broken(("    kind: leadership\n", "    kind: leadership\n    parent: leadership\n"))
    assert check(cli, f) == [f"{f}:{line_of(f, 'parent: leadership')}: tasks[0].parent: "
                             "cycle in task nesting: leadership is its own ancestor"]


def test_malformed_yaml(cli, broken):
    f = broken(("    kind: admin-reform\n", "    kind: admin-reform: yes\n"))
    assert check(cli, f) == [
        f"{f}:{line_of(f, 'kind: admin-reform: yes')}: (file): "
        "malformed YAML: mapping values are not allowed here"]


def test_unknown_field(cli, broken):
    f = broken(("\n    lead: [SNV]\n", "\n    lead: [SNV]\n    owner: SNV\n"))
    assert check(cli, f) == [f"{f}:{line_of(f, 'owner: SNV')}: tasks[2].owner: unknown field"]


def test_missing_required_field_points_at_its_mapping(cli, broken):
    f = broken(('    title_en: "Renew mass mobilisation in state agencies; push administrative '
                'reform"\n', ""))
    assert check(cli, f) == [
        f"{f}:{line_of(f, '- key: admin-reform')}: tasks[2].title_en: required field is missing"]


def test_every_problem_of_a_file_is_reported_in_line_order(cli, broken):
    f = broken(("\n    lead: [SNV]\n", "\n    lead: [SNV-X]\n"),
               ("            date: 2024-11-30\n", "            date: 2025-01-30\n"),
               ("  - key: inspection\n", "  - key: leadership\n"),
               ("    kind: committee\n    title_vi: \"Củng cố",
                "    kind: committee\n    parent: committee-reinforce\n    title_vi: \"Củng cố"))
    problems = check(cli, f)
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{f}:{line_of(f, 'parent: committee-reinforce')}",
        f"{f}:{line_of(f, '- key: committee-reinforce')}",  # nested in committee: both in the cycle
        f"{f}:{line_of(f, 'lead: [SNV-X]')}",
        f"{f}:{line_of(f, 'date: 2025-01-30')}",
        f"{f}:{line_of(f, '- key: leadership', after='¶6')}",
    ]
    assert [p.split(": ", 2)[2] for p in problems] == [
        "cycle in task nesting: committee is its own ancestor",
        "cycle in task nesting: committee-reinforce is its own ancestor",
        "unknown agency 'SNV-X'",
        "date 30/01/2025 is outside the plan's period (01/07/2024–31/12/2024)",
        "duplicate task key 'leadership'",
    ]


def test_structural_problems_are_all_reported_together(cli, broken):
    f = broken((MONTHLY_25, MONTHLY_25.replace("25", "32")),
               ("\n    lead: [SNV]\n", "\n    lead: [SNV]\n    owner: SNV\n"),
               ("    kind: leadership\n", "    kind: leadership\n    kind: committee\n"))
    assert check(cli, f) == [
        f"{f}:{line_of(f, 'kind: committee')}: tasks[0].kind: duplicate key 'kind'",
        f"{f}:{line_of(f, 'monthly: {day: 32}')}: tasks[0].deadlines[0].monthly.day: "
        "bad recurrence: must be 31 or less, not 32",
        f"{f}:{line_of(f, 'owner: SNV')}: tasks[2].owner: unknown field",
    ]


def test_problems_in_the_agency_directory_name_its_file(cli, broken, tmp_path):
    directory = tmp_path / "agencies.yaml"
    text = directory.read_text(encoding="utf-8")
    directory.write_text(text.replace("    parent: UBND\n", "    parent: UBND-X\n", 1), encoding="utf-8")
    f = broken()
    assert check(cli, f) == [
        f"{directory}:{line_of(directory, 'parent: UBND-X')}: agencies[4].parent: "
        "unknown agency 'UBND-X'"]


def test_kpi_breakdown_must_add_up(cli, broken):
    f = broken(("baseline: 459}", "baseline: 460}"))
    assert check(cli, f) == [
        f"{f}:{line_of(f, '    breakdown:')}: kpis[1].breakdown: "
        "the breakdown's baselines add up to 4,035, not the baseline 4,034"]


def test_anchors_merge_into_mappings_and_keys_written_there_win(broken):
    from tasks.plan.validate import validate

    f = broken(("x-districts: &districts\n", "x-quick: &quick {before: [1], escalate_after: 2}\n"
                "x-districts: &districts\n"),
               ("\n    lead: [SNV]\n", "\n    lead: [SNV]\n    reminders:\n      escalate_after: 9\n"
                "      <<: *quick\n"))
    admin = next(t for t in validate(f).tasks if t.spec.key == "admin-reform")
    assert admin.policy == {"before": [1], "on_day": True, "overdue_every": 2, "escalate_after": 9,
                            "overdue_thin": [{"after": 10, "every": 5}, {"after": 20, "every": 20}],
                            "escalate_every": 20}  # the plan's, as the shipped plan states them
    assert next(t for t in validate(f).tasks if t.spec.key == "admin-reform-procedures").policy \
        == admin.policy  # subtasks inherit it


def test_escalate_every_sets_how_often_the_parent_hears_again(broken):
    from tasks.notices.decide import Cadence
    from tasks.plan.validate import validate

    f = broken(("  escalate_every: 20\n", "  escalate_every: 7\n"))
    tasks = {t.spec.key: Cadence.of(t.policy) for t in validate(f).tasks}
    assert [k for k in range(16) if tasks["leadership"].escalates(k)] == [5, 12]  # 5, 5 + 7
    # A task that sets escalate_after only keeps the plan's escalate_every: 3, 3 + 7, 3 + 14.
    sooner = tasks["committee-reinforce"]
    assert [k for k in range(18) if sooner.escalates(k)] == [3, 10, 17]


def test_an_unreadable_file(cli, tmp_path):
    missing = tmp_path / "nope.yaml"
    (line,) = check(cli, missing)
    assert line == f"{missing}:1: (file): there is no such file"


def test_recursive_aliases_and_bad_merges_are_problems_not_crashes(tmp_path):
    from tasks.plan.source import read

    f = tmp_path / "odd.yaml"
    f.write_text("a: &a\n  x: 1\n  <<: *a\nb: &b [1, *b]\nc:\n  <<: [1]\nd: 2024-02-30\n",
                 encoding="utf-8")
    src = read(f)
    assert src.data == {"a": {"x": 1}, "b": [1, None], "c": {}, "d": "2024-02-30"}
    assert [str(p) for p in src.problems] == [
        f"{f}:1: a: an alias refers to itself",
        f"{f}:4: b[1]: an alias refers to itself",
        f"{f}:6: c: << merges only mappings",
    ]


def test_the_shipped_plan_marks_every_owner_and_date_as_stated_or_assumed():
    """The source names few owners and no dates: each one the plan sets says, in the comment
    just above it, where it is from (owners by name: `# assumed: lead — …`)."""
    import re

    lines = PLAN.read_text(encoding="utf-8").splitlines()
    start, end = lines.index("tasks:"), lines.index("kpis:")
    setting = re.compile(r"^\s+(- )?(lead|coordinating|monthly|quarterly|date|triggered_by):")
    unmarked = []
    for n in range(start, end):
        found = setting.match(lines[n])
        if not found or "issuer:" in lines[n + 1]:  # a cited document's own date is stated
            continue
        above = n - 1
        while setting.match(lines[above]):  # the owners of a task are marked above the pair
            above -= 1
        comments = []
        while lines[above].strip().startswith("#"):
            comments.append(lines[above])
            above -= 1
        name = found.group(2)
        wanted = (rf"# (assumed|stated): {name} — \S" if name in ("lead", "coordinating")
                  else r"# (assumed|stated): \S")
        if not any(re.search(wanted, c) for c in comments):
            unmarked.append(f"{n + 1}: {lines[n].strip()}")
    assert not unmarked
