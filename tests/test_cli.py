"""The `plantrack` command line on a loaded record: output, --json shape, and bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from tasks.record import store

from conftest import PLAN, ROOT

DEADLINE_FIELDS = {"deadline_id", "task", "kind", "agency", "role", "rule", "period", "title_vi",
                   "title_en", "opens_on", "due_on", "category", "days_late", "progress",
                   "reported_on", "completed_on", "note", "plan"}
CATEGORIES = ["done_on_time", "done_late", "in_progress", "overdue", "not_due"]
REPORT = ["report", "admin-reform", "--agency", "SNV", "--period", "2024-09"]


def status_json(cli, *args: str) -> dict:
    result = cli("status", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_status_table_in_vietnamese_and_english(loaded, cli):
    """A person's view: names, not codes; periods and days as written; 100 columns at most."""
    vi = cli("status", "--as-of", "30/09/2024", "--detail")
    assert vi.exit_code == 0
    lines = vi.stdout.splitlines()
    assert " ".join(lines[:2]).startswith(
        "Tình hình thực hiện kế hoạch Nhiệm vụ trọng tâm thực hiện Phong trào thi đua")
    assert "đến ngày 30/09/2024" in lines[1]
    assert max(map(len, lines)) <= 100
    whole = [ln.split() for ln in lines if ln.startswith("Toàn kế hoạch")]
    assert whole == [["Toàn", "kế", "hoạch", "190", "0", "0", "18", "71", "101", "0%"]] * 2
    assert "Sở Nội vụ" in vi.stdout and "tháng 8/2024" in vi.stdout
    for code in ("dvk-2024-h2", "SNV ", "2024-08", "admin-reform"):
        assert code not in vi.stdout
    en = cli("--lang", "en", "status", "--as-of", "2024-09-30").stdout
    assert en.startswith("Status of plan Focal tasks of the “Dân vận khéo” emulation movement")
    assert "Administrative reform" in en and "Whole plan" in en
    assert "Department of" in en  # Home Affairs, wrapped in its column


def test_status_json_shape_and_totals(loaded, cli):
    data = status_json(cli, "--as-of", "2024-09-30")
    assert list(data) == ["plan", "plans", "as_of", "filters", "totals", "by_plan", "by_kind",
                          "by_task", "by_agency", "deadlines"]
    assert (data["plan"], data["plans"], data["as_of"], data["filters"]) == (
        "dvk-2024-h2", ["dvk-2024-h2"], "2024-09-30", {"agency": None, "task": None})
    # Due by 30/09 and not reported: 3 monthly rounds of leadership (11 agencies), committee (1)
    # and coordination (6), 2 of admin-reform (2: none for July, before the plan was issued),
    # plus the Q3 procedure-time (1), model reviews (10) and inspection round (2) = 71. Open
    # one-off deadlines (11 + 6 + 1) are in progress.
    assert data["totals"] == {"total": 190, "done_on_time": 0, "done_late": 0, "in_progress": 18,
                              "overdue": 71, "not_due": 101, "on_time_rate": 0.0}
    for group, key in (("by_plan", "plan"), ("by_kind", "kind"), ("by_task", "task"),
                       ("by_agency", "agency")):
        extra = ["plan"] if group == "by_task" else []  # a task key may repeat across plans
        assert all(list(g) == [key, "total", *CATEGORIES, "on_time_rate", "progress", *extra]
                   for g in data[group])
        assert sum(g["total"] for g in data[group]) == 190
    assert [g["kind"] for g in data["by_kind"]] == sorted(g["kind"] for g in data["by_kind"])
    # Every task but committee-reinforce (its deadlines come from events) and committee-models
    # (its deadlines are its subtasks'); every agency but BTV-TU, which owes nothing.
    assert len(data["by_task"]) == 16 - 2
    assert len(data["by_agency"]) == 22 - 1
    first = data["deadlines"][0]
    assert set(first) == DEADLINE_FIELDS
    # The earliest due: July's leadership reports (25/07), the first task, agencies by code.
    assert (first["task"], first["agency"]) == ("leadership", "BDV-CAOPHONG")
    assert first["due_on"] == "2024-07-25" and first["category"] == "overdue"
    assert first["days_late"] == 67


def test_status_for_one_agency(loaded, cli):
    data = status_json(cli, "--agency", "SNV", "--as-of", "2024-09-30")
    assert data["filters"] == {"agency": "SNV", "task": None}
    assert {d["agency"] for d in data["deadlines"]} == {"SNV"}
    assert [(d["task"], d["period"]) for d in data["deadlines"]] == [
        ("admin-reform", p) for p in ("2024-08", "2024-09", "2024-10", "2024-11", "2024-12")] + [
        ("commendation", "2024-H2")]


def test_status_for_a_task_includes_its_subtasks(loaded, cli):
    data = status_json(cli, "--task", "admin-reform", "--as-of", "2024-09-30")
    assert {d["task"] for d in data["deadlines"]} == {"admin-reform", "admin-reform-procedures"}
    assert data["totals"]["total"] == 12  # monthly August to December × 2, quarterly × 2
    table = cli("status", "--task", "admin-reform", "--as-of", "2024-09-30").stdout
    assert "Báo cáo quý" in table  # it lists its subtasks' deadlines


def test_agencies_and_tasks(loaded, cli):
    agencies = json.loads(cli("agencies", "--json").stdout)
    assert len(agencies) == 22
    assert agencies[1] == {"code": "BDV-TU", "name_vi": "Ban Dân vận Tỉnh ủy Hòa Bình",
                           "name_en": "Mass Mobilisation Commission of the Provincial Party "
                                      "Committee", "level": "province", "parent": "BTV-TU"}
    table = cli("agencies").stdout.splitlines()
    assert table[0].split() == ["mã", "tên", "cấp", "trên"] and len(table) == 2 + 22
    assert table[3].split()[0] == "BDV-TU" and table[3].split()[-1] == "BTV-TU"
    tasks = json.loads(cli("tasks", "--json").stdout)
    assert len(tasks) == 16
    assert tasks[5] == {"plan": "dvk-2024-h2", "key": "admin-reform-procedures",
                        "parent": "admin-reform",
                        "kind": "admin-reform",
                        "title_vi": "Cắt giảm 30% thời gian giải quyết thủ tục hành chính",
                        "title_en": "Cut the time to settle administrative procedures by 30 %",
                        "lead": ["VP-UBND"], "coordinating": ["SNV"]}
    lines = cli("--lang", "en", "tasks").stdout.splitlines()
    assert lines[0].startswith("dvk-2024-h2: Focal tasks")  # each plan under its title
    assert lines[1].split() == ["key", "kind", "lead", "title"]
    assert any(ln.startswith("  admin-reform-procedures ") for ln in lines)  # subtasks indented
    sub = next(ln for ln in lines if ln.startswith("  admin-reform-procedures "))
    assert sub.split()[:4] == ["admin-reform-procedures", "Administrative", "reform", "VP-UBND"]


def test_report_then_status(loaded, cli):
    done = cli(*REPORT, "--status", "hoàn thành", "--on", "18/09/2024", "--note", "đã gửi",
               "--evidence", "https://example.org/bc-09")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ("báo cáo #1: admin-reform SNV tháng 9/2024 → Đã hoàn thành 100% "
                           "(18/09/2024)\n")
    late = cli("report", "admin-reform", "--agency", "VP-UBND", "--period", "2024-09",
               "--status", "dang thuc hien", "--progress", "60", "--on", "2024-09-10")
    assert late.exit_code == 0
    rows = {(d["agency"], d["period"]): d for d in
            status_json(cli, "--task", "admin-reform", "--as-of", "2024-09-30")["deadlines"]}
    assert (rows["SNV", "2024-09"]["category"], rows["SNV", "2024-09"]["note"]) == (
        "done_on_time", "đã gửi")
    vp = rows["VP-UBND", "2024-09"]
    assert (vp["category"], vp["days_late"], vp["progress"], vp["reported_on"], vp["completed_on"]) \
        == ("overdue", 10, 60, "2024-09-10", None)


def test_event_creates_a_deadline_ten_working_days_later(loaded, cli):
    # Friday 30/08/2024: 02–03/09 are the National Day holiday, so the 10th working day is 17/09.
    result = cli("event", "record", "personnel-change", "--agency", "BCD-DVK", "--on", "30/08/2024")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "hạn reinforce của BCD-DVK: 17/09/2024\n"
    data = status_json(cli, "--task", "committee-reinforce", "--as-of", "2024-09-18")
    assert [(d["agency"], d["period"], d["opens_on"], d["due_on"], d["category"], d["days_late"])
            for d in data["deadlines"]] == [
        ("BCD-DVK", "2024-08-30", "2024-08-30", "2024-09-17", "overdue", 1)]
    again = cli("event", "record", "personnel-change", "--agency", "BCD-DVK", "--on", "2024-08-30")
    assert again.exit_code == 2
    assert again.stderr == ("plantrack: sự kiện 'personnel-change' của 'BCD-DVK' ngày 30/08/2024 "
                            "đã được ghi nhận\n")


def _rows(url: str) -> dict[str, int]:
    with store.engine(url).connect() as c:
        return {t.name: c.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables}


BAD = {
    "unknown agency": ([*REPORT[:2], "--agency", "NOPE", *REPORT[4:], "--status", "done"],
                       "unknown agency 'NOPE'"),
    "unknown task": (["report", "nope", *REPORT[2:], "--status", "done"], "unknown task 'nope'"),
    "no such deadline": ([*REPORT[:4], "--period", "2025-01", "--status", "done"],
                         "no deadline of task 'admin-reform' for agency 'SNV' in period '2025-01'"),
    "progress 140": ([*REPORT, "--status", "đang thực hiện", "--progress", "140"],
                     "progress: 140 is not between 0 and 100"),
    "done at 50 %": ([*REPORT, "--status", "done", "--progress", "50"],
                     "progress: a done report has progress 100, not 50"),
    "not a date": ([*REPORT, "--status", "done", "--on", "31/02/2024"],
                   "--on: '31/02/2024' is not a date (use dd/mm/yyyy or yyyy-mm-dd)"),
    "a day in the future": ([*REPORT, "--status", "done", "--on", "01/01/2100"],
                            "date: 01/01/2100 is in the future"),
    "unknown status word": ([*REPORT, "--status", "sắp xong"],
                            "--status: unknown status 'sắp xong' (use: hoàn thành, đang thực hiện; "
                            "or done, in_progress)"),
    "not a link": ([*REPORT, "--status", "done", "--evidence", "bc-09.pdf"],
                   "evidence: 'bc-09.pdf' is not an http(s) link"),
    "status of an unknown agency": (["status", "--agency", "NOPE"], "unknown agency 'NOPE'"),
    "status of an unknown task": (["status", "--task", "nope"], "unknown task 'nope'"),
    "status on a day that is not a day": (["status", "--as-of", "2024-13-01"],
                                          "--as-of: '2024-13-01' is not a date (use dd/mm/yyyy "
                                          "or yyyy-mm-dd)"),
    "status of an unknown plan": (["status", "--plan", "nope"],
                                  "no plan 'nope' in the record (there are: dvk-2024-h2)"),
    "unknown event kind": (["event", "record", "flood", "--agency", "BCD-DVK", "--on", "2024-09-02"],
                           "unknown event kind 'flood' (known: personnel-change)"),
    "event that triggers nothing": (["event", "record", "personnel-change", "--agency", "SNV",
                                     "--on", "2024-09-02"],
                                    "event 'personnel-change' triggers no deadline for agency 'SNV'"),
    "event outside the plan": (["event", "record", "personnel-change", "--agency", "BCD-DVK",
                                "--on", "2025-01-02"],
                               "date: 02/01/2025 is outside the plan's period"),
    "event of an unknown agency": (["event", "record", "personnel-change", "--agency", "NOPE",
                                    "--on", "2024-09-02"], "unknown agency 'NOPE'"),
}


def test_bad_input_gives_one_line_exit_2_and_writes_nothing(loaded, cli):
    """All cases on one database: each must leave every table as it was."""
    before = _rows(loaded)
    got = {}
    for name, (args, _) in BAD.items():
        result = cli("--lang", "en", *args)  # the English words, each naming its field
        got[name] = (result.exit_code, result.stdout, result.stderr)
        assert _rows(loaded) == before, name
    assert got == {name: (2, "", f"plantrack: {message}\n") for name, (_, message) in BAD.items()}


# What a person reads by default: the same errors in Vietnamese, each naming its field.
BAD_VI = {
    "status on a day that is not a day": "--as-of: '2024-13-01' không phải là ngày (ghi theo "
                                         "dạng dd/mm/yyyy hoặc yyyy-mm-dd)",
    "event of an unknown agency": "không có cơ quan 'NOPE' trong danh mục",
    "event outside the plan": "ngày: 02/01/2025 nằm ngoài thời gian thực hiện kế hoạch",
    "not a link": "minh chứng: 'bc-09.pdf' không phải đường dẫn http(s)",
    "unknown event kind": "không có loại sự kiện 'flood' (các loại hiện có: personnel-change)",
}


def test_bad_input_is_said_in_vietnamese_by_default(loaded, cli):
    got = {name: cli(*BAD[name][0]) for name in BAD_VI}
    assert {name: (r.exit_code, r.stderr) for name, r in got.items()} == {
        name: (2, f"plantrack: {message}\n") for name, message in BAD_VI.items()}


def test_a_bad_month_in_vietnamese_and_in_english(cli):
    args = ("template", "--agency", "SNV", "--period", "2024-13")
    assert (cli(*args).exit_code, cli(*args).stderr) == (
        2, "plantrack: --period: '2024-13' không phải là tháng (ghi theo dạng YYYY-MM, "
           "ví dụ 2024-09)\n")
    assert cli("--lang", "en", *args).stderr == (
        "plantrack: --period: '2024-13' is not a month (YYYY-MM, e.g. 2024-09)\n")


def test_a_bad_language_is_refused(cli):
    result = cli("--lang", "fr", "tasks")  # said in the default language, Vietnamese
    assert result.exit_code == 2
    assert result.stderr.startswith("plantrack: --lang: 'fr' không phải là vi")


def test_plantrack_lang_environment_variable(loaded, cli, monkeypatch):
    monkeypatch.setenv("PLANTRACK_LANG", "en")
    assert cli("tasks").stdout.splitlines()[1].split() == ["key", "kind", "lead", "title"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_read_only_commands_do_not_import_prefect(loaded):
    """`status` (table and --json) and `plan check`, run in one fresh interpreter."""
    commands = [["status", "--as-of", "2024-09-30"], ["status", "--json", "--as-of", "2024-09-30"],
                ["plan", "check", str(PLAN)]]
    code = ("import json, sys\nfrom flows.cli import app\n"
            "for args in json.loads(sys.argv[1]):\n    app(args, standalone_mode=False)\n"
            "print('PREFECT', sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'),"
            " file=sys.stderr)\n")
    run = subprocess.run([sys.executable, "-c", code, json.dumps(commands)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60,
                         env=os.environ | {"PLANTRACK_DATABASE_URL": loaded})
    assert run.returncode == 0, run.stderr
    assert "190" in run.stdout and "hợp lệ — 16 nhiệm vụ" in run.stdout  # the commands ran
    assert run.stderr.splitlines()[-1] == "PREFECT []"


def test_the_readme_documents_every_json_field(loaded, cli):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Status\n", 1)[1].split("\n## ", 1)[0]
    data = status_json(cli, "--as-of", "2024-09-30")
    fields = [*data, *data["totals"], *data["by_kind"][0], *data["deadlines"][0]]
    missing = {name for name in fields if f"`{name}`" not in section}
    assert missing == set()


@pytest.mark.parametrize(("typed", "status"), [
    ("hoàn thành", "done"), ("Hoàn Thành", "done"), ("hoan thanh", "done"), ("done", "done"),
    ("Đang thực hiện", "in_progress"), ("dang-thuc-hien", "in_progress"),
    ("in_progress", "in_progress"), ("in progress", "in_progress")])
def test_status_words_with_or_without_diacritics(typed, status):
    from tasks.words import parse_status

    assert parse_status(typed) == status
