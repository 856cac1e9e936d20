"""Returns, round trip: template out → filled as an agency would → import → status shows it.

The shipped plan's September 2024: BDV-MAICHAU owes the quarterly model review (due 10/09) and
the monthly report on Directive 56 (due 25/09), with July and August still overdue on 01/09;
VP-UBND owes the quarterly procedure-time report (16/09) and the monthly admin-reform report
(20/09); MTTQ owes its monthly coordination report (25/09).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata

import openpyxl
import sqlalchemy as sa

from tasks.record import store
from tasks.record.models import Report

from returns_kit import counts, fill, template

REVIEW = ("models-review", "quarterly-review", "2024-Q3")
D56 = ("leadership", "monthly-report", "2024-09")
D56_JULY = ("leadership", "monthly-report", "2024-07")
PROCEDURES = ("admin-reform-procedures", "procedure-time", "2024-Q3")
ADMIN = ("admin-reform", "monthly-report", "2024-09")
COORD = ("coordination", "monthly-report", "2024-09")


def _status(cli, day: str, agency: str) -> dict[tuple, dict]:
    out = cli("status", "--as-of", day, "--agency", agency, "--json")
    assert out.exit_code == 0, out.output
    return {(d["task"], d["rule"], d["period"]): d for d in json.loads(out.stdout)["deadlines"]}


def _keys(ws) -> list[tuple]:
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    return [r[:4] for r in rows if r[0]]


def test_template_lists_what_the_agency_owes_and_guides_the_filling(loaded, cli, tmp_path):
    wb = openpyxl.load_workbook(template(cli, tmp_path, "BDV-MAICHAU"))
    assert wb.sheetnames == ["Nhiệm vụ", "Chỉ tiêu", "Quá hạn kỳ trước"]
    tasks = wb["Nhiệm vụ"]
    assert [c.value for c in tasks[5]] == [
        "Mã đơn vị", "Mã nhiệm vụ", "Mã hạn", "Kỳ", "Nhiệm vụ", "Nội dung", "Hạn", "Tình trạng",
        "% tiến độ", "Ghi chú", "Link minh chứng", "Ngày hoàn thành"]
    assert _keys(tasks) == [("BDV-MAICHAU", *REVIEW), ("BDV-MAICHAU", *D56)]
    assert _keys(wb["Quá hạn kỳ trước"]) == [("BDV-MAICHAU", *D56_JULY),
                                             ("BDV-MAICHAU", "leadership", "monthly-report",
                                              "2024-08")]
    assert [k[1:3] for k in _keys(wb["Chỉ tiêu"])] == [
        ("models", None), ("models-named", None), ("models-named", "economy"),
        ("models-named", "culture-society"), ("models-named", "defence-security"),
        ("models-named", "political-system"), ("models-replicated", None)]
    # Keys hidden and locked; what the agency fills in is unlocked; the sheet is protected.
    assert all(tasks.column_dimensions[c].hidden for c in "ABCD")
    assert not tasks.column_dimensions["E"].hidden
    assert tasks.protection.sheet and tasks["A6"].protection.locked
    assert not any(tasks.cell(6, c).protection.locked for c in range(8, 13))
    checks = {str(v.sqref): v for v in tasks.data_validations.dataValidation}
    assert checks["H6:H7"].type == "list"
    assert checks["H6:H7"].formula1 == '"Hoàn thành,Đang thực hiện"'
    assert (checks["I6:I7"].type, checks["I6:I7"].formula1, checks["I6:I7"].formula2) == (
        "whole", "0", "100")
    assert tasks["G6"].value == dt.datetime(2024, 9, 10) and tasks["G6"].number_format == "DD/MM/YYYY"
    assert tasks["L6"].number_format == "DD/MM/YYYY"


def test_round_trip_for_several_agencies(loaded, cli, tmp_path):
    maichau = fill(template(cli, tmp_path, "BDV-MAICHAU"), reports={
        REVIEW: {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": "05/09/2024",
                 "Link minh chứng": "https://maichau.example/bc-q3"},
        D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": "60%", "Ghi chú": "đang tổng hợp"},
        # the overdue sheet, typed without diacritics, with a real Excel date
        D56_JULY: {"Tình trạng": "hoan thanh", "Ngày hoàn thành": dt.datetime(2024, 8, 2)}},
        kpis={("models", None): 1200, ("models-named", None): 400,
              ("models-named", "economy"): 100, ("models-named", "culture-society"): 150,
              ("models-named", "defence-security"): 90, ("models-named", "political-system"): 60,
              ("models-replicated", None): 15})
    vpubnd = fill(template(cli, tmp_path, "VP-UBND"), reports={
        PROCEDURES: {"Tình trạng": "Hoàn thành", "% tiến độ": 100,
                     "Ngày hoàn thành": "16/09/2024"},
        ADMIN: {"Tình trạng": "ĐANG THỰC HIỆN", "% tiến độ": "40"}},
        kpis={("procedure-time", None): "82,5"})
    mttq = fill(template(cli, tmp_path, "MTTQ"), reports={
        COORD: {"Tình trạng": "Đang thực hiện", "% tiến độ": (0.5, "0%")}})  # typed as 50%

    result = cli("import", str(maichau), str(vpubnd), str(mttq), "--on", "2024-09-26")
    assert result.exit_code == 0, result.output
    assert "đã nhập 6 báo cáo và 8 giá trị chỉ tiêu từ 3 tệp" in result.stdout

    s = _status(cli, "2024-09-30", "BDV-MAICHAU")
    assert (s[REVIEW]["category"], s[REVIEW]["completed_on"]) == ("done_on_time", "2024-09-05")
    assert (s[D56]["category"], s[D56]["progress"], s[D56]["note"]) == (
        "overdue", 60, "đang tổng hợp")
    assert (s[D56_JULY]["category"], s[D56_JULY]["days_late"]) == ("done_late", 8)
    s = _status(cli, "2024-09-30", "VP-UBND")
    assert s[PROCEDURES]["category"] == "done_on_time"
    assert (s[ADMIN]["category"], s[ADMIN]["progress"]) == ("overdue", 40)
    assert _status(cli, "2024-09-30", "MTTQ")[COORD]["progress"] == 50
    # Before the import day nothing was known yet.
    assert _status(cli, "2024-09-25", "BDV-MAICHAU")[REVIEW]["category"] == "overdue"

    with store.session(loaded) as ses:
        sources = set(ses.execute(sa.select(Report.source)).scalars())
    assert {"BDV-MAICHAU-2024-09.xlsx:Nhiệm vụ:6", "BDV-MAICHAU-2024-09.xlsx:Quá hạn kỳ trước:6",
            "MTTQ-2024-09.xlsx:Nhiệm vụ:6"} <= sources
    kpis = {k["key"]: k for k in json.loads(cli("kpi", "--as-of", "2024-09-30", "--json").stdout)
            ["kpis"]}
    assert kpis["models-named"]["parts"]["economy"] == 100
    assert kpis["procedure-time"]["value"] == 82.5


def test_importing_the_same_returns_again_adds_nothing(loaded, cli, tmp_path):
    filled = fill(template(cli, tmp_path, "BDV-MAICHAU"),
                  reports={D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": 30}},
                  kpis={("models", None): 700})
    assert cli("import", str(filled), "--on", "2024-09-10").exit_code == 0
    before = counts(loaded)
    assert before == (1, 1)
    # The same file, the next day; then opened, a column widened, saved under another name.
    again = cli("import", str(filled), "--on", "2024-09-11")
    assert again.exit_code == 0 and "(2 dòng đã có, bỏ qua)" in again.stdout
    resaved = tmp_path / "gui-lai.xlsx"
    wb = openpyxl.load_workbook(filled)
    wb["Nhiệm vụ"].column_dimensions["J"].width = 60
    wb.properties.lastModifiedBy = "Văn thư huyện"
    wb.save(resaved)
    assert resaved.read_bytes() != filled.read_bytes()
    assert cli("import", str(resaved), str(filled), "--on", "2024-09-12").exit_code == 0
    assert counts(loaded) == before


def test_a_correction_supersedes_now_while_the_past_keeps_what_was_known(loaded, cli, tmp_path):
    first = fill(template(cli, tmp_path, "BDV-MAICHAU"),
                 reports={D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": 30}},
                 kpis={("models", None): 700}, out=tmp_path / "lan-1.xlsx")
    second = fill(template(cli, tmp_path, "BDV-MAICHAU"),
                  reports={D56: {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": "19/09/2024"}},
                  kpis={("models", None): 720}, out=tmp_path / "lan-2.xlsx")
    assert cli("import", str(first), "--on", "2024-09-10").exit_code == 0
    assert cli("import", str(second), "--on", "2024-09-20").exit_code == 0

    def seen(day):
        d = _status(cli, day, "BDV-MAICHAU")[D56]
        k = json.loads(cli("kpi", "--period", "2024-09", "--as-of", day, "--json").stdout)
        return d["category"], d["progress"], k["kpis"][0]["value"]

    assert seen("2024-09-15") == ("in_progress", 30, 700)
    assert seen("2024-09-30") == ("done_on_time", 100, 720)
    # The old file sent again is not a correction: nothing added, and the output says why.
    again = cli("import", str(first), "--on", "2024-09-21")
    assert again.exit_code == 0
    assert "lan-1.xlsx:Nhiệm vụ:7: trùng một báo cáo đã nhập trước đây" in again.stdout
    assert "lan-1.xlsx:Chỉ tiêu:6: trùng" in again.stdout
    assert seen("2024-09-30") == ("done_on_time", 100, 720)
    assert seen("2024-09-15") == ("in_progress", 30, 700)


def test_hand_typed_csv_without_diacritics(loaded, cli, tmp_path):
    typed = tmp_path / "maichau.csv"
    text = ("Ma don vi;Ma nhiem vu;Ma han;Ky;Tinh trang;Tien do;Ghi chu;Ngay hoan thanh\r\n"
            ";;;;;;;\r\n"
            "BDV-MAICHAU;models-review;quarterly-review;2024-Q3;hoan thanh;;xong;9/9/2024\r\n"
            "\r\n"
            "BDV-MAICHAU;leadership;monthly-report;2024-09;dang thuc hien;75 %;"
            "\"ghi chú\r\nhai dòng\";\r\n"
            ";;;;;;;\r\n")
    # as Excel saves "CSV" on a Vietnamese Windows: code page 1258, tone marks combining
    typed.write_bytes(unicodedata.normalize("NFD", text).encode("cp1258"))
    result = cli("import", str(typed), "--on", "2024-09-20")
    assert result.exit_code == 0, result.output
    s = _status(cli, "2024-09-20", "BDV-MAICHAU")
    assert (s[REVIEW]["category"], s[REVIEW]["completed_on"]) == ("done_on_time", "2024-09-09")
    assert (s[D56]["progress"], s[D56]["note"]) == (75, "ghi chú\r\nhai dòng")


def test_csv_export_round_trip_for_scripts(loaded, cli, tmp_path):
    out = tmp_path / "vp.csv"
    result = cli("template", "--agency", "VP-UBND", "--period", "2024-09", "--csv", "--out",
                 str(out), "--as-of", "2024-09-01")
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["Mã nhiệm vụ"], r["Mã hạn"], r["Kỳ"], r["Hạn"]) for r in rows] == [
        (*PROCEDURES, "16/09/2024"), (*ADMIN, "20/09/2024"),
        ("admin-reform", "monthly-report", "2024-08", "20/08/2024")]  # none for July: see the plan
    for r in rows:
        r["Tình trạng"], r["% tiến độ"] = "Đang thực hiện", "10"
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    kpi_csv = out.with_suffix(".chi-tieu.csv")
    lines = kpi_csv.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("VP-UBND,procedure-time,,2024-09,")
    kpi_csv.write_text("\n".join([lines[0], lines[1] + "91"]), encoding="utf-8")
    result = cli("import", str(out), str(kpi_csv), "--on", "2024-09-26")
    assert result.exit_code == 0, result.output
    assert counts(loaded) == (3, 1)  # the 3 rows above, and the KPI value


def test_template_for_every_agency_and_bad_arguments(loaded, cli, tmp_path):
    result = cli("template", "--agency", "all", "--period", "2024-09", "--out",
                 str(tmp_path / "t9"), "--as-of", "2024-09-01")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "t9").iterdir())
    assert len(files) == 20 and "BDV-MAICHAU-2024-09.xlsx" in files and "BTV-TU-2024-09.xlsx" not in files
    bad = cli("template", "--agency", "NOPE", "--period", "2024-09", "--out", str(tmp_path / "x.xlsx"))
    assert bad.exit_code == 2 and "không có cơ quan 'NOPE' trong danh mục" in bad.stderr
    bad = cli("--lang", "en", "template", "--agency", "NOPE", "--period", "2024-09")
    assert bad.exit_code == 2 and "unknown agency 'NOPE'" in bad.stderr
    bad = cli("template", "--agency", "SNV", "--period", "2024-13")
    assert bad.exit_code == 2 and "'2024-13' không phải là tháng" in bad.stderr


def test_a_months_returns_for_every_agency_in_one_command(loaded, cli, tmp_path):
    folder = tmp_path / "t9"
    assert cli("template", "--agency", "all", "--period", "2024-09", "--out", str(folder),
               "--as-of", "2024-09-01").exit_code == 0
    files = sorted(folder.iterdir())
    for path in files:
        wb = openpyxl.load_workbook(path)
        ws = wb["Nhiệm vụ"]
        for r in range(6, ws.max_row + 1):
            ws.cell(r, 8, "Hoàn thành")
            ws.cell(r, 12, "15/09/2024")
        wb.save(path)
    result = cli("import", *map(str, files), "--on", "2024-09-26")
    assert result.exit_code == 0, result.output
    assert counts(loaded) == (33, 0)
    rows = json.loads(cli("status", "--as-of", "2024-09-30", "--json").stdout)["deadlines"]
    owed = [r for r in rows if r["due_on"].startswith("2024-09")]
    assert len(owed) == 33 and {r["category"] for r in owed} == {"done_late", "done_on_time"}
